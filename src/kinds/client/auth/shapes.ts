import type { Note } from "../../../deployment/model.js";
import type { AuthPlan } from "./plan.js";
import type { ParameterType, SupportedScheme } from "./schemes.js";

/** Name of the SSM parameter (or Secrets Manager secret) of a credential type, for a namespace. */
export function parameterName(namespace: string, type: ParameterType, prefix = "/picorun"): string {
  return `${prefix}/${namespace}/credentials-${type}`;
}

/** The credential types (parameters) a plan needs, sorted. */
export function parameterTypes(plan: AuthPlan): ParameterType[] {
  return [...new Set(plan.schemes.map((s) => s.parameterType))].sort();
}

/** Types whose parameter several schemes share: its JSON is keyed by scheme name. */
export function keyedTypes(plan: AuthPlan): ParameterType[] {
  return parameterTypes(plan).filter((t) => plan.schemes.filter((s) => s.parameterType === t).length > 1);
}

/** Types whose parameter the functions may write: a rotated refresh token is stored back. */
export function writeBackTypes(plan: AuthPlan): ParameterType[] {
  return [...new Set(plan.schemes.filter((s) => s.kind === "oauth2-token").map((s) => s.parameterType))].sort();
}

/** What one scheme alone reads from its parameter. */
export function schemeShape(s: SupportedScheme): Record<string, string> {
  switch (s.kind) {
    case "bearer":
      return { token: "<token>" };
    case "basic":
      return { username: "<username>", password: "<password>" };
    case "api-key":
      return { api_key: "<api key>" };
    case "mutual-tls":
      return { cert: "<PEM certificate>", key: "<PEM private key>" };
    case "oauth2":
      return { client_id: "<client id>", client_secret: "<client secret>" };
    case "oauth2-token": {
      const shape: Record<string, string> = { refresh_token: "<refresh token>", client_id: "<client id>", client_secret: "<client secret>" };
      if (!s.tokenUrl && !s.discoveryUrl) shape.token_url = "<token endpoint URL>";
      return shape;
    }
  }
}

/**
 * The JSON to store in one parameter. One scheme: its own keys. Several schemes: an object
 * keyed by scheme name, where an API key or a bearer token is the string itself and the
 * others are their own objects (`{"apiKey": "...", "clientId": "..."}`).
 */
export function shapeFor(plan: AuthPlan, type: ParameterType): Record<string, unknown> {
  const schemes = plan.schemes.filter((s) => s.parameterType === type);
  if (schemes.length === 1) return schemeShape(schemes[0]);
  const shape: Record<string, unknown> = {};
  for (const s of schemes) {
    const own = schemeShape(s);
    shape[s.name] = s.kind === "api-key" ? own.api_key : s.kind === "bearer" ? own.token : own;
  }
  return shape;
}


/** The file the printed command reads a parameter's JSON from: `credentials-<last part of the name>.json`. */
export function credentialsFile(name: string): string {
  return `${name.split("/").pop()}.json`;
}

/**
 * The command that stores a parameter's JSON (put-parameter, or put-secret-value for Secrets Manager).
 * The value is read from a file (`file://`), never given on the command line, where shell history
 * and `ps` would keep it.
 */
export function credentialsCommand(store: "ssm" | "secretsmanager", name: string): Exclude<Note, string> {
  const file = `file://${credentialsFile(name)}`;
  if (store === "secretsmanager") return [`aws secretsmanager put-secret-value --secret-id "${name}" --secret-string ${file}`];
  return [`aws ssm put-parameter --name "${name}" --type SecureString --key-id "`, { ref: "credentialsKeyId" }, `" --overwrite --value ${file}`];
}
