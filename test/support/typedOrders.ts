/** Orders example projects with typed handlers (`[api] language`), as the typed-handler tests use them. */
import { copyFileSync, cpSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO } from "./env.js";
import { tempProject } from "./generate.js";

export const ORDERS_SPEC = join(REPO, "examples", "orders", "openapi.yaml");
/** The three implemented operations of docs/api-mode.md, a shared module and requirements.txt. */
export const ORDERS_PYTHON = join(REPO, "examples", "orders", "typed", "python");

export function ordersToml(language?: string, runtime = "python3.13"): string {
  return ['namespace = "orders"', 'spec = "openapi.yaml"', 'kind = "api"', `runtime = "${runtime}"`, ...(language ? ["[api]", `language = "${language}"`] : [])].join("\n") + "\n";
}

/** A project folder with the orders spec (and, with `implemented`, the example handlers). */
export function ordersProject(language?: string, implemented?: string): string {
  const dir = tempProject();
  copyFileSync(ORDERS_SPEC, join(dir, "openapi.yaml"));
  writeFileSync(join(dir, "picofun.toml"), ordersToml(language, language === "typescript" ? "nodejs22.x" : "python3.13"));
  if (implemented) {
    mkdirSync(join(dir, "handlers"), { recursive: true });
    cpSync(implemented, join(dir, "handlers"), { recursive: true });
  }
  return dir;
}
