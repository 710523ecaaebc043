import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Check, Needs } from "./types.js";
import { onPath, probe } from "./probe.js";

/** A small wheel with no dependencies (about 11 KB): enough to see pip reach its index. */
const PROBE_PACKAGE = "six";

function python(): string | undefined {
  const command = process.env.PICOFUN_PYTHON || "python3";
  return command.includes("/") ? command : onPath(command);
}

/** pip in the python3 picofun runs, and whether it can download (skipped with --offline). */
export async function pipChecks(needs: Needs, offline: boolean): Promise<Check[]> {
  const needed = !!needs.requirements;
  const what = needs.requirements ? `installs ${needs.requirements} for Lambda at generation` : "installs a bundle's requirements.txt for Lambda at generation";
  const exe = python();
  const version = exe ? await probe(exe, ["-m", "pip", "--version", "--disable-pip-version-check"]) : "missing";
  const pipOk = version !== "missing" && version.code === 0;
  const pip: Check = pipOk
    ? { name: "pip", state: "ok", detail: version.stdout.split(" from ")[0].trim(), purpose: what, needed }
    : { name: "pip", state: "missing", detail: exe ? `python3 -m pip fails` : "no python3", purpose: what, needed, fix: "python3 -m ensurepip --upgrade, or your system's python3-pip package" };
  const reach = { name: "pip download", purpose: "pip fetches the requirements from the package index", needed };
  if (!pipOk || !exe) return [pip, { ...reach, state: "skipped", detail: "no pip to try with" }];
  if (offline) return [pip, { ...reach, state: "skipped", detail: "not tried (--offline)" }];
  const dest = mkdtempSync(join(tmpdir(), "picofun-doctor-"));
  try {
    // --no-cache-dir: a cached wheel would not prove the index is reachable.
    const args = ["-m", "pip", "download", "--no-deps", "--only-binary=:all:", "--no-cache-dir", "--dest", dest, "--timeout", "5", "--retries", "0", "--disable-pip-version-check", "--quiet", PROBE_PACKAGE];
    const run = await probe(exe, args, 30_000);
    if (run !== "missing" && run.code === 0) return [pip, { ...reach, state: "ok", detail: "can download from the package index" }];
    const lines = run === "missing" ? [] : run.stderr.split("\n").map((l) => l.trim()).filter(Boolean);
    const error = (lines.find((l) => l.startsWith("ERROR:")) ?? lines[lines.length - 1] ?? "timed out").replace(/^ERROR:\s*/, "");
    return [pip, { ...reach, state: "missing", detail: `could not download ${PROBE_PACKAGE}: ${error}`, fix: "check the network or proxy, or set PIP_INDEX_URL to an index you can reach" }];
  } finally {
    rmSync(dest, { recursive: true, force: true });
  }
}
