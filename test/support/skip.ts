import { describe, it } from "vitest";
import { missingTool, REQUIRE_E2E, type Tool } from "./env.js";


/**
 * A describe block that needs real tools. Where one is missing the block is skipped with the
 * reason printed, except under PICOFUN_REQUIRE_E2E=1 (CI), where a missing tool is a failure.
 */
export function describeWithTools(name: string, tools: Tool[], body: () => void): void {
  const missing = tools.map((t) => missingTool(t)).filter((r): r is string => !!r);
  if (!missing.length) {
    describe(name, body);
    return;
  }
  if (REQUIRE_E2E) {
    describe(name, () => {
      it_fails(name, missing.join("; "));
    });
    return;
  }
  console.warn(`[skip] ${name}: ${missing.join("; ")}`);
  describe.skip(name, body);
}

function it_fails(name: string, reason: string): void {
  it(`${name} has its tools (PICOFUN_REQUIRE_E2E=1)`, () => {
    throw new Error(`required tool missing: ${reason}`);
  });
}
