import { randomBytes } from "node:crypto";
import { startServe } from "../../serve/run.js";
import { UserError } from "../../util/errors.js";
import { overridesFrom, type GlobalFlags } from "../options.js";

export interface ServeFlags extends GlobalFlags {
  port?: string;
  host?: string;
  apiKey?: string[];
  watch?: boolean;
  workers?: string;
}

/** `picofun serve [--port 3000] [--host 127.0.0.1]`: the api kind's REST API on this machine, until Ctrl+C. */
export async function serveCommand(flags: ServeFlags): Promise<void> {
  const port = Number(flags.port ?? "3000");
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UserError(`--port must be a port number, got "${flags.port}"`);
  const workers = flags.workers === undefined ? undefined : Number(flags.workers);
  if (workers !== undefined && (!Number.isInteger(workers) || workers < 1 || workers > 64)) throw new UserError(`--workers must be a number from 1 to 64, got "${flags.workers}"`);
  const keys = flags.apiKey?.length ? flags.apiKey : process.env.PICOFUN_API_KEY ? [process.env.PICOFUN_API_KEY] : [`local-${randomBytes(6).toString("hex")}`];
  let running;
  try {
    running = await startServe({ overrides: overridesFrom(flags), port, host: flags.host ?? "127.0.0.1", apiKeys: keys, watch: flags.watch !== false, workers });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE") throw new UserError(`port ${port} is in use; pick another with --port`);
    if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND") throw new UserError(`cannot listen on ${flags.host}: not an address of this machine`);
    throw err;
  }
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      void running.stop().then(() => {
        process.stdout.write("picofun serve: stopped\n");
        resolve();
      });
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}
