import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli, type CliResult } from "../support/cli.js";
import { ORDERS_SPEC, tempProject } from "../support/generate.js";
import { treeHashes } from "../support/tree.js";
import { describeWithTools } from "../support/skip.js";
import { checkTerraform, rootModule, terraform } from "../support/terraform.js";
import { deserialize, serialize } from "node:v8";


const TOML = `# picofun configuration, with comments that must survive.
namespace = "orders"   # the prefix
spec = "openapi.yaml"
output_dir = "output"

# The server block
[server]
url = "https://api.example.com"
`;

const ALLOWLIST = `# Endpoints we deploy (keep this comment)
operationIds:
  - listOrders   # the index
  # more to come
`;

interface Row {
  method: string;
  path: string;
  operationId: string | null;
  tags: string[];
  functionName: string;
  included: boolean;
}

function project(withAllowlist: boolean): string {
  const dir = tempProject();
  copyFileSync(ORDERS_SPEC, join(dir, "openapi.yaml"));
  writeFileSync(join(dir, "picofun.toml"), withAllowlist ? TOML.replace('output_dir = "output"\n', 'output_dir = "output"\ninclude_endpoints = "include-endpoints.yaml"\n') : TOML);
  if (withAllowlist) writeFileSync(join(dir, "include-endpoints.yaml"), ALLOWLIST);
  return dir;
}

async function ok(args: string[], cwd: string): Promise<CliResult> {
  const res = await runCli(args, { cwd });
  expect(res.code, `${args.join(" ")}: ${res.stderr}`).toBe(0);
  return res;
}

async function listed(cwd: string): Promise<Row[]> {
  return JSON.parse((await ok(["list", "endpoints", "--json"], cwd)).stdout) as Row[];
}

async function includedIds(cwd: string): Promise<string[]> {
  return (await listed(cwd)).filter((r) => r.included).map((r) => r.operationId!).sort();
}

/** Function names the generated Terraform declares. */
function terraformFunctions(out: string): string[] {
  const json = JSON.parse(readFileSync(join(out, "functions.tf.json"), "utf8")) as { locals: { functions: Record<string, unknown> } };
  return Object.keys(json.locals.functions).sort();
}

function lambdaFiles(out: string): string[] {
  return readdirSync(join(out, "lambdas")).sort();
}

