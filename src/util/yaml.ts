import { importPackage } from "./importPackage.js";

/**
 * Loads the `yaml` package. It is CommonJS: Node exposes module.exports as the default export
 * of a dynamic import, and so does the bundled build, which does not copy named exports; reading
 * `default` works in both.
 */
export async function loadYaml(): Promise<typeof import("yaml")> {
  const mod = await importPackage<typeof import("yaml") & { default?: typeof import("yaml") }>("yaml");
  return mod.default && typeof mod.default.parseDocument === "function" ? mod.default : mod;
}
