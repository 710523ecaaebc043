import { existsSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import { checkServerUrl } from "../model/urlCheck.js";
import { parse as parseToml } from "smol-toml";
import { UserError, oneLine } from "../util/errors.js";
import { CONFIG_KEYS, NAMESPACE_PATTERN, defaultOf } from "./schema.js";
import type { ApiConfig, CliOverrides, PaginationConfig, PicofunConfig, RetryConfig } from "./types.js";
import { validateTable } from "./validate.js";
import { checkAwsLimits } from "./awsLimits.js";
import { folderProblem } from "../write/guard.js";
import { notice, upstreamKeys } from "./upstream.js";

export const DEFAULT_CONFIG_FILE = "picofun.toml";

/** Resolves a path from the config against its folder; URLs are left alone. */
export function resolvePath(baseDir: string, value: string): string {
  if (/^https?:\/\//i.test(value)) return value;
  return isAbsolute(value) ? value : resolve(baseDir, value);
}

export function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new UserError(`cannot read config file ${file}: ${oneLine(err)}`);
  }
  try {
    return parseToml(text) as Record<string, unknown>;
  } catch (err) {
    const e = err as { line?: number; column?: number; message?: string };
    const first = String(e.message ?? err).split("\n")[0];
    const at = e.line ? ` (line ${e.line}, column ${e.column})` : "";
    throw new UserError(`${file}: invalid TOML${at}: ${first}`);
  }
}

/**
 * Reads picofun.toml (or the file named by --config), validates every key, applies
 * defaults and command-line overrides, and resolves relative paths against the file's folder.
 */
export function loadConfig(overrides: CliOverrides = {}, cwd = process.cwd()): PicofunConfig {
  let configFile: string | undefined;
  let raw: Record<string, unknown> = {};
  if (overrides.config) {
    configFile = resolve(cwd, overrides.config);
    if (!existsSync(configFile)) throw new UserError(`config file not found: ${configFile}`);
  } else if (existsSync(resolve(cwd, DEFAULT_CONFIG_FILE))) {
    configFile = resolve(cwd, DEFAULT_CONFIG_FILE);
  }
  if (configFile) {
    raw = readConfigFile(configFile);
    validateTable(raw, CONFIG_KEYS, configFile);
    const upstream = upstreamKeys(raw, configFile);
    upstream.notices.forEach(notice);
    raw = upstream.raw;
  }
  const where = configFile ?? "configuration";
  const baseDir = configFile ? dirname(configFile) : cwd;
  return buildConfig(raw, overrides, baseDir, cwd, configFile, where);
}

