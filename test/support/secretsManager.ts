import { createServer, type Server } from "node:http";
import { readBody } from "./authServers.js";

/**
 * A loopback stand-in for `secretsmanager.GetSecretValue` and `secretsmanager.PutSecretValue`
 * (awsJson1_1), reached by real boto3 through AWS_ENDPOINT_URL_SECRETS_MANAGER. Requests must be
 * SigV4-signed for the secretsmanager service; every call is recorded.
 */
export interface SecretsStandIn {
  url: string;
  set(name: string, value: string): void;
  get(name: string): string | undefined;
  calls: Array<{ target: string; secretId: string }>;
  env(): Record<string, string>;
  stop(): Promise<void>;
}

export async function startSecretsManager(): Promise<SecretsStandIn> {
  const values = new Map<string, string>();
  const calls: SecretsStandIn["calls"] = [];
  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    const reply = (status: number, payload: unknown) => {
      res.writeHead(status, { "Content-Type": "application/x-amz-json-1.1" });
      res.end(JSON.stringify(payload));
    };
    const target = String(req.headers["x-amz-target"]);
    if (!/^AWS4-HMAC-SHA256 Credential=\S+\/secretsmanager\/aws4_request/.test(String(req.headers.authorization ?? ""))) {
      return reply(400, { __type: "MissingAuthenticationTokenException", message: "request is not signed for secretsmanager" });
    }
    let input: { SecretId?: string; SecretString?: string };
    try {
      input = JSON.parse(body) as typeof input;
    } catch {
      return reply(400, { __type: "ValidationException", message: "body is not JSON" });
    }
    const id = String(input.SecretId ?? "");
    calls.push({ target, secretId: id });
    const arn = `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${id}-AbCdEf`;
    if (target === "secretsmanager.GetSecretValue") {
      const value = values.get(id);
      if (value === undefined) {
        return reply(400, { __type: "ResourceNotFoundException", message: "Secrets Manager can't find the specified secret." });
      }
      return reply(200, { ARN: arn, Name: id, VersionId: `v${calls.length}`, SecretString: value, VersionStages: ["AWSCURRENT"] });
    }
    if (target === "secretsmanager.PutSecretValue") {
      values.set(id, String(input.SecretString ?? ""));
      return reply(200, { ARN: arn, Name: id, VersionId: `v${calls.length}`, VersionStages: ["AWSCURRENT"] });
    }
    return reply(400, { __type: "InvalidAction", message: `unsupported ${target}` });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    url,
    calls,
    set: (name, value) => void values.set(name, value),
    get: (name) => values.get(name),
    env: () => ({
      AWS_ENDPOINT_URL_SECRETS_MANAGER: url,
      AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
      AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
      AWS_DEFAULT_REGION: "eu-west-1",
      AWS_CONFIG_FILE: "/dev/null",
      AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
      AWS_EC2_METADATA_DISABLED: "true",
    }),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
