/**
 * The handler style of a new api-kind project ([api] language): typed handlers by default
 * (Python on a Python runtime; TypeScript on a Node.js runtime when esbuild can be found, which
 * bundles them), or the single-file handler(event, context) stubs ("untyped"). Projects that
 * exist keep what their picofun.toml says: this only writes new ones.
 */
import { createRequire } from "node:module";
import { join } from "node:path";
import type { Kind } from "../config/types.js";
import type { Check } from "./answers.js";

export type HandlerLanguage = "python" | "typescript";
/** What --language and the question take; "untyped" writes no [api] language. */
export type HandlerStyle = HandlerLanguage | "untyped";

/** The typed language a runtime can run. */
export function typedLanguageFor(runtime: string): HandlerLanguage {
  return runtime.startsWith("nodejs") ? "typescript" : "python";
}

/** esbuild resolvable from the project folder or from picofun itself (a development checkout). */
export function esbuildFound(projectDir: string): boolean {
  for (const from of [join(projectDir, "package.json"), import.meta.url]) {
    try {
      createRequire(from).resolve("esbuild");
      return true;
    } catch {
      // not there
    }
  }
  return false;
}

/** The default for a new project; undefined for the client kind (it has no handlers of yours). */
export function defaultStyle(kind: Kind, runtime: string, hasEsbuild: boolean): HandlerStyle | undefined {
  if (kind !== "api") return undefined;
  const typed = typedLanguageFor(runtime);
  return typed === "typescript" && !hasEsbuild ? "untyped" : typed;
}

export function checkStyle(kind: Kind, runtime: string, value: string): Check {
  if (kind !== "api") return "handler languages are for the api kind (--kind api)";
  const allowed = [typedLanguageFor(runtime), "untyped"];
  return allowed.includes(value) || `with runtime "${runtime}" use one of ${allowed.join(", ")}`;
}

/** The [api] language written into picofun.toml (undefined: none). */
export function languageOf(style: HandlerStyle | undefined): HandlerLanguage | undefined {
  return style === "python" || style === "typescript" ? style : undefined;
}
