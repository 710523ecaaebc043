import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, type CliResult } from "../support/cli.js";
import { tempProject } from "../support/generate.js";

/** A spec whose function names come from operationIds, a made-up id, a device name, TRACE and an integration of its own. */
function spec(ids: { list?: string; drop?: boolean } = {}): string {
  const ok = { responses: { "200": { description: "ok" } } };
  const paths: Record<string, Record<string, unknown>> = {
    "/pets": { get: { operationId: ids.list ?? "listPets", ...ok }, post: { ...ok } },
    "/pets/{petId}": {
      parameters: [{ name: "petId", in: "path", required: true, schema: { type: "string" } }],
      get: { operationId: "showPetById", ...ok },
      trace: { operationId: "tracePet", ...ok },
    },
    "/con": { get: { operationId: "CON", ...ok } },
    "/proxy": { get: { operationId: "proxied", "x-amazon-apigateway-integration": { type: "http_proxy", httpMethod: "GET", uri: "https://example.com/" }, ...ok } },
  };
  if (ids.drop) delete paths["/con"];
  return JSON.stringify({ openapi: "3.0.3", info: { title: "Pets", version: "1" }, paths });
}

function project(allowlist?: string): string {
  const dir = tempProject();
  writeFileSync(join(dir, "api.json"), spec());
  const toml = ['namespace = "pets"', 'spec = "api.json"', 'kind = "api"'];
  if (allowlist) {
    writeFileSync(join(dir, "include-endpoints.yaml"), allowlist);
    toml.push('include_endpoints = "include-endpoints.yaml"');
  }
  writeFileSync(join(dir, "picofun.toml"), toml.join("\n") + "\n");
  return dir;
}

async function ok(args: string[], cwd: string): Promise<CliResult> {
  const res = await runCli(args, { cwd });
  expect(res.code, res.stderr).toBe(0);
  expect(res.stderr).toBe("");
  return res;
}

const declared = (dir: string) => Object.keys(JSON.parse(readFileSync(join(dir, "output", "functions.tf.json"), "utf8")).locals.functions).sort();

describe("picofun list endpoints, api kind", () => {
  it("shows the function names generate gives (after operationIds), none for TRACE and the spec's own integrations", async () => {
    const dir = project("operationIds:\n  - listPets\n  - CON\n  - proxied\n");
    await ok([], dir);
    const rows = JSON.parse((await ok(["list", "endpoints", "--json"], dir)).stdout) as Array<{ method: string; path: string; functionName: string | null; included: boolean }>;
    const byKey = Object.fromEntries(rows.map((r) => [`${r.method} ${r.path}`, r]));
    expect(byKey["GET /pets"]).toMatchObject({ functionName: "pets_listPets", included: true });
    expect(byKey["GET /con"]).toMatchObject({ functionName: "pets_CON", included: true });
    expect(byKey["GET /proxy"]).toMatchObject({ functionName: null, included: true });
    // Not included: named as generate would name them, the made-up operationId too.
    expect(byKey["POST /pets"]).toMatchObject({ functionName: "pets_postPets", included: false });
    expect(byKey["GET /pets/{petId}"]).toMatchObject({ functionName: "pets_showPetById", included: false });
    expect(byKey["TRACE /pets/{petId}"].functionName).toBeNull();
    // What is listed for included endpoints is exactly what Terraform declares.
    expect(rows.filter((r) => r.included && r.functionName).map((r) => r.functionName).sort()).toEqual(declared(dir));

    const text = (await ok(["list", "endpoints"], dir)).stdout;
    expect(text).toMatch(/^✔ +GET +\/pets +listPets +- +pets_listPets$/m);
    expect(text).toMatch(/^· +POST +\/pets +- +- +pets_postPets$/m);
    expect(text).toMatch(/^✔ +GET +\/proxy +proxied +- +-$/m);
  });
});

describe("the generate summary's stub report", () => {
  it("lists stubs created and kept by relative path, and warns about stubs no operation uses without deleting them", async () => {
    const dir = project();
    const first = (await ok([], dir)).stdout;
    expect(first).toContain("handler stubs created (4): handlers/CON_op.py, handlers/listPets.py, handlers/postPets.py, handlers/showPetById.py");
    expect(first).not.toMatch(/kept as they are|not used by any operation/);

    const edited = join(dir, "handlers", "listPets.py");
    writeFileSync(edited, `${readFileSync(edited, "utf8")}\n# my code\n`);
    rmSync(join(dir, "handlers", "postPets.py"));
    const second = (await ok([], dir)).stdout;
    expect(second).toContain("handler stubs created (1): handlers/postPets.py");
    expect(second).toContain("handler stubs kept as they are (3): handlers/CON_op.py, handlers/listPets.py, handlers/showPetById.py");

    // listPets renamed, CON removed: their stubs stay, with a warning, and the new name gets a stub.
    writeFileSync(join(dir, "api.json"), spec({ list: "listAllPets", drop: true }));
    const third = (await ok([], dir)).stdout;
    expect(third).toContain("handler stubs created (1): handlers/listAllPets.py");
    expect(third).toMatch(/^! handlers\/CON_op\.py is not used by any operation any more \(renamed or removed\?\): kept; delete it when you no longer need it$/m);
    expect(third).toMatch(/^! handlers\/listPets\.py is not used by any operation any more/m);
    expect(readFileSync(edited, "utf8")).toMatch(/# my code\n$/);
    expect(existsSync(join(dir, "handlers", "CON_op.py"))).toBe(true);
    expect(declared(dir)).toEqual(["pets_listAllPets", "pets_postPets", "pets_showPetById"]);

    // Warned again on the next run (the stubs still carry picofun's header), until they are deleted.
    const fourth = (await ok([], dir)).stdout;
    expect(fourth).toMatch(/^! handlers\/listPets\.py is not used by any operation any more/m);
    rmSync(edited);
    rmSync(join(dir, "handlers", "CON_op.py"));
    writeFileSync(join(dir, "handlers", "helpers.py"), "def shared():\n    return 1\n");
    const fifth = (await ok([], dir)).stdout;
    expect(fifth).not.toMatch(/not used by any operation/);
    expect(readFileSync(join(dir, "handlers", "helpers.py"), "utf8")).toBe("def shared():\n    return 1\n");
  });
});
