import { existsSync, readdirSync, statSync } from "node:fs";
import { checkServerUrl } from "../model/urlCheck.js";
import { join, resolve } from "node:path";
import type { Iac, Kind } from "../config/types.js";
import { buildModel } from "../model/build.js";
import type { ApiModel } from "../model/types.js";
import { loadSpec } from "../spec/load.js";
import { isUrl } from "../spec/read.js";
import { UserError } from "../util/errors.js";
import { distance } from "../util/suggest.js";
import {
  DEFAULT_TTL_MINUTES,
  checkKind,
  checkLayers,
  checkNamespace,
  checkRuntime,
  checkIac,
  checkSubnets,
  checkTtl,
  checkVpcId,
  parseTags,
  preferredScheme,
  runtimesFor,
  splitWords,
  suggestNamespace,
  type WizardAnswers,
} from "./answers.js";
import { subsetFromSelectors } from "./endpoints.js";
import { checkFolders } from "./folders.js";
import { checkStyle, defaultStyle, esbuildFound, languageOf, type HandlerStyle } from "./language.js";

/** The options of `picofun init` (and `create-picofun`). */
export interface InitFlags {
  yes?: boolean;
  force?: boolean;
  debug?: boolean;
  spec?: string;
  namespace?: string;
  kind?: string;
  runtime?: string;
  /** Api kind: python, typescript or untyped (the handler stubs). */
  language?: string;
  iac?: string;
  endpoints?: string;
  /** false with --no-auth. */
  auth?: boolean;
  authTtl?: string;
  vpcId?: string;
  subnets?: string;
  layers?: string;
  tag?: string[];
  outputDir?: string;
  serverUrl?: string;
}

export interface LoadedModel {
  spec: string;
  model: ApiModel;
}

/** Loads a spec for the wizard; relative paths resolve against the folder the command ran in. */
export async function loadForWizard(location: string, cwd: string): Promise<LoadedModel> {
  const spec = isUrl(location) ? location : resolve(cwd, location);
  const loaded = await loadSpec(spec, cwd);
  return { spec, model: buildModel(loaded) };
}

const COMMAND_WORDS = ["generate", "init", "add", "remove", "list", "lint", "sync", "templates", "help"];

/**
 * A folder that does not exist yet and reads like a command word is refused: the word itself, or
 * one letter off a long one ("generat"). Short words need an exact match, so "app" or "dist" stay folder names.
 */
export function checkDirWord(dir: string | undefined, cwd: string): void {
  if (!dir || existsSync(resolve(cwd, dir)) || /[/\\]/.test(dir)) return;
  const word = dir.toLowerCase();
  const near = COMMAND_WORDS.find((c) => c === word || (c.length >= 5 && distance(word, c) <= 1));
  if (near) {
    throw new UserError(
      `"${dir}" looks like the command "picofun ${near}", not a folder name; to create a folder with that name, write ./${dir}`,
    );
  }
}

/** True when the folder does not exist or holds nothing but .git. */
export function isEmptyDir(dir: string): boolean {
  if (!existsSync(dir)) return true;
  if (!statSync(dir).isDirectory()) throw new UserError(`${dir} exists and is not a folder`);
  return readdirSync(dir).every((name) => name === ".git");
}

function fail(flag: string, check: true | string): void {
  if (check !== true) throw new UserError(`${flag}: ${check}`);
}

/** `--yes`: every answer from a flag or a default; a missing or bad one is a one-line error naming the flag. */
export async function answersFromFlags(dir: string | undefined, flags: InitFlags, cwd: string): Promise<{ answers: WizardAnswers; model: ApiModel }> {
  if (!flags.spec) throw new UserError("--spec is required with --yes (a path or http(s) URL of the OpenAPI document)");
  const { spec, model } = await loadForWizard(flags.spec, cwd);
  const namespace = (flags.namespace ?? suggestNamespace(model.title)).trim();
  fail("--namespace", checkNamespace(namespace));
  const kind = (flags.kind ?? "client") as Kind;
  fail("--kind", checkKind(kind));
  const runtime = flags.runtime ?? runtimesFor(kind)[0];
  fail("--runtime", checkRuntime(kind, runtime));
  const iac = (flags.iac ?? "terraform") as Iac;
  fail("--iac", checkIac(iac));
  if (flags.language !== undefined) fail("--language", checkStyle(kind, runtime, flags.language));
  const include = flags.endpoints !== undefined ? subsetFromSelectors(model, flags.endpoints.split(",")) : undefined;
  const ttlMinutes = flags.authTtl === undefined ? DEFAULT_TTL_MINUTES : Number(flags.authTtl);
  fail("--auth-ttl", checkTtl(ttlMinutes));
  const subnets = flags.subnets ? splitWords(flags.subnets) : [];
  if (flags.vpcId !== undefined) {
    fail("--vpc-id", checkVpcId(flags.vpcId));
    fail("--subnets", checkSubnets(subnets));
  } else if (subnets.length) {
    throw new UserError("--subnets needs --vpc-id");
  }
  const layers = flags.layers ? splitWords(flags.layers) : [];
  fail("--layers", checkLayers(layers));
  const tags = parseTags(flags.tag ?? []);
  if (typeof tags === "string") throw new UserError(`--tag: ${tags}`);
  if (flags.serverUrl !== undefined && !/^https?:\/\//i.test(flags.serverUrl)) {
    throw new UserError(`--server-url must be an absolute http(s) URL, got "${flags.serverUrl}"`);
  }
  if (flags.serverUrl !== undefined) checkServerUrl(flags.serverUrl, "--server-url");
  const projectDir = resolve(cwd, dir ?? namespace);
  const outputDir = flags.outputDir ? resolve(cwd, flags.outputDir) : join(projectDir, "output");
  checkFolders(projectDir, outputDir, cwd);
  const language = languageOf((flags.language as HandlerStyle | undefined) ?? defaultStyle(kind, runtime, esbuildFound(projectDir)));
  const answers: WizardAnswers = {
    spec,
    namespace,
    kind,
    runtime,
    iac,
    include,
    // With no usable scheme there is nothing to authenticate with: auth is written as off.
    auth: { enabled: flags.auth !== false && preferredScheme(model) !== undefined, ttlMinutes },
    vpcId: flags.vpcId?.trim(),
    subnets,
    layers,
    tags,
    projectDir,
    outputDir,
    serverUrl: flags.serverUrl,
    ...(language ? { language } : {}),
  };
  return { answers, model };
}
