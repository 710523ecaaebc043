import fc from "fast-check";
import { join } from "node:path";
import { parse as parseToml } from "smol-toml";
import { parse as parseYaml } from "yaml";
import { describe, expect, it } from "vitest";
import { buildConfig } from "../../src/config/load.js";
import { CONFIG_KEYS } from "../../src/config/schema.js";
import { validateTable } from "../../src/config/validate.js";
import type { ApiModel, SecurityScheme } from "../../src/model/types.js";
import { parseAllowlist } from "../../src/select/allowlist.js";
import { selectEndpoints } from "../../src/select/match.js";
import { checkLayers, checkNamespace, parseTags, preferredScheme, ssmHint, suggestNamespace, type WizardAnswers } from "../../src/wizard/answers.js";
import { allowlistYaml, subsetFromSelectors } from "../../src/wizard/endpoints.js";
import { answersFromFlags, loadForWizard } from "../../src/wizard/flags.js";
import { configToml, gitignore, packageJson, picofunDependency, projectPath } from "../../src/wizard/writeProject.js";
import { ORDERS_SPEC, tempProject } from "../support/generate.js";

function modelWith(schemes: Record<string, Partial<SecurityScheme>>, security?: string[]): ApiModel {
  return {
    title: "T",
    version: "1",
    openapiVersion: "3.0",
    servers: [],
    endpoints: [],
    securitySchemes: Object.fromEntries(Object.entries(schemes).map(([n, s]) => [n, { name: n, type: "http", ...s }])),
    security: security?.map((n) => ({ [n]: [] })),
    location: "x",
    locationIsUrl: false,
  };
}

