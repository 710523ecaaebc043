import { existsSync, readFileSync } from "node:fs";
import { readFile, unlink } from "node:fs/promises";
import { isAbsolute, join, relative, sep } from "node:path";
import { DEFAULT_CONFIG_FILE } from "../config/load.js";
import { CONFIG_KEYS } from "../config/schema.js";
import { isUrl } from "../spec/read.js";
import { UserError, oneLine } from "../util/errors.js";
import { bundledTemplatesDir, packageRoot } from "../util/paths.js";
import { writeFileAtomic } from "../write/atomic.js";
import type { WizardAnswers } from "./answers.js";
import { allowlistYaml } from "./endpoints.js";

export const ALLOWLIST_FILE = "include-endpoints.yaml";

/** The files `init` writes into the project folder (what "overwrite picofun's files" means). */
export const PROJECT_FILES = [DEFAULT_CONFIG_FILE, ALLOWLIST_FILE, "package.json", ".gitignore"];

/** TOML basic strings accept JSON's escapes. */
function tomlString(value: string): string {
  return JSON.stringify(value);
}

function tomlKey(key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? key : tomlString(key);
}

function tomlList(values: string[]): string {
  return `[${values.map(tomlString).join(", ")}]`;
}

/** A path as written into picofun.toml: relative to the project, with forward slashes. */
export function projectPath(projectDir: string, target: string): string {
  if (isUrl(target)) return target;
  const rel = relative(projectDir, target);
  // Files that share no folder with the project (only the root) stay absolute.
  const firstA = projectDir.split(sep)[1];
  const firstB = target.split(sep)[1];
  if (isAbsolute(rel) || (rel.startsWith("..") && firstA !== firstB)) return target;
  return (rel || ".").split(sep).join("/");
}

/** picofun.toml with a one-line comment (from the schema) above each key. */
export function configToml(a: WizardAnswers): string {
  const lines: string[] = ["# picofun configuration written by `picofun init`. Run `npm run generate` after editing it.", ""];
  const key = (name: string, value: string, spec = CONFIG_KEYS[name]) => {
    lines.push(`# ${spec.description}`, `${tomlKey(name)} = ${value}`);
  };
  key("namespace", tomlString(a.namespace));
  key("spec", tomlString(projectPath(a.projectDir, a.spec)));
  key("kind", tomlString(a.kind));
  key("runtime", tomlString(a.runtime));
  if (a.iac && a.iac !== "terraform") key("iac", tomlString(a.iac));
  key("output_dir", tomlString(projectPath(a.projectDir, a.outputDir)));
  if (a.include) key("include_endpoints", tomlString(ALLOWLIST_FILE));
  if (a.layers.length) key("layers", tomlList(a.layers));
  if (a.vpcId) {
    key("vpc_id", tomlString(a.vpcId));
    key("subnets", tomlList(a.subnets));
  }
  const auth = CONFIG_KEYS.auth;
  lines.push("", `# ${auth.description}`, "[auth]");
  key("enabled", String(a.auth.enabled), auth.keys!.enabled);
  key("ttl_minutes", String(a.auth.ttlMinutes), auth.keys!.ttl_minutes);
  if (a.serverUrl) {
    lines.push("", `# ${CONFIG_KEYS.server.description}`, "[server]");
    key("url", tomlString(a.serverUrl), CONFIG_KEYS.server.keys!.url);
  }
  if (a.kind === "api" && a.language) {
    lines.push("", `# ${CONFIG_KEYS.api.description}`, "[api]");
    key("language", tomlString(a.language), CONFIG_KEYS.api.keys!.language);
  }
  if (a.httpTasks) {
    lines.push("", `# ${CONFIG_KEYS.stepfunctions.description}`, "[stepfunctions]");
    key("http_tasks", "true", CONFIG_KEYS.stepfunctions.keys!.http_tasks);
  }
  const tags = Object.entries(a.tags);
  if (tags.length) {
    lines.push("", `# ${CONFIG_KEYS.tags.description}`, "[tags]");
    for (const [k, v] of tags) lines.push(`${tomlKey(k)} = ${tomlString(v)}`);
  }
  return `${lines.join("\n")}\n`;
}

/** The esbuild versions typed TypeScript handlers are built and tested with. */
export const ESBUILD_RANGE = "^0.28.2";

