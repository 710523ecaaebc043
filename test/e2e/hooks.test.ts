import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { tempProject } from "../support/generate.js";
import { startPrism, type PrismServer } from "../support/prism.js";
import { invokeHandler } from "../support/python.js";
import { describeWithTools } from "../support/skip.js";

/** An API whose only operation requires a header value the caller does not know: only the preprocessor adds it. */
const SPEC = `openapi: 3.0.3
info: { title: Vault, version: "1.0" }
paths:
  /secrets/{id}:
    get:
      operationId: getSecret
      parameters:
        - { name: id, in: path, required: true, schema: { type: string } }
        - name: X-Api-Key
          in: header
          required: true
          schema: { type: string, enum: [key-from-hook] }
      responses:
        "200":
          description: the secret
          content:
            application/json:
              schema:
                type: object
                properties: { id: { type: string }, value: { type: string } }
              example: { id: s-1, value: hunter2 }
`;

const HOOKS = `"""Hooks for the vault API."""


def add_key(args):
    args.headers["X-Api-Key"] = "key-from-hook"


def only_value(result, args):
    return f"{args.path['id']}={result['body']['value']} ({result['statusCode']})"
`;

/** A project with the vault spec and a bundle holding vault_hooks/hooks.py; returns its folder. */
export function vaultProject(toml: string): string {
  const dir = tempProject();
  writeFileSync(join(dir, "vault.yaml"), SPEC);
  mkdirSync(join(dir, "bundle", "vault_hooks"), { recursive: true });
  writeFileSync(join(dir, "bundle", "vault_hooks", "__init__.py"), "");
  writeFileSync(join(dir, "bundle", "vault_hooks", "hooks.py"), HOOKS);
  writeFileSync(join(dir, "picofun.toml"), `namespace = "vault"\nspec = "vault.yaml"\nbundle = "bundle"\n${toml}`);
  return dir;
}

describeWithTools("pre- and postprocessor hooks against Prism", ["python", "prism"], () => {
  let prism: PrismServer;
  const hooked = vaultProject('preprocessor = "vault_hooks.hooks.add_key"\npostprocessor = "vault_hooks.hooks.only_value"\n');
  const plain = vaultProject("");

  beforeAll(async () => {
    prism = await startPrism(join(hooked, "vault.yaml"));
    for (const dir of [hooked, plain]) {
      const res = await runCli(["--server-url", prism.url], { cwd: dir, env: { PICOFUN_CACHE_DIR: mkdtempSync(join(tmpdir(), "picofun-cache-")) } });
      expect(res.stderr).toBe("");
      expect(res.code).toBe(0);
    }
  });

  afterAll(async () => {
    await prism?.stop();
  });

  const event = { path: { id: "s-1" }, headers: { "X-Api-Key": "wrong" } };

  it("without hooks, the header the caller sends is rejected by Prism", async () => {
    const r = await invokeHandler(join(plain, "output"), "get_secrets_id", event, {}, [join(plain, "bundle")]);
    expect(r.ok, JSON.stringify(r)).toBe(false);
    expect(r.mro).toContain("ApiError");
    expect(r.status).toBeGreaterThanOrEqual(400);
  });

  it("the preprocessor replaces the header, and what the postprocessor returns is the result", async () => {
    const r = await invokeHandler(join(hooked, "output"), "get_secrets_id", event, {}, [join(hooked, "bundle")]);
    expect(r.ok, JSON.stringify(r)).toBe(true);
    expect(r.result as unknown).toBe("s-1=hunter2 (200)");
  });
});
