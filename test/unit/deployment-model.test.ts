import { describe, expect, it } from "vitest";
import type { DeploymentModel } from "../../src/deployment/model.js";
import { emitCdk } from "../../src/iac/cdk/emit.js";
import { emitTerraform } from "../../src/iac/terraform/emit.js";
import type { FilePlan, RenderJob } from "../../src/deployment/files.js";
import { handMadeApi, handMadeClient, plannedModel } from "../support/deploymentModels.js";

/**
 * The deployment model: what each kind builds from a small spec, and what each emitter makes of a
 * model built by hand (no spec, no kind): the emitters read the model alone.
 */

const SPEC = `openapi: 3.0.3
info: { title: Pets, version: "1" }
servers: [{ url: "https://pets.example.com/v1" }]
components:
  securitySchemes:
    bearer: { type: http, scheme: bearer }
security: [{ bearer: [] }]
paths:
  /pets:
    get:
      operationId: listPets
      summary: "List \${pets}"
      responses: { "200": { description: ok } }
    post:
      operationId: addPet
      responses: { "201": { description: created } }
`;

function modelFor(kind: "client" | "api", iac: "terraform" | "cdk" = "terraform"): Promise<DeploymentModel> {
  return plannedModel(SPEC, { kind, iac, stepfunctions: { example: true } });
}

const paths = (plan: FilePlan) => plan.renders.map((r) => r.path);
const render = (plan: FilePlan, path: string): RenderJob => plan.renders.find((r) => r.path === path)!;

describe("the deployment model of a small spec", () => {
  it("client kind: functions, environment with neutral references, credential stores, Step Functions, notes; no IaC file", async () => {
    const m = await modelFor("client");
    expect(m.kind).toBe("client");
    expect(m.functions.map((f) => f.name)).toEqual(["pets_get_pets", "pets_post_pets"]);
    expect(m.functions[0]).toMatchObject({ module: "get_pets", zip: "build/lambdas/pets_get_pets.zip", handler: "get_pets.handler" });
    expect(m.settings).toMatchObject({ runtime: "python3.13", timeout: 30, memorySize: 128, egressPorts: [443], vpcId: null, sharedLogGroup: false });
    expect(m.settings.environment.PICORUN_RETRY_MAX_ATTEMPTS).toEqual({ literal: "3" });
    expect(m.settings.environment.PICORUN_CREDENTIALS_PREFIX).toEqual({ ref: "credentialsPrefix" });
    expect(m.credentials).toMatchObject({ store: "ssm", prefix: "/picorun", types: ["http"], writeBackTypes: [] });
    expect(m.stepFunctions?.example).toEqual({ definition: "stepfunctions/example/definition.asl.json", labels: m.stepFunctions?.example?.functions, functions: expect.any(Array), placeholders: ["first_function_arn", "second_function_arn"] });
    expect(m.stepFunctions?.http).toBeUndefined();
    expect(m.stepFunctions?.example?.functions).toHaveLength(2);
    expect(m.notes).toContainEqual(expect.arrayContaining([{ ref: "deployCommand" }]));
    expect(paths(m.files).filter((p) => /\.tf(\.json)?$|\.tftpl$/.test(p))).toEqual([]);
    expect(paths(m.files)).toEqual(expect.arrayContaining(["lambdas/get_pets.py", "layer/auth_hooks.py", "stepfunctions/pets_get_pets.json"]));
  });

  it("api kind: the definition without picofun's integrations, which are listed by function; the bearer scheme's authorizer", async () => {
    const m = await modelFor("api");
    const api = m.api!;
    expect(m.functions.map((f) => [f.name, f.operationId, f.permission])).toEqual([
      ["pets_addPet", "addPet", { method: "POST", path: "/pets" }],
      ["pets_listPets", "listPets", { method: "GET", path: "/pets" }],
    ]);
    expect(api.integrations).toEqual(
      expect.arrayContaining([
        { path: "/pets", method: "get", function: "pets_listPets" },
        { path: "/pets", method: "post", function: "pets_addPet" },
      ]),
    );
    expect(JSON.stringify(api.definition)).not.toContain("x-amazon-apigateway-integration");
    expect(JSON.stringify(api.definition)).not.toContain("uris.");
    expect(api.authorizers).toEqual([{ scheme: "bearer", function: api.authorizerFunctions[0].name }]);
    expect(api.title).toBe("Pets");
    expect(api.stage).toEqual({ name: "v1", mode: "overwrite", basePath: "ignore", failOnWarnings: true });
    expect(m.settings.timeout).toBe(29);
    expect(paths(m.files)).toEqual([]);
    expect(m.files.userOwned?.map((j) => j.path).sort()).toEqual(expect.arrayContaining(["listPets.py", "addPet.py"]));
  });

  it("the same model whichever IaC is chosen", async () => {
    for (const kind of ["client", "api"] as const) {
      expect(JSON.stringify(await modelFor(kind, "cdk"))).toBe(JSON.stringify(await modelFor(kind, "terraform")));
    }
  });
});

