/**
 * Typed Python handlers (`[api] language = "python"`): the glue package `picofun_api`
 * (runtime, models, one module per operation) generated into `output/handlers_glue/` on every
 * run, the stub with only `handle(request)` and a pytest test beside it (created once), and
 * each function's zip: stub, glue, shared code of the handlers folder, requirements.
 */
import { join, relative } from "node:path";
import { apiEvent } from "../events/build.js";
import type { Route } from "../serve/routes.js";
import { commentText, pyDocstring, pyString } from "../render/escape.js";
import type { CopyJob, RenderJob, ZipJob } from "../deployment/files.js";
import { pyModelNames } from "./pyTypes.js";
import { pyModelsModule } from "./pyModels.js";
import { pyOperation } from "./pyOperation.js";
import { componentSchemas, type Json } from "./refs.js";
import { pythonStubShape } from "./shape.js";
import { GLUE_DIR, GLUE_PACKAGE } from "./layout.js";

export { GLUE_DIR, GLUE_PACKAGE };

export interface TypedOperation {
  operationId: string;
  module: string;
  functionName: string;
  method: string;
  path: string;
  op: Json;
  item: Json;
}

export interface TypedPlan {
  renders: RenderJob[];
  copies: CopyJob[];
  userOwned: RenderJob[];
  /** Per function name: its zip entries (the stub's entry first) and Lambda handler. */
  functions: Map<string, { entries: ZipJob["entries"]; handler: string } | undefined>;
}

const glue = (name: string) => `${GLUE_DIR}/${GLUE_PACKAGE}/${name}`;

/** The glue files every typed function's zip holds (output-relative path -> name in the zip). */
function commonEntries(): ZipJob["entries"] {
  return ["__init__.py", "runtime.py", "models.py", "ops/__init__.py"].map((f) => ({ from: glue(f), name: `${GLUE_PACKAGE}/${f}` }));
}

export function planTypedPython(doc: Json, ops: TypedOperation[], handlersDir: string, outputDir: string, stage: string): TypedPlan {
  const models = pyModelNames(Object.keys(componentSchemas(doc)));
  const renders: RenderJob[] = [
    { template: "api/raw.hbs", path: glue("models.py"), data: { content: pyModelsModule(doc, models).replace(/\n$/, "") } },
    { template: "api/raw.hbs", path: glue("__init__.py"), data: { content: '"""picofun\'s generated glue for the typed handlers: rewritten on every run, do not edit."""' } },
    { template: "api/raw.hbs", path: glue("ops/__init__.py"), data: { content: '"""One module per operation: typed request, result type, Lambda entry point."""' } },
  ];
  const copies: CopyJob[] = [{ template: "api/typed/python/runtime.py", path: glue("runtime.py") }];
  const glueRel = relative(handlersDir, join(outputDir, GLUE_DIR)).split("\\").join("/") || ".";
  const handlersRel = relative(join(handlersDir, ".."), handlersDir).split("\\").join("/") || ".";
  const userOwned: RenderJob[] = [{ template: "api/typed/python/conftest.py.hbs", path: "conftest.py", data: { glueRel: pyString(glueRel) } }];
  const functions: TypedPlan["functions"] = new Map();
  for (const o of ops) {
    const stub = `${o.module}.py`;
    if (pythonStubShape(join(handlersDir, stub)) === "legacy") {
      functions.set(o.functionName, undefined);
      continue;
    }
    const p = pyOperation({ doc, operationId: o.operationId, module: o.module, method: o.method, path: o.path, op: o.op, item: o.item, models });
    const opFile = glue(`ops/${p.glueModule}.py`);
    renders.push({ template: "api/raw.hbs", path: opFile, data: { content: p.text.replace(/\n$/, "") } });
    const title = `${o.operationId}: ${o.method.toUpperCase()} ${o.path}`;
    const about = [o.op.summary, o.op.description].filter((x): x is string => typeof x === "string" && !!x).join("\n\n");
    const owned = `picofun created this file once and never overwrites it: it is yours. The request type, the models and the Lambda entry point are generated in ${GLUE_DIR}/${GLUE_PACKAGE} on every run.`;
    const operationText = commentText(o.operationId).replace(/\\/g, "/").replace(/"/g, "'");
    userOwned.push({
      template: "api/typed/python/handle.py.hbs",
      path: stub,
      data: { docstring: pyDocstring(title, about, owned), glueModule: p.glueModule, requestClass: p.requestClass, resultAlias: p.resultAlias, operation: pyString(o.operationId), operationText },
    });
    const route = { method: o.method.toUpperCase(), resource: o.path, op: o.op, item: o.item } as unknown as Route;
    const event = JSON.stringify(apiEvent(doc, route, stage, []));
    userOwned.push({
      template: "api/typed/python/test_handle.py.hbs",
      path: `test_${o.module}.py`,
      data: { operationText, glueModule: p.glueModule, event: pyString(event), testName: o.module.toLowerCase(), handlersRel },
    });
    functions.set(o.functionName, { entries: [{ from: stub, name: stub }, ...commonEntries(), { from: opFile, name: `${GLUE_PACKAGE}/ops/${p.glueModule}.py` }], handler: `${GLUE_PACKAGE}.ops.${p.glueModule}.handler` });
  }
  return { renders, copies, userOwned, functions };
}