/** Builds the typed config from already-validated raw data. Exposed for the wizard and tests. */
export function buildConfig(
  raw: Record<string, unknown>,
  overrides: CliOverrides,
  baseDir: string,
  cwd: string,
  configFile?: string,
  where = "configuration",
): PicofunConfig {
  const str = (k: string) => (typeof raw[k] === "string" ? (raw[k] as string) : undefined);
  const num = (k: string, d: number) => (raw[k] === undefined ? d : Number(raw[k]));
  const bool = (k: string, d: boolean) => (typeof raw[k] === "boolean" ? (raw[k] as boolean) : d);
  const list = (k: string) => (Array.isArray(raw[k]) ? [...(raw[k] as string[])] : []);
  const table = (k: string) => (raw[k] && typeof raw[k] === "object" ? (raw[k] as Record<string, unknown>) : {});
  const fromFile = (k: string) => {
    const v = str(k);
    return v === undefined ? undefined : resolvePath(baseDir, v);
  };

  const auth = table("auth");
  const server = table("server");
  const api = table("api");

  const kind = (overrides.kind ?? str("kind") ?? defaultOf<string>("kind")) as PicofunConfig["kind"];
  if (kind !== "client" && kind !== "api") {
    throw new UserError(`--kind must be "client" or "api", got "${kind}"`);
  }
  const runtime = str("runtime") ?? defaultOf<string>("runtime");
  const iac = (overrides.iac ?? str("iac") ?? defaultOf<string>("iac")) as PicofunConfig["iac"];
  if (iac !== "terraform" && iac !== "cdk") throw new UserError(`--iac must be "terraform" or "cdk", got "${iac}"`);

  const config: PicofunConfig = {
    baseDir,
    configFile,
    namespace: overrides.namespace ?? str("namespace"),
    spec: overrides.spec ? resolvePath(cwd, overrides.spec) : fromFile("spec"),
    kind,
    iac,
    runtime,
    architecture: (str("architecture") ?? defaultOf<string>("architecture")) as PicofunConfig["architecture"],
    timeout: num("timeout", defaultOf<number>("timeout")),
    memorySize: num("memory_size", defaultOf<number>("memory_size")),
    bundle: overrides.bundle ? resolve(cwd, overrides.bundle) : fromFile("bundle"),
    iamRolePrefix: str("iam_role_prefix") ?? defaultOf<string>("iam_role_prefix"),
    includeEndpoints: fromFile("include_endpoints"),
    layers: overrides.layers !== undefined ? splitList(overrides.layers) : list("layers"),
    outputDir: overrides.outputDir ? resolve(cwd, overrides.outputDir) : (fromFile("output_dir") ?? resolve(baseDir, "output")),
    handlersDir: fromFile("handlers_dir") ?? resolve(baseDir, "handlers"),
    postprocessor: str("postprocessor"),
    preprocessor: str("preprocessor"),
    rolePermissionsBoundary: str("role_permissions_boundary"),
    subnets: list("subnets"),
    templatePath: fromFile("template_path"),
    xrayTracing: bool("xray_tracing", defaultOf<boolean>("xray_tracing")),
    vpcId: str("vpc_id"),
    powertoolsLayer: bool("powertools_layer", defaultOf<boolean>("powertools_layer")),
    logRetentionDays: num("log_retention_days", defaultOf<number>("log_retention_days")),
    auth: {
      enabled: typeof auth.enabled === "boolean" ? auth.enabled : defaultOf<boolean>("auth.enabled"),
      ttlMinutes: auth.ttl_minutes === undefined ? defaultOf<number>("auth.ttl_minutes") : Number(auth.ttl_minutes),
      store: auth.store === "secretsmanager" || auth.store === "ssm" ? auth.store : defaultOf<"ssm">("auth.store"),
      parameterPrefix: typeof auth.parameter_prefix === "string" ? auth.parameter_prefix : defaultOf<string>("auth.parameter_prefix"),
    },
    server: {
      url: overrides.serverUrl ?? (typeof server.url === "string" ? server.url : undefined),
      variables:
        overrides.serverUrl === undefined && server.variables && typeof server.variables === "object"
          ? { ...(server.variables as Record<string, string>) }
          : undefined,
    },
    retry: buildRetry(table("retry")),
    pagination: buildPagination(table("pagination")),
    maxResponseBytes: num("max_response_bytes", defaultOf<number>("max_response_bytes")),
    tags: { ...(table("tags") as Record<string, string>) },
    api: buildApi(api, overrides.updateSpec, overrides.strict),
    stepFunctions: {
      example: bool2(table("stepfunctions").example, defaultOf<boolean>("stepfunctions.example")),
      httpTasks: bool2(table("stepfunctions").http_tasks, defaultOf<boolean>("stepfunctions.http_tasks")),
    },
  };
  checkCrossKey(config, raw, where, overrides);
  checkAwsLimits(config, where);
  if (str("handlers_dir") !== undefined) checkHandlersDir(config.handlersDir, baseDir, where);
  if (config.api.language === "python" && !config.runtime.startsWith("python")) {
    throw new UserError(`${where}: [api] language = "python" needs a Python runtime (runtime = "${config.runtime}"); set runtime = "python3.13"`);
  }
  if (config.api.language === "typescript" && !config.runtime.startsWith("nodejs")) {
    throw new UserError(`${where}: [api] language = "typescript" needs a Node.js runtime (runtime = "${config.runtime}"); set runtime = "nodejs22.x"`);
  }
  return config;
}

function buildRetry(t: Record<string, unknown>): RetryConfig {
  return {
    maxAttempts: t.max_attempts === undefined ? defaultOf<number>("retry.max_attempts") : Number(t.max_attempts),
    statuses: Array.isArray(t.statuses) ? t.statuses.map(Number) : defaultOf<number[]>("retry.statuses"),
    methods: Array.isArray(t.methods) ? [...(t.methods as string[])] : defaultOf<string[]>("retry.methods"),
    base: t.base === undefined ? defaultOf<number>("retry.base") : Number(t.base),
    cap: t.cap === undefined ? defaultOf<number>("retry.cap") : Number(t.cap),
  };
}

function buildPagination(t: Record<string, unknown>): PaginationConfig {
  const str = (k: string) => (typeof t[k] === "string" ? (t[k] as string) : undefined);
  return {
    maxPages: t.max_pages === undefined ? defaultOf<number>("pagination.max_pages") : Number(t.max_pages),
    cursorParam: str("cursor_param"),
    cursorField: str("cursor_field"),
    itemsField: str("items_field"),
  };
}