describe("wizard answers", () => {
  it("suggests namespaces that are valid Lambda prefixes", () => {
    expect(suggestNamespace("Orders API")).toBe("orders");
    expect(suggestNamespace("GitHub v3 REST API")).toBe("github-v3");
    expect(suggestNamespace("GitHub's official OpenAPI spec + Octokit extension")).toBe("github-octokit");
    expect(suggestNamespace("API")).toBe("api");
    expect(suggestNamespace("3D Secure!")).toBe("d-secure");
    expect(suggestNamespace("***")).toBe("api");
    for (const title of ["Orders API", "A".repeat(100), "Ünïcode Ñame service"]) {
      expect(checkNamespace(suggestNamespace(title))).toBe(true);
    }
    expect(checkNamespace("9lives")).toMatch(/starting with a letter/);
  });

  it("validates layers and tags", () => {
    expect(checkLayers(["arn:aws:lambda:us-east-1:123456789012:layer:x:1"])).toBe(true);
    expect(checkLayers(["arn:aws:lambda:us-east-1:123:layer:x"])).toMatch(/is not a Lambda layer version ARN/);
    expect(parseTags(["a=b", "c = d=e"])).toEqual({ a: "b", c: "d=e" });
    expect(parseTags(["novalue"])).toMatch(/not key=value/);
    expect(parseTags(["aws:x=1"])).toMatch(/reserved/);
  });

  it("keeps every tag key as an own key, Object.prototype's names and __proto__ included (fast-check)", () => {
    const single = parseTags(["__proto__=x", "constructor=y"]);
    expect(Object.getPrototypeOf(single)).toBe(Object.prototype);
    expect(Object.entries(single)).toEqual([["__proto__", "x"], ["constructor", "y"]]);
    const key = fc.oneof(fc.constantFrom("__proto__", "constructor", "toString", "hasOwnProperty", "valueOf", "team"), fc.stringMatching(/^[A-Za-z0-9_.:/+@-]{1,12}$/));
    const value = fc.stringMatching(/^[A-Za-z0-9_.:/+@-]{0,12}$/);
    let parsed = 0;
    fc.assert(
      fc.property(fc.array(fc.tuple(key, value), { maxLength: 6 }), (pairs) => {
        const tags = parseTags(pairs.map(([k, v]) => `${k}=${v}`));
        if (typeof tags === "string") return; // a problem (a reserved aws: key, say) is said instead
        parsed++;
        const byKey = new Map(pairs);
        expect(Object.entries(tags).sort()).toEqual([...byKey].sort());
        for (const k of byKey.keys()) expect(Object.hasOwn(tags, k)).toBe(true);
      }),
      { numRuns: 1000 },
    );
    expect(parsed).toBeGreaterThan(500);
  });

  it("prefers Bearer > Basic > API key > mTLS among the schemes the spec requires", () => {
    const all = { k: { type: "apiKey", in: "header", paramName: "X" }, b: { type: "http", scheme: "basic" }, t: { type: "http", scheme: "bearer" }, m: { type: "mutualTLS" } };
    expect(preferredScheme(modelWith(all))?.name).toBe("t");
    expect(preferredScheme(modelWith(all, ["k", "b"]))?.name).toBe("b");
    expect(preferredScheme(modelWith(all, ["m", "k"]))?.name).toBe("k");
    // A user-sign-in flow is usable (a stored refresh token), after the other kinds.
    const implicit = preferredScheme(modelWith({ o: { type: "oauth2", flows: { implicit: {} } } }));
    expect(implicit?.label).toBe("OAuth2 implicit, with a stored refresh token");
    expect(preferredScheme(modelWith({ ...all, o: { type: "oauth2", flows: { implicit: {} } } }))?.name).toBe("t");
    expect(ssmHint({ namespace: "n", auth: { enabled: true, ttlMinutes: 5 } }, modelWith({ o: { type: "oauth2", flows: { implicit: {} } } }))).toContain('"refresh_token":"..."');
    const hint = ssmHint({ namespace: "notes", auth: { enabled: true, ttlMinutes: 5 } }, modelWith(all, ["k"]));
    expect(hint).toContain('--name "/picorun/notes/credentials-api-key"');
    expect(hint).toContain(`printf '%s' '{"api_key":"..."}' > credentials.json`);
    expect(hint).toContain("--value file:///dev/stdin");
    expect(hint).not.toContain("--value '");
    expect(ssmHint({ namespace: "notes", auth: { enabled: false, ttlMinutes: 5 } }, modelWith(all))).toBeUndefined();
    expect(ssmHint({ namespace: "notes", kind: "client", auth: { enabled: true, ttlMinutes: 5 } }, modelWith(all))).toContain("credentials_kms_key_arn");
    expect(ssmHint({ namespace: "notes", kind: "api", auth: { enabled: true, ttlMinutes: 5 } }, modelWith(all))).toBeUndefined();
  });

  it("turns selectors into an allowlist that selects exactly those endpoints", async () => {
    const { model } = await loadForWizard(ORDERS_SPEC, process.cwd());
    const subset = subsetFromSelectors(model, ["listOrders", "DELETE /orders/{orderId}", "/orders/*/line-items/*", "tag:catalog"]);
    expect(subset.count).toBe(4);
    const allow = parseAllowlist(parseYaml(await allowlistYaml(subset)), "include-endpoints.yaml");
    const keys = selectEndpoints(model.endpoints, allow).map((e) => `${e.method} ${e.path}`);
    expect(keys.sort()).toEqual(
      ["get /orders", "delete /orders/{orderId}", "put /orders/{orderId}/line-items/{item-id}", "get /catalog/items.json"].sort(),
    );
    expect(() => subsetFromSelectors(model, ["listOrder"])).toThrow(/"listOrder" matches no endpoint.*closest: listOrders/);
    expect(() => subsetFromSelectors(model, ["PATCH /orders"])).toThrow(/matches no endpoint/);
  });
});

