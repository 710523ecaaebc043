import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    testTimeout: 120_000,
    hookTimeout: 300_000,
    globalSetup: ["test/setup/global.ts"],
    pool: "forks",
    // In-process generations keep their model cache here, not in the user's cache folder.
    env: { PICOFUN_CACHE_DIR: mkdtempSync(join(tmpdir(), "picofun-test-cache-")) },
  },
});
