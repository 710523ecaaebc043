/**
 * The dependencies of `handlers/package.json` (TypeScript handlers), installed by picofun for the
 * Lambda platform (linux and the function's cpu, production dependencies only, no install
 * scripts) into a cache folder keyed by the content of package.json, its lockfile and the
 * architecture; esbuild bundles them from there. A warm cache runs no npm (no network).
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, readFileSync } from "node:fs";
import { mkdir, readdir, rename, rm, writeFile } from "node:fs/promises";
import { isAbsolute, join, relative, resolve } from "node:path";
import type { Architecture } from "../config/types.js";
import { cacheRoot } from "../util/cacheDir.js";
import { UserError } from "../util/errors.js";

/** Bump when the way the cache is filled changes, so old entries are not reused. */
const CACHE_FORMAT = "1";
const LOCKFILE = "package-lock.json";

/** npm's name of the Lambda cpu. */
export function npmCpu(architecture: Architecture): "x64" | "arm64" {
  return architecture === "x86_64" ? "x64" : "arm64";
}

/** The cache folder of handlers/package.json as it is now (undefined: no package.json). */
export function nodeDepsDir(handlersDir: string, architecture: Architecture): string | undefined {
  const manifest = join(handlersDir, "package.json");
  if (!existsSync(manifest)) return undefined;
  const lock = join(handlersDir, LOCKFILE);
  const hash = createHash("sha256").update(`picofun-npm/${CACHE_FORMAT}\0linux\0${npmCpu(architecture)}\0`).update(readFileSync(manifest));
  if (existsSync(lock)) hash.update("\0lock\0").update(readFileSync(lock));
  return join(cacheRoot(), "npm", hash.digest("hex").slice(0, 32));
}

/** The installed dependencies when generate installed them already (serve and invoke never install). */
export function installedNodeDeps(handlersDir: string, architecture: Architecture): string | undefined {
  const dir = nodeDepsDir(handlersDir, architecture);
  return dir && existsSync(`${dir}.done`) && existsSync(dir) ? dir : undefined;
}

/**
 * Installs the production dependencies of `handlers/package.json` (with its package-lock.json
 * when there is one: `npm ci`) for linux and the function's cpu; returns the folder holding
 * `node_modules`, or undefined without a package.json.
 */
export async function installNodeDeps(handlersDir: string, architecture: Architecture): Promise<string | undefined> {
  const dir = nodeDepsDir(handlersDir, architecture);
  if (!dir) return undefined;
  if (existsSync(`${dir}.done`) && existsSync(dir)) return dir;
  const file = join(handlersDir, "package.json");
  // Only devDependencies (vitest, esbuild, typescript for your own checks): nothing to deploy, npm is not run.
  if (!hasProductionDependencies(readFileSync(file, "utf8"))) return undefined;
  const hasLock = existsSync(join(handlersDir, LOCKFILE));
  await mkdir(join(dir, ".."), { recursive: true });
  const work = `${dir}.tmp-${process.pid}`;
  await rm(work, { recursive: true, force: true });
  await mkdir(work, { recursive: true });
  await writeFile(join(work, "package.json"), localSpecsAbsolute(readFileSync(file, "utf8"), handlersDir));
  if (hasLock) copyFileSync(join(handlersDir, LOCKFILE), join(work, LOCKFILE));
  const cpu = npmCpu(architecture);
  const args = [
    hasLock ? "ci" : "install",
    "--omit=dev",
    "--ignore-scripts",
    "--os=linux",
    `--cpu=${cpu}`,
    "--no-audit",
    "--no-fund",
    "--no-update-notifier",
    // A file: dependency is copied in, not linked: its files are checked and bundled from the cache.
    "--install-links",
    "--loglevel=error",
    ...(hasLock ? [] : ["--no-package-lock"]),
  ];
  const res = await runNpm(args, work);
  if (res === "missing") {
    await rm(work, { recursive: true, force: true });
    throw new UserError(`npm not found: it is needed to install ${file} for Lambda`);
  }
  if (res.code !== 0) {
    await rm(work, { recursive: true, force: true });
    throw new UserError(npmFailure(res.stderr, file, cpu));
  }
  const native = await nativeAddon(join(work, "node_modules"));
  if (native) {
    await rm(work, { recursive: true, force: true });
    throw new UserError(`${file}: ${native} is a native addon, which esbuild cannot bundle into a function's index.mjs; use a pure-JavaScript package, or a layer of yours (layers = [...]) built for Lambda`);
  }
  await rm(dir, { recursive: true, force: true });
  await rename(work, dir);
  await writeFile(`${dir}.done`, "");
  return dir;
}