describeWithTools("picofun add/remove/list endpoint on the Orders example", ["terraform"], () => {
  let dir: string;
  let out: string;
  let root: string;

  async function validates(): Promise<void> {
    const validate = await terraform(["validate"], root);
    expect(validate.code, validate.out).toBe(0);
    const fmt = await terraform(["fmt", "-check", "-recursive"], out);
    expect(fmt.code, fmt.out).toBe(0);
    // Every function Terraform names has its handler and zip.
    for (const fn of terraformFunctions(out)) {
      expect(existsSync(join(out, "build", "lambdas", `${fn}.zip`)), fn).toBe(true);
      expect(existsSync(join(out, "lambdas", `${fn.replace(/^orders_/, "")}.py`)), fn).toBe(true);
    }
  }

  beforeAll(async () => {
    dir = project(true);
    out = join(dir, "output");
    await ok(["generate"], dir);
    root = rootModule(out);
    const init = await terraform(["init", "-input=false", "-backend=false"], root);
    expect(init.code, init.out).toBe(0);
    await validates();
  });

  it("starts from the allowlist: one function", async () => {
    expect(terraformFunctions(out)).toEqual(["orders_get_orders"]);
    expect(await includedIds(dir)).toEqual(["listOrders"]);
  });

  it("adds by operationId", async () => {
    const res = await ok(["add", "endpoint", "getOrder"], dir);
    expect(res.stdout).toMatch(/\+ GET \/orders\/\{orderId\} \(getOrder\) added/);
    expect(terraformFunctions(out)).toEqual(["orders_get_orders", "orders_get_orders_orderId"]);
    expect(lambdaFiles(out)).toEqual(["get_orders.py", "get_orders_orderId.py"]);
    expect(await includedIds(dir)).toEqual(["getOrder", "listOrders"]);
    await validates();
  });

  it('adds by "METHOD /path" exactly as in the spec', async () => {
    await ok(["add", "endpoint", "PUT /orders/{orderId}/line-items/{item-id}"], dir);
    expect(terraformFunctions(out)).toContain("orders_put_orders_orderId_line_items_item_id");
    expect(existsSync(join(out, "lambdas", "put_orders_orderId_line_items_item_id.py"))).toBe(true);
    await validates();
  });

  it("adds by glob, and keeps the allowlist's comments and order", async () => {
    await ok(["add", "endpoint", "GET /catalog/**"], dir);
    expect(await includedIds(dir)).toEqual(["getOrder", "listCatalogItems", "listOrders", "putLineItem"]);
    const text = readFileSync(join(dir, "include-endpoints.yaml"), "utf8");
    expect(text).toContain("# Endpoints we deploy (keep this comment)");
    expect(text).toMatch(/- listOrders +# the index/);
    expect(text).toContain("# more to come");
    const order = ["listOrders", "getOrder", "putLineItem", "listCatalogItems"].map((id) => text.indexOf(`- ${id}`));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    // picofun.toml already had include_endpoints: left byte for byte.
    expect(readFileSync(join(dir, "picofun.toml"), "utf8")).toContain("# The server block");
    await validates();
  });

  it("re-runs idempotently: adding again or regenerating changes no byte", async () => {
    const before = treeHashes(dir);
    const again = await ok(["add", "endpoint", "getOrder"], dir);
    expect(again.stdout).toMatch(/getOrder\) is included already/);
    expect(again.stdout).toMatch(/0 written, \d+ unchanged, 0 removed/);
    const plain = await ok(["generate"], dir);
    expect(plain.stdout).toMatch(/0 written, \d+ unchanged, 0 removed/);
    expect(treeHashes(dir)).toEqual(before);
  });

  it("keeps a hand-edited handler, with a warning naming it, and overwrites it with --force", async () => {
    const file = join(out, "lambdas", "get_orders.py");
    const generated = readFileSync(file, "utf8");
    writeFileSync(file, `${generated}\n# my tweak\n`);
    const res = await ok(["add", "endpoint", "createOrder"], dir);
    expect(res.stdout).toMatch(/lambdas\/get_orders\.py was edited by hand: left as it is/);
    expect(readFileSync(file, "utf8")).toContain("# my tweak");
    expect(existsSync(join(out, "lambdas", "post_orders.py"))).toBe(true);
    await validates();
    const forced = await ok(["generate", "--force"], dir);
    expect(forced.stdout).not.toMatch(/edited by hand/);
    expect(readFileSync(file, "utf8")).toBe(generated);
  });

  it("removes by operationId: the function's files go and Terraform no longer lists it", async () => {
    const res = await ok(["remove", "endpoint", "createOrder"], dir);
    expect(res.stdout).toMatch(/- POST \/orders \(createOrder\) removed/);
    expect(terraformFunctions(out)).not.toContain("orders_post_orders");
    expect(existsSync(join(out, "lambdas", "post_orders.py"))).toBe(false);
    expect(existsSync(join(out, "build", "lambdas", "orders_post_orders.zip"))).toBe(false);
    const manifest = JSON.parse(readFileSync(join(out, ".picofun-manifest.json"), "utf8")) as { files: Record<string, string> };
    expect(Object.keys(manifest.files).filter((f) => f.includes("post_orders"))).toEqual([]);
    const text = readFileSync(join(dir, "include-endpoints.yaml"), "utf8");
    expect(text).toContain("# Endpoints we deploy (keep this comment)");
    expect(text).toMatch(/- listOrders +# the index/);
    expect(text).not.toMatch(/- createOrder\b/);
    expect(await includedIds(dir)).toEqual(["getOrder", "listCatalogItems", "listOrders", "putLineItem"]);
    await validates();
  });

  it("asks before a glob removes several endpoints: refuses without a terminal unless --yes", async () => {
    const before = treeHashes(dir);
    const refused = await runCli(["rm", "endpoint", "/orders/**"], { cwd: dir });
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim().split("\n")).toHaveLength(1);
    expect(refused.stderr).toMatch(/--yes/);
    expect(refused.stderr).toContain("PUT /orders/{orderId}/line-items/{item-id}");
    expect(treeHashes(dir)).toEqual(before);
    await ok(["rm", "endpoint", "/orders/**", "--yes"], dir);
    expect(await includedIds(dir)).toEqual(["listCatalogItems", "listOrders"]);
    expect(lambdaFiles(out)).toEqual(["get_catalog_items_json.py", "get_orders.py"]);
    await validates();
  });

  it("rejects an unknown selector with the closest matches, in one line, changing nothing", async () => {
    const before = treeHashes(dir);
    for (const [cmd, selector, hint] of [
      ["add", "getOrdr", '"getOrder"'],
      ["remove", "GET /order/{orderId}", '"GET /orders/{orderId}"'],
    ]) {
      const res = await runCli([cmd, "endpoint", selector], { cwd: dir });
      expect(res.code).toBe(1);
      expect(res.stderr.trim().split("\n")).toHaveLength(1);
      expect(res.stderr).toContain(hint);
      expect(res.stderr).not.toMatch(/\n\s+at /);
    }
    expect(treeHashes(dir)).toEqual(before);
  });

  it("lists every endpoint with method, path, operationId, tags, function name and whether it is included", async () => {
    const rows = await listed(dir);
    expect(rows).toHaveLength(6);
    expect(rows.find((r) => r.operationId === "putLineItem")).toEqual({
      method: "PUT",
      path: "/orders/{orderId}/line-items/{item-id}",
      operationId: "putLineItem",
      tags: ["orders"],
      functionName: "orders_put_orders_orderId_line_items_item_id",
      included: false,
      // Whether a Step Functions HTTP Task can call it (client kind), else why not.
      httpTask: "yes",
    });
    // The names listed for included endpoints are the functions Terraform declares.
    expect(rows.filter((r) => r.included).map((r) => r.functionName).sort()).toEqual(terraformFunctions(out));
    const text = await ok(["list", "endpoints"], dir);
    expect(text.stdout).toMatch(/PUT +\/orders\/\{orderId\}\/line-items\/\{item-id\} +putLineItem/);
    expect(text.stdout).toMatch(/2 of 6 endpoints included/);
  });

  it("the final Terraform plans exactly the remaining functions", async () => {
    const check = await checkTerraform(out);
    expect(check.codes, check.plan).toEqual([0, 0, 0, 0]);
    const functions = check.resources
      .filter((r) => r.type === "aws_lambda_function")
      .map((r) => r.values.function_name as string)
      .sort();
    expect(functions).toEqual(["orders_get_catalog_items_json", "orders_get_orders"]);
  });
});

