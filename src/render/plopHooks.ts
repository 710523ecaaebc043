/**
 * Module resolution hooks (node:module register) used while picofun loads node-plop.
 * node-plop imports inquirer 9 for its interactive prompts, which picofun never runs (it
 * passes answers itself); loading inquirer costs more than everything else picofun imports.
 * These hooks hand node-plop a small stand-in instead. Only imports made by node-plop are
 * affected; `plop` on the command line still gets the real inquirer.
 */
interface ResolveContext {
  parentURL?: string;
}
type NextResolve = (specifier: string, context: ResolveContext) => Promise<{ url: string }>;

export async function resolve(specifier: string, context: ResolveContext, next: NextResolve): Promise<{ url: string; shortCircuit?: boolean }> {
  if (specifier === "inquirer" && context.parentURL?.includes("/node-plop/")) {
    return { url: new URL("./inquirerStandIn.js", import.meta.url).href, shortCircuit: true };
  }
  return next(specifier, context);
}
