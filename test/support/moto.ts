import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { freePort } from "./prism.js";
import { venvBin } from "./toolVenvs.js";

export interface Moto {
  url: string;
  port: number;
  /** Runs a Python snippet in the moto venv with boto3 pointed at this server; returns its stdout parsed as JSON. */
  boto(code: string): unknown;
  stop(): Promise<void>;
}

/** The fake credentials and Region the root modules and boto3 share. */
export const MOTO_ENV = { AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE", AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", AWS_DEFAULT_REGION: "eu-west-1" };

/** The services the generated modules call, each pointed at moto by the provider's `endpoints`. */
export const MOTO_SERVICES = ["apigateway", "cloudwatchlogs", "ec2", "iam", "kms", "lambda", "secretsmanager", "sfn", "ssm", "sts"];

/** A provider block for a root module that deploys into the moto server at `url` (fake keys, no account look-ups). */
export function motoProvider(url: string): string {
  return [
    'provider "aws" {',
    `  region                      = "${MOTO_ENV.AWS_DEFAULT_REGION}"`,
    `  access_key                  = "${MOTO_ENV.AWS_ACCESS_KEY_ID}"`,
    `  secret_key                  = "${MOTO_ENV.AWS_SECRET_ACCESS_KEY}"`,
    "  skip_credentials_validation = true",
    "  skip_requesting_account_id  = true",
    "  skip_metadata_api_check     = true",
    "  skip_region_validation      = true",
    "  endpoints {",
    ...MOTO_SERVICES.map((s) => `    ${s.padEnd(14)} = "${url}"`),
    "  }",
    "}",
  ].join("\n");
}

/** Starts moto's server mode (the real moto_server from PyPI) on 127.0.0.1 and waits until it answers. */
export async function startMoto(): Promise<Moto> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(venvBin("moto", "moto_server"), ["-H", "127.0.0.1", "-p", String(port)], {
    stdio: ["ignore", "ignore", "pipe"],
    // AWS managed policies (AWSXRayDaemonWriteAccess, ...) exist in IAM only with this set.
    env: { ...process.env, MOTO_IAM_LOAD_MANAGED_POLICIES: "true" },
  });
  let log = "";
  child.stderr?.on("data", (d) => (log = (log + d).slice(-20_000)));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto_server exited: ${log}`);
    try {
      const res = await fetch(`${url}/moto-api/`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill();
      throw new Error(`moto_server did not answer on ${url}: ${log}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    port,
    boto(code: string): unknown {
      const script = ["import boto3, json, sys", `def client(name): return boto3.client(name, endpoint_url=${JSON.stringify(url)})`, code].join("\n");
      const res = spawnSync(venvBin("moto", "python"), ["-c", script], { encoding: "utf8", env: { ...process.env, ...MOTO_ENV } });
      if (res.status !== 0) throw new Error(`boto3 against moto failed: ${res.stderr}`);
      return JSON.parse(res.stdout);
    },
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.on("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