describeWithTools("picofun remove endpoint without an allowlist", ["terraform"], () => {
  it("creates one listing everything else, and adds include_endpoints to picofun.toml keeping its comments", async () => {
    const dir = project(false);
    const out = join(dir, "output");
    await ok(["generate"], dir);
    expect(lambdaFiles(out)).toHaveLength(6);

    const noop = await ok(["add", "endpoint", "getOrder"], dir);
    expect(noop.stdout).toMatch(/every endpoint is generated already/);
    expect(existsSync(join(dir, "include-endpoints.yaml"))).toBe(false);
    expect(readFileSync(join(dir, "picofun.toml"), "utf8")).toBe(TOML);

    await ok(["remove", "endpoint", "cancelOrder"], dir);
    const toml = readFileSync(join(dir, "picofun.toml"), "utf8");
    expect(toml).toBe(TOML.replace('output_dir = "output"\n', 'output_dir = "output"\ninclude_endpoints = "include-endpoints.yaml"\n'));
    expect(existsSync(join(out, "lambdas", "delete_orders_orderId.py"))).toBe(false);
    expect(lambdaFiles(out)).toHaveLength(5);
    expect(await includedIds(dir)).toEqual(["createOrder", "getOrder", "listCatalogItems", "listOrders", "putLineItem"]);

    // The removal sticks: a plain regeneration does not bring it back.
    await ok(["generate"], dir);
    expect(existsSync(join(out, "lambdas", "delete_orders_orderId.py"))).toBe(false);
    const check = await checkTerraform(out);
    expect(check.codes, check.validate + check.plan).toEqual([0, 0, 0, 0]);
    expect(check.resources.filter((r) => r.type === "aws_lambda_function")).toHaveLength(5);
  });
});

