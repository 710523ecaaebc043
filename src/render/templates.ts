import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Handlebars from "handlebars";
import { UserError } from "../util/errors.js";
import { bundledTemplatesDir } from "../util/paths.js";
import { hclString, hclValue, jsString, pyOptional, pyString, terraformJson } from "./escape.js";

type Compiled = (data: unknown) => string;

/**
 * Finds templates (the user's `template_path` first, then the bundled ones), compiles each
 * one once and renders it. node-plop would recompile a template for every file it writes.
 */
export class TemplateSet {
  private readonly hb = Handlebars.create();
  private readonly compiled = new Map<string, Compiled>();
  private readonly dirs: string[];

  constructor(userDir?: string) {
    this.dirs = userDir ? [userDir, bundledTemplatesDir()] : [bundledTemplatesDir()];
    registerHelpers(this.hb);
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
      try {
        this.hb.parse(source);
      } catch (err) {
        // Handlebars says "Parse error on line N:" followed by a code frame.
        throw new UserError(`template ${file}: ${(err as Error).message.split("\n").filter(Boolean).join(" ").slice(0, 300)}`);
      }
      fn = this.hb.compile(source, { noEscape: true, preventIndent: true });
      this.compiled.set(name, fn);
    }
    try {
      return fn(data);
    } catch (err) {
      throw new UserError(`template ${this.locate(name)} failed to render: ${(err as Error).message.split("\n")[0]}`);
    }
  }
}

function registerHelpers(hb: typeof Handlebars): void {
  hb.registerHelper("py", (v: unknown) => pyString(String(v ?? "")));
  hb.registerHelper("pyOptional", (v: unknown) => pyOptional(v === undefined || v === null ? undefined : String(v)));
  hb.registerHelper("pyBool", (v: unknown) => (v ? "True" : "False"));
  hb.registerHelper("hcl", (v: unknown) => hclString(String(v ?? "")));
  hb.registerHelper("hclValue", (v: unknown) => hclValue(v));
  hb.registerHelper("tfjson", (v: unknown) => terraformJson(v));
  hb.registerHelper("js", (v: unknown) => jsString(String(v ?? "")));
  hb.registerHelper("json", (v: unknown) => JSON.stringify(v, null, 2));
}
