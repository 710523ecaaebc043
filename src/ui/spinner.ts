import { importPackage } from "../util/importPackage.js";

export interface Spinner {
  text(message: string): void;
  succeed(message: string): void;
  fail(message?: string): void;
  stop(): void;
}

const silent: Spinner = { text() {}, succeed() {}, fail() {}, stop() {} };

/**
 * An ora spinner on stderr, only on a real terminal that reports its width and not in CI
 * (a 0-column pty makes ora redraw forever).
 */
export async function startSpinner(message: string): Promise<Spinner> {
  const stream = process.stderr;
  if (!stream.isTTY || !stream.columns || "CI" in process.env || process.env.TERM === "dumb") return silent;
  const { default: ora } = await importPackage<typeof import("ora")>("ora");
  const spinner = ora({ text: message, stream, discardStdin: false }).start();
  return {
    text: (m) => {
      spinner.text = m;
    },
    succeed: (m) => spinner.succeed(m),
    fail: (m) => spinner.fail(m),
    stop: () => spinner.stop(),
  };
}
