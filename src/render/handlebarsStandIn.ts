/**
 * What node-plop gets for `handlebars` in picofun's bundle (see scripts/bundle.mjs). node-plop
 * only uses Handlebars for the paths and templates of its built-in actions; picofun runs its own
 * action with precompiled templates, so the full package (compiler included, the largest module
 * a run would load) is required only if something does ask for it.
 */
import { requirePackage } from "../util/importPackage.js";

type HandlebarsEnv = typeof import("handlebars");

let real: HandlebarsEnv | undefined;

function handlebars(): HandlebarsEnv {
  real ??= requirePackage<HandlebarsEnv>("handlebars", import.meta.url);
  return real;
}

export default {
  registerHelper: (...args: Parameters<HandlebarsEnv["registerHelper"]>) => handlebars().registerHelper(...args),
  registerPartial: (...args: Parameters<HandlebarsEnv["registerPartial"]>) => handlebars().registerPartial(...args),
  compile: (...args: Parameters<HandlebarsEnv["compile"]>) => handlebars().compile(...args),
};
