import { existsSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import type { PicofunConfig } from "../config/types.js";

function shown(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel === "" ? "." : rel.startsWith("..") ? path : rel;
}

/** True when the project folder's main.tf calls the generated module (the root module init writes). */
export function hasRootModule(config: PicofunConfig): boolean {
  const file = join(config.baseDir, "main.tf");
  if (!existsSync(file)) return false;
  const source = `./${relative(config.baseDir, config.outputDir).split("\\").join("/")}`;
  // terraform fmt may have aligned the `=` with the arguments after it.
  return readFileSync(file, "utf8").split("\n").some((line) => /^\s*source\s*=\s*"/.test(line) && line.trim().endsWith(`"${source}"`));
}

/**
 * The notes split into those for now and those for after the deployment: the "Authentication:
 * after terraform apply" block (its header and the indented lines under it), printed after the steps.
 */
export function splitNotes(notes: string[]): { now: string[]; after: string[] } {
  const now: string[] = [];
  const after: string[] = [];
  let inAfter = false;
  for (const note of notes) {
    if (/^Authentication: after /.test(note)) inAfter = true;
    else if (inAfter && !note.startsWith("  ")) inAfter = false;
    (inAfter ? after : now).push(note);
  }
  while (now.length && now[now.length - 1] === "") now.pop();
  return { now, after };
}

/**
 * What to run next, in order, from the folder the command ran in. Terraform runs where the
 * root module is, never inside the generated folder, so the state stays out of it; without a
 * root module the steps show the module block to add to one. CDK apps deploy from output/.
 */
export function deploySteps(config: PicofunConfig, namespace: string, cwd: string): string[] {
  const out = shown(config.outputDir, cwd);
  if (config.iac === "cdk") return [`cd ${out}`, "npm install", "npx cdk deploy"];
  if (hasRootModule(config)) {
    const project = shown(config.baseDir, cwd);
    return [...(project === "." ? [] : [`cd ${project}`]), "terraform init               # main.tf calls the generated module", "terraform apply"];
  }
  const source = `./${relative(config.baseDir, config.outputDir).split("\\").join("/")}`;
  return [
    `# in a root module of yours (picofun init writes one), next to ${out}:`,
    `#   module "${namespace.replace(/[^A-Za-z0-9_-]/g, "_")}" { source = "${source}" }`,
    "terraform init",
    "terraform apply",
  ];
}
