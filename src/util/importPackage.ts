/**
 * import() of a package from node_modules (the ones left out of the bundle: prompts, spinner,
 * full validation). The bundle runs from V8's code cache, where Node 20 cannot import(); there
 * the loader (src/boot/codeCache.ts) makes the call for it, through `__picofunImport` (set by the
 * bundle's banner, see scripts/bundle.mjs). Run from the sources, it is a plain import().
 */
declare const __picofunImport: ((name: string) => Promise<unknown>) | undefined;

export function importPackage<T>(name: string): Promise<T> {
  if (typeof __picofunImport === "function") return __picofunImport(name) as Promise<T>;
  return import(name) as Promise<T>;
}
