import { relative, resolve } from "node:path";
import type { ApiModel } from "../model/types.js";
import { Cancelled } from "../util/errors.js";
import { terminalSafe } from "../util/terminalText.js";
import { preferredScheme, type WizardAnswers } from "./answers.js";
import { checkDirWord, type InitFlags } from "./flags.js";
import { checkFolders } from "./folders.js";
import {
  askAuth,
  askEndpoints,
  askFolders,
  askHttpTasks,
  askIac,
  askKind,
  askLanguage,
  askLayers,
  askNamespace,
  askRuntime,
  askSpec,
  askTags,
  askVpc,
  confirmNonEmpty,
  type WizardContext,
} from "./prompts.js";

/** The answers the summary screen can send the user back to, in the order they were asked. */
export const EDITABLE = ["spec", "namespace", "kind", "endpoints", "auth", "vpc", "layers", "tags", "folders"] as const;
export type Editable = (typeof EDITABLE)[number];

export const EDIT_LABELS: Record<Editable, string> = {
  spec: "spec",
  namespace: "namespace",
  kind: "kind, runtime and infrastructure as code",
  endpoints: "endpoints",
  auth: "authentication",
  vpc: "VPC",
  layers: "layers",
  tags: "tags",
  folders: "project and output folders",
};

/** The state the wizard edits: the answers and the model of the spec they were given for. */
export interface Draft {
  answers: WizardAnswers;
  model: ApiModel;
}

function shown(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel === "" ? "." : rel.startsWith("..") ? path : rel;
}

export function summaryLines(a: WizardAnswers, model: ApiModel, cwd: string): string[] {
  const tagText = Object.entries(a.tags).map(([k, v]) => `${k}=${v}`).join(", ");
  const best = preferredScheme(model);
  return [
    "",
    "Summary",
    `  spec        ${terminalSafe(a.spec)} (${terminalSafe(model.title)} ${terminalSafe(model.version)})`,
    `  namespace   ${a.namespace}`,
    `  kind        ${a.kind}, ${a.runtime}, ${a.iac === "cdk" ? "CDK" : "Terraform"}${a.httpTasks ? ", HTTP Tasks" : ""}${a.kind === "api" ? (a.language ? `, typed ${a.language === "python" ? "Python" : "TypeScript"} handlers` : ", untyped handlers") : ""}`,
    `  endpoints   ${a.include ? `${a.include.count} of ${model.endpoints.length}` : `all ${model.endpoints.length}`}`,
    `  auth        ${a.kind === "api" ? "enforced by API Gateway" : a.auth.enabled && best ? `${best.label}, cached ${a.auth.ttlMinutes} min` : "off"}`,
    `  vpc         ${a.vpcId ? `${a.vpcId} (${a.subnets.join(", ")})` : "none"}`,
    `  layers      ${a.layers.length ? a.layers.join(", ") : "none"}`,
    `  tags        ${tagText || "none"}`,
    `  project     ${shown(cwd, a.projectDir)}`,
    `  output      ${shown(cwd, a.outputDir)}`,
    "",
  ];
}

