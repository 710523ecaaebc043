import { HTTP_METHODS } from "../../../model/types.js";
import { deref, isObject, pointer, walkSchemas, type Segments } from "../../../spec/schemas.js";
import { circularModels, schemaNames } from "./cycles.js";
import { openRule } from "./openRule.js";
import { securityRule } from "./securityRule.js";
import type { LintContext, LintRule } from "./types.js";

type Hit = ReturnType<LintRule["check"]>[number];

/** API Gateway's limit on query and header parameter names. */
export const PARAM_NAME = /^[A-Za-z0-9._$-]+$/;
export const MODEL_NAME = /^[A-Za-z0-9]+$/;
export const RESPONSE_RANGE = /^[1-5]XX$/i;
export const MAX_BODY_BYTES = 6 * 1024 * 1024;
export const MAX_RESOURCES = 300;
export const DISABLED_KEYWORDS = ["discriminator", "readOnly", "example", "xml"] as const;

interface Operation {
  path: string;
  method: string;
  op: Record<string, unknown>;
  at: Segments;
}

function operations(doc: Record<string, unknown>, withTrace = true): Operation[] {
  const out: Operation[] = [];
  const paths = isObject(doc.paths) ? doc.paths : {};
  for (const path of Object.keys(paths)) {
    const item = paths[path];
    if (!isObject(item)) continue;
    for (const method of HTTP_METHODS) {
      if (!withTrace && method === "trace") continue;
      if (isObject(item[method])) out.push({ path, method, op: item[method] as Record<string, unknown>, at: ["paths", path, method] });
    }
  }
  return out;
}

/** Parameters of path items and operations, `$ref`s followed, with where they are written. */
function parameters(doc: Record<string, unknown>): Array<{ param: Record<string, unknown>; at: Segments }> {
  const out: Array<{ param: Record<string, unknown>; at: Segments }> = [];
  const paths = isObject(doc.paths) ? doc.paths : {};
  for (const path of Object.keys(paths)) {
    const item = paths[path];
    if (!isObject(item)) continue;
    const lists: Array<[unknown, Segments]> = [[item.parameters, ["paths", path, "parameters"]]];
    for (const method of HTTP_METHODS) {
      if (isObject(item[method])) lists.push([(item[method] as Record<string, unknown>).parameters, ["paths", path, method, "parameters"]]);
    }
    for (const [list, at] of lists) {
      if (!Array.isArray(list)) continue;
      list.forEach((p, i) => {
        const param = deref(doc, p);
        if (param) out.push({ param, at: [...at, String(i)] });
      });
    }
  }
  return out;
}

/** Number of API Gateway resources the paths make: every distinct path prefix, the root included. */
export function resourceCount(doc: Record<string, unknown>): number {
  const resources = new Set<string>(["/"]);
  for (const path of Object.keys(isObject(doc.paths) ? doc.paths : {})) {
    const segs = path.split("/").filter(Boolean);
    for (let i = 1; i <= segs.length; i++) resources.add(`/${segs.slice(0, i).join("/")}`);
  }
  return resources.size;
}

const PATH_SEGMENT = /^(?:[A-Za-z0-9_.,:-]+|\{[A-Za-z0-9_.-]+\+?\})$/;

