import { createRequire } from "node:module";

/**
 * Loading the packages left out of the main bundle (prompts, spinner, full validation, YAML
 * edits, the Handlebars compiler, glob matching): only some commands need them. The published
 * package carries each one bundled on its own in dist/bundle/vendor/ (scripts/bundle.mjs), so an
 * install pulls no dependencies; the bundle's banner sets `__picofunVendor`, which requires the
 * one asked for. Run from the sources, they come from node_modules.
 */
declare const __picofunVendor: ((name: string) => unknown) | undefined;
/** import() outside the code cache (src/boot/codeCache.ts): where the bundle has no vendored copy. */
declare const __picofunImport: ((name: string) => Promise<unknown>) | undefined;

/** What import() gives for a module that require() gave (CommonJS: module.exports is the default). */
function asNamespace(mod: unknown): unknown {
  if (mod && typeof mod === "object" && (mod as { __esModule?: boolean }).__esModule) return mod;
  return { ...(mod as object), default: mod };
}

export function importPackage<T>(name: string): Promise<T> {
  if (typeof __picofunVendor === "function") return Promise.resolve(asNamespace(__picofunVendor(name)) as T);
  if (typeof __picofunImport === "function") return __picofunImport(name) as Promise<T>;
  return import(name) as Promise<T>;
}

/** require() of such a package; `from` is the caller's import.meta.url. */
export function requirePackage<T>(name: string, from: string): T {
  if (typeof __picofunVendor === "function") return __picofunVendor(name) as T;
  return createRequire(from)(name) as T;
}