/** The whole interactive flow; flags given on the command line become the defaults. Nothing is written here. */
export async function askAnswers(ctx: WizardContext, dir: string | undefined, flags: InitFlags): Promise<{ answers: WizardAnswers; model: ApiModel }> {
  checkDirWord(dir, ctx.cwd);
  // A folder named on the command line is checked before the first question.
  if (dir) {
    checkFolders(resolve(ctx.cwd, dir), undefined, ctx.cwd);
    await confirmNonEmpty(ctx, resolve(ctx.cwd, dir));
  }
  let { spec, model } = await askSpec(ctx, flags.spec);
  const namespace = await askNamespace(ctx, model, flags.namespace);
  const kind = await askKind(ctx, flags.kind);
  const runtime = await askRuntime(ctx, kind, flags.runtime);
  // The project folder is asked last: esbuild is looked for from the folder named on the command line, else here.
  const language = kind === "api" ? await askLanguage(ctx, runtime, resolve(ctx.cwd, dir ?? "."), flags.language) : undefined;
  const iac = await askIac(ctx, flags.iac);
  const httpTasks = kind === "client" ? await askHttpTasks(ctx) : undefined;
  const include = await askEndpoints(ctx, model);
  const auth = await askAuth(ctx, model, flags.auth !== false, kind);
  const vpc = await askVpc(ctx, { vpcId: flags.vpcId, subnets: flags.subnets });
  const layers = await askLayers(ctx, flags.layers);
  const tags = await askTags(ctx, flags.tag);
  const { projectDir, outputDir } = await askFolders(ctx, namespace, dir, flags.outputDir);
  let answers: WizardAnswers = { spec, namespace, kind, runtime, iac, include, auth, ...vpc, layers, tags, projectDir, outputDir, serverUrl: flags.serverUrl, httpTasks, ...(language ? { language } : {}) };
  if (!dir) await confirmNonEmpty(ctx, projectDir);
  for (;;) {
    for (const line of summaryLines(answers, model, ctx.cwd)) ctx.say(line);
    const next = await ctx.p.select<"go" | "edit" | "cancel">({
      message: "Write the project and generate?",
      choices: [
        { value: "go", name: "yes, write the project and generate" },
        { value: "edit", name: "edit an answer first" },
        { value: "cancel", name: "cancel" },
      ],
    });
    if (next === "go") return { answers, model };
    if (next === "cancel") throw new Cancelled();
    ({ answers, model } = await editAnswer(ctx, { answers, model }, dir));
    spec = answers.spec;
  }
}

/** Asks one answer again; a new spec asks again what depends on it (endpoints, authentication). */
async function editAnswer(ctx: WizardContext, draft: Draft, dir: string | undefined): Promise<Draft> {
  const which = await ctx.p.select<Editable>({
    message: "Which answer?",
    choices: EDITABLE.map((value) => ({ value, name: EDIT_LABELS[value] })),
  });
  const a = { ...draft.answers };
  let model = draft.model;
  if (which === "spec") {
    const loaded = await askSpec(ctx, a.spec);
    model = loaded.model;
    a.spec = loaded.spec;
    a.include = await askEndpoints(ctx, model);
    a.auth = await askAuth(ctx, model, a.auth.enabled, a.kind);
  } else if (which === "namespace") a.namespace = await askNamespace(ctx, model, a.namespace);
  else if (which === "kind") {
    a.kind = await askKind(ctx, a.kind);
    a.runtime = await askRuntime(ctx, a.kind, a.runtime);
    const language = a.kind === "api" ? await askLanguage(ctx, a.runtime, a.projectDir, a.language ?? "untyped") : undefined;
    if (language) a.language = language;
    else delete a.language;
    a.iac = await askIac(ctx, a.iac);
    a.httpTasks = a.kind === "client" ? await askHttpTasks(ctx, a.httpTasks) : undefined;
  } else if (which === "endpoints") a.include = await askEndpoints(ctx, model);
  else if (which === "auth") a.auth = await askAuth(ctx, model, a.auth.enabled, a.kind);
  else if (which === "vpc") Object.assign(a, await askVpc(ctx, { vpcId: a.vpcId, subnets: a.subnets.join(", ") || undefined }));
  else if (which === "layers") a.layers = await askLayers(ctx, a.layers.join(", ") || undefined);
  else if (which === "tags") a.tags = await askTags(ctx, Object.entries(a.tags).map(([k, v]) => `${k}=${v}`));
  else {
    Object.assign(a, await askFolders(ctx, a.namespace, dir, shown(ctx.cwd, a.outputDir)));
    if (!dir) await confirmNonEmpty(ctx, a.projectDir);
  }
  return { answers: a, model };
}
