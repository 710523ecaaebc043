import { flatKeys, keySpec } from "../../config/schema.js";
import type { PicofunConfig } from "../../config/types.js";
import type { ClientContribution } from "./featureTypes.js";

/**
 * The picorun runtime's defaults as Lambda environment variables (name -> value), from
 * `[retry]`, `[pagination]` and `max_response_bytes`. picorun reads them on every call; an
 * event may override them (`retry`, `paginate`, `max_response_bytes`).
 */
export function runtimeEnvironment(config: PicofunConfig): Record<string, string> {
  const { retry, pagination } = config;
  const values: Array<[string, string | number | readonly (string | number)[] | undefined]> = [
    ["retry.max_attempts", retry.maxAttempts],
    ["retry.statuses", retry.statuses],
    ["retry.methods", retry.methods],
    ["retry.base", retry.base],
    ["retry.cap", retry.cap],
    ["max_response_bytes", config.maxResponseBytes],
    ["pagination.max_pages", pagination.maxPages],
    ["pagination.cursor_param", pagination.cursorParam],
    ["pagination.cursor_field", pagination.cursorField],
    ["pagination.items_field", pagination.itemsField],
  ];
  const env: Record<string, string> = {};
  for (const [key, value] of values) {
    if (value === undefined || value === "") continue;
    env[keySpec(key).env!] = Array.isArray(value) ? value.join(",") : String(value);
  }
  return env;
}

/** Every runtime variable the schema names, with its default as picorun reads it (unset: none). */
export function runtimeDefaults(): Record<string, string | undefined> {
  return Object.fromEntries(
    flatKeys()
      .filter(([, spec]) => spec.env)
      .map(([, spec]) => [spec.env!, spec.default === undefined ? undefined : Array.isArray(spec.default) ? spec.default.join(",") : String(spec.default)]),
  );
}

/** The runtime settings' share of a client generation: environment variables for every function. */
export function runtimeContribution(config: PicofunConfig): ClientContribution {
  const env = runtimeEnvironment(config);
  return { environment: Object.fromEntries(Object.entries(env).map(([k, v]) => [k, { literal: v }])) };
}
