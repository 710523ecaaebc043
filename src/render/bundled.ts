import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { bundledTemplatesDir } from "../util/paths.js";

/** Every template picofun ships ("client/handler.py.hbs", "client/layer/picorun/hooks.py", ...), sorted. */
export function bundledTemplateNames(): string[] {
  const root = bundledTemplatesDir();
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.name === "__pycache__" || e.name.endsWith(".pyc")) continue;
      const full = join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.isFile()) out.push(relative(root, full).split("\\").join("/"));
    }
  };
  walk(root);
  return out.sort();
}

/**
 * The templates a name selects: an exact template name, the same without ".hbs", or a folder
 * ("client/terraform") for everything under it. Empty when nothing matches.
 */
export function selectTemplates(name: string, all: string[]): string[] {
  const n = name.replace(/\\/g, "/").replace(/^\.?\/+/, "").replace(/\/+$/, "");
  if (!n) return [...all];
  const exact = all.filter((t) => t === n || t === `${n}.hbs`);
  if (exact.length) return exact;
  return all.filter((t) => t.startsWith(`${n}/`));
}