export const RULES: LintRule[] = [
  {
    id: "openapi-31",
    severity: "error",
    summary: "API Gateway imports OpenAPI 2.0 and 3.0 only",
    fixedByGenerate: true,
    check: ({ doc, version }) =>
      version === "3.1"
        ? [{ pointer: "#/openapi", message: `OpenAPI ${String(doc.openapi)} is rejected by API Gateway ("Invalid OpenAPI input")`, fix: "declare openapi: 3.0.3 (picofun converts nullable type lists and const for you)" }]
        : [],
  },
  {
    id: "type-list",
    severity: "error",
    summary: "a schema type list other than [T, null] has no OpenAPI 3.0 form",
    fixedByGenerate: false,
    check: ({ doc }) => {
      const hits: Hit[] = [];
      walkSchemas(doc, (s, at) => {
        if (Array.isArray(s.type) && s.type.filter((t) => t !== "null").length > 1) {
          hits.push({ pointer: pointer([...at, "type"]), message: `type ${JSON.stringify(s.type)} lists several types`, fix: "use anyOf with one schema per type" });
        }
      });
      return hits;
    },
  },
  {
    id: "parameter-name",
    severity: "error",
    summary: "query and header parameter names may hold only A-Z a-z 0-9 - . _ $",
    fixedByGenerate: false,
    check: ({ doc }) =>
      parameters(doc)
        .filter(({ param }) => (param.in === "query" || param.in === "header") && typeof param.name === "string" && !PARAM_NAME.test(param.name))
        .map(({ param, at }) => ({
          pointer: pointer([...at, "name"]),
          message: `${String(param.in)} parameter "${String(param.name)}" has characters API Gateway rejects`,
          fix: "rename it using only letters, digits, -, ., _ and $",
        })),
  },
  {
    id: "circular-model",
    // AWS lists circular models as unsupported, but the current importer is reported to accept
    // self-references (unconfirmed): a warning, so generation goes on.
    severity: "warning",
    summary: "models with circular references are listed as unsupported by AWS",
    fixedByGenerate: false,
    check: ({ doc }) => {
      const names = schemaNames(doc);
      return circularModels(doc).map((name) => ({
        pointer: pointer([...(names?.at ?? []), name]),
        message: `model "${name}" refers to itself through $ref; API Gateway may reject it`,
        fix: "break the cycle (e.g. a free-form object in place of the back-reference)",
      }));
    },
  },
  {
    id: "model-name",
    severity: "error",
    summary: "model names must be alphanumeric",
    fixedByGenerate: true,
    check: ({ doc }) => {
      const names = schemaNames(doc);
      if (!names) return [];
      return Object.keys(names.map)
        .filter((n) => !MODEL_NAME.test(n))
        .map((n) => ({ pointer: pointer([...names.at, n]), message: `model name "${n}" is not alphanumeric`, fix: "rename it with letters and digits only (and update its $refs)" }));
    },
  },
  {
    id: "default-response",
    severity: "warning",
    summary: "a default response becomes 200, or is ignored when the operation has a 200",
    fixedByGenerate: true,
    check: ({ doc }) =>
      operations(doc)
        .filter(({ op }) => isObject(op.responses) && "default" in op.responses)
        .map(({ op, at }) => ({
          pointer: pointer([...at, "responses", "default"]),
          message: isObject(op.responses) && "200" in op.responses ? "the default response is ignored (the operation has a 200)" : "the default response is imported as 200",
          fix: "declare the status codes the operation returns",
        })),
  },
  {
    id: "response-range",
    severity: "error",
    summary: "response code ranges (4XX) are not supported",
    fixedByGenerate: true,
    check: ({ doc }) =>
      operations(doc).flatMap(({ op, at }) =>
        Object.keys(isObject(op.responses) ? op.responses : {})
          .filter((code) => RESPONSE_RANGE.test(code))
          .map((code) => ({ pointer: pointer([...at, "responses", code]), message: `response range ${code} is not supported`, fix: "list specific status codes (e.g. 400, 404) instead" })),
      ),
  },
  {
    id: "cookie-parameter",
    severity: "warning",
    summary: "cookie parameters are ignored",
    fixedByGenerate: true,
    check: ({ doc }) =>
      parameters(doc)
        .filter(({ param }) => param.in === "cookie")
        .map(({ param, at }) => ({ pointer: pointer(at), message: `cookie parameter "${String(param.name)}" is ignored by API Gateway`, fix: "read the Cookie header in the handler, or use a header parameter" })),
  },
  {
    id: "form-data",
    severity: "warning",
    summary: "OpenAPI 2.0 form parameters (in: formData) are ignored",
    fixedByGenerate: false,
    check: ({ doc }) =>
      parameters(doc)
        .filter(({ param }) => param.in === "formData")
        .map(({ param, at }) => ({ pointer: pointer(at), message: `form parameter "${String(param.name)}" is ignored by API Gateway`, fix: "describe the form as a request body schema (OpenAPI 3)" })),
  },
  {
    id: "trace-method",
    severity: "error",
    summary: "TRACE operations are not supported",
    fixedByGenerate: true,
    check: ({ doc }) =>
      operations(doc)
        .filter(({ method }) => method === "trace")
        .map(({ at }) => ({ pointer: pointer(at), message: "TRACE operations are not supported", fix: "remove it, or handle TRACE with x-amazon-apigateway-any-method" })),
  },
  {
    id: "discriminator",
    severity: "error",
    summary: "discriminator is not supported",
    fixedByGenerate: true,
    check: ({ doc }) => {
      const hits: Hit[] = [];
      walkSchemas(doc, (s, at) => {
        if ("discriminator" in s) hits.push({ pointer: pointer([...at, "discriminator"]), message: "discriminator is not supported", fix: "remove it (picofun wraps it in x-disabled-for-amazon-gateway)" });
      });
      return hits;
    },
  },
  {
    id: "unsupported-keyword",
    severity: "warning",
    summary: "readOnly, example and xml are not part of API Gateway models",
    fixedByGenerate: true,
    check: ({ doc }) => {
      const hits: Hit[] = [];
      walkSchemas(doc, (s, at) => {
        for (const kw of ["readOnly", "example", "xml"]) {
          if (kw in s) hits.push({ pointer: pointer([...at, kw]), message: `${kw} is not supported in API Gateway models`, fix: "remove it (picofun wraps it in x-disabled-for-amazon-gateway)" });
        }
      });
      return hits;
    },
  },
  {
    id: "path-segment",
    severity: "error",
    summary: "path segments use letters, digits, _ - . , : and whole-segment {parameters}; a greedy {name+} comes last",
    fixedByGenerate: false,
    check: ({ doc }) => {
      const hits: Hit[] = [];
      for (const path of Object.keys(isObject(doc.paths) ? doc.paths : {})) {
        const segs = path.split("/").filter(Boolean);
        const bad = segs.find((s) => !PATH_SEGMENT.test(s));
        const greedy = segs.findIndex((s) => /\+\}$/.test(s));
        if (bad) hits.push({ pointer: pointer(["paths", path]), message: `path segment "${bad}" is not accepted`, fix: "make each {parameter} a whole segment and use only letters, digits, _ - . , :" });
        else if (greedy >= 0 && greedy !== segs.length - 1) hits.push({ pointer: pointer(["paths", path]), message: `greedy segment "${segs[greedy]}" is not the last one`, fix: "move the {name+} segment to the end of the path" });
      }
      return hits;
    },
  },
  {
    id: "sibling-path-variable",
    severity: "error",
    summary: "path variables under the same parent must share a name",
    fixedByGenerate: false,
    check: ({ doc }) => {
      const hits: Hit[] = [];
      const byParent = new Map<string, string>();
      for (const path of Object.keys(isObject(doc.paths) ? doc.paths : {}).sort()) {
        const segs = path.split("/").filter(Boolean);
        for (let i = 0; i < segs.length; i++) {
          const m = /^\{(.+)\}$/.exec(segs[i]);
          if (!m) continue;
          const parent = `/${segs.slice(0, i).join("/")}`;
          const first = byParent.get(parent);
          if (first === undefined) byParent.set(parent, m[1]);
          else if (first !== m[1]) {
            hits.push({ pointer: pointer(["paths", path]), message: `{${m[1]}} sits beside {${first}} under ${parent}`, fix: `name the variable {${first}} in every path under ${parent}` });
            break;
          }
        }
      }
      return hits;
    },
  },
  {
    id: "duplicate-operation-id",
    severity: "error",
    summary: "operationIds name the Lambda functions and must be unique",
    fixedByGenerate: false,
    check: ({ doc }) => {
      const seen = new Map<string, string>();
      const hits: Hit[] = [];
      for (const { op, at, method, path } of operations(doc)) {
        if (typeof op.operationId !== "string") continue;
        const first = seen.get(op.operationId);
        if (first) hits.push({ pointer: pointer([...at, "operationId"]), message: `operationId "${op.operationId}" is also used by ${first}`, fix: "give every operation its own operationId" });
        else seen.set(op.operationId, `${method.toUpperCase()} ${path}`);
      }
      return hits;
    },
  },
  {
    id: "body-size",
    severity: "error",
    summary: "an API definition may be at most 6 MB",
    fixedByGenerate: false,
    check: ({ size }) =>
      size > MAX_BODY_BYTES ? [{ pointer: "#", message: `the document is ${(size / 1048576).toFixed(1)} MB, over API Gateway's 6 MB`, fix: "split the API or remove unused components" }] : [],
  },
  {
    id: "resource-count",
    severity: "warning",
    summary: "an API has at most 300 resources by default",
    fixedByGenerate: false,
    check: ({ doc }) => {
      const n = resourceCount(doc);
      return n > MAX_RESOURCES ? [{ pointer: "#/paths", message: `the paths make ${n} resources, over the default quota of ${MAX_RESOURCES}`, fix: "ask for a quota increase for this API, or split it" }] : [];
    },
  },
  securityRule,
  openRule,
];

export function runRules(ctx: LintContext): import("./types.js").Finding[] {
  return RULES.flatMap((rule) => rule.check(ctx).map((hit) => ({ rule: rule.id, severity: rule.severity, fixedByGenerate: rule.fixedByGenerate, ...hit })));
}
