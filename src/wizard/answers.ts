import { tagProblem, tagsProblem } from "../config/awsLimits.js";
import { CONFIG_KEYS, NAMESPACE_PATTERN } from "../config/schema.js";
import type { Iac, Kind } from "../config/types.js";
import type { ApiModel, SecurityScheme } from "../model/types.js";
import { setOwn } from "../util/ownKey.js";

/** What include-endpoints.yaml will hold; undefined in the answers means "every endpoint". */
export interface EndpointSubset {
  paths: { path: string; methods: string[] }[];
  operationIds: string[];
  tags: string[];
  /** How many endpoints of the spec this selects (for the summary). */
  count: number;
}

/** Everything the wizard (or --yes with flags) decides; writeProject turns it into files. */
export interface WizardAnswers {
  /** Absolute path or http(s) URL. */
  spec: string;
  namespace: string;
  kind: Kind;
  runtime: string;
  /** Infrastructure as code in output/ (absent: terraform). */
  iac?: Iac;
  include?: EndpointSubset;
  auth: { enabled: boolean; ttlMinutes: number };
  vpcId?: string;
  subnets: string[];
  layers: string[];
  tags: Record<string, string>;
  /** Absolute folder of the new project (picofun.toml goes here). */
  projectDir: string;
  /** Absolute folder the generated files go to (written into picofun.toml relative to the project). */
  outputDir: string;
  serverUrl?: string;
  /** Client kind: also write Step Functions HTTP Tasks ([stepfunctions] http_tasks). */
  httpTasks?: boolean;
  /** Api kind: typed handlers ([api] language); absent: single-file handler(event, context) stubs. */
  language?: "python" | "typescript";
}

/** A validation result in @inquirer's style: true, or the message to show. */
export type Check = true | string;

export const KINDS: readonly Kind[] = ["client", "api"];
export const IACS: readonly Iac[] = ["terraform", "cdk"];

export function checkIac(value: string): Check {
  return (IACS as readonly string[]).includes(value) || `must be one of ${IACS.join(", ")}`;
}
export const DEFAULT_TTL_MINUTES = 5;

export function runtimesFor(kind: Kind): string[] {
  return kind === "api" ? ["python3.13", "nodejs22.x", "python3.14", "nodejs24.x"] : ["python3.13", "python3.12", "python3.11", "python3.14"];
}

const FILLER = new Set(["api", "apis", "openapi", "spec", "specification", "the", "official", "rest", "service", "and", "for", "of", "a", "an"]);

