/**
 * Typed TypeScript handlers (`[api] language = "typescript"`): the glue `picofun_api` (runtime,
 * models, per operation a request module and an entry point) generated into
 * `output/handlers_glue/`, `.ts` stubs with only `handle(request)` and a tsconfig.json created
 * once; each function's zip is one file, `index.mjs`, bundled by esbuild from the entry point.
 */
import { join, relative } from "node:path";
import { jsString } from "../render/escape.js";
import { jsComment } from "../kinds/api/stubs/stubs.js";
import { apiEvent } from "../events/build.js";
import type { Route } from "../serve/routes.js";
import type { CopyJob, RenderJob } from "../deployment/files.js";
import { GLUE_DIR, GLUE_PACKAGE } from "./layout.js";
import { pyModelNames } from "./pyTypes.js";
import { componentSchemas, type Json } from "./refs.js";
import { tsModelsModule } from "./tsTypes.js";
import { tsOperation } from "./tsOperation.js";
import type { TypedOperation } from "./planPython.js";

export interface TsPlan {
  renders: RenderJob[];
  copies: CopyJob[];
  userOwned: RenderJob[];
  /** Per function name: the output-relative entry file to bundle, or undefined (an old .mjs stub, run as it is). */
  entries: Map<string, string | undefined>;
}

const glue = (name: string) => `${GLUE_DIR}/${GLUE_PACKAGE}/${name}`;
const posix = (p: string) => p.split("\\").join("/");

export function planTypedTypescript(doc: Json, ops: TypedOperation[], handlersDir: string, outputDir: string, stage: string, legacy: (module: string) => boolean): TsPlan {
  const models = pyModelNames(Object.keys(componentSchemas(doc)));
  const renders: RenderJob[] = [{ template: "api/raw.hbs", path: glue("models.ts"), data: { content: tsModelsModule(componentSchemas(doc), models).replace(/\n$/, "") } }];
  const copies: CopyJob[] = [{ template: "api/typed/typescript/runtime.ts", path: glue("runtime.ts") }];
  const gluePkg = join(outputDir, GLUE_DIR, GLUE_PACKAGE);
  let toGlue = posix(relative(handlersDir, gluePkg));
  if (!toGlue.startsWith(".")) toGlue = `./${toGlue}`;
  const toHandlers = posix(relative(join(gluePkg, "ops"), handlersDir)) || ".";
  const userOwned: RenderJob[] = [
    { template: "api/typed/typescript/tsconfig.json.hbs", path: "tsconfig.json", data: { glueInclude: jsString(`${posix(relative(handlersDir, join(outputDir, GLUE_DIR)))}/**/*.ts`), handlersRel: jsString(posix(relative(join(handlersDir, ".."), handlersDir))).slice(1, -1) } },
  ];
  const entries: TsPlan["entries"] = new Map();
  for (const o of ops) {
    if (legacy(o.module)) {
      entries.set(o.functionName, undefined);
      continue;
    }
    const t = tsOperation({ doc, operationId: o.operationId, module: o.module, method: o.method, path: o.path, op: o.op, item: o.item, models, toHandlers });
    renders.push({ template: "api/raw.hbs", path: glue(`ops/${o.module}.ts`), data: { content: t.text.replace(/\n$/, "") } });
    const entry = glue(`ops/${o.module}.entry.ts`);
    renders.push({ template: "api/raw.hbs", path: entry, data: { content: t.entry.replace(/\n$/, "") } });
    const about = [o.op.summary, o.op.description].filter((x): x is string => typeof x === "string" && !!x).join("\n\n");
    const owned = `picofun created this file once and never overwrites it: it is yours. The request type, the models and the Lambda entry point are generated in ${GLUE_DIR}/${GLUE_PACKAGE} on every run.`;
    userOwned.push({
      template: "api/typed/typescript/handle.ts.hbs",
      path: `${o.module}.ts`,
      data: {
        header: jsComment([`${o.operationId}: ${o.method.toUpperCase()} ${o.path}`, ...(about ? ["", about] : []), "", owned]),
        runtimeImport: jsString(`${toGlue}/runtime`),
        opImport: jsString(`${toGlue}/ops/${o.module}`),
        requestType: t.requestType,
        resultType: t.resultType,
        operation: jsString(o.operationId),
        operationText: jsComment([o.operationId])[0].slice(3),
      },
    });
    const route = { method: o.method.toUpperCase(), resource: o.path, op: o.op, item: o.item } as unknown as Route;
    userOwned.push({
      template: "api/typed/typescript/handle.test.ts.hbs",
      path: `${o.module}.test.ts`,
      data: {
        operationText: jsComment([o.operationId])[0].slice(3),
        handlersRel: posix(relative(join(handlersDir, ".."), handlersDir)).replace(/[^\w./-]/g, "?"),
        entryImport: jsString(`${toGlue}/ops/${o.module}.entry`),
        event: jsString(JSON.stringify(apiEvent(doc, route, stage, []))),
        testName: jsString(`${o.operationId} answers 501 until it is implemented`),
      },
    });
    entries.set(o.functionName, entry);
  }
  return { renders, copies, userOwned, entries };
}
