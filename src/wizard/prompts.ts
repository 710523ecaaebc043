import { join, relative, resolve } from "node:path";
import type * as Inquirer from "@inquirer/prompts";
import type { Iac, Kind } from "../config/types.js";
import { endpointKey, type ApiModel, type Endpoint } from "../model/types.js";
import { Cancelled, oneLine } from "../util/errors.js";
import {
  DEFAULT_TTL_MINUTES,
  KINDS,
  IACS,
  checkLayers,
  checkNamespace,
  checkSubnets,
  checkTtl,
  checkVpcId,
  parseTags,
  preferredScheme,
  runtimesFor,
  securitySchemes,
  splitWords,
  suggestNamespace,
  type EndpointSubset,
  type WizardAnswers,
} from "./answers.js";
import { subsetFromEndpoints, subsetFromTags, tagCounts } from "./endpoints.js";
import { pickBySearch } from "./searchPick.js";
import { checkDirWord, isEmptyDir, loadForWizard, type InitFlags, type LoadedModel } from "./flags.js";
import { PROJECT_FILES } from "./writeProject.js";
import { outputDirProblem, projectDirProblem } from "./folders.js";
import { terminalSafe } from "../util/terminalText.js";

import type { WizardContext } from "./context.js";
import { defaultStyle, esbuildFound, languageOf, typedLanguageFor, type HandlerStyle } from "./language.js";

export type { Prompts, WizardContext } from "./context.js";

/** Above this many operations the pick step uses the search prompt instead of one long checkbox. */
export const CHECKBOX_LIMIT = 60;

function shown(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel === "" ? "." : rel.startsWith("..") ? path : rel;
}

export async function askSpec(ctx: WizardContext, initial?: string): Promise<LoadedModel> {
  let loaded: LoadedModel | undefined;
  await ctx.p.input({
    message: "OpenAPI spec (path or URL):",
    default: initial,
    required: true,
    validate: async (value) => {
      try {
        loaded = await loadForWizard(value.trim(), ctx.cwd);
        return true;
      } catch (err) {
        return oneLine(err);
      }
    },
  });
  const m = loaded!.model;
  ctx.say(`  ${terminalSafe(m.title)} ${terminalSafe(m.version)}: ${m.endpoints.length} operations`);
  return loaded!;
}

export async function askNamespace(ctx: WizardContext, model: ApiModel, initial?: string): Promise<string> {
  const value = await ctx.p.input({
    message: "Namespace (prefix of every Lambda function name):",
    default: initial ?? suggestNamespace(model.title),
    validate: (v) => checkNamespace(v),
  });
  return value.trim();
}

export async function askIac(ctx: WizardContext, initial?: string): Promise<Iac> {
  return ctx.p.select<Iac>({
    message: "Infrastructure as code:",
    default: (IACS as readonly string[]).includes(initial ?? "") ? (initial as Iac) : "terraform",
    choices: [
      { value: "terraform", name: "Terraform: a module in the output folder" },
      { value: "cdk", name: "CDK: a TypeScript CDK app (and construct) in the output folder" },
    ],
  });
}

export async function askHttpTasks(ctx: WizardContext, initial = false): Promise<boolean> {
  return ctx.p.select<boolean>({
    message: "Step Functions HTTP Tasks (call the API from a workflow without a Lambda, where one is enough)?",
    default: initial,
    choices: [
      { value: false, name: "no: a Lambda client (and its Task state) for every endpoint" },
      { value: true, name: "yes: also an HTTP Task and EventBridge connection for every endpoint one can call" },
    ],
  });
}

export async function askKind(ctx: WizardContext, initial?: string): Promise<Kind> {
  return ctx.p.select<Kind>({
    message: "What should picofun build?",
    default: (KINDS as readonly string[]).includes(initial ?? "") ? (initial as Kind) : "client",
    choices: [
      { value: "client", name: "client: Lambda functions that call this API" },
      { value: "api", name: "api: an API Gateway REST API served by Lambda functions" },
    ],
  });
}

export async function askRuntime(ctx: WizardContext, kind: Kind, initial?: string): Promise<string> {
  const runtimes = runtimesFor(kind);
  return ctx.p.select<string>({
    message: "Lambda runtime:",
    default: initial && runtimes.includes(initial) ? initial : runtimes[0],
    choices: runtimes.map((r) => ({ value: r, name: r })),
  });
}