describe("picofun add/remove endpoint: refusals and failed regenerations", () => {
  let dir: string;
  beforeAll(() => {
    dir = project(true);
  });

  it("needs a terminal for the search prompt", async () => {
    const res = await runCli(["add", "endpoint"], { cwd: dir });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/picofun: error: name the endpoints to add.*terminal/);
    expect(readFileSync(join(dir, "include-endpoints.yaml"), "utf8")).toBe(ALLOWLIST);
  });

  it("puts the allowlist and picofun.toml back when the regeneration fails", async () => {
    const broken = project(false);
    writeFileSync(join(broken, "output"), "a file where the output folder should be\n");
    const toml = readFileSync(join(broken, "picofun.toml"), "utf8");
    const res = await runCli(["remove", "endpoint", "getOrder"], { cwd: broken });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/include-endpoints\.yaml and picofun\.toml put back as before/);
    expect(readFileSync(join(broken, "picofun.toml"), "utf8")).toBe(toml);
    expect(existsSync(join(broken, "include-endpoints.yaml"))).toBe(false);

    const other = project(true);
    writeFileSync(join(other, "output"), "a file where the output folder should be\n");
    const failed = await runCli(["add", "endpoint", "cancelOrder"], { cwd: other });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/include-endpoints\.yaml put back as before/);
    expect(readFileSync(join(other, "include-endpoints.yaml"), "utf8")).toBe(ALLOWLIST);
  });

  it("refuses to remove the last endpoint", async () => {
    const res = await runCli(["remove", "endpoint", "listOrders"], { cwd: dir });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/no endpoint to generate/);
    expect(readFileSync(join(dir, "include-endpoints.yaml"), "utf8")).toBe(ALLOWLIST);
  });
});

describe("picofun add endpoint with the model cache", () => {
  it("reuses the model of an unchanged spec, and sees an edited spec at once", async () => {
    const dir = project(true);
    const cache = mkdtempSync(join(tmpdir(), "picofun-cache-"));
    const run = (args: string[]) => runCli(args, { cwd: dir, env: { PICOFUN_CACHE_DIR: cache } });
    expect((await run(["generate"])).code).toBe(0);
    const models = readdirSync(join(cache, "models"));
    expect(models).toHaveLength(1);
    // A cache entry whose model is made up shows the command uses it when the spec is unchanged.
    const entry = join(cache, "models", models[0]);
    const stored = deserialize(readFileSync(entry)) as { model: { endpoints: Array<{ operationId?: string }> } };
    stored.model.endpoints[0].operationId = "onlyInTheCache";
    writeFileSync(entry, serialize(stored));
    const listed = JSON.parse((await run(["list", "endpoints", "--json"])).stdout) as Row[];
    expect(listed.map((r) => r.operationId)).toContain("onlyInTheCache");
    writeFileSync(entry, "{}");

    // An operation added to the spec is found by the next command: the edited bytes miss the cache.
    const spec = readFileSync(join(dir, "openapi.yaml"), "utf8");
    writeFileSync(
      join(dir, "openapi.yaml"),
      spec.replace(/^paths:\n/m, 'paths:\n  /health:\n    get:\n      operationId: getHealth\n      responses:\n        "200":\n          description: ok\n'),
    );
    const added = await run(["add", "endpoint", "getHealth"]);
    expect(added.code, added.stderr).toBe(0);
    expect(readdirSync(join(dir, "output", "lambdas"))).toContain("get_health.py");
    expect(readdirSync(join(cache, "models"))).toHaveLength(2);
  });
});
