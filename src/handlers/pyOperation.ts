/**
 * `picofun_api/ops/op_<module>.py`: one operation's typed request, its result type and its
 * Lambda entry point (`handler`), which calls the user's `handle` in `<module>.py`.
 */
import { commentText, pyDocstring, pyString } from "../render/escape.js";
import { operationParameters } from "../events/sample.js";
import { pyType, type PyTypeContext } from "./pyTypes.js";
import { deref, type Json } from "./refs.js";
import { successOf } from "./success.js";

const PY_KEYWORDS = new Set([
  ...["False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif", "else"],
  ...["except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise"],
  ...["return", "try", "while", "with", "yield", "event", "body"],
]);

export interface PyOperationInput {
  doc: Json;
  operationId: string;
  /** The stub's module (file stem in the handlers folder). */
  module: string;
  method: string;
  path: string;
  op: Json;
  item: Json;
  models: Map<string, string>;
}

export interface PyOperation {
  /** `op_<module>`: the glue module in `picofun_api/ops/`. */
  glueModule: string;
  requestClass: string;
  resultAlias: string;
  text: string;
}

function pascal(name: string): string {
  const parts = name.replace(/([a-z0-9])([A-Z])/g, "$1 $2").split(/[^A-Za-z0-9]+/).filter(Boolean);
  const v = parts.map((p) => p[0].toUpperCase() + p.slice(1)).join("") || "Operation";
  return /^[0-9]/.test(v) ? `Op${v}` : v;
}

function snake(name: string): string {
  const v = name.replace(/([a-z0-9])([A-Z])/g, "$1 $2").split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w.toLowerCase()).join("_") || "param";
  return /^[0-9]/.test(v) ? `p_${v}` : v;
}

const SCALAR: Record<string, [string, string]> = { integer: ["int", "as_int"], number: ["float", "as_float"], boolean: ["bool", "as_bool"] };

function scalarOf(doc: Json, schema: unknown): [string, string] {
  const s = deref(doc, schema);
  const t = s && typeof s.type === "string" ? s.type : "string";
  return SCALAR[t] ?? ["str", "as_str"];
}

export function pyOperation(input: PyOperationInput): PyOperation {
  const { doc, operationId, module } = input;
  const base = pascal(operationId);
  const requestClass = `${base}Request`;
  const resultAlias = `${base}Result`;
  const ctx: PyTypeContext = { models: input.models, prefix: "models.", quote: false };
  const taken = new Set<string>();
  const fields: string[] = [];
  const reads: string[] = [];
  const d = (v: unknown) => deref(doc, v);
  for (const p of operationParameters(d, input.item, input.op)) {
    const where = String(p.in);
    if (!["path", "query", "header", "cookie"].includes(where)) continue;
    const name = String(p.name);
    let v = snake(name);
    if (PY_KEYWORDS.has(v)) v = `${v}_param`;
    for (let n = 2; taken.has(v); n++) v = `${snake(name)}_${n}`;
    taken.add(v);
    const required = p.required === true || where === "path";
    const schema = d(p.schema);
    const array = schema?.type === "array" && where === "query";
    const [py, conv] = scalarOf(doc, array ? schema?.items : p.schema);
    const key = pyString(name);
    const type = array ? `list[${py}]` : py;
    fields.push(`    # ${commentText(`${name} (${where}${required ? ", required" : ""})${typeof p.description === "string" ? `: ${p.description}` : ""}`)}\n    ${v}: ${required ? type : `${type} | None`}`);
    const source = where === "query" && array ? `event.multi(${key})` : `event.${where === "query" ? "query" : where}(${key})`;
    reads.push(array ? `        ${v}=runtime.many(runtime.${conv}, ${key}, ${source}, ${required ? "True" : "False"}),` : `        ${v}=runtime.${required ? "required" : "optional"}(runtime.${conv}, ${key}, ${source}),`);
  }
  const body = d(input.op.requestBody);
  if (body && body.content && typeof body.content === "object") {
    const content = body.content as Json;
    const json = Object.keys(content).find((t) => /json/i.test(t));
    const need = body.required === true;
    if (json) {
      const t = pyType(d(content[json])?.schema, ctx);
      const full = need || t === "object" ? t : `${t} | None`;
      fields.push(`    # the request body (${commentText(json)}), parsed\n    body: ${full}`);
      const parsed = `event.json_body(${need ? "True" : "False"})`;
      reads.push(`        body=${full === "object" ? parsed : `cast(${pyString(full)}, ${parsed})`},`);
    } else if (Object.keys(content).length) {
      fields.push(`    # the request body, as bytes\n    body: bytes${need ? "" : " | None"}`);
      reads.push(need ? `        body=runtime.required_body(event.body_bytes()),` : `        body=event.body_bytes(),`);
    }
  }
  fields.push(`    # the whole proxy event\n    event: dict[str, object]`);
  reads.push(`        event=event.raw,`);
  const ok = successOf(doc, input.op);
  const result = ok.empty || ok.status === 204 ? "None" : pyType(ok.schema, ctx);
  const title = `${operationId}: ${input.method.toUpperCase()} ${input.path}`;
  const text = `${pyDocstring(title, "Generated by picofun on every run: do not edit. Your code is handle() in the handlers folder.")}

from __future__ import annotations

import dataclasses
import importlib
from typing import Literal, TypeAlias, cast

from picofun_api import models, runtime

OPERATION = ${pyString(operationId)}
HANDLER_MODULE = ${pyString(module)}
SUCCESS_STATUS = ${ok.status}


@dataclasses.dataclass(frozen=True)
class ${requestClass}:
    """The request of ${commentText(operationId).replace(/\\/g, "/").replace(/"/g, "'")}, parameters coerced to their declared types."""

${fields.join("\n")}


${resultAlias}: TypeAlias = ${pyString(`${result === "object" ? "object" : `${result} | runtime.Response`}`)}
"""What handle() returns: the success model (sent with status ${ok.status}) or a runtime.Response."""


def parse(event: runtime.Event) -> ${requestClass}:
    """The typed request of a proxy event (runtime.BadRequest when it does not fit)."""
    return ${requestClass}(
${reads.join("\n")}
    )


def _call(request: ${requestClass}) -> object:
    user = importlib.import_module(HANDLER_MODULE)
    result: object = user.handle(request)
    return result


def handler(event: object, context: object) -> dict[str, object]:
    """The Lambda entry point: parse the event, call handle(), answer a proxy response."""
    return runtime.run(event, parse, _call, OPERATION, SUCCESS_STATUS)
`;
  return { glueModule: `op_${module}`, requestClass, resultAlias, text };
}