/** Api kind: typed handlers (the default) or single-file stubs. */
export async function askLanguage(ctx: WizardContext, runtime: string, projectDir: string, initial?: string): Promise<"python" | "typescript" | undefined> {
  const typed = typedLanguageFor(runtime);
  const hasEsbuild = esbuildFound(projectDir);
  const fallback = defaultStyle("api", runtime, hasEsbuild)!;
  const style = await ctx.p.select<HandlerStyle>({
    message: "Handlers:",
    default: initial === typed || initial === "untyped" ? initial : fallback,
    choices: [
      {
        value: typed,
        name:
          typed === "python"
            ? "typed Python: def handle(request) with types from the spec; picofun's glue parses the event"
            : `typed TypeScript: handle(request) with types from the spec, bundled by esbuild${hasEsbuild ? "" : " (npm i -D esbuild first)"}`,
      },
      { value: "untyped", name: `untyped: one handler(event, context) file per operation${typed === "typescript" ? " (.mjs)" : ""}` },
    ],
  });
  return languageOf(style);
}

function endpointName(e: Endpoint): string {
  const label = endpointKey(e);
  return terminalSafe(e.operationId ? `${label}  (${e.operationId})` : label);
}

async function pickByCheckbox(ctx: WizardContext, model: ApiModel): Promise<Endpoint[]> {
  const groups = new Map<string, Endpoint[]>();
  for (const e of model.endpoints) {
    const tag = e.tags[0] ?? "(untagged)";
    groups.set(tag, [...(groups.get(tag) ?? []), e]);
  }
  const choices: (Inquirer.Separator | { value: Endpoint; name: string; short: string })[] = [];
  for (const [tag, list] of groups) {
    choices.push(new ctx.p.Separator(`-- ${terminalSafe(tag)} --`));
    for (const e of list) choices.push({ value: e, name: endpointName(e), short: endpointKey(e) });
  }
  return ctx.p.checkbox<Endpoint>({
    message: `Pick endpoints (space to toggle, enter when done; ${model.endpoints.length} in the spec):`,
    choices,
    pageSize: 15,
    loop: false,
    required: true,
    theme: { style: { renderSelectedChoices: (sel: readonly unknown[]) => `${sel.length} endpoints` } },
  });
}

export async function askEndpoints(ctx: WizardContext, model: ApiModel): Promise<EndpointSubset | undefined> {
  const total = model.endpoints.length;
  const tags = tagCounts(model);
  const mode = await ctx.p.select<"all" | "tags" | "pick">({
    message: "Which endpoints?",
    choices: [
      { value: "all", name: `all ${total} operations` },
      ...(tags.length ? [{ value: "tags" as const, name: `by tag (${tags.length} tags)` }] : []),
      { value: "pick", name: total > CHECKBOX_LIMIT ? "pick some (search)" : "pick some" },
    ],
  });
  let subset: EndpointSubset | undefined;
  if (mode === "tags") {
    const chosen = await ctx.p.checkbox<string>({
      message: "Tags:",
      choices: tags.map((t) => ({ value: t.tag, name: `${terminalSafe(t.tag)} (${t.count})` })),
      pageSize: 15,
      loop: false,
      required: true,
    });
    subset = subsetFromTags(model, chosen);
  } else if (mode === "pick") {
    const picked = total > CHECKBOX_LIMIT ? await pickBySearch(ctx, model) : await pickByCheckbox(ctx, model);
    subset = subsetFromEndpoints(model, picked);
  }
  ctx.say(`  ${subset ? subset.count : total} of ${total} operations selected`);
  return subset;
}

export async function askAuth(ctx: WizardContext, model: ApiModel, enabledByFlag = true, kind: Kind = "client"): Promise<WizardAnswers["auth"]> {
  const schemes = securitySchemes(model);
  const best = preferredScheme(model);
  if (kind === "api") {
    // The api kind serves the spec: its security schemes are enforced by API Gateway, not sent.
    const what = schemes.length ? `enforces ${schemes.map((s) => `${s.name} (${s.label})`).join(", ")}` : "serves every operation without authentication (the spec declares no security schemes)";
    ctx.say(`  API Gateway ${what}`);
    return { enabled: false, ttlMinutes: DEFAULT_TTL_MINUTES };
  }
  if (!schemes.length) {
    ctx.say("  The spec declares no security schemes: the functions call the API without credentials.");
    return { enabled: false, ttlMinutes: DEFAULT_TTL_MINUTES };
  }
  ctx.say(`  Security schemes: ${schemes.map((s) => `${s.name} (${s.label})`).join(", ")}`);
  if (!best) {
    ctx.say("  None of them is supported: authentication is off (write a preprocessor to add credentials).");
    return { enabled: false, ttlMinutes: DEFAULT_TTL_MINUTES };
  }
  const on = await ctx.p.select<boolean>({
    message: "Authentication:",
    default: enabledByFlag,
    choices: [
      { value: true, name: `on: ${best.label} (${best.name}), credentials read from SSM Parameter Store` },
      { value: false, name: "off: the functions send no credentials (you can add your own preprocessor)" },
    ],
  });
  if (!on) return { enabled: false, ttlMinutes: DEFAULT_TTL_MINUTES };
  const ttl = await ctx.p.number({
    message: "Cache credentials in memory for how many minutes?",
    default: DEFAULT_TTL_MINUTES,
    required: true,
    validate: (v) => checkTtl(v),
  });
  return { enabled: true, ttlMinutes: ttl ?? DEFAULT_TTL_MINUTES };
}

