import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import HandlebarsRuntime from "handlebars/runtime";
import { UserError } from "../util/errors.js";
import { requirePackage } from "../util/importPackage.js";
import { precompiledFor } from "./precompiled.js";
import { bundledTemplatesDir } from "../util/paths.js";
import { hclString, hclValue, jsString, pyOptional, pyString, terraformJson } from "./escape.js";

type Compiled = (data: unknown) => string;
type HandlebarsEnv = typeof import("handlebars");

/** The full Handlebars, with its compiler: loaded only when a template is not precompiled. */
function loadCompiler(): HandlebarsEnv {
  return requirePackage<HandlebarsEnv>("handlebars", import.meta.url);
}

/**
 * Finds templates (the user's `template_path` first, then the bundled ones), compiles each
 * one once and renders it. node-plop would recompile a template for every file it writes.
 */
export class TemplateSet {
  /** Runs precompiled templates (the runtime alone, without the compiler: faster to load). */
  private readonly hb = (HandlebarsRuntime as unknown as HandlebarsEnv).create();
  /** Compiles and runs everything else; made on first use. */
  private compilerEnv?: HandlebarsEnv;
  private readonly compiled = new Map<string, Compiled>();
  private readonly sources = new Map<string, { file: string; source: string }>();
  private readonly dirs: string[];

  /** `precompiled: false` compiles every template from its file (tests compare both ways). */
  constructor(userDir?: string, private readonly options: { precompiled?: boolean } = {}) {
    this.dirs = userDir ? [userDir, bundledTemplatesDir()] : [bundledTemplatesDir()];
    registerHelpers(this.hb);
  }

  private compiler(): HandlebarsEnv {
    if (!this.compilerEnv) {
      this.compilerEnv = loadCompiler().create();
      registerHelpers(this.compilerEnv);
    }
    return this.compilerEnv;
  }

  /** Absolute path of the template that will be used for `name` (e.g. "client/handler.py.hbs"). */
  locate(name: string): string {
    for (const dir of this.dirs) {
      const file = join(dir, name);
      if (existsSync(file)) return file;
    }
    throw new UserError(`template not found: ${name}`);
  }

  render(name: string, data: unknown): string {
    let fn = this.compiled.get(name);
    if (!fn) {
      const file = this.locate(name);
      const source = readFileSync(file, "utf8");
      // A bundled template unchanged since the build comes precompiled; anything else is compiled here.
      const bundled = this.options.precompiled !== false && file === join(bundledTemplatesDir(), name);
      const spec = bundled ? precompiledFor(name, source) : undefined;
      if (spec) fn = this.hb.template(spec as never) as Compiled;
      else {
        const hb = this.compiler();
        try {
          hb.parse(source);
        } catch (err) {
          throw new UserError(`template ${where(file, source, err)}: ${describe(err)}`);
        }
        // The same options as scripts/precompileTemplates.mjs.
        fn = hb.compile(source, { noEscape: true, preventIndent: true });
      }
      reuseSetup(fn);
      fn = passThrough(source, fn, this.hb, this.compilerEnv);
      this.compiled.set(name, fn);
      this.sources.set(name, { file, source });
    }
    try {
      return fn(data);
    } catch (err) {
      const { file, source } = this.sources.get(name)!;
      throw new UserError(`template ${where(file, source, err)} failed to render: ${describe(err)}`);
    }
  }
}

/**
 * Handlebars prepares a template's helpers again on every top-level call: it copies the
 * environment's helpers, wraps each one in a new closure, and builds new hooks and
 * prototype-access rules (about 7 KB of garbage a call, 17 MB for GitHub's 2,462 files). With
 * no per-call options (TemplateSet passes none, and its helpers are all registered in the
 * constructor) the result is the same every time, and it stays in the template's container
 * between calls, so it is kept after the first call. Any call with options (a partial call, or
 * a caller's own helpers) goes through Handlebars' own setup and makes the next call prepare
 * again.
 */
function reuseSetup(fn: Compiled): void {
  const template = fn as Compiled & { _setup?: (options: Record<string, unknown>) => void };
  const setup = template._setup;
  if (typeof setup !== "function") return;
  let prepared = false;
  template._setup = (options) => {
    if (Object.keys(options).length) {
      prepared = false;
      setup(options);
    } else if (!prepared) {
      setup(options);
      prepared = true;
    }
  };
}

/** A template that is one triple-stash of a plain name and nothing else (`{{{text}}}`). */
const PASS_THROUGH = /^\{\{\{\s*([A-Za-z_][\w]*)\s*\}\}\}$/;

/**
 * A template that only writes one string of its data as it is (stepfunctions/task.json.hbs,
 * rendered once for each of thousands of HTTP Task files) returns that string without going
 * through Handlebars' call: the same result whenever the value is a string of the data's own.
 * Anything else (another type, no such own property, a helper of that name) renders as usual.
 */
function passThrough(source: string, fn: Compiled, ...envs: Array<HandlebarsEnv | undefined>): Compiled {
  const name = PASS_THROUGH.exec(source)?.[1];
  if (name === undefined || envs.some((env) => env && Object.hasOwn(env.helpers, name))) return fn;
  return (data) => {
    if (data !== null && typeof data === "object" && Object.hasOwn(data, name)) {
      const value = (data as Record<string, unknown>)[name];
      if (typeof value === "string") return value;
    }
    return fn(data);
  };
}

/** The error's first line(s) without Handlebars' code frame and "- line:column" suffix. */
function describe(err: unknown): string {
  const lines = String((err as Error)?.message ?? err).split("\n").filter(Boolean);
  // Parse errors: "Parse error on line N:", a code frame (2 lines), then "Expecting ...".
  const text = /^Parse error on line \d+:$/.test(lines[0] ?? "") ? `parse error: ${lines.slice(3).join(" ") || lines.join(" ")}` : lines[0] ?? "";
  return text.replace(/ - \d+:\d+$/, "").slice(0, 300);
}

/** "file, line N" when the line can be told: from Handlebars, or by finding the named helper or partial. */
function where(file: string, source: string, err: unknown): string {
  const e = err as { lineNumber?: number; message?: string };
  let line = typeof e?.lineNumber === "number" ? e.lineNumber : undefined;
  const message = String(e?.message ?? "");
  line ??= Number(/^Parse error on line (\d+):/.exec(message)?.[1]) || undefined;
  if (line === undefined) {
    const name = /Missing helper: "([^"]+)"/.exec(message)?.[1] ?? /The partial (\S+) could not be found/.exec(message)?.[1];
    if (name) {
      const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      const re = new RegExp(`\\{\\{~?\\s*(?:[#^]|>)?\\s*${escaped}(?![\\w.-])`);
      const index = source.split("\n").findIndex((l) => re.test(l));
      if (index >= 0) line = index + 1;
    }
  }
  return line === undefined ? file : `${file}, line ${line}`;
}

function registerHelpers(hb: HandlebarsEnv): void {
  hb.registerHelper("py", (v: unknown) => pyString(String(v ?? "")));
  hb.registerHelper("pyOptional", (v: unknown) => pyOptional(v === undefined || v === null ? undefined : String(v)));
  hb.registerHelper("pyBool", (v: unknown) => (v ? "True" : "False"));
  hb.registerHelper("hcl", (v: unknown) => hclString(String(v ?? "")));
  hb.registerHelper("hclValue", (v: unknown) => hclValue(v));
  hb.registerHelper("tfjson", (v: unknown) => terraformJson(v));
  hb.registerHelper("js", (v: unknown) => jsString(String(v ?? "")));
  hb.registerHelper("json", (v: unknown) => JSON.stringify(v, null, 2));
}
