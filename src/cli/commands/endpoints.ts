import { existsSync, readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { basename, dirname, join, relative } from "node:path";
import { canPrompt, onPromptStream } from "../../ui/prompting.js";
import type { CliOverrides, PicofunConfig } from "../../config/types.js";
import { endpointKey, type ApiModel, type Endpoint } from "../../model/types.js";
import { nameEndpoints, type NamedEndpoint } from "../../naming/functionName.js";
import { preloadPlop } from "../../render/plop.js";
import { generate } from "../../pipeline/generate.js";
import { lastGenerationOverrides } from "../../pipeline/lastGeneration.js";
import { NO_PROJECT_HINT, openProject, requireNamespace } from "../../project/open.js";
import { loadAllowlist } from "../../select/allowlist.js";
import { selectEndpoints } from "../../select/match.js";
import { isBroad, resolveSelectors } from "../../select/selectors.js";
import type { LoadedSpec } from "../../spec/load.js";
import { chalk } from "../../ui/color.js";
import { startSpinner } from "../../ui/spinner.js";
import { generationSummary } from "../../ui/summary.js";
import { UserError, isUserError } from "../../util/errors.js";
import { terminalSafe } from "../../util/terminalText.js";
import { writeFileAtomic } from "../../write/atomic.js";
import { overridesFrom, type GlobalFlags } from "../options.js";
import { importPackage } from "../../util/importPackage.js";

export interface EndpointFlags extends GlobalFlags {
  json?: boolean;
}

const DEFAULT_ALLOWLIST = "include-endpoints.yaml";

interface Context {
  cwd: string;
  /** The command's flags over the options of the last generation (so a regeneration keeps --server-url, --kind, ...). */
  overrides: CliOverrides;
  config: PicofunConfig;
  model: ApiModel;
  spec: LoadedSpec;
  /** Endpoints generated now (all of them without an allowlist). */
  included: Set<Endpoint>;
}

async function context(flags: EndpointFlags): Promise<Context> {
  const cwd = process.cwd();
  const overrides = lastGenerationOverrides(overridesFrom(flags), cwd);
  const { config, spec, model } = await openProject({ overrides, cwd, project: NO_PROJECT_HINT, namespace: false, select: false });
  const allow = config.includeEndpoints ? await loadAllowlist(config.includeEndpoints) : undefined;
  return { cwd, overrides, config, spec, model, included: new Set(selectEndpoints(model.endpoints, allow)) };
}

function interactive(): boolean {
  return canPrompt();
}

function label(e: Endpoint): string {
  return terminalSafe(e.operationId ? `${endpointKey(e)} (${e.operationId})` : endpointKey(e));
}

function shown(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith("..") ? rel : path;
}

/** Files changed by an edit, with what they held before, so a failed generation can undo it. */
type Undo = Array<{ file: string; before?: string }>;

function snapshot(file: string): { file: string; before?: string } {
  return { file, before: existsSync(file) ? readFileSync(file, "utf8") : undefined };
}

async function restore(undo: Undo): Promise<void> {
  for (const { file, before } of undo) {
    if (before === undefined) await rm(file, { force: true });
    else await writeFileAtomic(file, before);
  }
}

/** Regenerates after an edit of the allowlist; when generation fails the edit is undone. */
async function regenerate(ctx: Context, flags: EndpointFlags, undo: Undo): Promise<void> {
  const spinner = await startSpinner("Generating");
  try {
    const result = await generate({
      overrides: ctx.overrides,
      cwd: ctx.cwd,
      force: flags.force,
      onStage: (t) => spinner.text(t),
      loaded: { spec: ctx.spec, model: ctx.model },
    });
    spinner.stop();
    process.stdout.write(`${generationSummary(result)}\n`);
  } catch (err) {
    spinner.fail();
    await restore(undo);
    const note = ` (${undo.map((u) => shown(u.file, ctx.cwd)).join(" and ")} put back as before)`;
    if (isUserError(err)) throw new UserError(`${err.message}${note}`, { exitCode: err.exitCode, cause: err });
    if (err instanceof Error) err.message += note;
    throw err;
  }
}

/** `picofun list endpoints [--json]` */
export async function listEndpointsCommand(flags: EndpointFlags): Promise<void> {
  const ctx = await context(flags);
  const namespace = requireNamespace(ctx.config);
  const all = ctx.model.endpoints;
  const generatedNames = nameEndpoints(all.filter((e) => ctx.included.has(e)), namespace);
  const otherNames = nameEndpoints(all, namespace);
  // The api kind names functions after operationIds: `list` shows those names.
  const apiNames =
    ctx.config.kind === "api"
      ? (await import("../../kinds/api/functionNames.js")).apiFunctionNames(ctx.spec.doc, new Set([...ctx.included].map(endpointKey)), namespace)
      : undefined;
  // The client kind: which endpoints an HTTP Task can call ([stepfunctions] http_tasks), or why not.
  const http = apiNames ? undefined : await httpTaskColumn(ctx, all.map((e) => (generatedNames.get(e) ?? otherNames.get(e))!));
  const rows = all.map((e) => ({
    method: e.method.toUpperCase(),
    path: e.path,
    operationId: e.operationId ?? null,
    tags: e.tags,
    functionName: apiNames ? (apiNames.get(endpointKey(e)) ?? null) : (generatedNames.get(e) ?? otherNames.get(e))!.functionName,
    included: ctx.included.has(e),
    ...(http ? { httpTask: http.get(endpointKey(e)) ?? null } : {}),
  }));
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return;
  }
  const table = [
    ["", "METHOD", "PATH", "OPERATION ID", "TAGS", "FUNCTION", ...(http ? ["HTTP TASK"] : [])],
    ...rows.map((r) => [
      r.included ? "✔" : "·", r.method, terminalSafe(r.path), terminalSafe(r.operationId ?? "-"), terminalSafe(r.tags.join(",")) || "-", r.functionName ?? "-",
      ...(http ? [r.httpTask === "yes" ? "yes" : terminalSafe(`no: ${r.httpTask}`)] : []),
    ]),
  ];
  const widths = table[0].map((_, c) => Math.max(...table.map((row) => row[c].length)));
  const lines = table.map((row) => row.map((cell, c) => (c === row.length - 1 ? cell : cell.padEnd(widths[c]))).join("  ").trimEnd());
  lines[0] = chalk.bold(lines[0]);
  const where = ctx.config.includeEndpoints ? shown(ctx.config.includeEndpoints, ctx.cwd) : "no allowlist: all";
  lines.push("", chalk.dim(`${ctx.included.size} of ${all.length} endpoints included (${where})`));
  process.stdout.write(`${lines.join("\n")}\n`);
}

