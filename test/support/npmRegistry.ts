/**
 * Tests that need the npm registry (picofun installs handlers/package.json for Lambda with npm):
 * skipped with the reason printed when it cannot be reached, except under PICOFUN_REQUIRE_E2E=1 (CI).
 */
import { spawnSync } from "node:child_process";
import { it } from "vitest";
import { REQUIRE_E2E } from "./env.js";

let reason: string | undefined | null = null;

/** Why the npm registry is not usable here, or undefined when it is. */
export function npmRegistryMissing(): string | undefined {
  if (reason !== null) return reason;
  const ping = spawnSync("npm", ["ping", "--no-update-notifier"], { encoding: "utf8", timeout: 30_000 });
  reason = ping.error ? `npm: ${ping.error.message}` : ping.status === 0 ? undefined : `npm ping failed: ${(ping.stderr ?? "").trim().split("\n").pop()}`;
  return reason;
}

/** `it`, or a skip with the reason printed when the registry is missing (a failure under PICOFUN_REQUIRE_E2E=1). */
export function itWithNpmRegistry(name: string, body: () => Promise<void>, timeout: number): void {
  const missing = npmRegistryMissing();
  if (!missing || REQUIRE_E2E) {
    it(name, async () => {
      if (missing) throw new Error(`npm registry required: ${missing}`);
      await body();
    }, timeout);
    return;
  }
  console.warn(`[skip] ${name}: ${missing}`);
  it.skip(name, body, timeout);
}
