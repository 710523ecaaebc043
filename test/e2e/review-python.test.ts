import { cpSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { beforeAll, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { REPO } from "../support/env.js";
import { tempProject } from "../support/generate.js";
import { runPython } from "../support/python.js";
import { describeWithTools } from "../support/skip.js";

/**
 * mypy --strict, ruff check and ruff format --check over EVERY Python file picofun generates: the
 * client's handlers, runtime layer and auth_hooks.py (with every kind of scheme, refresh write-back
 * and Secrets Manager), and the api kind's handler and authorizer stubs.
 */
const ok = { "200": { description: "ok" } };
const op = (security: unknown[]) => ({ get: { security, responses: ok } });

function clientSpec(): Record<string, unknown> {
  const tokenUrl = "https://login.example.com/token";
  return {
    openapi: "3.1.0",
    info: { title: "Every scheme", version: "1" },
    servers: [{ url: "https://api.example.com" }],
    components: {
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer" },
        basicAuth: { type: "http", scheme: "basic" },
        headerKey: { type: "apiKey", in: "header", name: "X-API-Key" },
        queryKey: { type: "apiKey", in: "query", name: "api_key" },
        cookieKey: { type: "apiKey", in: "cookie", name: "session_key" },
        clientCreds: { type: "oauth2", flows: { clientCredentials: { tokenUrl, scopes: { read: "read" } } } },
        authCode: { type: "oauth2", flows: { authorizationCode: { authorizationUrl: "https://login.example.com/auth", tokenUrl, scopes: { read: "read" } } } },
        oidc: { type: "openIdConnect", openIdConnectUrl: "https://login.example.com/.well-known/openid-configuration" },
        mtls: { type: "mutualTLS" },
      },
    },
    paths: {
      "/bearer": op([{ bearerAuth: [] }]),
      "/basic": op([{ basicAuth: [] }]),
      "/keys": op([{ headerKey: [], queryKey: [] }]),
      "/cookie": op([{ cookieKey: [] }]),
      "/oauth": op([{ clientCreds: ["read"] }]),
      "/code": op([{ authCode: ["read"] }]),
      "/oidc": op([{ oidc: [] }]),
      "/mtls": op([{ mtls: [] }]),
      "/open": op([]),
    },
  };
}

function pythonFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name === "build" || name === "node_modules") continue;
    if (statSync(path).isDirectory()) out.push(...pythonFiles(path));
    else if (name.endsWith(".py")) out.push(path);
  }
  return out.sort();
}

const MYPY = ["-m", "mypy", "--strict", "--no-incremental", "--cache-dir=/dev/null"];

async function mypy(files: string[], layer?: string) {
  return runPython([...MYPY, ...files], "", layer ? { MYPYPATH: layer } : {});
}

async function ruff(files: string[]) {
  const lint = await runPython(["-m", "ruff", "check", "--no-cache", ...files]);
  const format = await runPython(["-m", "ruff", "format", "--check", "--no-cache", ...files]);
  return { lint, format };
}

describeWithTools("every generated Python file passes mypy --strict and ruff", ["python"], () => {
  let project: string;
  const roots: Record<string, { files: string[]; layer?: string }> = {};

  beforeAll(async () => {
    project = tempProject();
    writeFileSync(join(project, "every.json"), JSON.stringify(clientSpec()));
    cpSync(join(REPO, "test", "fixtures", "api", "secured.yaml"), join(project, "secured.yaml"));
    const configs: Record<string, string[]> = {
      ssm: ['spec = "every.json"', 'output_dir = "ssm"'],
      secrets: ['spec = "every.json"', 'output_dir = "secrets"', "[auth]", 'store = "secretsmanager"'],
      api: ['spec = "secured.yaml"', 'output_dir = "api"', 'kind = "api"', 'handlers_dir = "handlers"'],
    };
    for (const [name, lines] of Object.entries(configs)) {
      writeFileSync(join(project, `${name}.toml`), ['namespace = "rv"', ...lines].join("\n"));
      const res = await runCli(["-c", `${name}.toml`, "--yes"], { cwd: project });
      expect(res.code, res.stderr).toBe(0);
    }
    for (const name of ["ssm", "secrets"]) {
      const out = join(project, name);
      roots[name] = { files: pythonFiles(out), layer: join(out, "layer") };
    }
    roots.api = { files: [...pythonFiles(join(project, "handlers")), ...pythonFiles(join(project, "api"))] };
  }, 180_000);

  it("finds the handlers, the runtime layer, auth_hooks.py and the api kind's stubs", () => {
    const rel = (name: string) => roots[name].files.map((f) => relative(project, f));
    expect(rel("ssm")).toContain("ssm/layer/auth_hooks.py");
    expect(rel("ssm")).toContain("ssm/layer/picorun/call.py");
    expect(rel("ssm").filter((f) => f.startsWith("ssm/lambdas/")).length).toBe(9);
    expect(rel("api")).toContain("handlers/authorize_bearerAuth.py");
    expect(rel("api")).toContain("handlers/createPet.py");
  });

  for (const name of ["ssm", "secrets", "api"]) {
    it(`${name}: mypy --strict, ruff check and ruff format --check find nothing`, async () => {
      const { files, layer } = roots[name];
      const typed = await mypy(files, layer);
      expect(typed.code, typed.stdout + typed.stderr).toBe(0);
      expect(typed.stdout).toMatch(new RegExp(`Success: no issues found in ${files.length} source files`));
      const { lint, format } = await ruff(files);
      expect(lint.code, lint.stdout + lint.stderr).toBe(0);
      expect(format.code, format.stdout + format.stderr).toBe(0);
    }, 180_000);
  }

  it("fails on a finding brought in on purpose: an untyped def, an unused import, a misformatted line", async () => {
    const copy = tempProject(join(project, "ssm"));
    const hooks = join(copy, "layer", "auth_hooks.py");
    const text = readFileSync(hooks, "utf8");
    expect(text).toContain("def invalidate() -> None:");
    writeFileSync(hooks, text.replace("def invalidate() -> None:", "def invalidate():").replace("import base64\n", "import base64\nimport sys\n") + "x   =  1\n");
    const typed = await mypy([hooks, join(copy, "layer", "picorun")], join(copy, "layer"));
    expect(typed.code).toBe(1);
    expect(typed.stdout).toMatch(/auth_hooks\.py:\d+: error: Function is missing a return type annotation/);
    const { lint, format } = await ruff([hooks]);
    expect(lint.code).toBe(1);
    expect(lint.stdout).toMatch(/F401/);
    expect(format.code).toBe(1);
  }, 180_000);
});
