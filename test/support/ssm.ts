import { createServer, type Server } from "node:http";
import { readBody } from "./authServers.js";

/**
 * A loopback stand-in for the part of the SSM API the generated auth hooks use:
 * `AmazonSSM.GetParameter` and `AmazonSSM.PutParameter` over the awsJson1_1 protocol, so
 * real boto3 can talk to it through AWS_ENDPOINT_URL_SSM. Every call is recorded.
 */
export interface SsmStandIn {
  url: string;
  /** Sets a parameter; with several values, each read returns the next one (the last one stays). */
  set(name: string, ...values: string[]): void;
  delete(name: string): void;
  /** Makes reads of `name` fail as IAM would without ssm:GetParameter. */
  deny(name: string): void;
  /** The GetParameter calls seen so far. */
  calls: Array<{ name: string; withDecryption: boolean }>;
  /** The PutParameter calls seen so far (a put also becomes the parameter's value). */
  puts: Array<{ name: string; value: string; type?: string; overwrite?: boolean; keyId?: string }>;
  /** The current value of a parameter. */
  get(name: string): string | undefined;
  /** Environment that points boto3 at the stand-in with fake credentials. */
  env(): Record<string, string>;
  stop(): Promise<void>;
}


export async function startSsm(): Promise<SsmStandIn> {
  const values = new Map<string, string[]>();
  const calls: SsmStandIn["calls"] = [];
  const puts: SsmStandIn["puts"] = [];
  const denied = new Set<string>();
  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    const reply = (status: number, payload: unknown) => {
      res.writeHead(status, { "Content-Type": "application/x-amz-json-1.1" });
      res.end(JSON.stringify(payload));
    };
    const target = String(req.headers["x-amz-target"]);
    if (req.method !== "POST" || (target !== "AmazonSSM.GetParameter" && target !== "AmazonSSM.PutParameter")) {
      return reply(400, { __type: "InvalidAction", message: `unsupported ${req.method} ${String(req.headers["x-amz-target"])}` });
    }
    if (!/^AWS4-HMAC-SHA256 Credential=\S+\/ssm\/aws4_request/.test(String(req.headers.authorization ?? ""))) {
      return reply(400, { __type: "MissingAuthenticationTokenException", message: "request is not signed for ssm" });
    }
    let input: { Name?: string; WithDecryption?: boolean; Value?: string; Type?: string; Overwrite?: boolean; KeyId?: string };
    try {
      input = JSON.parse(body) as typeof input;
    } catch {
      return reply(400, { __type: "ValidationException", message: "body is not JSON" });
    }
    const name = String(input.Name ?? "");
    if (target === "AmazonSSM.PutParameter") {
      puts.push({ name, value: String(input.Value ?? ""), type: input.Type, overwrite: input.Overwrite, keyId: input.KeyId });
      if (denied.has(name)) {
        return reply(400, { __type: "AccessDeniedException", message: `not authorized to perform: ssm:PutParameter on resource: ${name}` });
      }
      if (values.has(name) && input.Overwrite !== true) return reply(400, { __type: "ParameterAlreadyExists", message: "" });
      values.set(name, [String(input.Value ?? "")]);
      return reply(200, { Version: puts.length + 1, Tier: "Standard" });
    }
    calls.push({ name, withDecryption: input.WithDecryption === true });
    if (denied.has(name)) {
      return reply(400, { __type: "AccessDeniedException", message: `not authorized to perform: ssm:GetParameter on resource: ${name}` });
    }
    const list = values.get(name);
    if (!list) return reply(400, { __type: "ParameterNotFound", message: "" });
    const value = list.length > 1 ? list.shift()! : list[0];
    reply(200, {
      Parameter: {
        Name: name,
        Type: "SecureString",
        Value: input.WithDecryption === true ? value : "AQICAHencrypted",
        Version: 1,
        ARN: `arn:aws:ssm:eu-west-1:123456789012:parameter${name}`,
        DataType: "text",
      },
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    url,
    calls,
    puts,
    get: (name) => values.get(name)?.[0],
    set: (name, ...v) => void values.set(name, [...v]),
    delete: (name) => void values.delete(name),
    deny: (name) => void denied.add(name),
    env: () => ({
      AWS_ENDPOINT_URL_SSM: url,
      AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
      AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
      AWS_DEFAULT_REGION: "eu-west-1",
      AWS_CONFIG_FILE: "/dev/null",
      AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
      AWS_EC2_METADATA_DISABLED: "true",
    }),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