export async function askVpc(ctx: WizardContext, initial: { vpcId?: string; subnets?: string } = {}): Promise<{ vpcId?: string; subnets: string[] }> {
  const inVpc = await ctx.p.select<boolean>({
    message: "Run the functions in a VPC?",
    default: initial.vpcId !== undefined,
    choices: [
      { value: false, name: "no" },
      { value: true, name: "yes: give a VPC id and subnets" },
    ],
  });
  if (!inVpc) return { subnets: [] };
  const vpcId = await ctx.p.input({ message: "VPC id:", default: initial.vpcId, required: true, validate: (v) => checkVpcId(v) });
  const subnets = await ctx.p.input({
    message: "Subnet ids (comma or space separated):",
    default: initial.subnets,
    required: true,
    validate: (v) => checkSubnets(splitWords(v)),
  });
  return { vpcId: vpcId.trim(), subnets: splitWords(subnets) };
}

export async function askLayers(ctx: WizardContext, initial?: string): Promise<string[]> {
  const value = await ctx.p.input({
    message: "Extra Lambda layer ARNs (comma separated, empty for none):",
    default: initial,
    validate: (v) => checkLayers(splitWords(v)),
  });
  return splitWords(value);
}

export async function askTags(ctx: WizardContext, initial?: string[]): Promise<Record<string, string>> {
  const split = (v: string) => v.split(",").map((s) => s.trim()).filter(Boolean);
  const value = await ctx.p.input({
    message: "Tags for every resource (key=value, comma separated, empty for none):",
    default: initial?.length ? initial.join(", ") : undefined,
    validate: (v) => {
      const r = parseTags(split(v));
      return typeof r === "string" ? r : true;
    },
  });
  return parseTags(split(value)) as Record<string, string>;
}

export async function askFolders(ctx: WizardContext, namespace: string, dir?: string, outputFlag?: string): Promise<{ projectDir: string; outputDir: string }> {
  let projectDir: string;
  if (dir) {
    projectDir = resolve(ctx.cwd, dir);
  } else {
    const typed = await ctx.p.input({
      message: "Project folder (picofun.toml goes here):",
      default: namespace,
      validate: (v) => {
        try {
          checkDirWord(v.trim(), ctx.cwd);
        } catch (err) {
          return oneLine(err);
        }
        return projectDirProblem(resolve(ctx.cwd, v.trim()), ctx.cwd) ?? true;
      },
    });
    projectDir = resolve(ctx.cwd, typed.trim());
  }
  const typed = await ctx.p.input({
    message: "Output folder for the generated functions and Terraform:",
    default: outputFlag ?? shown(ctx.cwd, join(projectDir, "output")),
    validate: (v) => outputDirProblem(resolve(ctx.cwd, v.trim()), projectDir, ctx.cwd) ?? true,
  });
  return { projectDir, outputDir: resolve(ctx.cwd, typed.trim()) };
}

/**
 * Asked when the project folder has files: stop (the default: Enter never overwrites), or overwrite
 * picofun's own files.
 */
export async function confirmNonEmpty(ctx: WizardContext, projectDir: string): Promise<void> {
  if (isEmptyDir(projectDir)) return;
  const choice = await ctx.p.select<"overwrite" | "cancel">({
    message: `${shown(ctx.cwd, projectDir)} is not empty. What now?`,
    default: "cancel",
    choices: [
      { value: "cancel", name: "cancel" },
      { value: "overwrite", name: `overwrite picofun's files (${PROJECT_FILES.join(", ")}); other files stay as they are` },
    ],
  });
  if (choice === "cancel") throw new Cancelled();
}