function buildApi(api: Record<string, unknown>, updateSpec?: boolean, strict?: boolean): ApiConfig {
  return {
    mode: (api.mode as ApiConfig["mode"]) ?? defaultOf<ApiConfig["mode"]>("api.mode"),
    basePath: (api.base_path as ApiConfig["basePath"]) ?? defaultOf<ApiConfig["basePath"]>("api.base_path"),
    stage: (api.stage as string) ?? defaultOf<string>("api.stage"),
    executionRoleArn: api.execution_role_arn as string | undefined,
    apiId: api.api_id as string | undefined,
    updateSpec: updateSpec ?? bool2(api.update_spec, defaultOf<boolean>("api.update_spec")),
    failOnWarnings: bool2(api.fail_on_warnings, defaultOf<boolean>("api.fail_on_warnings")),
    language: api.language as ApiConfig["language"],
    cognitoUserPools: Array.isArray(api.cognito_user_pools) ? [...(api.cognito_user_pools as string[])] : [],
    allowUnenforcedSecurity: bool2(api.allow_unenforced_security, defaultOf<boolean>("api.allow_unenforced_security")),
    publicOperations: Array.isArray(api.public_operations) ? [...(api.public_operations as string[])] : [],
    strict: strict === true,
    cors: buildCors(api.cors),
  };
}

function buildCors(raw: unknown): ApiConfig["cors"] {
  if (!raw || typeof raw !== "object") return undefined;
  const c = raw as Record<string, unknown>;
  const origins = Array.isArray(c.origins) ? (c.origins as string[]) : [];
  if (!origins.length) throw new UserError('[api.cors] needs origins, e.g. origins = ["https://app.example.com"]');
  return {
    origins: [...origins],
    methods: Array.isArray(c.methods) ? (c.methods as string[]).map((m) => m.toUpperCase()) : undefined,
    headers: Array.isArray(c.headers) ? [...(c.headers as string[])] : undefined,
    maxAge: c.max_age === undefined ? undefined : Number(c.max_age),
  };
}

/** picofun writes the api kind's handler stubs into handlers_dir: never a root, the home folder or a folder above the project. */
function checkHandlersDir(dir: string, baseDir: string, where: string): void {
  const fix = 'keep the handlers in a folder of the project, such as handlers_dir = "handlers"';
  const problem = folderProblem(dir, `${where}: "handlers_dir"`, fix, [{ path: baseDir, label: "project folder" }]);
  if (problem) throw new UserError(problem);
}

/** A boolean from the file, else the default. */
function bool2(value: unknown, fallback: boolean): boolean {
  return typeof value === "boolean" ? value : fallback;
}

export function splitList(value: string): string[] {
  return value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

function checkCrossKey(c: PicofunConfig, raw: Record<string, unknown>, where: string, o: CliOverrides): void {
  const server = (raw.server ?? {}) as Record<string, unknown>;
  if (server.url !== undefined && server.variables !== undefined) {
    throw new UserError(`${where}: [server] "url" and "variables" cannot be used together; keep one of them`);
  }
  if (c.subnets.length && !c.vpcId) {
    throw new UserError(`${where}: "subnets" is set but "vpc_id" is not; add vpc_id = "vpc-..." or remove subnets`);
  }
  if (c.vpcId && !c.subnets.length) {
    throw new UserError(`${where}: "vpc_id" is set but "subnets" is empty; list at least one subnet id`);
  }
  if (o.layers !== undefined) {
    for (const arn of c.layers) {
      const spec = CONFIG_KEYS.layers.pattern!;
      if (!spec.re.test(arn)) throw new UserError(`--layers: "${arn}" is not ${spec.hint}`);
    }
  }
  if (o.namespace !== undefined && !NAMESPACE_PATTERN.re.test(o.namespace)) {
    throw new UserError(`namespace "${o.namespace}" is not valid: use ${NAMESPACE_PATTERN.hint}`);
  }
  if (c.server.url !== undefined && !/^(https?:)?\/\//i.test(c.server.url)) {
    const flag = o.serverUrl !== undefined ? "--server-url" : `${where}: [server] url`;
    throw new UserError(`${flag} must be an absolute http(s) URL, got "${c.server.url}"`);
  }
  if (c.server.url !== undefined) checkServerUrl(c.server.url, o.serverUrl !== undefined ? "--server-url" : `${where}: [server] url`);
  if (c.kind === "client" && !c.runtime.startsWith("python")) {
    throw new UserError(`${where}: runtime "${c.runtime}" is only available for kind = "api"; client functions run on python3.x`);
  }
  const p = c.pagination;
  if ((p.cursorParam === undefined) !== (p.cursorField === undefined)) {
    throw new UserError(`${where}: [pagination] "cursor_param" and "cursor_field" go together; set both or neither`);
  }
  if (c.auth.enabled && c.preprocessor && raw.auth && (raw.auth as Record<string, unknown>).enabled === true) {
    throw new UserError(
      `${where}: automatic authentication and a custom preprocessor cannot be used together; set [auth] enabled = false to use your preprocessor`,
    );
  }
}
