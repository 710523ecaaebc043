import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { REPO } from "./env.js";

export interface PrismServer {
  url: string;
  log: () => string;
  stop: () => Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** Starts Prism mocking `spec` on a loopback port; it validates every request against the spec. */
export async function startPrism(spec: string, extraArgs: string[] = []): Promise<PrismServer> {
  return startPrismWith(["mock", "-h", "127.0.0.1", ...extraArgs, spec]);
}

/** Starts Prism as a validating proxy in front of `upstream`: with --errors, a request or response that breaks the spec is an error answer. */
export async function startPrismProxy(spec: string, upstream: string, extraArgs: string[] = ["--errors"]): Promise<PrismServer> {
  return startPrismWith(["proxy", "-h", "127.0.0.1", ...extraArgs, spec, upstream]);
}

async function startPrismWith(args: string[]): Promise<PrismServer> {
  const port = await freePort();
  const child: ChildProcess = spawn(join(REPO, "node_modules", ".bin", "prism"), [args[0], "-p", String(port), ...args.slice(1)], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NO_COLOR: "1" },
  });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (!/Prism is listening/.test(output)) {
    if (child.exitCode !== null) throw new Error(`prism exited: ${output}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`prism did not start: ${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    log: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("close", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 3000).unref();
      }),
  };
}
