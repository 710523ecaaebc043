import { copyFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import { addTopLevelString } from "../../config/editToml.js";
import { writeFileAtomic } from "../../write/atomic.js";
import { loadConfig } from "../../config/load.js";
import { requireProject } from "../../config/project.js";
import { bundledTemplateNames, selectTemplates } from "../../render/bundled.js";
import { UserError } from "../../util/errors.js";
import { didYouMean } from "../../util/suggest.js";
import { bundledTemplatesDir } from "../../util/paths.js";

export interface TemplatesFlags {
  config?: string;
  all?: boolean;
}

/** Top-level template folders that belong to one kind (or to the wizard) only, and that kind. */
const FOLDER_KIND: Record<string, string> = { client: "client", api: "api", init: "init", stepfunctions: "client" };

/** Without names, eject copies what the project's kind uses: its own folder and the shared ones. */
function forKind(all: string[], kind: string): string[] {
  return all.filter((t) => {
    const top = t.split("/")[0];
    return !(top in FOLDER_KIND) || FOLDER_KIND[top] === kind;
  });
}

/** Where overrides live: template_path from picofun.toml, else `templates` next to it. */
function templateFolder(flags: TemplatesFlags): { dir: string; configured: boolean; baseDir: string; configFile?: string; kind: string } {
  const config = loadConfig({ config: flags.config });
  requireProject(config, process.cwd(), "run \"picofun init\" to create a project, or pass --config");
  const common = { baseDir: config.baseDir, configFile: config.configFile, kind: config.kind };
  if (config.templatePath) return { dir: config.templatePath, configured: true, ...common };
  return { dir: join(config.baseDir, "templates"), configured: false, ...common };
}

/** `picofun templates list`: every bundled template, marked when template_path overrides it. */
export async function templatesList(flags: TemplatesFlags): Promise<void> {
  const { dir, configured } = templateFolder(flags);
  const lines = bundledTemplateNames().map((name) => {
    const overridden = configured && existsSync(join(dir, name));
    return overridden ? `${name}  (overridden: ${join(dir, name)})` : name;
  });
  process.stdout.write(`${lines.join("\n")}\n`);
}

/**
 * `picofun templates eject [name...]`: copies bundled templates into template_path as a
 * starting point. Existing files are never overwritten.
 */
export async function templatesEject(names: string[], flags: TemplatesFlags): Promise<void> {
  const all = bundledTemplateNames();
  const chosen = new Set<string>();
  const folder = templateFolder(flags);
  if (!names.length) (flags.all ? all : forKind(all, folder.kind)).forEach((t) => chosen.add(t));
  for (const name of names) {
    const hits = selectTemplates(name, all);
    if (!hits.length) {
      throw new UserError(`no bundled template "${name}"${didYouMean(name, all)}; run "picofun templates list" to see them`);
    }
    hits.forEach((t) => chosen.add(t));
  }
  const { dir, configured, baseDir, configFile } = folder;
  const copied: string[] = [];
  const kept: string[] = [];
  for (const name of [...chosen].sort()) {
    const target = join(dir, name);
    if (existsSync(target)) {
      kept.push(name);
      continue;
    }
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(join(bundledTemplatesDir(), name), target);
    copied.push(name);
  }
  const lines = copied.map((n) => `copied ${join(dir, n)}`);
  lines.push(...kept.map((n) => `kept ${join(dir, n)} (already there)`));
  lines.push(`${copied.length} copied, ${kept.length} already there`);
  if (!configured) {
    const rel = relative(baseDir, dir).split("\\").join("/") || ".";
    if (configFile) {
      writeFileAtomic(configFile, addTopLevelString(readFileSync(configFile, "utf8"), "template_path", rel));
      lines.push(`template_path = "${rel}" added to ${basename(configFile)}: generation now uses these templates`);
    } else {
      lines.push(`add template_path = "${rel}" to picofun.toml so generation uses them`);
    }
  }
  process.stdout.write(`${lines.join("\n")}\n`);
}
