/**
 * Writes every file typed Python handlers produce for a document (glue, stubs, tests), straight
 * from the planner: for specs API Gateway would refuse as a whole (GitHub's), whose types must
 * still compile.
 */
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { assignOperationIds, listOperations, nameOperations, opKey } from "../../src/kinds/api/operationIds.js";
import { planTypedPython, type TypedOperation } from "../../src/handlers/planPython.js";
import { planTypedTypescript } from "../../src/handlers/planTypescript.js";
import { TemplateSet } from "../../src/render/templates.js";
import { bundledTemplatesDir } from "../../src/util/paths.js";

export function writeTypedPython(doc: Record<string, unknown>, dir: string): { operations: number } {
  const ops = listOperations(doc).filter((o) => o.method !== "trace");
  const ids = assignOperationIds(ops);
  const names = nameOperations(ops.map((o) => ids.get(opKey(o.method, o.path))!), "t");
  const paths = (doc.paths ?? {}) as Record<string, Record<string, unknown>>;
  const typed: TypedOperation[] = ops.map((o) => {
    const operationId = ids.get(opKey(o.method, o.path))!;
    const n = names.get(operationId)!;
    return { operationId, module: n.module, functionName: n.functionName, method: o.method, path: o.path, op: o.op, item: paths[o.path] ?? {} };
  });
  const handlers = join(dir, "handlers");
  const output = join(dir, "output");
  const plan = planTypedPython(doc, typed, handlers, output, "v1");
  const templates = new TemplateSet();
  const put = (file: string, text: string) => {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  };
  for (const job of plan.renders) put(join(output, job.path), templates.render(job.template, job.data));
  for (const job of plan.userOwned) put(join(handlers, job.path), templates.render(job.template, job.data));
  for (const c of plan.copies) {
    mkdirSync(dirname(join(output, c.path)), { recursive: true });
    copyFileSync(join(bundledTemplatesDir(), c.template), join(output, c.path));
  }
  return { operations: typed.length };
}

/** The same for TypeScript handlers: glue, models, stubs and the handlers' tsconfig.json. */
export function writeTypedTypescript(doc: Record<string, unknown>, dir: string): { operations: number } {
  const ops = listOperations(doc).filter((o) => o.method !== "trace");
  const ids = assignOperationIds(ops);
  const names = nameOperations(ops.map((o) => ids.get(opKey(o.method, o.path))!), "t");
  const paths = (doc.paths ?? {}) as Record<string, Record<string, unknown>>;
  const typed: TypedOperation[] = ops.map((o) => {
    const operationId = ids.get(opKey(o.method, o.path))!;
    const n = names.get(operationId)!;
    return { operationId, module: n.module, functionName: n.functionName, method: o.method, path: o.path, op: o.op, item: paths[o.path] ?? {} };
  });
  const handlers = join(dir, "handlers");
  const output = join(dir, "output");
  const plan = planTypedTypescript(doc, typed, handlers, output, "v1", () => false);
  const templates = new TemplateSet();
  const put = (file: string, text: string) => {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  };
  for (const job of plan.renders) put(join(output, job.path), templates.render(job.template, job.data));
  for (const job of plan.userOwned) put(join(handlers, job.path), templates.render(job.template, job.data));
  for (const c of plan.copies) {
    mkdirSync(dirname(join(output, c.path)), { recursive: true });
    copyFileSync(join(bundledTemplatesDir(), c.template), join(output, c.path));
  }
  return { operations: typed.length };
}
