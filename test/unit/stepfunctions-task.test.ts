import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Endpoint, Parameter, ParameterLocation } from "../../src/model/types.js";
import { inputPath, payloadSkeleton } from "../../src/kinds/client/stepfunctions/task.js";
import { exampleInput } from "../../src/kinds/client/stepfunctions/example.js";
import { stepFunctionsJson } from "../../src/kinds/client/stepfunctions/json.js";

const SECTION: Record<ParameterLocation, string> = { path: "path", query: "query", header: "headers", cookie: "cookies" };

/** Parameter names a spec may use: Object.prototype's own names, `__proto__` itself, dots, `.$`, quotes. */
const name = fc.oneof(
  fc.constantFrom("__proto__", "constructor", "toString", "hasOwnProperty", "valueOf", "__defineGetter__", "id", "a.$", "x'y", ""),
  fc.string({ unit: fc.constantFrom("a", "_", ".", "$", "'", "-", "é"), maxLength: 6 }),
);
const parameter = fc.record({ name, in: fc.constantFrom<ParameterLocation>("path", "query", "header", "cookie"), required: fc.boolean() });

function endpoint(params: Array<{ name: string; in: ParameterLocation; required: boolean }>): Endpoint {
  // One parameter per name and location, as a spec has them.
  const seen = new Set<string>();
  const parameters: Parameter[] = [];
  for (const p of params) {
    if (seen.has(`${p.in}:${p.name}`)) continue;
    seen.add(`${p.in}:${p.name}`);
    parameters.push({ name: p.name, in: p.in, required: p.required, allowReserved: false, deprecated: false });
  }
  return { method: "get", path: "/x", tags: [], deprecated: false, parameters, responses: [] };
}

describe("a Lambda Task state's Payload skeleton and the example input (property-based)", () => {
  it("name every parameter, whatever its name (__proto__ and Object.prototype's names are keys like any other)", () => {
    fc.assert(
      fc.property(fc.array(parameter, { maxLength: 6 }), (params) => {
        const e = endpoint(params);
        const { payload } = payloadSkeleton(e);
        // What the task file holds, read back.
        const written = JSON.parse(stepFunctionsJson(payload)) as Record<string, Record<string, unknown>>;
        const input = JSON.parse(stepFunctionsJson(exampleInput([{ endpoint: e, functionName: "t_f", module: "f" } as never]))).first as Record<string, Record<string, unknown>>;
        for (const p of e.parameters) {
          const section = SECTION[p.in];
          const required = p.required || p.in === "path";
          const path = required ? inputPath(section, p.name) : undefined;
          if (path) {
            expect(written[section][`${p.name}.$`], `${section}.${p.name}`).toBe(path);
            expect(Object.hasOwn(input[section], p.name), `example input ${section}.${p.name}`).toBe(true);
          } else if (!p.name.endsWith(".$")) {
            expect(Object.hasOwn(written[section], p.name), `${section}.${p.name}`).toBe(true);
            expect(written[section][p.name]).toBeNull();
          }
        }
      }),
      { numRuns: 1500 },
    );
  });

  it("keeps an optional query parameter and a required path parameter named __proto__", () => {
    const e = endpoint([
      { name: "__proto__", in: "query", required: false },
      { name: "__proto__", in: "path", required: true },
    ]);
    expect(stepFunctionsJson(payloadSkeleton(e).payload)).toContain('"__proto__": null');
    expect(stepFunctionsJson(exampleInput([{ endpoint: e, functionName: "t_f", module: "f" } as never]))).toContain('"__proto__": "REPLACE_ME"');
  });
});
