import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { tempProject } from "../support/generate.js";
import { invokeNodeStub, invokePythonStub, proxyEvent } from "../support/proxy.js";
import { describeWithTools } from "../support/skip.js";
import { checkTerraform, planned } from "../support/terraform.js";
import { treeHashes } from "../support/tree.js";
import { readZip } from "../support/zip.js";

/** Operations named like Windows devices, one named like the suffixed file, one differing in case. */
const IDS: Record<string, string> = { "/con": "CON", "/nul": "nul", "/com1": "Com1", "/con-op": "CON_op", "/con-lower": "con" };

function project(runtime = "python3.13"): string {
  const dir = tempProject();
  const paths = Object.fromEntries(Object.entries(IDS).map(([path, id]) => [path, { get: { operationId: id, responses: { "200": { description: "ok" } } } }]));
  writeFileSync(join(dir, "api.json"), JSON.stringify({ openapi: "3.0.3", info: { title: "devices", version: "1" }, paths }));
  writeFileSync(join(dir, "picofun.toml"), ['namespace = "w"', 'spec = "api.json"', 'kind = "api"', `runtime = "${runtime}"`].join("\n") + "\n");
  return dir;
}

const DEVICE = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;

type Functions = Record<string, { handler: string; zip: string; operation_id: string; module: string }>;

function functions(dir: string): Functions {
  return JSON.parse(readFileSync(join(dir, "output", "functions.tf.json"), "utf8")).locals.functions;
}

async function generate(dir: string): Promise<string> {
  const res = await runCli([], { cwd: dir });
  expect(res.stderr).toBe("");
  expect(res.code).toBe(0);
  return res.stdout;
}

describe("api kind: operationIds that are Windows device names", () => {
  it("get stub files Windows can hold, stable across runs; the functions keep their names and point at those files", async () => {
    const dir = project();
    const first = await generate(dir);
    const handlers = readdirSync(join(dir, "handlers")).sort();
    expect(handlers).toHaveLength(5);
    expect(handlers).toEqual(expect.arrayContaining(["CON_op.py", "nul_op.py", "Com1_op.py"]));
    // No file anywhere in the project has a device name as its stem (the part before the first dot).
    for (const file of Object.keys(treeHashes(dir))) expect(DEVICE.test(file.split("/").pop()!.split(".")[0]), file).toBe(false);
    expect(new Set(handlers.map((h) => h.toLowerCase())).size).toBe(5);

    const fns = functions(dir);
    expect(fns.w_CON).toMatchObject({ handler: "CON_op.handler", operation_id: "CON", module: "CON", zip: "build/lambdas/w_CON.zip" });
    expect(fns.w_nul).toMatchObject({ handler: "nul_op.handler", operation_id: "nul" });
    expect(fns.w_Com1).toMatchObject({ handler: "Com1_op.handler", operation_id: "Com1" });
    // Every handler names a stub that exists, and its zip holds exactly that stub.
    for (const [name, f] of Object.entries(fns)) {
      const file = `${f.handler.replace(/\.handler$/, "")}.py`;
      expect(handlers, name).toContain(file);
      const zip = readZip(readFileSync(join(dir, "output", f.zip)));
      expect([...zip.keys()]).toEqual([file]);
      expect(zip.get(file)!.toString()).toBe(readFileSync(join(dir, "handlers", file), "utf8"));
    }
    expect(first).toMatch(/handler stubs created \(5\): handlers\/.*CON_op\.py/);

    const again = await generate(dir);
    expect(readdirSync(join(dir, "handlers")).sort()).toEqual(handlers);
    expect(functions(dir)).toEqual(fns);
    expect(again).toMatch(/handler stubs kept as they are \(5\)/);
  });

  describeWithTools("the stubs run", ["python"], () => {
    it("python: the suffixed module answers for its operation", async () => {
      const dir = project();
      await generate(dir);
      const result = (await invokePythonStub(join(dir, "handlers"), "CON_op", proxyEvent({ method: "GET", resource: "/con", path: "/con" }))) as { body: string };
      expect(JSON.parse(result.body).operation).toBe("CON");
    });
  });

  it("node: the suffixed .mjs answers for its operation", async () => {
    const dir = project("nodejs22.x");
    await generate(dir);
    expect(functions(dir).w_nul.handler).toBe("nul_op.handler");
    const result = (await invokeNodeStub(join(dir, "handlers", "nul_op.mjs"), proxyEvent({ method: "GET", resource: "/nul", path: "/nul" }))) as { body: string };
    expect(JSON.parse(result.body).operation).toBe("nul");
  });
});

describeWithTools("api kind: device-named operations in Terraform", ["terraform"], () => {
  it("plans each function under its own name with the suffixed handler", async () => {
    const dir = project();
    await generate(dir);
    const tf = await checkTerraform(join(dir, "output"));
    expect(tf.codes, tf.plan).toEqual([0, 0, 0, 0]);
    for (const [name, handler] of [["w_CON", "CON_op.handler"], ["w_nul", "nul_op.handler"], ["w_Com1", "Com1_op.handler"]]) {
      const fn = planned(tf, `module.generated.aws_lambda_function.this["${name}"]`)!;
      expect(fn.values).toMatchObject({ function_name: name, handler });
    }
  });
});