/** Endpoint key -> "yes" or the reason it stays a Lambda client. */
async function httpTaskColumn(ctx: Context, named: NamedEndpoint[]): Promise<Map<string, string>> {
  const { buildHttpTasks } = await import("../../kinds/client/stepfunctions/http/model.js");
  const m = buildHttpTasks(ctx.model, named, ctx.config);
  const out = new Map<string, string>(m.tasks.map((t) => [t.endpoint, "yes"]));
  for (const s of m.staysLambda) out.set(s.endpoint, s.reason);
  return out;
}

async function pickEndpoint(candidates: Endpoint[]): Promise<Endpoint> {
  const { search } = onPromptStream(await importPackage<typeof import("@inquirer/prompts")>("@inquirer/prompts"));
  const choices = candidates.map((e) => ({
    name: label(e),
    value: e,
    description: e.summary === undefined ? undefined : terminalSafe(e.summary),
    haystack: `${endpointKey(e)} ${e.operationId ?? ""} ${e.tags.join(" ")} ${e.summary ?? ""}`.toLowerCase(),
  }));
  return search<Endpoint>({
    message: "Endpoint to add",
    pageSize: 12,
    source: async (term) => {
      const words = (term ?? "").toLowerCase().split(/\s+/).filter(Boolean);
      return choices
        .filter((c) => words.every((w) => c.haystack.includes(w)))
        .map(({ name, value, description }) => ({ name, value, description }));
    },
  });
}

/** `picofun add endpoint [selector...]` */
export async function addEndpointCommand(selectors: string[], flags: EndpointFlags): Promise<void> {
  preloadPlop();
  const ctx = await context(flags);
  requireNamespace(ctx.config);
  const all = ctx.model.endpoints;
  let matched: Endpoint[];
  if (selectors.length) {
    matched = resolveSelectors(selectors, all).matched;
  } else {
    if (!ctx.config.includeEndpoints) {
      process.stdout.write("There is no include_endpoints allowlist: every endpoint is generated already. Nothing changed.\n");
      return;
    }
    const candidates = all.filter((e) => !ctx.included.has(e));
    if (!candidates.length) {
      process.stdout.write("Every endpoint of the spec is included already. Nothing changed.\n");
      return;
    }
    if (flags.yes || !interactive()) {
      throw new UserError('name the endpoints to add, e.g. picofun add endpoint getOrder "GET /orders" (the search prompt needs a terminal)');
    }
    matched = [await pickEndpoint(candidates)];
  }
  const file = ctx.config.includeEndpoints;
  if (!file) {
    process.stdout.write("There is no include_endpoints allowlist: every endpoint is generated already. Nothing changed.\n");
    return;
  }
  const fresh = matched.filter((e) => !ctx.included.has(e));
  const already = matched.filter((e) => ctx.included.has(e));
  const name = shown(file, ctx.cwd);
  for (const e of already) process.stdout.write(`${chalk.dim("·")} ${label(e)} is included already\n`);
  const undo: Undo = [snapshot(file)];
  if (fresh.length) {
    const { addEndpoints, readAllowlistDocument, writeAllowlist } = await import("../../select/editAllowlist.js");
    const doc = await readAllowlistDocument(file);
    addEndpoints(doc, fresh);
    await writeAllowlist(file, doc);
    for (const e of fresh) process.stdout.write(`${chalk.green("+")} ${label(e)} added to ${name}\n`);
  }
  await regenerate(ctx, flags, undo);
}

