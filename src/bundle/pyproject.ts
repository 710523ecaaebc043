import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseToml } from "smol-toml";
import { UserError, oneLine } from "../util/errors.js";

/**
 * The requirements of a bundle that has a pyproject.toml and no requirements.txt: its
 * `[project] dependencies`, one a line (what pip reads with -r). Undefined without the file
 * or with no dependencies.
 */
export function pyprojectRequirements(bundle: string): string | undefined {
  const file = join(bundle, "pyproject.toml");
  if (!existsSync(file)) return undefined;
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(readFileSync(file, "utf8")) as Record<string, unknown>;
  } catch (err) {
    throw new UserError(`${file}: invalid TOML: ${oneLine(err).split("\n")[0]}`);
  }
  const project = doc.project as Record<string, unknown> | undefined;
  const deps = project?.dependencies;
  if (deps === undefined) return undefined;
  if (!Array.isArray(deps) || deps.some((d) => typeof d !== "string")) {
    throw new UserError(`${file}: [project] dependencies must be a list of strings`);
  }
  return deps.length ? `${deps.join("\n")}\n` : undefined;
}
