import { afterEach, describe, expect, it, vi } from "vitest";
import { buildConfig } from "../../src/config/load.js";
import { formatMismatch, iacFromFlags, specFormatFromFlags, upstreamKeys } from "../../src/config/upstream.js";
import { validateTable } from "../../src/config/validate.js";
import { CONFIG_KEYS } from "../../src/config/schema.js";
import { overridesFrom } from "../../src/cli/options.js";

describe("the Python PicoFun's keys and flags", () => {
  let stderr: string[] = [];
  const spy = () => vi.spyOn(process.stderr, "write").mockImplementation((s: string | Uint8Array) => (stderr.push(String(s)), true));
  afterEach(() => {
    vi.restoreAllMocks();
    stderr = [];
  });

  it("maps flat auth_enabled / auth_ttl_minutes onto [auth], one notice each", () => {
    const raw = { namespace: "x", auth_enabled: false, auth_ttl_minutes: 9 };
    validateTable(raw, CONFIG_KEYS, "picofun.toml");
    const { raw: mapped, notices } = upstreamKeys(raw, "picofun.toml");
    expect(mapped).toEqual({ namespace: "x", auth: { enabled: false, ttl_minutes: 9 } });
    expect(notices).toEqual([
      'picofun.toml: "auth_enabled" is the Python PicoFun\'s key; picofun reads it as [auth] enabled',
      'picofun.toml: "auth_ttl_minutes" is the Python PicoFun\'s key; picofun reads it as [auth] ttl_minutes',
    ]);
    const config = buildConfig(mapped, {}, "/p", "/p");
    expect(config.auth).toMatchObject({ enabled: false, ttlMinutes: 9 });
  });

  it("refuses both spellings of one setting", () => {
    expect(() => upstreamKeys({ auth_enabled: true, auth: { enabled: false } }, "f.toml")).toThrow(/"auth_enabled" and \[auth\] enabled are the same setting/);
  });

  it("reads iac from the file and --iac, --tf and --cdk from flags", () => {
    expect(buildConfig({}, {}, "/p", "/p").iac).toBe("terraform");
    expect(buildConfig({ iac: "cdk" }, {}, "/p", "/p").iac).toBe("cdk");
    spy();
    expect(buildConfig({ iac: "cdk" }, overridesFrom({ tf: true }), "/p", "/p").iac).toBe("terraform");
    expect(overridesFrom({ cdk: true }).iac).toBe("cdk");
    expect(overridesFrom({ iac: "cdk" }).iac).toBe("cdk");
    expect(stderr).toEqual([
      "picofun: note: --tf is the Python PicoFun's flag; picofun's is --iac terraform\n",
      "picofun: note: --cdk is the Python PicoFun's flag; picofun's is --iac cdk\n",
    ]);
    expect(() => iacFromFlags({ tf: true, cdk: true })).toThrow(/--tf and --cdk cannot be used together/);
    expect(() => iacFromFlags({ iac: "terraform", cdk: true })).toThrow(/disagree/);
    expect(() => buildConfig({}, { iac: "pulumi" }, "/p", "/p")).toThrow(/--iac must be "terraform" or "cdk"/);
    expect(() => validateTable({ iac: "pulumi" }, CONFIG_KEYS, "f.toml")).toThrow(/"iac" must be one of "terraform", "cdk"/);
  });

  it("takes --format openapi3|swagger2 as a hint checked against the document", () => {
    spy();
    expect(specFormatFromFlags({ format: "swagger2" })).toBe("swagger2");
    expect(stderr[0]).toMatch(/^picofun: note: --format swagger2 is the Python PicoFun's flag/);
    expect(() => specFormatFromFlags({ format: "raml" })).toThrow(/--format must be "openapi3" or "swagger2"/);
    const oas = new TextEncoder().encode('openapi: "3.0.3"\ninfo: {}\n');
    const swagger = new TextEncoder().encode('{"swagger": "2.0", "info": {}}');
    expect(formatMismatch("openapi3", oas)).toBeUndefined();
    expect(formatMismatch("swagger2", swagger)).toBeUndefined();
    expect(formatMismatch("swagger2", oas)).toBe("--format swagger2 was given but the spec is OpenAPI 3; going by the document");
    expect(formatMismatch("openapi3", swagger)).toMatch(/the spec is Swagger 2.0/);
    expect(formatMismatch(undefined, swagger)).toBeUndefined();
  });
});
