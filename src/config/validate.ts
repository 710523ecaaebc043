import { UserError } from "../util/errors.js";
import { didYouMean } from "../util/suggest.js";
import type { KeySpec } from "./schema.js";

function typeName(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  if (value === null) return "null";
  if (value instanceof Date) return "a date";
  return `a ${typeof value}`;
}

/** Checks one table of raw TOML data against the key table; throws a UserError naming the key and the fix. */
export function validateTable(raw: Record<string, unknown>, keys: Record<string, KeySpec>, where: string, prefix = ""): void {
  for (const [key, value] of Object.entries(raw)) {
    const full = prefix ? `${prefix}.${key}` : key;
    const spec = keys[key];
    if (!spec) {
      throw new UserError(`${where}: unknown key "${full}"${didYouMean(key, Object.keys(keys))}`);
    }
    validateValue(value, spec, full, where);
  }
}

function validateValue(value: unknown, spec: KeySpec, key: string, where: string): void {
  const bad = (expected: string) =>
    new UserError(`${where}: "${key}" must be ${expected}, got ${typeName(value)}`);
  switch (spec.type) {
    case "string":
      if (typeof value !== "string") throw bad("a string");
      checkString(value, spec, key, where);
      return;
    case "boolean":
      if (typeof value !== "boolean") throw bad("true or false");
      return;
    case "integer":
    case "number": {
      const n = typeof value === "bigint" ? Number(value) : value;
      if (typeof n !== "number" || Number.isNaN(n)) throw bad(spec.type === "integer" ? "a whole number" : "a number");
      if (spec.type === "integer" && !Number.isInteger(n)) throw bad("a whole number");
      if ((spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max)) {
        throw new UserError(`${where}: "${key}" must be between ${spec.min} and ${spec.max}, got ${n}`);
      }
      return;
    }
    case "string[]":
      if (!Array.isArray(value)) throw bad("a list of strings");
      value.forEach((item, i) => {
        if (typeof item !== "string") throw new UserError(`${where}: "${key}[${i}]" must be a string, got ${typeName(item)}`);
        checkString(item, spec, `${key}[${i}]`, where);
      });
      return;
    case "integer[]":
      if (!Array.isArray(value)) throw bad("a list of whole numbers");
      value.forEach((item, i) => {
        const n = typeof item === "bigint" ? Number(item) : item;
        if (typeof n !== "number" || !Number.isInteger(n)) {
          throw new UserError(`${where}: "${key}[${i}]" must be a whole number, got ${typeName(item)}`);
        }
        if ((spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max)) {
          throw new UserError(`${where}: "${key}[${i}]" must be between ${spec.min} and ${spec.max}, got ${n}`);
        }
      });
      return;
    case "table":
      if (typeof value !== "object" || value === null || Array.isArray(value) || value instanceof Date) {
        throw bad(`a table ([${key}])`);
      }
      if (spec.keys) {
        validateTable(value as Record<string, unknown>, spec.keys, where, key);
      } else {
        for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
          if (typeof v !== "string") {
            throw new UserError(`${where}: "${key}.${k}" must be a string, got ${typeName(v)}`);
          }
        }
      }
      return;
  }
}

function checkString(value: string, spec: KeySpec, key: string, where: string): void {
  if (spec.choices && !spec.choices.includes(value)) {
    throw new UserError(
      `${where}: "${key}" must be one of ${spec.choices.map((c) => `"${c}"`).join(", ")}, got ${JSON.stringify(value)}${didYouMean(value, spec.choices)}`,
    );
  }
  if (spec.pattern && !spec.pattern.re.test(value)) {
    throw new UserError(`${where}: "${key}" = ${JSON.stringify(value)} is not ${spec.pattern.hint}`);
  }
}