describe("the Terraform emitter, from a hand-built model", () => {
  it("client: the module's files, HCL literals and expressions from the model, the credential stores, notes in Terraform's words", () => {
    const { plan, notes } = emitTerraform(handMadeClient());
    expect(paths(plan)).toEqual(expect.arrayContaining(["lambdas/get_items.py", "variables.tf", "lambda.tf", "functions.tf.json", "auth.tf"]));
    expect(paths(plan)).not.toContain("stepfunctions.tf");
    const vars = render(plan, "variables.tf").data as { defaults: Record<string, string>; environment: string };
    expect(vars.defaults).toMatchObject({ runtime: '"python3.12"', timeout: "12", egressPorts: "[8443]", iamRolePrefix: '"r-"' });
    expect(vars.environment).toBe('{ PICORUN_CREDENTIALS_PREFIX = local.credentials_prefix, PICORUN_X = "say \\"hi\\"" }');
    expect(render(plan, "auth.tf").data).toMatchObject({ secretsManager: true, ssm: false, prefix: "/team//", defaultTtl: "90", credentialTypes: '["api-key"]' });
    expect(notes).toEqual(["plain", "after terraform apply: --key-id $(terraform output -raw credentials_kms_key_arn)"]);
  });

  it("client: Step Functions' module files only when the model has them; the example's placeholders aligned", () => {
    const m = { ...handMadeClient(), stepFunctions: { tasks: [{ function: "shop_get_items", kind: "lambda" as const, path: "stepfunctions/shop_get_items.json", placeholder: "function_arn" as const }], example: { definition: "stepfunctions/example/definition.asl.json", labels: ["shop_get_items", "shop_b"], functions: ["shop_get_items", "shop_b"], placeholders: ["a_arn", "long_b_arn"] } } };
    const { plan } = emitTerraform(m);
    expect(paths(plan)).toEqual(expect.arrayContaining(["stepfunctions.tf", "stepfunctions_example.tf"]));
    expect(render(plan, "stepfunctions_example.tf").data).toMatchObject({
      summary: "shop_get_items then shop_b",
      placeholders: [
        { name: "a_arn     ", value: 'aws_lambda_function.this["shop_get_items"].arn' },
        { name: "long_b_arn", value: 'aws_lambda_function.this["shop_b"].arn' },
      ],
    });
  });

  it("api: the definition template with its invoke ARNs as ${uris.NAME} and the spec's own ${ escaped", () => {
    const { plan } = emitTerraform(handMadeApi());
    const content = (render(plan, "openapi.json.tftpl").data as { content: string }).content;
    const doc = JSON.parse(content);
    expect(doc.paths["/items"].get["x-amazon-apigateway-integration"].uri).toBe("${uris.shop_list}");
    expect(doc.paths["/items"].get.description).toBe("costs $${price}");
    expect(doc.components.securitySchemes.tok["x-amazon-apigateway-authorizer"].authorizerUri).toBe("${uris.shop_auth}");
    const fns = (render(plan, "functions.tf.json").data as { functions: { locals: Record<string, unknown> } }).functions.locals;
    expect(fns).toMatchObject({ api_key_required: true, functions: { shop_list: { method: "GET", path: "/items", operation_id: "list" } }, authorizers: { shop_auth: { operation_id: "authorizer:tok" } } });
    expect(paths(plan)).not.toContain("import.tf.example");
  });
});

describe("the CDK emitter, from a hand-built model", () => {
  const data = (plan: FilePlan, path: string) => JSON.parse((render(plan, path).data as { content: string }).content);

  it("client: no Terraform file; the construct's data from the model; notes in the CDK's words", () => {
    const { plan, notes } = emitCdk(handMadeClient());
    expect(paths(plan).filter((p) => p.endsWith(".tf") || p.endsWith(".tf.json"))).toEqual([]);
    expect(paths(plan)).toEqual(expect.arrayContaining(["lambdas/get_items.py", "app.ts", "lib/functions.json", "lib/shop-functions.ts"]));
    const json = data(plan, "lib/functions.json");
    expect(json.functions).toEqual({ shop_get_items: { module: "get_items", description: "GET /items", zip: "build/lambdas/shop_get_items.zip" } });
    expect(json.auth).toMatchObject({ store: "secretsmanager", prefix: "/team", ttlSeconds: 90, credentialTypes: ["api-key"] });
    expect(json.defaults).toMatchObject({ runtime: "python3.12", timeout: 12, egressPorts: [8443], tags: { team: "a", generated_by: "picofun" } });
    expect(notes).toEqual(["plain", "after cdk deploy: --key-id alias/picorun-shop-credentials"]);
  });

  it("api: the integrations and authorizers listed, the definition plain (the spec's ${ as it is)", () => {
    const { plan } = emitCdk(handMadeApi());
    const json = data(plan, "lib/api.json");
    expect(json.integrations).toEqual([{ path: "/items", method: "get", function: "shop_list", permissionMethod: "GET", permissionPath: "/items" }]);
    expect(json.authorizers).toEqual([{ scheme: "tok", function: "shop_auth" }]);
    expect(json.definition.paths["/items"].get.description).toBe("costs ${price}");
    expect(json.definition.paths["/items"].get["x-amazon-apigateway-integration"]).toBeUndefined();
    expect(json.defaults).toMatchObject({ apiName: "Shop API", stageName: "prod", mode: "merge", basePath: "split", failOnWarnings: false });
    expect(json.apiKeyRequired).toBe(true);
  });
});
