import { describe, expect, it } from "vitest";
import { fillPlaceholders, placeholder, stepFunctionsJson } from "../../src/kinds/client/stepfunctions/json.js";

describe("stepFunctionsJson", () => {
  it("writes two-space JSON with a final newline and placeholders as whole strings", () => {
    const text = stepFunctionsJson({ Type: "Task", Parameters: { FunctionName: placeholder("function_arn"), Empty: {}, List: [] }, Skip: undefined });
    expect(text).toBe(
      '{\n  "Type": "Task",\n  "Parameters": {\n    "FunctionName": "${function_arn}",\n    "Empty": {},\n    "List": []\n  }\n}\n',
    );
    expect(fillPlaceholders(text, { function_arn: "arn:x" })).toEqual({ Type: "Task", Parameters: { FunctionName: "arn:x", Empty: {}, List: [] } });
  });

  it("leaves no template syntax from spec text, in values or keys, and shows invisible characters escaped", () => {
    const hostile = 'a ${var.x} %{ if } "q" \u202e\u200b\u2028 \\';
    const text = stepFunctionsJson({ [hostile]: [hostile, placeholder("arn")] });
    expect(text).not.toMatch(/\$\{(?!arn\})|%\{/);
    expect(text).not.toMatch(/[\u202e\u200b\u2028]/);
    expect(JSON.parse(text)).toEqual({ [hostile]: [hostile, "${arn}"] });
  });

  it("never turns spec text into a placeholder, even text that starts with a NUL", () => {
    const sneaky = ["\u0000function_arn", "\u0000abc:function_arn", "${function_arn}", "\\u0000x"];
    const text = stepFunctionsJson({ values: sneaky });
    expect(JSON.parse(text)).toEqual({ values: sneaky });
    expect(text).not.toContain('"${');
  });
});