async function confirmRemoval(endpoints: Endpoint[], flags: EndpointFlags): Promise<boolean> {
  if (flags.yes) return true;
  const list = endpoints.map((e) => `  ${label(e)}`).join("\n");
  if (!interactive()) {
    throw new UserError(
      `the selectors match ${endpoints.length} endpoints (${endpoints.map(endpointKey).join(", ")}); run again with --yes to remove them all`,
    );
  }
  process.stdout.write(`These ${endpoints.length} endpoints would be removed:\n${list}\n`);
  const { confirm } = onPromptStream(await importPackage<typeof import("@inquirer/prompts")>("@inquirer/prompts"));
  return confirm({ message: `Remove these ${endpoints.length} endpoints?`, default: false });
}

/** `picofun remove endpoint <selector...>` */
export async function removeEndpointCommand(selectors: string[], flags: EndpointFlags): Promise<void> {
  if (!selectors.length) throw new UserError('name the endpoints to remove, e.g. picofun remove endpoint getOrder');
  preloadPlop();
  const ctx = await context(flags);
  requireNamespace(ctx.config);
  const all = ctx.model.endpoints;
  const resolved = resolveSelectors(selectors, all);
  const toRemove = resolved.matched.filter((e) => ctx.included.has(e));
  for (const e of resolved.matched.filter((m) => !ctx.included.has(m))) {
    process.stdout.write(`${chalk.dim("·")} ${label(e)} is not included\n`);
  }
  if (!toRemove.length) {
    process.stdout.write("Nothing to remove. Nothing changed.\n");
    return;
  }
  if (toRemove.length > 1 && resolved.selectors.some(isBroad) && !(await confirmRemoval(toRemove, flags))) {
    process.stdout.write("Nothing changed.\n");
    return;
  }
  const edit = await import("../../select/editAllowlist.js");
  const undo: Undo = [];
  let file = ctx.config.includeEndpoints;
  if (file) {
    undo.push(snapshot(file));
    const doc = await edit.readAllowlistDocument(file);
    const expanded = edit.removeEndpoints(doc, file, toRemove, all);
    await edit.writeAllowlist(file, doc);
    for (const rule of expanded) {
      process.stdout.write(`${chalk.yellow("!")} "${rule}" in ${shown(file, ctx.cwd)} now lists its other endpoints one by one\n`);
    }
  } else {
    const toml = ctx.config.configFile;
    if (!toml) {
      throw new UserError("remove endpoint needs a picofun.toml to record the allowlist in (run picofun init, or pass --config)");
    }
    file = join(dirname(toml), DEFAULT_ALLOWLIST);
    if (existsSync(file)) {
      throw new UserError(`${shown(file, ctx.cwd)} exists but picofun.toml does not use it: add include_endpoints = "${DEFAULT_ALLOWLIST}" to ${basename(toml)} and run again`);
    }
    const gone = new Set(toRemove);
    const keep = all.filter((e) => !gone.has(e));
    if (!keep.length) throw new UserError("that would leave no endpoint to generate; picofun needs at least one");
    undo.push(snapshot(file), snapshot(toml));
    const doc = edit.newAllowlist(
      keep,
      `Endpoints picofun generates (include_endpoints in ${basename(toml)}).\nCreated by "picofun remove endpoint"; edit freely: comments and order are kept.`,
    );
    await edit.writeAllowlist(file, doc);
    await edit.addIncludeEndpointsKey(toml, DEFAULT_ALLOWLIST);
    process.stdout.write(`${chalk.green("+")} ${shown(file, ctx.cwd)} created with the ${keep.length} other endpoints, and include_endpoints added to ${shown(toml, ctx.cwd)}\n`);
  }
  for (const e of toRemove) process.stdout.write(`${chalk.red("-")} ${label(e)} removed from ${shown(file, ctx.cwd)}\n`);
  await regenerate(ctx, flags, undo);
}
