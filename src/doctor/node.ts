import { readFileSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "../util/paths.js";
import type { Check, Needs } from "./types.js";

/** The oldest Node picofun runs on: package.json's engines (">=20.19"). */
function oldestNode(): [number, number] {
  const pkg = JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as { engines?: { node?: string } };
  const m = /(\d+)\.(\d+)/.exec(pkg.engines?.node ?? "");
  return m ? [Number(m[1]), Number(m[2])] : [20, 19];
}

/** Node runs picofun itself; too old a Node makes doctor exit 1 with or without a project. */
export function nodeCheck(needs: Needs): Check {
  const [major, minor] = process.versions.node.split(".").map(Number);
  const [needMajor, needMinor] = oldestNode();
  const purpose = needs.runtime?.startsWith("nodejs") ? `runs picofun, and the ${needs.runtime} handlers in serve and invoke` : "runs picofun";
  const base = { name: "node", purpose, needed: true };
  if (major > needMajor || (major === needMajor && minor >= needMinor)) return { ...base, state: "ok", detail: `${process.versions.node} (${process.execPath})` };
  return { ...base, state: "missing", detail: `${process.versions.node} is older than ${needMajor}.${needMinor}`, fix: `install Node ${needMajor}.${needMinor} or newer (https://nodejs.org)` };
}
