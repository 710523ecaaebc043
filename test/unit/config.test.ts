import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.js";

function dirWith(toml: string): string {
  const dir = mkdtempSync(join(tmpdir(), "picofun-cfg-"));
  writeFileSync(join(dir, "picofun.toml"), toml);
  return dir;
}

describe("config", () => {
  it("applies the documented defaults when there is no file", () => {
    const dir = mkdtempSync(join(tmpdir(), "picofun-cfg-"));
    const c = loadConfig({ namespace: "ns", spec: "api.yaml" }, dir);
    expect(c.iamRolePrefix).toBe("pf-");
    expect(c.outputDir).toBe(join(dir, "output"));
    expect(c.xrayTracing).toBe(true);
    expect(c.auth).toEqual({ enabled: true, ttlMinutes: 5, store: "ssm", parameterPrefix: "/picorun" });
    expect(c.runtime).toBe("python3.13");
    expect(c.architecture).toBe("arm64");
    expect(c.spec).toBe(join(dir, "api.yaml"));
    expect(c.layers).toEqual([]);
  });

  it("reads every seed key and resolves paths against the file's folder", () => {
    const dir = dirWith(`
namespace = "orders"
spec = "specs/orders.yaml"
bundle = "code"
iam_role_prefix = "my-"
include_endpoints = "include.yaml"
layers = ["arn:aws:lambda:us-east-1:012345678910:layer:example:1"]
output_dir = "out"
postprocessor = "hooks.post.run"
role_permissions_boundary = "arn:aws:iam::012345678910:policy/boundary"
subnets = ["subnet-1234567890abcdef0"]
template_path = "tpl"
xray_tracing = false
vpc_id = "vpc-0011223344556677f"
[auth]
enabled = false
ttl_minutes = 10
[server]
variables = { region = "us" }
[tags]
team = "payments"
`);
    const c = loadConfig({}, "/somewhere/else");
    void c;
    const cfg = loadConfig({ config: join(dir, "picofun.toml") }, "/");
    expect(cfg.namespace).toBe("orders");
    expect(cfg.spec).toBe(join(dir, "specs/orders.yaml"));
    expect(cfg.bundle).toBe(join(dir, "code"));
    expect(cfg.includeEndpoints).toBe(join(dir, "include.yaml"));
    expect(cfg.outputDir).toBe(join(dir, "out"));
    expect(cfg.templatePath).toBe(join(dir, "tpl"));
    expect(cfg.iamRolePrefix).toBe("my-");
    expect(cfg.xrayTracing).toBe(false);
    expect(cfg.auth).toEqual({ enabled: false, ttlMinutes: 10, store: "ssm", parameterPrefix: "/picorun" });
    expect(cfg.server.variables).toEqual({ region: "us" });
    expect(cfg.tags).toEqual({ team: "payments" });
    expect(cfg.subnets).toEqual(["subnet-1234567890abcdef0"]);
  });

  it("lets command-line flags win", () => {
    const dir = dirWith(`namespace = "a"\nlayers = ["arn:aws:lambda:us-east-1:012345678910:layer:x:1"]\n[server]\nurl = "https://a.example.com"\n`);
    const c = loadConfig(
      {
        layers: "arn:aws:lambda:us-east-1:012345678910:layer:y:2, arn:aws:lambda:us-east-1:012345678910:layer:z:3",
        serverUrl: "https://b.example.com",
        outputDir: "elsewhere",
      },
      dir,
    );
    expect(c.layers).toEqual(["arn:aws:lambda:us-east-1:012345678910:layer:y:2", "arn:aws:lambda:us-east-1:012345678910:layer:z:3"]);
    expect(c.server.url).toBe("https://b.example.com");
    expect(c.outputDir).toBe(join(dir, "elsewhere"));
  });

  it.each([
    [`xray_tracin = true`, /unknown key "xray_tracin" \(did you mean "xray_tracing"\?\)/],
    [`[auth]\nenabeld = true`, /unknown key "auth.enabeld" \(did you mean "enabled"\?\)/],
    [`subnets = ["subnet-1234567890abcdef0"]`, /"subnets" is set but "vpc_id" is not/],
    [`vpc_id = "vpc-0011223344556677f"`, /"vpc_id" is set but "subnets" is empty/],
    [`[server]\nurl = "https://x.example.com"\nvariables = { a = "b" }`, /"url" and "variables" cannot be used together/],
    [`layers = ["not-an-arn"]`, /"layers\[0\]" = "not-an-arn" is not a Lambda layer version ARN/],
    [`timeout = 1000`, /"timeout" must be between 1 and 900/],
    [`xray_tracing = "yes"`, /"xray_tracing" must be true or false, got a string/],
    [`architecture = "arm"`, /"architecture" must be one of "arm64", "x86_64", got "arm" \(did you mean "arm64"\?\)/],
    [`preprocessor = "not a ref"`, /"preprocessor" = "not a ref" is not a fully qualified reference/],
    [`namespace = "9lives"`, /"namespace" = "9lives" is not 1-40 letters/],
    [`namespace = `, /invalid TOML \(line 1, column/],
    [`[auth]\nenabled = true\n` + `preprocessor = "a.b.c"`, /unknown key "auth.preprocessor"/],
  ])("rejects %j with a message naming the key", (toml, message) => {
    const dir = dirWith(toml);
    expect(() => loadConfig({}, dir)).toThrow(message);
  });

  it("refuses automatic authentication together with a preprocessor", () => {
    const dir = dirWith(`preprocessor = "a.b.c"\n[auth]\nenabled = true\n`);
    expect(() => loadConfig({}, dir)).toThrow(/cannot be used together; set \[auth\] enabled = false/);
  });

  it("reports a missing --config file", () => {
    expect(() => loadConfig({ config: "/nope/picofun.toml" })).toThrow(/config file not found: \/nope\/picofun.toml/);
  });
});
