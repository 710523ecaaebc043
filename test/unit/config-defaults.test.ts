import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildConfig } from "../../src/config/load.js";
import { flatKeys, type KeySpec } from "../../src/config/schema.js";
import { runtimeDefaults, runtimeEnvironment } from "../../src/kinds/client/environment.js";
import { REPO } from "../support/env.js";

/**
 * The schema is the one table of defaults: the loaded config, the runtime's environment, the README's
 * reference and the Python runtime's own defaults (what picorun does with no PICORUN_* set) all match it.
 */

const withDefault = flatKeys().filter(([, spec]) => spec.default !== undefined);

/** A default as the README's reference writes it (TOML). */
function toml(value: NonNullable<KeySpec["default"]>): string {
  if (Array.isArray(value)) return `[${value.map((v) => (typeof v === "string" ? JSON.stringify(v) : String(v))).join(", ")}]`;
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}

/** The README's configuration reference: dotted key -> default cell ("none" when it has none). */
function readmeDefaults(): Map<string, string> {
  const text = readFileSync(join(REPO, "README.md"), "utf8");
  const rows = new Map<string, string>();
  for (const line of text.split("\n")) {
    const m = /^\| (`[^|]+`) \| ([^|]*) \|/.exec(line);
    if (!m) continue;
    const keys = m[1]!.split(" / ").map((k) => k.replace(/`/g, "").trim());
    const cells = m[2]!.split(" / ").map((c) => c.trim());
    let table = "";
    keys.forEach((key, i) => {
      const t = /^\[(\w+)\] (\w+)$/.exec(key);
      if (t) table = `${t[1]}.`;
      const name = t ? `${t[1]}.${t[2]}` : `${table}${key}`;
      const cell = cells[i] ?? cells[0]!;
      rows.set(name, /^`(.*)`$/.test(cell) ? cell.slice(1, -1) : "none");
    });
  }
  return rows;
}

describe("config defaults: one table", () => {
  it("every runtime variable of the schema has a default or is optional, and names a PICORUN_ variable once", () => {
    const envs = flatKeys().flatMap(([, s]) => (s.env ? [s.env] : []));
    expect(envs.length).toBeGreaterThanOrEqual(10);
    expect(new Set(envs).size).toBe(envs.length);
    for (const e of envs) expect(e).toMatch(/^PICORUN_[A-Z_]+$/);
  });

  it("a config with no keys gets the schema's defaults, and the runtime's environment carries them", () => {
    const dir = mkdtempSync(join(tmpdir(), "pf-defaults-"));
    const config = buildConfig({}, {}, dir, dir);
    const defined = Object.fromEntries(Object.entries(runtimeDefaults()).filter(([, v]) => v !== undefined));
    expect(runtimeEnvironment(config)).toEqual(defined);
    const values: Record<string, unknown> = {
      kind: config.kind,
      iac: config.iac,
      runtime: config.runtime,
      architecture: config.architecture,
      timeout: config.timeout,
      memory_size: config.memorySize,
      iam_role_prefix: config.iamRolePrefix,
      layers: config.layers,
      subnets: config.subnets,
      xray_tracing: config.xrayTracing,
      powertools_layer: config.powertoolsLayer,
      log_retention_days: config.logRetentionDays,
      "auth.enabled": config.auth.enabled,
      "auth.ttl_minutes": config.auth.ttlMinutes,
      "auth.store": config.auth.store,
      "auth.parameter_prefix": config.auth.parameterPrefix,
      max_response_bytes: config.maxResponseBytes,
      "retry.max_attempts": config.retry.maxAttempts,
      "retry.statuses": config.retry.statuses,
      "retry.methods": config.retry.methods,
      "retry.base": config.retry.base,
      "retry.cap": config.retry.cap,
      "pagination.max_pages": config.pagination.maxPages,
      "stepfunctions.example": config.stepFunctions.example,
      "stepfunctions.http_tasks": config.stepFunctions.httpTasks,
      "api.mode": config.api.mode,
      "api.base_path": config.api.basePath,
      "api.stage": config.api.stage,
      "api.update_spec": config.api.updateSpec,
      "api.fail_on_warnings": config.api.failOnWarnings,
      "api.allow_unenforced_security": config.api.allowUnenforcedSecurity,
      "api.public_operations": config.api.publicOperations,
    };
    expect(Object.keys(values).sort()).toEqual(withDefault.map(([k]) => k).sort());
    for (const [key, spec] of withDefault) expect(values[key], key).toEqual(spec.default);
  });

  it("the README's reference shows each default the schema holds", () => {
    const readme = readmeDefaults();
    for (const [key, spec] of withDefault) {
      if (key.startsWith("api.") && !readme.has(key)) continue; // the [api] keys are described in the API mode section
      expect(readme.get(key), key).toBe(toml(spec.default!));
    }
  });

  it("the Python runtime's own defaults (no PICORUN_* set) and the variables it reads are the schema's", () => {
    const script = `
import json, os, sys
sys.path.insert(0, sys.argv[1])
for k in list(os.environ):
    if k.startswith("PICORUN_"):
        del os.environ[k]
from picorun import call, pagination, retry
p = retry.from_environment({})
g = pagination.Pagination()
print(json.dumps({
    "PICORUN_RETRY_MAX_ATTEMPTS": p.max_attempts,
    "PICORUN_RETRY_STATUSES": list(p.statuses),
    "PICORUN_RETRY_METHODS": list(p.methods),
    "PICORUN_RETRY_BASE": p.base,
    "PICORUN_RETRY_CAP": p.cap,
    "PICORUN_PAGINATION_MAX_PAGES": g.max_pages,
    "PICORUN_PAGINATION_CURSOR_PARAM": g.cursor_param,
    "PICORUN_PAGINATION_CURSOR_FIELD": g.cursor_field,
    "PICORUN_PAGINATION_ITEMS_FIELD": g.items_field,
    "PICORUN_MAX_RESPONSE_BYTES": call.DEFAULT_MAX_RESPONSE_BYTES,
}))
`;
    const res = spawnSync("python3", ["-c", script, join(REPO, "templates", "client", "layer")], { encoding: "utf8" });
    expect(res.status, res.stderr).toBe(0);
    const python = JSON.parse(res.stdout) as Record<string, unknown>;
    const schema = new Map(flatKeys().flatMap(([, s]) => (s.env ? [[s.env, s.default ?? null] as const] : [])));
    for (const [env, value] of schema) expect(python[env], env).toEqual(value);
    // The names: every PICORUN_ variable the runtime's sources read is one the schema knows, and back.
    const sources = ["retry.py", "pagination.py", "call.py"].map((f) => readFileSync(join(REPO, "templates", "client", "layer", "picorun", f), "utf8")).join("\n");
    const read = new Set(sources.match(/PICORUN_(RETRY|PAGINATION|MAX)_[A-Z_]+/g));
    read.delete("PICORUN_RETRY_"); // the docstring's brace form
    expect([...read].filter((n) => !n.endsWith("_")).sort()).toEqual([...schema.keys()].sort());
  });
});