/** A short namespace made from the spec's title: "Orders API" -> "orders", "GitHub's official OpenAPI spec" -> "github". */
export function suggestNamespace(title: string): string {
  const all = title
    .toLowerCase()
    .replace(/['’]s\b/g, "")
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  const meaningful = all.filter((w) => !FILLER.has(w));
  const words = (meaningful.length ? meaningful : all).slice();
  // A namespace starts with a letter: "3d" becomes "d", a word of digits only is dropped.
  while (words.length && !/^[a-z]/.test(words[0])) {
    const stripped = words[0].replace(/^[^a-z]+/, "");
    if (stripped) words[0] = stripped;
    else words.shift();
  }
  let ns = "";
  for (const w of words) {
    const next = ns ? `${ns}-${w}` : w;
    if (ns && next.length > 20) break;
    ns = next.slice(0, 40);
  }
  return NAMESPACE_PATTERN.re.test(ns) ? ns : "api";
}

export function checkNamespace(value: string): Check {
  return NAMESPACE_PATTERN.re.test(value.trim()) || `use ${NAMESPACE_PATTERN.hint}`;
}

export function checkKind(value: string): Check {
  return (KINDS as readonly string[]).includes(value) || `must be one of ${KINDS.join(", ")}`;
}

export function checkRuntime(kind: Kind, value: string): Check {
  const allowed = runtimesFor(kind);
  return allowed.includes(value) || `for kind "${kind}" use one of ${allowed.join(", ")}`;
}

/** Splits "a, b c" into ["a", "b", "c"]. */
export function splitWords(value: string): string[] {
  return value
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

function checkEach(values: string[], key: "layers" | "subnets" | "vpc_id"): Check {
  const { re, hint } = CONFIG_KEYS[key].pattern!;
  const bad = values.find((v) => !re.test(v));
  return bad === undefined || `"${bad}" is not ${hint}`;
}

export function checkVpcId(value: string): Check {
  return checkEach([value.trim()], "vpc_id");
}

export function checkSubnets(values: string[]): Check {
  if (!values.length) return "list at least one subnet id";
  return checkEach(values, "subnets");
}

export function checkLayers(values: string[]): Check {
  return checkEach(values, "layers");
}

export function checkTtl(value: number | undefined): Check {
  const { min, max } = CONFIG_KEYS.auth.keys!.ttl_minutes;
  return (value !== undefined && Number.isFinite(value) && value >= min! && value <= max!) || `a number of minutes from ${min} to ${max}`;
}

/** Parses "k=v" items; the first "=" splits key and value. */
export function parseTags(items: string[]): Record<string, string> | string {
  const tags: Record<string, string> = {};
  for (const item of items) {
    const at = item.indexOf("=");
    if (at < 1) return `"${item}" is not key=value`;
    const key = item.slice(0, at).trim();
    const value = item.slice(at + 1).trim();
    const problem = tagProblem(key, value);
    if (problem) return problem;
    // A key like "__proto__" is a tag like any other, not the object's prototype.
    setOwn(tags, key, value);
  }
  return tagsProblem(tags) ?? tags;
}

/** The credential kinds picofun can fetch, in the order it prefers them. */
export type CredentialKind = "http" | "api-key" | "mutual-tls" | "oauth2";

export interface SchemeInfo {
  name: string;
  /** Human label: "HTTP Bearer", "API key (header X-Api-Key)", ... */
  label: string;
  /** Lower is preferred; undefined when picofun cannot use it. */
  rank?: number;
  credential?: CredentialKind;
  /** Listed in the document's global `security`. */
  required: boolean;
}

function describeScheme(s: SecurityScheme): Omit<SchemeInfo, "name" | "required"> {
  const type = s.type;
  const httpScheme = (s.scheme ?? "").toLowerCase();
  if (type === "http" && httpScheme === "bearer") return { label: "HTTP Bearer", rank: 0, credential: "http" };
  if (type === "http" && httpScheme === "basic") return { label: "HTTP Basic", rank: 1, credential: "http" };
  if (type === "apiKey") return { label: `API key (${s.in ?? "header"} ${s.paramName ?? ""})`.replace(" )", ")"), rank: 2, credential: "api-key" };
  if (type === "mutualTLS") return { label: "mutual TLS", rank: 3, credential: "mutual-tls" };
  if (type === "oauth2" && s.flows && "clientCredentials" in s.flows) {
    return { label: "OAuth2 client credentials", rank: 4, credential: "oauth2" };
  }
  // Flows a person signs in to: the functions use a stored refresh token (or a fixed access token).
  if (type === "oauth2") return { label: `OAuth2 ${Object.keys(s.flows ?? {}).join("/") || "(no flows)"}, with a stored refresh token`, rank: 5, credential: "oauth2" };
  if (type === "openIdConnect") return { label: "OpenID Connect, with a stored refresh token", rank: 6, credential: "oauth2" };
  return { label: `${type}${httpScheme ? ` ${httpScheme}` : ""} (not supported)` };
}

/** The spec's security schemes, described, in the spec's order. */
export function securitySchemes(model: ApiModel): SchemeInfo[] {
  const required = new Set((model.security ?? []).flatMap((req) => Object.keys(req)));
  return Object.entries(model.securitySchemes).map(([name, s]) => ({ name, required: required.has(name), ...describeScheme(s) }));
}

/**
 * The scheme picofun would use: among the schemes the global `security` lists (all schemes when
 * it lists none), the supported one with the best rank (Bearer > Basic > API key > mTLS > OAuth2).
 */
export function preferredScheme(model: ApiModel): SchemeInfo | undefined {
  const all = securitySchemes(model);
  const pool = all.some((s) => s.required) ? all.filter((s) => s.required) : all;
  return pool.filter((s) => s.rank !== undefined).sort((a, b) => a.rank! - b.rank!)[0];
}

const CREDENTIAL_SHAPE: Record<CredentialKind, (label: string) => string> = {
  http: (label) => (label === "HTTP Basic" ? '{"username":"...","password":"..."}' : '{"token":"..."}'),
  "api-key": () => '{"api_key":"..."}',
  "mutual-tls": () => '{"cert":"-----BEGIN CERTIFICATE-----...","key":"-----BEGIN PRIVATE KEY-----..."}',
  oauth2: (label) =>
    label === "OAuth2 client credentials" ? '{"client_id":"...","client_secret":"..."}' : '{"refresh_token":"...","client_id":"...","client_secret":"..."}',
};

/**
 * The `aws ssm put-parameter` command that stores the credentials, or undefined when auth is off
 * or unusable, and in the api kind (API Gateway checks the callers: its module has no credentials
 * parameter or KMS key output).
 */
export function ssmHint(answers: Pick<WizardAnswers, "auth" | "namespace"> & { kind?: WizardAnswers["kind"] }, model: ApiModel): string | undefined {
  if (!answers.auth.enabled || answers.kind === "api") return undefined;
  const scheme = preferredScheme(model);
  if (!scheme?.credential) return undefined;
  const value = CREDENTIAL_SHAPE[scheme.credential](scheme.label);
  // The value comes from stdin (file:///dev/stdin), never from the command line.
  return [
    `printf '%s' '${value}' > credentials.json   # edit in your values, then:`,
    "aws ssm put-parameter \\",
    `    --name "/picorun/${answers.namespace}/credentials-${scheme.credential}" \\`,
    '    --type "SecureString" \\',
    '    --key-id "$(terraform output -raw credentials_kms_key_arn)" \\',
    "    --value file:///dev/stdin \\",
    "    --overwrite < credentials.json",
    "rm credentials.json",
  ].join("\n");
}
