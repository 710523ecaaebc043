import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../write/atomic.js";
import { hclString } from "../render/escape.js";
import type { WizardAnswers } from "./answers.js";
import { projectPath } from "./writeProject.js";

export const ROOT_MODULE_FILE = "main.tf";
const MARKER = "# Root module written by `picofun init`.";

/** Outputs the generated module declares (read from its .tf files), so the root can show them. */
export function moduleOutputs(moduleDir: string): string[] {
  if (!existsSync(moduleDir)) return [];
  const names = new Set<string>();
  for (const file of readdirSync(moduleDir).filter((f) => f.endsWith(".tf"))) {
    for (const m of readFileSync(join(moduleDir, file), "utf8").matchAll(/^output "([^"]+)"/gm)) names.add(m[1]);
  }
  return [...names].sort();
}

/** Variables the root passes on when the generated module declares them (the write-only credentials). */
const FORWARDED: Record<string, string[]> = {
  credentials: [
    'variable "credentials" {',
    '  description = "Credentials JSON by credential type for the first apply (or with a credentials_version change); never in plan or state."',
    "  type        = map(string)",
    "  default     = {}",
    "  sensitive   = true",
    "  ephemeral   = true",
    "}",
  ],
  credentials_version: [
    'variable "credentials_version" {',
    '  description = "Change it to write var.credentials over the stored credentials again."',
    "  type        = number",
    "  default     = 1",
    "}",
  ],
};

/** Which of FORWARDED the generated module declares (read from its .tf files). */
export function forwardedVariables(moduleDir: string): string[] {
  if (!existsSync(moduleDir)) return [];
  const names = new Set<string>();
  for (const file of readdirSync(moduleDir).filter((f) => f.endsWith(".tf"))) {
    for (const m of readFileSync(join(moduleDir, file), "utf8").matchAll(/^variable "([^"]+)"/gm)) if (m[1] in FORWARDED) names.add(m[1]);
  }
  return Object.keys(FORWARDED).filter((n) => names.has(n));
}

/** HCL module/block label: the namespace with anything else than letters, digits, - and _ as _. */
function label(namespace: string): string {
  const l = namespace.replace(/[^A-Za-z0-9_-]/g, "_");
  return /^[A-Za-z_]/.test(l) ? l : `m_${l}`;
}

/**
 * The project's root module: the AWS provider (region from a variable), a commented backend
 * block, the call of the generated module and its outputs. `terraform init` / `apply` run in the
 * project folder, so state never lands in the generated folder.
 */
export function rootModuleText(a: WizardAnswers, outputs: string[], forwarded: string[] = []): string {
  const name = label(a.namespace);
  const source = projectPath(a.projectDir, a.outputDir);
  const lines = [
    MARKER,
    "# Run terraform init and terraform apply in this folder; the state stays here (or in the backend",
    "# below), never in the generated folder. picofun rewrites this file only while it starts with the line above.",
    "terraform {",
    '  required_version = ">= 1.11.0"',
    "",
    "  required_providers {",
    "    aws = {",
    '      source  = "hashicorp/aws"',
    '      version = ">= 5.100, < 7.0"',
    "    }",
    "  }",
    "",
    "  # Keep the state in S3 for shared accounts (then run terraform init again):",
    '  # backend "s3" {',
    '  #   bucket       = "my-terraform-state"',
    `  #   key          = "${a.namespace}/terraform.tfstate"`,
    '  #   region       = "us-east-1"',
    "  #   use_lockfile = true",
    "  # }",
    "}",
    "",
    'variable "region" {',
    '  description = "AWS region to deploy to; null takes it from AWS_REGION or the AWS profile."',
    "  type        = string",
    "  default     = null",
    "}",
    "",
    ...forwarded.flatMap((v) => ["", ...FORWARDED[v]]),
    "",
    'provider "aws" {',
    "  region = var.region",
    "}",
    "",
    `module "${name}" {`,
    ...alignedArguments([["source", hclString(source.startsWith(".") || source.startsWith("/") ? source : `./${source}`)], ...forwarded.map((v) => [v, `var.${v}`])]),
    "}",
  ];
  for (const o of outputs) {
    lines.push("", `output "${o}" {`, `  value = module.${name}.${o}`, "}");
  }
  return `${lines.join("\n")}\n`;
}

/** `name = value` lines, their `=` aligned as terraform fmt aligns consecutive arguments. */
function alignedArguments(args: string[][]): string[] {
  const width = Math.max(...args.map(([n]) => n.length));
  return args.map(([n, v]) => `  ${n.padEnd(width)} = ${v}`);
}

/**
 * Writes main.tf unless the user has one of their own (a main.tf that does not start with
 * picofun's marker line is never touched): "kept" then, "written" or "unchanged" otherwise.
 */
export async function writeRootModule(a: WizardAnswers): Promise<"written" | "unchanged" | "kept"> {
  const file = join(a.projectDir, ROOT_MODULE_FILE);
  const existing = existsSync(file) ? readFileSync(file, "utf8") : undefined;
  if (existing !== undefined && !existing.startsWith(MARKER)) return "kept";
  const text = rootModuleText(a, moduleOutputs(a.outputDir), forwardedVariables(a.outputDir));
  if (existing === text) return "unchanged";
  await writeFileAtomic(file, text);
  return "written";
}
