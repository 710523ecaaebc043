import type { PicofunConfig } from "../config/types.js";
import type { ClientContribution } from "../features/types.js";
import { hclValue } from "../render/escape.js";

/**
 * The picorun runtime's defaults as Lambda environment variables (name -> value), from
 * `[retry]`, `[pagination]` and `max_response_bytes`. picorun reads them on every call; an
 * event may override them (`retry`, `paginate`, `max_response_bytes`).
 */
export function runtimeEnvironment(config: PicofunConfig): Record<string, string> {
  const { retry, pagination } = config;
  const env: Record<string, string> = {
    PICORUN_RETRY_MAX_ATTEMPTS: String(retry.maxAttempts),
    PICORUN_RETRY_STATUSES: retry.statuses.join(","),
    PICORUN_RETRY_METHODS: retry.methods.join(","),
    PICORUN_RETRY_BASE: String(retry.base),
    PICORUN_RETRY_CAP: String(retry.cap),
    PICORUN_MAX_RESPONSE_BYTES: String(config.maxResponseBytes),
    PICORUN_PAGINATION_MAX_PAGES: String(pagination.maxPages),
  };
  if (pagination.cursorParam) env.PICORUN_PAGINATION_CURSOR_PARAM = pagination.cursorParam;
  if (pagination.cursorField) env.PICORUN_PAGINATION_CURSOR_FIELD = pagination.cursorField;
  if (pagination.itemsField) env.PICORUN_PAGINATION_ITEMS_FIELD = pagination.itemsField;
  return env;
}

/** The runtime settings' share of a client generation: environment variables for every function. */
export function runtimeContribution(config: PicofunConfig): ClientContribution {
  const env = runtimeEnvironment(config);
  return { environment: Object.fromEntries(Object.entries(env).map(([k, v]) => [k, hclValue(v)])) };
}