export function picofunVersion(): string {
  const pkg = JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as { version: string };
  return pkg.version;
}

/**
 * The version range the project's package.json asks for. picofun installed from the registry
 * (it runs from inside a node_modules folder) is asked for by version; picofun run from a
 * checkout is not on the registry under that version, so the project links to the checkout
 * with a `file:` dependency that `npm install` can always satisfy.
 */
export function picofunDependency(projectDir: string, version: string, root = packageRoot()): string {
  if (root.split(/[\\/]/).includes("node_modules")) return `^${version}`;
  const rel = relative(projectDir, root).split(sep).join("/");
  return `file:${rel || "."}`;
}

/** A valid npm package name from the folder name. */
export function packageName(projectDir: string): string {
  const base = projectDir.split(sep).filter(Boolean).pop() ?? "picofun-project";
  const name = base
    .toLowerCase()
    .replace(/[^a-z0-9._~-]+/g, "-")
    .replace(/^[._-]+/, "")
    .slice(0, 214);
  return name || "picofun-project";
}

/** The new project's package.json; an existing one keeps everything and only gains what is missing. */
export function packageJson(existing: string | undefined, a: WizardAnswers, version: string): string {
  let pkg: Record<string, unknown> = {};
  if (existing !== undefined) {
    try {
      pkg = JSON.parse(existing) as Record<string, unknown>;
    } catch (err) {
      throw new UserError(`${join(a.projectDir, "package.json")} is not valid JSON (${oneLine(err)}); fix it or remove it`);
    }
  } else {
    pkg = { name: packageName(a.projectDir), version: "0.1.0", private: true };
  }
  const scripts = { ...((pkg.scripts as Record<string, string>) ?? {}) };
  scripts.generate ??= "picofun generate";
  const devDependencies = { ...((pkg.devDependencies as Record<string, string>) ?? {}) };
  const deps = (pkg.dependencies as Record<string, string>) ?? {};
  if (!deps.picofun) devDependencies.picofun ??= version;
  // Typed TypeScript handlers are bundled with esbuild, which picofun does not ship.
  if (a.kind === "api" && a.language === "typescript" && !deps.esbuild) devDependencies.esbuild ??= ESBUILD_RANGE;
  pkg.scripts = scripts;
  pkg.devDependencies = devDependencies;
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

/** The bundled .gitignore, or the user's with our missing lines appended. */
export function gitignore(existing: string | undefined, ours: string): string {
  if (existing === undefined) return ours;
  const have = new Set(existing.split(/\r?\n/).map((l) => l.trim()));
  const missing = ours.split("\n").filter((l) => l.trim() && !l.startsWith("#") && !have.has(l.trim()));
  if (!missing.length) return existing;
  return `${existing.replace(/\n*$/, "\n")}\n# Added by picofun init\n${missing.join("\n")}\n`;
}

async function readIfExists(path: string): Promise<string | undefined> {
  return existsSync(path) ? readFile(path, "utf8") : undefined;
}

/**
 * Writes picofun.toml, include-endpoints.yaml (when a subset was chosen), package.json and
 * .gitignore. Everything is computed first, then each file is written atomically.
 */
export async function writeProject(a: WizardAnswers): Promise<string[]> {
  const files = new Map<string, string>();
  files.set(DEFAULT_CONFIG_FILE, configToml(a));
  if (a.include) files.set(ALLOWLIST_FILE, await allowlistYaml(a.include));
  const range = picofunDependency(a.projectDir, picofunVersion());
  files.set("package.json", packageJson(await readIfExists(join(a.projectDir, "package.json")), a, range));
  const ours = await readFile(join(bundledTemplatesDir(), "init", "gitignore"), "utf8");
  files.set(".gitignore", gitignore(await readIfExists(join(a.projectDir, ".gitignore")), ours));
  for (const [name, text] of files) await writeFileAtomic(join(a.projectDir, name), text);
  return [...files.keys()];
}

/**
 * A re-run of init that now generates all endpoints removes the allowlist an earlier run wrote
 * (picofun.toml no longer names it, and a stale file would look like it still applies).
 * True when a file was removed.
 */
export async function removeStaleAllowlist(a: WizardAnswers): Promise<boolean> {
  if (a.include) return false;
  try {
    await unlink(join(a.projectDir, ALLOWLIST_FILE));
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw err;
  }
}
