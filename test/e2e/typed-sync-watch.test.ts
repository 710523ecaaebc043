import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { watchRun } from "../support/syncWatch.js";
import { describeWithTools } from "../support/skip.js";
import { ORDERS_PYTHON, ordersProject } from "../support/typedOrders.js";
import { readZip } from "../support/zip.js";

const LINE = (what: string) => new RegExp(`^\\[\\d\\d:\\d\\d:\\d\\d\\] ${what}$`, "m");

describeWithTools("picofun sync --watch with typed handlers", ["python"], () => {
  it("an edited shared module in a subfolder is repackaged into the functions' zips", async () => {
    const dir = ordersProject("python", ORDERS_PYTHON);
    const run = watchRun(dir);
    try {
      await run.waitFor(/Watching .*handlers\/ \(Ctrl\+C stops\)/, 1, 400_000);
      const store = join(dir, "handlers", "lib", "store.py");
      writeFileSync(store, readFileSync(store, "utf8").replace('"o-" + ', '"order-" + '));
      await run.waitFor(LINE("handlers/lib/store\\.py changed: 6 zips rebuilt"), 1, 120_000);
      const zip = readZip(readFileSync(join(dir, "output", "build", "lambdas", "orders_getOrder.zip")));
      expect(zip.get("lib/store.py")!.toString()).toBe(readFileSync(store, "utf8"));
    } finally {
      await run.stop();
    }
  }, 600_000);
});
