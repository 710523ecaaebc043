import { copyFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { runCli } from "../support/cli.js";
import { REPO } from "../support/env.js";
import { tempProject } from "../support/generate.js";
import { describeWithTools } from "../support/skip.js";
import { watchRun } from "../support/syncWatch.js";
import { rootModule, terraform } from "../support/terraform.js";

const PETSTORE = join(REPO, "test", "fixtures", "api", "petstore.yaml");

function project(specName = "petstore.yaml", extra: string[] = []): string {
  const dir = tempProject();
  copyFileSync(PETSTORE, join(dir, specName));
  writeFileSync(join(dir, "picofun.toml"), ['namespace = "pets"', `spec = "${specName}"`, 'kind = "api"', ...extra].join("\n") + "\n");
  return dir;
}

describe("picofun lint", () => {
  it("exits 1 and names each problem with rule, pointer and fix", async () => {
    const res = await runCli(["lint", PETSTORE]);
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(/^error +trace-method +#\/paths\/~1pets~1\{petId\}\/trace +.*; fix: /m);
    expect(res.stdout).toMatch(/3 error\(s\), 10 warning\(s\)/);
    expect(res.stdout).toMatch(/^warning +open-operation +#\/paths\/~1pets\/post +POST \/pets is open to the internet/m);
  });

  it("ends with a per-rule summary saying how many findings generate fixes by itself", async () => {
    const res = await runCli(["lint", PETSTORE]);
    expect(res.stdout).toMatch(/^By rule:$/m);
    expect(res.stdout).toMatch(/^  trace-method +1 error\(s\) +fixed by picofun generate$/m);
    expect(res.stdout).toMatch(/^  unsupported-keyword +3 warning\(s\) +fixed by picofun generate$/m);
    expect(res.stdout).toMatch(/^  open-operation +4 warning\(s\) +fix the spec$/m);
    expect(res.stdout).toMatch(/^9 of 13 finding\(s\) are fixed by picofun generate/m);
    const dir = project();
    const spec = join(dir, "petstore.yaml");
    writeFileSync(spec, readFileSync(spec, "utf8").replace("name: X-Request-Id", "name: X-Request[Id]"));
    const broken = await runCli(["lint", spec]);
    expect(broken.stdout).toMatch(/^  parameter-name +1 error\(s\) +fix the spec$/m);
    expect(broken.stdout).toMatch(/^9 of 14 finding\(s\) are fixed by picofun generate/m);
    const json = JSON.parse((await runCli(["lint", spec, "--format", "json"])).stdout);
    expect(json.summary).toContainEqual({ rule: "parameter-name", severity: "error", count: 1, fixedByGenerate: false });
  });

  it("--format json gives the findings as data", async () => {
    const res = await runCli(["lint", PETSTORE, "--format", "json"]);
    expect(res.code).toBe(1);
    const report = JSON.parse(res.stdout);
    expect(report.errors).toBe(3);
    expect(report.findings.map((f: { rule: string }) => f.rule)).toContain("discriminator");
  });

  it("exits 0 on a clean spec and refuses an unknown format", async () => {
    const ok = await runCli(["lint", join(REPO, "examples", "orders", "openapi.yaml")]);
    expect(ok.stdout + ok.stderr).toMatch(/0 error\(s\)/);
    expect(ok.code).toBe(0);
    const bad = await runCli(["lint", PETSTORE, "--format", "xml"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('picofun: error: --format must be "text" or "json", got "xml"\n');
  });

  it("generate stops on a problem it cannot fix, with one line", async () => {
    const dir = project();
    const spec = join(dir, "petstore.yaml");
    writeFileSync(spec, readFileSync(spec, "utf8").replace("name: X-Request-Id", "name: X-Request[Id]"));
    const res = await runCli([], { cwd: dir });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/^picofun: error: .*parameter-name at #\/paths\/~1pets\/get\/parameters\/2\/name: .*fix: .*\n$/);
  });
});

describe("--update-spec", () => {
  it("writes operationIds, integrations and wrapped keywords into a YAML spec, keeping its comments", async () => {
    const dir = project();
    const res = await runCli(["--update-spec"], { cwd: dir });
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    const text = readFileSync(join(dir, "petstore.yaml"), "utf8");
    for (const comment of ["# Pet store served by API Gateway (picofun api kind test fixture)", "# deleting needs no body", "# set by the server"]) {
      expect(text).toContain(comment);
    }
    const doc = parseDocument(text).toJS();
    expect(doc.paths["/pets"].post.operationId).toBe("postPets");
    expect(doc.paths["/pets/{petId}"].delete.operationId).toBe("deletePetsByPetId");
    expect(doc.paths["/pets"].get.operationId).toBe("listPets");
    for (const [path, method, fn] of [["/pets", "get", "pets_listPets"], ["/pets", "post", "pets_postPets"], ["/pets/{petId}", "get", "pets_showPetById"], ["/pets/{petId}", "delete", "pets_deletePetsByPetId"]]) {
      const integration = doc.paths[path][method]["x-amazon-apigateway-integration"];
      expect(integration).toMatchObject({ type: "aws_proxy", httpMethod: "POST" });
      expect(integration.uri).toBe(`arn:\${AWS::Partition}:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/arn:\${AWS::Partition}:lambda:\${AWS::Region}:\${AWS::AccountId}:function:${fn}/invocations`);
    }
    expect(doc.components.schemas.Pet.discriminator).toBeUndefined();
    expect(doc.components.schemas.Pet["x-disabled-for-amazon-gateway"]).toEqual({ discriminator: { propertyName: "kind" }, xml: { name: "pet" } });
    expect(doc.components.schemas.Pet.properties.id["x-disabled-for-amazon-gateway"]).toEqual({ readOnly: true, example: "p-1" });
    // The comment on readOnly moved with it.
    expect(text).toMatch(/x-disabled-for-amazon-gateway:\n\s+readOnly: true # set by the server/);

    // Idempotent: nothing left to write, and the integrations are recognised as picofun's own.
    const again = await runCli(["--update-spec"], { cwd: dir });
    expect(again.code).toBe(0);
    expect(readFileSync(join(dir, "petstore.yaml"), "utf8")).toBe(text);
    expect(again.stdout).toMatch(/4 API operations/);
    expect(again.stdout).toMatch(/0 written/);
  });

  it("rewrites a JSON spec with its own indentation", async () => {
    const dir = project("api.json");
    const doc = parseDocument(readFileSync(PETSTORE, "utf8")).toJS();
    writeFileSync(join(dir, "api.json"), JSON.stringify(doc, null, 4) + "\n");
    const res = await runCli([], { cwd: dir, env: {} });
    expect(res.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, "api.json"), "utf8")).paths["/pets"].post.operationId).toBeUndefined();
    const upd = await runCli(["--update-spec"], { cwd: dir });
    expect(upd.code).toBe(0);
    const text = readFileSync(join(dir, "api.json"), "utf8");
    expect(text).toMatch(/^\{\n {4}"openapi": "3\.0\.3",\n/);
    expect(text.endsWith("}\n")).toBe(true);
    expect(JSON.parse(text).paths["/pets"].post.operationId).toBe("postPets");
  });
});

describe("picofun sync --watch", () => {
  it("regenerates when the spec is saved, leaves stubs alone, reports a broken save and stops on SIGTERM", async () => {
    const dir = project();
    const run = watchRun(dir);
    try {
      await run.waitFor(/Watching /, 1);
      const stub = join(dir, "handlers", "listPets.py");
      writeFileSync(stub, "# mine\n" + readFileSync(stub, "utf8"));
      const mine = readFileSync(stub, "utf8");
      const spec = join(dir, "petstore.yaml");
      const original = readFileSync(spec, "utf8");
      writeFileSync(spec, original.replace("  /pets/{petId}:\n", '  /owners:\n    get:\n      responses:\n        "200":\n          description: Owners\n  /pets/{petId}:\n'));
      await run.waitFor(/Watching /, 2);
      expect(run.output()).toMatch(/^\[\d\d:\d\d:\d\d\] petstore\.yaml changed: regenerating$/m);
      expect(existsSync(join(dir, "handlers", "getOwners.py"))).toBe(true);
      expect(readFileSync(stub, "utf8")).toBe(mine);
      expect(JSON.parse(readFileSync(join(dir, "output", "functions.tf.json"), "utf8")).locals.functions.pets_getOwners).toBeDefined();
      // A save that breaks the spec is reported, and watching goes on.
      writeFileSync(spec, "openapi: 3.0.3\npaths: [oops\n");
      await run.waitFor(/Watching /, 3);
      expect(run.output()).toMatch(/picofun: error: .*invalid YAML/);
    } finally {
      const code = await run.stop();
      expect(code).toBe(0);
    }
    expect(run.output()).toMatch(/Stopped watching/);
  });

  it("without --watch generates once and exits", async () => {
    const dir = project();
    const res = await runCli(["sync"], { cwd: dir });
    expect(res.code).toBe(0);
    expect(existsSync(join(dir, "handlers", "showPetById.py"))).toBe(true);
  });
});

describeWithTools("adopting an existing API", ["terraform"], () => {
  it("api_id (or x-aws-api-id) gives an import block that validates in the root module", async () => {
    const dir = project();
    const spec = join(dir, "petstore.yaml");
    writeFileSync(spec, readFileSync(spec, "utf8").replace("openapi: 3.0.3\n", "openapi: 3.0.3\nx-aws-api-id: a1b2c3d4e5\n"));
    const res = await runCli([], { cwd: dir });
    expect(res.code).toBe(0);
    const example = readFileSync(join(dir, "output", "import.tf.example"), "utf8");
    expect(example).toMatch(/id = "a1b2c3d4e5"/);
    expect(readFileSync(join(dir, "output", "openapi.json.tftpl"), "utf8")).not.toMatch(/x-aws-api-id/);
    const root = rootModule(join(dir, "output"));
    writeFileSync(join(root, "import.tf"), example.replaceAll("module.MODULE.", "module.generated."));
    expect((await terraform(["init", "-input=false", "-backend=false"], root)).code).toBe(0);
    const validate = await terraform(["validate"], root);
    expect(validate.code, validate.out).toBe(0);
  });
});
