import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { REPO } from "../support/env.js";
import { tempProject } from "../support/generate.js";
import { invokeNodeStub, invokePythonStub, proxyEvent, proxyResponseProblems } from "../support/proxy.js";
import { runPython } from "../support/python.js";
import { describeWithTools } from "../support/skip.js";
import { checkTerraform, planned } from "../support/terraform.js";

const PETSTORE = join(REPO, "test", "fixtures", "api", "petstore.yaml");
const OPERATIONS = ["deletePetsByPetId", "listPets", "postPets", "showPetById"];

function project(extra: string[] = []): string {
  const dir = tempProject();
  copyFileSync(PETSTORE, join(dir, "petstore.yaml"));
  writeFileSync(join(dir, "picofun.toml"), ['namespace = "pets"', 'spec = "petstore.yaml"', 'kind = "api"', ...extra].join("\n") + "\n");
  return dir;
}

async function generateIn(dir: string, args: string[] = []): Promise<string> {
  const res = await runCli(args, { cwd: dir });
  expect(res.stderr).toBe("");
  expect(res.code).toBe(0);
  return res.stdout;
}

function definition(dir: string): Record<string, any> {
  // The template's only expressions are the invoke ARNs: give each a recognisable value to parse it.
  const text = readFileSync(join(dir, "output", "openapi.json.tftpl"), "utf8").replace(/\$\{uris\.([A-Za-z0-9_-]+)\}/g, "URI:$1");
  return JSON.parse(text.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{"));
}

/** The files of a zip (python's zipfile, so the test does not trust picofun's own zip code). */
async function zipFiles(zip: string): Promise<Record<string, string>> {
  const { stdout, code, stderr } = await runPython([
    "-c",
    "import json,sys,zipfile; z=zipfile.ZipFile(sys.argv[1]); print(json.dumps({n: z.read(n).decode() for n in z.namelist()}))",
    zip,
  ]);
  if (code !== 0) throw new Error(stderr);
  return JSON.parse(stdout);
}

describe("api kind: the API definition", () => {
  let dir: string;
  let stdout: string;
  beforeAll(async () => {
    dir = project();
    stdout = await generateIn(dir);
  });

  it("gives every operation the aws_proxy POST integration of its own function", () => {
    const doc = definition(dir);
    const functions = JSON.parse(readFileSync(join(dir, "output", "functions.tf.json"), "utf8")).locals.functions;
    const seen: string[] = [];
    for (const [path, item] of Object.entries<any>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(item)) {
        if (method === "parameters") continue;
        const integration = op["x-amazon-apigateway-integration"];
        expect(integration, `${method} ${path}`).toMatchObject({ type: "aws_proxy", httpMethod: "POST" });
        const fn = String(integration.uri).replace(/^URI:/, "");
        expect(functions[fn].operation_id).toBe(op.operationId);
        seen.push(op.operationId);
      }
    }
    expect(seen.sort()).toEqual(OPERATIONS);
    expect(Object.keys(functions).sort()).toEqual(OPERATIONS.map((o) => `pets_${o}`));
  });

  it("handles what API Gateway rejects and says so", () => {
    const doc = definition(dir);
    expect(doc.paths["/pets/{petId}"].trace).toBeUndefined();
    expect(Object.keys(doc.paths["/pets"].get.responses)).toEqual(["200"]);
    expect(doc.paths["/pets"].get.responses["200"].description).toBe("The pets");
    expect(Object.keys(doc.paths["/pets"].post.responses)).toEqual(["200"]);
    expect(doc.paths["/pets"].get.parameters.map((p: any) => p.in)).not.toContain("cookie");
    const pet = doc.components.schemas.Pet;
    expect(pet.discriminator).toBeUndefined();
    expect(pet["x-disabled-for-amazon-gateway"]).toEqual({ discriminator: { propertyName: "kind" }, xml: { name: "pet" } });
    expect(pet.properties.id["x-disabled-for-amazon-gateway"]).toEqual({ readOnly: true, example: "p-1" });
    // Literal ${...} of the spec survive templatefile as text.
    expect(pet.properties.name.description).toBe("Uses ${AWS::Region} literally");
    expect(stdout).toMatch(/TRACE is not supported/);
    expect(stdout).toMatch(/response range 4XX left out/);
    expect(stdout).toMatch(/default response turned into 200/);
    expect(stdout).toMatch(/cookie parameter/);
  });

  it("does not change the user's spec without --update-spec", () => {
    expect(readFileSync(join(dir, "petstore.yaml"), "utf8")).toBe(readFileSync(PETSTORE, "utf8"));
  });

  it("is byte-stable: a second run writes nothing", async () => {
    const out = await generateIn(dir);
    expect(out).toMatch(/0 written, \d+ unchanged, 0 removed/);
  });
});

describeWithTools("api kind: Python handler stubs", ["python"], () => {
  let dir: string;
  beforeAll(async () => {
    dir = project();
    await generateIn(dir);
  });

  it("pass ruff check and ruff format --check", async () => {
    const handlers = join(dir, "handlers");
    const lint = await runPython(["-m", "ruff", "check", "--no-cache", handlers]);
    expect(lint.code, lint.stdout + lint.stderr).toBe(0);
    const format = await runPython(["-m", "ruff", "format", "--check", "--no-cache", handlers]);
    expect(format.code, format.stdout + format.stderr).toBe(0);
  });

  it("read path, query, multi-value query and header parameters by name from a real proxy event", async () => {
    const event = proxyEvent({ method: "GET", resource: "/pets", path: "/pets", query: { limit: ["5"], tags: ["a", "b"] }, headers: { "x-REQUEST-id": "req-9" } });
    const result = await invokePythonStub(join(dir, "handlers"), "listPets", event);
    expect(proxyResponseProblems(result)).toEqual([]);
    const r = result as { statusCode: number; body: string };
    expect(r.statusCode).toBe(501);
    expect(JSON.parse(r.body)).toEqual({ operation: "listPets", received: { limit: "5", tags: ["a", "b"], "X-Request-Id": "req-9" } });

    const one = await invokePythonStub(
      join(dir, "handlers"),
      "showPetById",
      proxyEvent({ method: "GET", resource: "/pets/{petId}", path: "/pets/p-7", pathParameters: { petId: "p-7" } }),
    );
    expect(JSON.parse((one as { body: string }).body)).toEqual({ operation: "showPetById", received: { petId: "p-7" } });
  });

  it("parse a JSON body, base64 or not", async () => {
    for (const encoded of [false, true]) {
      const raw = JSON.stringify({ name: "Rex", kind: "dog" });
      const body = encoded ? Buffer.from(raw).toString("base64") : raw;
      const result = await invokePythonStub(join(dir, "handlers"), "postPets", proxyEvent({ method: "POST", resource: "/pets", path: "/pets", body, isBase64Encoded: encoded }));
      expect(proxyResponseProblems(result)).toEqual([]);
      expect(JSON.parse((result as { body: string }).body)).toEqual({ operation: "postPets", received: { body: { name: "Rex", kind: "dog" } } });
    }
  });

  it("an edited stub survives regeneration and is what gets packaged", async () => {
    const stub = join(dir, "handlers", "showPetById.py");
    const edited = readFileSync(stub, "utf8").replace('"statusCode": 501', '"statusCode": 200') + "\n# my change\n";
    writeFileSync(stub, edited);
    const out = await generateIn(dir);
    expect(out).not.toMatch(/edited by hand/);
    expect(readFileSync(stub, "utf8")).toBe(edited);
    const zip = await zipFiles(join(dir, "output", "build", "lambdas", "pets_showPetById.zip"));
    expect(zip).toEqual({ "showPetById.py": edited });
    const result = await invokePythonStub(join(dir, "handlers"), "showPetById", proxyEvent({ method: "GET", resource: "/pets/{petId}", path: "/pets/1", pathParameters: { petId: "1" } }));
    expect((result as { statusCode: number }).statusCode).toBe(200);
  });

  it("a deleted stub comes back; a new operation gets a stub, the others stay", async () => {
    const handlers = join(dir, "handlers");
    const before = readFileSync(join(handlers, "showPetById.py"), "utf8");
    execFileSync("rm", [join(handlers, "listPets.py")]);
    const spec = join(dir, "petstore.yaml");
    writeFileSync(spec, readFileSync(spec, "utf8").replace("  /pets/{petId}:\n", "  /pets/{petId}/toys:\n    get:\n      responses:\n        \"200\":\n          description: Toys\n  /pets/{petId}:\n"));
    await generateIn(dir);
    expect(existsSync(join(handlers, "listPets.py"))).toBe(true);
    expect(existsSync(join(handlers, "getPetsByPetIdToys.py"))).toBe(true);
    expect(readFileSync(join(handlers, "showPetById.py"), "utf8")).toBe(before);
  });
});

describe("api kind: Node.js (ES module) handler stubs", () => {
  let dir: string;
  beforeAll(async () => {
    dir = project(['runtime = "nodejs22.x"', 'handlers_dir = "src/fns"']);
    await generateIn(dir);
  });

  it("are .mjs modules that node parses, in handlers_dir", () => {
    expect(existsSync(join(dir, "handlers"))).toBe(false);
    for (const op of OPERATIONS) {
      const file = join(dir, "src", "fns", `${op}.mjs`);
      expect(existsSync(file), op).toBe(true);
      execFileSync(process.execPath, ["--check", file]);
    }
    const functions = JSON.parse(readFileSync(join(dir, "output", "functions.tf.json"), "utf8")).locals.functions;
    expect(functions.pets_listPets.handler).toBe("listPets.handler");
  });

  it("answer a real proxy event with a valid proxy response", async () => {
    const event = proxyEvent({ method: "GET", resource: "/pets", path: "/pets", query: { limit: ["2"], tags: ["x"] }, headers: { "X-Request-Id": "r-1" } });
    const result = await invokeNodeStub(join(dir, "src", "fns", "listPets.mjs"), event);
    expect(proxyResponseProblems(result)).toEqual([]);
    expect(JSON.parse((result as { body: string }).body)).toEqual({ operation: "listPets", received: { limit: "2", tags: ["x"], "X-Request-Id": "r-1" } });
    const post = await invokeNodeStub(
      join(dir, "src", "fns", "postPets.mjs"),
      proxyEvent({ method: "POST", resource: "/pets", path: "/pets", body: Buffer.from('{"name":"Tom"}').toString("base64"), isBase64Encoded: true }),
    );
    expect(JSON.parse((post as { body: string }).body)).toEqual({ operation: "postPets", received: { body: { name: "Tom" } } });
    const del = await invokeNodeStub(join(dir, "src", "fns", "deletePetsByPetId.mjs"), proxyEvent({ method: "DELETE", resource: "/pets/{petId}", path: "/pets/3", pathParameters: { petId: "3" } }));
    expect(proxyResponseProblems(del)).toEqual([]);
    expect(JSON.parse((del as { body: string }).body).received).toEqual({ petId: "3" });
  });
});

describeWithTools("api kind: Terraform", ["terraform"], () => {
  it("validates, is fmt-clean and plans offline: API, deployment, stage, functions, permissions, role", async () => {
    const dir = project(["[api]", 'mode = "merge"', 'base_path = "split"', 'stage = "prod"']);
    await generateIn(dir);
    const tf = await checkTerraform(join(dir, "output"));
    expect(tf.codes[0], tf.init).toBe(0);
    expect(tf.codes[1], tf.validate).toBe(0);
    expect(tf.codes[2], tf.fmt).toBe(0);
    expect(tf.codes[3], tf.plan).toBe(0);
    const api = planned(tf, "module.generated.aws_api_gateway_rest_api.this")!;
    expect(api.values).toMatchObject({ name: "Pet store ${stage} 100%{ x }", put_rest_api_mode: "merge", fail_on_warnings: true, parameters: { basepath: "split" } });
    expect(planned(tf, "module.generated.aws_api_gateway_stage.this")!.values.stage_name).toBe("prod");
    expect(planned(tf, "module.generated.aws_api_gateway_deployment.this")).toBeDefined();
    for (const op of OPERATIONS) {
      const fn = planned(tf, `module.generated.aws_lambda_function.this["pets_${op}"]`)!;
      expect(fn.values).toMatchObject({ function_name: `pets_${op}`, handler: `${op}.handler`, runtime: "python3.13" });
      const perm = planned(tf, `module.generated.aws_lambda_permission.api["pets_${op}"]`)!;
      expect(perm.values).toMatchObject({ principal: "apigateway.amazonaws.com", action: "lambda:InvokeFunction" });
    }
    expect(planned(tf, "module.generated.aws_iam_role.lambda[0]")!.values.name).toBe("pf-pets");
  });

  it("uses a given execution role instead of creating one", async () => {
    const dir = project(["[api]", 'execution_role_arn = "arn:aws:iam::123456789012:role/existing"']);
    await generateIn(dir);
    const tf = await checkTerraform(join(dir, "output"));
    expect(tf.codes, tf.plan).toEqual([0, 0, 0, 0]);
    expect(planned(tf, "module.generated.aws_iam_role.lambda[0]")).toBeUndefined();
    expect(planned(tf, 'module.generated.aws_lambda_function.this["pets_listPets"]')!.values.role).toBe("arn:aws:iam::123456789012:role/existing");
  });
});

/** Names and texts that could break generated code if they were not escaped. */
function hostileSpec(): Record<string, unknown> {
  const long = "aVeryLongParameterNameThatGoesOnAndOnAndOnForEverAndEver";
  return {
    openapi: "3.0.3",
    info: { title: 'Hostile """ */ ${x}', version: "1" },
    paths: {
      "/things/{class}": {
        post: {
          operationId: "createTheThingWithAVeryLongOperationIdThatKeepsGoingAndGoingForever",
          summary: 'Ends a docstring """ and a comment */ \\ backslash',
          parameters: [
            { name: "class", in: "path", required: true, description: "line one\nline two */ \"\"\"", schema: { type: "string" } },
            { name: "event", in: "query", schema: { type: "string" } },
            { name: "body", in: "query", schema: { type: "string" } },
            { name: "default", in: "header", schema: { type: "string" } },
            { name: "2fa", in: "query", schema: { type: "string" } },
            { name: long, in: "query", schema: { type: "string" } },
            { name: "Event", in: "header", schema: { type: "string" } },
          ],
          requestBody: { content: { "application/json": { schema: { type: "object" } } } },
          responses: { "201": { description: "made" } },
        },
      },
    },
  };
}

describeWithTools("api kind: stubs from hostile names", ["python"], () => {
  for (const runtime of ["python3.13", "nodejs22.x"]) {
    it(`${runtime}: valid code that reads every parameter`, async () => {
      const dir = tempProject();
      writeFileSync(join(dir, "api.json"), JSON.stringify(hostileSpec()));
      writeFileSync(join(dir, "picofun.toml"), ['namespace = "h"', 'spec = "api.json"', 'kind = "api"', `runtime = "${runtime}"`].join("\n") + "\n");
      await generateIn(dir);
      const handlers = join(dir, "handlers");
      const event = proxyEvent({
        method: "POST",
        resource: "/things/{class}",
        path: "/things/c1",
        pathParameters: { class: "c1" },
        query: { event: ["e"], body: ["b"], "2fa": ["123"], aVeryLongParameterNameThatGoesOnAndOnAndOnForEverAndEver: ["long"] },
        headers: { Default: "d", event: "E" },
        body: '{"a":1}',
      });
      const expected = {
        class: "c1",
        event: "e",
        "query.body": "b",
        body: { a: 1 },
        default: "d",
        "2fa": "123",
        aVeryLongParameterNameThatGoesOnAndOnAndOnForEverAndEver: "long",
        Event: "E",
      };
      const op = "createTheThingWithAVeryLongOperationIdThatKeepsGoingAndGoingForever";
      const functions = JSON.parse(readFileSync(join(dir, "output", "functions.tf.json"), "utf8")).locals.functions;
      const [name] = Object.keys(functions);
      expect(name.length).toBeLessThanOrEqual(64);
      expect(functions[name].operation_id).toBe(op);
      const module = String(functions[name].handler).replace(/\.handler$/, "");
      let result: unknown;
      if (runtime.startsWith("python")) {
        const lint = await runPython(["-m", "ruff", "check", "--no-cache", handlers]);
        expect(lint.code, lint.stdout).toBe(0);
        const format = await runPython(["-m", "ruff", "format", "--check", "--no-cache", handlers]);
        expect(format.code, format.stdout).toBe(0);
        result = await invokePythonStub(handlers, module, event);
      } else {
        result = await invokeNodeStub(join(handlers, `${module}.mjs`), event);
      }
      expect(proxyResponseProblems(result)).toEqual([]);
      const answer = JSON.parse((result as { body: string }).body);
      expect(answer.operation).toBe(op);
      // The query parameter "body" is echoed as "query.body": the request body has the key "body".
      expect(answer.received).toEqual(expected);
    });
  }
});