/** package.json's text as an object, or undefined when it is not a JSON object (npm reports that). */
function manifestOf(text: string): Record<string, unknown> | undefined {
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch {
    return undefined;
  }
  return manifest && typeof manifest === "object" && !Array.isArray(manifest) ? (manifest as Record<string, unknown>) : undefined;
}

/**
 * package.json with its `file:` and `link:` dependencies pointing at absolute paths: npm runs in
 * the cache folder, and they are relative to the handlers folder. Text that is not a JSON object
 * is passed on for npm to report.
 */
export function localSpecsAbsolute(text: string, handlersDir: string): string {
  const manifest = manifestOf(text);
  if (!manifest) return text;
  let changed = false;
  for (const field of ["dependencies", "optionalDependencies", "devDependencies", "peerDependencies"]) {
    const deps = manifest[field];
    if (!deps || typeof deps !== "object" || Array.isArray(deps)) continue;
    for (const [name, spec] of Object.entries(deps as Record<string, unknown>)) {
      const m = typeof spec === "string" ? /^(file|link):(.*)$/.exec(spec) : null;
      if (!m || isAbsolute(m[2])) continue;
      (deps as Record<string, unknown>)[name] = `${m[1]}:${resolve(handlersDir, m[2])}`;
      changed = true;
    }
  }
  return changed ? JSON.stringify(manifest, null, 2) : text;
}

/** Whether package.json names any dependency a function could import (text that is not JSON: npm says what is wrong). */
export function hasProductionDependencies(text: string): boolean {
  const manifest = manifestOf(text);
  if (!manifest) return true;
  const named = (field: string) => {
    const deps = manifest[field];
    return !!deps && typeof deps === "object" && Object.keys(deps).length > 0;
  };
  return named("dependencies") || named("optionalDependencies") || named("bundleDependencies") || named("bundledDependencies");
}

/** A one-line explanation of a failed npm run. */
export function npmFailure(stderr: string, file: string, cpu: string): string {
  const lines = stderr.split(/\r?\n/).map((l) => l.replace(/^npm (ERR!|error)\s*/, "").trim()).filter((l) => l && !/^(code|errno|A complete log|Log files|syscall)\b/.test(l) && !/^npm warn/i.test(l));
  const first = lines[0] ?? "npm failed";
  // One line of text: npm's colours and control characters become spaces.
  const text = first.replace(/\x1b\[[0-9;]*m/g, "").replace(/[\x00-\x1f\x7f-\x9f\u2028\u2029]/g, " ").slice(0, 300);
  return `${file}: npm could not install the dependencies for Lambda (linux, ${cpu}): ${text}`;
}

/** The first package file that is a compiled addon (`.node`) or is built from C/C++ (`binding.gyp`), relative to node_modules. */
async function nativeAddon(modules: string): Promise<string | undefined> {
  if (!existsSync(modules)) return undefined;
  const walk = async (current: string): Promise<string | undefined> => {
    const entries = (await readdir(current, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const full = join(current, e.name);
      if (e.isDirectory()) {
        const hit = await walk(full);
        if (hit) return hit;
      } else if (e.name.endsWith(".node") || e.name === "binding.gyp") {
        return `"${relative(modules, full).split("\\").join("/")}"`;
      }
    }
    return undefined;
  };
  return walk(modules);
}

function runNpm(args: string[], cwd: string): Promise<{ code: number | null; stderr: string } | "missing"> {
  return new Promise((resolve, reject) => {
    const npm = process.platform === "win32" ? "npm.cmd" : "npm";
    let child;
    try {
      child = spawn(npm, args, { cwd, env: { ...process.env, npm_config_update_notifier: "false" }, stdio: ["ignore", "ignore", "pipe"], shell: process.platform === "win32" });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return resolve("missing");
      return reject(err);
    }
    let stderr = "";
    child.stderr.on("data", (d) => {
      if (stderr.length < 65536) stderr += d;
    });
    child.on("error", (err: NodeJS.ErrnoException) => (err.code === "ENOENT" ? resolve("missing") : reject(err)));
    child.on("close", (code) => resolve({ code, stderr }));
  });
}
