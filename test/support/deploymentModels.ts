/** Deployment models built by hand (no spec, no kind), for the emitters' unit tests: they read the model alone. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildConfig } from "../../src/config/load.js";
import type { DeploymentModel } from "../../src/deployment/model.js";
import { loadKind } from "../../src/kinds/index.js";
import { buildModel } from "../../src/model/build.js";
import { loadSpecSource } from "../../src/spec/load.js";
import { readSpecSource } from "../../src/spec/read.js";
import { apiOutputs, clientOutputs } from "../../src/deployment/outputs.js";
import { credentialsPolicy, functionRolePolicies } from "../../src/deployment/role.js";

export function handMadeClient(): DeploymentModel {
  return {
    kind: "client",
    namespace: "shop",
    title: "Shop",
    functions: [{ name: "shop_get_items", module: "get_items", handler: "get_items.handler", zip: "build/lambdas/shop_get_items.zip", description: "GET /items" }],
    settings: {
      runtime: "python3.12",
      architecture: "x86_64",
      timeout: 12,
      memorySize: 256,
      layers: [],
      powertoolsLayer: false,
      xrayTracing: false,
      logRetentionDays: 7,
      sharedLogGroup: false,
      vpcId: null,
      subnets: [],
      egressPorts: [8443],
      tags: { team: "a" },
      environment: { PICORUN_X: { literal: 'say "hi"' }, PICORUN_CREDENTIALS_PREFIX: { ref: "credentialsPrefix" } },
    },
    role: { namePrefix: "r-", permissionsBoundary: null, policies: [...functionRolePolicies(), credentialsPolicy({ store: "secretsmanager", writeBackTypes: [] })] },
    credentialsTtlSeconds: 90,
    outputs: clientOutputs({ credentials: true, stepFunctions: false, httpTasks: false, example: false }),
    credentials: { store: "secretsmanager", prefix: "/team/", types: ["api-key"], writeBackTypes: [], placeholder: "P" },
    files: { generator: "client", renders: [{ template: "client/handler.py.hbs", path: "lambdas/get_items.py", data: {} }], copies: [], zips: [] },
    notes: ["plain", ["after ", { ref: "deployCommand" }, ": --key-id ", { ref: "credentialsKeyId" }]],
  };
}

export function handMadeApi(): DeploymentModel {
  return {
    ...handMadeClient(),
    kind: "api",
    functions: [{ name: "shop_list", module: "list", handler: "list.handler", zip: "build/lambdas/shop_list.zip", description: "list", operationId: "list", permission: { method: "GET", path: "/items" } }],
    credentials: undefined,
    credentialsTtlSeconds: undefined,
    role: { namePrefix: "r-", permissionsBoundary: null, existingRoleArn: null, policies: functionRolePolicies() },
    outputs: apiOutputs(),
    api: {
      title: "Shop API",
      definition: {
        openapi: "3.0.3",
        paths: { "/items": { get: { operationId: "list", description: "costs ${price}", responses: { "200": { description: "ok" } } } } },
        components: { securitySchemes: { tok: { type: "apiKey", in: "header", name: "Authorization", "x-amazon-apigateway-authorizer": { type: "token" } } } },
      },
      integrations: [{ path: "/items", method: "get", function: "shop_list" }],
      authorizers: [{ scheme: "tok", function: "shop_auth" }],
      authorizerFunctions: [{ name: "shop_auth", module: "auth", handler: "auth.handler", zip: "build/lambdas/shop_auth.zip", description: "authorizer", operationId: "authorizer:tok" }],
      apiKeyRequired: true,
      stage: { name: "prod", mode: "merge", basePath: "split", failOnWarnings: false },
      cognitoUserPools: [],
      resourcePrefixes: { ignore: "", prepend: "", split: "" },
    },
    files: { generator: "api", renders: [], copies: [], zips: [], userOwned: [] },
  };
}

/** The deployment model a kind plans for `specText` (written as pets.yaml, namespace "pets") with `raw` picofun.toml settings. */
export async function plannedModel(specText: string, raw: Record<string, unknown>): Promise<DeploymentModel> {
  const dir = mkdtempSync(join(tmpdir(), "pf-model-"));
  writeFileSync(join(dir, "pets.yaml"), specText);
  const config = buildConfig({ namespace: "pets", spec: "pets.yaml", ...raw }, {}, dir, dir);
  const spec = await loadSpecSource(await readSpecSource(config.spec!, dir));
  const model = buildModel(spec);
  return (await (await loadKind(config.kind)).plan({ config, namespace: "pets", spec, model, endpoints: model.endpoints })).model;
}