describe("project files", () => {
  const base: WizardAnswers = {
    spec: "/work/specs/api.yaml",
    namespace: "orders",
    kind: "client",
    runtime: "python3.12",
    auth: { enabled: true, ttlMinutes: 10 },
    vpcId: "vpc-0011223344556677f",
    subnets: ["subnet-0123456789abcdef0"],
    layers: ["arn:aws:lambda:us-east-1:123456789012:layer:x:1"],
    tags: { team: "core", "cost center": 'a "quoted" value' },
    projectDir: "/work/specs/project",
    outputDir: "/work/specs/project/out",
    serverUrl: "https://api.example.com/v1",
    include: { paths: [], operationIds: ["listOrders"], tags: [], count: 1 },
  };

  it("writes a picofun.toml that validates and loads back to the answers, one comment per key", () => {
    const text = configToml(base);
    const raw = parseToml(text) as Record<string, unknown>;
    validateTable(raw, CONFIG_KEYS, "picofun.toml");
    const config = buildConfig(raw, {}, base.projectDir, base.projectDir);
    expect(config).toMatchObject({
      namespace: "orders",
      spec: "/work/specs/api.yaml",
      kind: "client",
      runtime: "python3.12",
      outputDir: "/work/specs/project/out",
      includeEndpoints: "/work/specs/project/include-endpoints.yaml",
      layers: base.layers,
      vpcId: base.vpcId,
      subnets: base.subnets,
      auth: { enabled: true, ttlMinutes: 10 },
      server: { url: "https://api.example.com/v1" },
      tags: base.tags,
    });
    expect(raw.spec).toBe("../api.yaml");
    const lines = text.split("\n");
    for (const [i, line] of lines.entries()) {
      const key = /^([a-z_]+) = /.exec(line)?.[1];
      if (key && !(key in (raw.tags as object))) expect(lines[i - 1]).toMatch(/^# \S/);
    }
  });

  it("keeps paths outside the project absolute and URLs as they are", () => {
    expect(projectPath("/tmp/a/project", "/work/x.yaml")).toBe("/work/x.yaml");
    expect(projectPath("/tmp/a/project", "/tmp/a/spec.yaml")).toBe("../spec.yaml");
    expect(projectPath("/tmp/a/project", "https://x.example.com/o.json")).toBe("https://x.example.com/o.json");
  });

  it("adds to an existing package.json and .gitignore without losing anything", () => {
    const mine = JSON.stringify({ name: "mine", scripts: { test: "jest", generate: "my-own" }, devDependencies: { jest: "1" }, custom: [1] });
    const pkg = JSON.parse(packageJson(mine, base, "^0.1.0"));
    expect(pkg).toEqual({ name: "mine", scripts: { test: "jest", generate: "my-own" }, devDependencies: { jest: "1", picofun: "^0.1.0" }, custom: [1] });
    const fresh = JSON.parse(packageJson(undefined, { ...base, projectDir: "/x/My Project" }, "^0.1.0"));
    expect(fresh).toMatchObject({ name: "my-project", private: true, scripts: { generate: "picofun generate" }, devDependencies: { picofun: "^0.1.0" } });
    expect(() => packageJson("{oops", base, "0.1.0")).toThrow(/not valid JSON/);
    const merged = gitignore("dist/\nnode_modules/\n", "# x\nnode_modules/\n.terraform/\n");
    expect(merged).toBe("dist/\nnode_modules/\n\n# Added by picofun init\n.terraform/\n");
  });

  it("asks for picofun by version when installed, and links to a checkout otherwise", () => {
    expect(picofunDependency("/p/app", "0.3.1", "/p/app/node_modules/picofun")).toBe("^0.3.1");
    expect(picofunDependency("/home/u/app", "0.3.1", "/home/u/.npm/_npx/ab12/node_modules/picofun")).toBe("^0.3.1");
    expect(picofunDependency("/home/u/work/app", "0.3.1", "/home/u/src/picofun")).toBe("file:../../src/picofun");
  });

  it("--yes names the missing or bad flag", async () => {
    const cwd = tempProject();
    await expect(answersFromFlags("p", { yes: true }, cwd)).rejects.toThrow(/^--spec is required with --yes/);
    await expect(answersFromFlags("p", { spec: ORDERS_SPEC, kind: "server" }, cwd)).rejects.toThrow(/^--kind: must be one of client, api/);
    await expect(answersFromFlags("p", { spec: ORDERS_SPEC, runtime: "nodejs22.x" }, cwd)).rejects.toThrow(/^--runtime: for kind "client"/);
    await expect(answersFromFlags("p", { spec: ORDERS_SPEC, subnets: "subnet-aaaaaaaa" }, cwd)).rejects.toThrow(/^--subnets needs --vpc-id/);
    await expect(answersFromFlags("p", { spec: ORDERS_SPEC, vpcId: "vpc-0011223344556677f" }, cwd)).rejects.toThrow(/^--subnets: list at least one/);
    await expect(answersFromFlags("p", { spec: ORDERS_SPEC, tag: ["x"] }, cwd)).rejects.toThrow(/^--tag: "x" is not key=value/);
    const { answers } = await answersFromFlags(undefined, { spec: ORDERS_SPEC, outputDir: "gen" }, cwd);
    expect(answers).toMatchObject({ namespace: "orders", kind: "client", runtime: "python3.13", projectDir: join(cwd, "orders"), outputDir: join(cwd, "gen") });
    expect(answers.auth.enabled).toBe(false); // the orders spec has no security schemes
  });
});

describe("folder names that look like commands", () => {
  it("refuses command words and near misses of long ones, keeps ordinary names", async () => {
    const { checkDirWord } = await import("../../src/wizard/flags.js");
    const cwd = tempProject();
    for (const word of ["generat", "generate", "remve", "template", "add", "list", "init"]) {
      expect(() => checkDirWord(word, cwd), word).toThrow(/looks like the command "picofun/);
    }
    for (const name of ["app", "dist", "api", "src", "demo", "my-api", "endpoints-demo", "./add", "lists"]) {
      expect(() => checkDirWord(name, cwd), name).not.toThrow();
    }
  });
});
