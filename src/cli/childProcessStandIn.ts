/**
 * What commander gets for `node:child_process` in picofun's bundle (see scripts/bundle.mjs).
 * commander loads child_process as it starts, only to spawn executable subcommands, which
 * picofun does not have; loading it (and the networking modules it pulls in) costs every
 * command a few milliseconds. Here it is loaded when spawn is actually called.
 */
import { createRequire } from "node:module";

type ChildProcess = typeof import("node:child_process");

export function spawn(...args: Parameters<ChildProcess["spawn"]>): ReturnType<ChildProcess["spawn"]> {
  const real = createRequire(import.meta.url)("node:child_process") as ChildProcess;
  return real.spawn(...args);
}
