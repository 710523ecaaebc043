/**
 * The error names a Step Functions state sees from a picofun client function. Lambda reports
 * `type(exc).__name__` as the error, and Step Functions matches `ErrorEquals` on that exact
 * name (not on a base class), so catching "every HTTP error" means listing every class the
 * runtime can raise: `HttpError` itself (non-standard statuses) and each `Http{status}Error`.
 * The list must match templates/client/layer/picorun/errors.py (a test compares them).
 */
export const HTTP_ERROR_STATUSES = [
  400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 418, 421, 422,
  423, 424, 425, 426, 428, 429, 431, 451, 500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511,
] as const;

/** `HttpError` and every `Http{status}Error`: what a `Catch` for HTTP errors lists. */
export const HTTP_ERROR_NAMES: string[] = ["HttpError", ...HTTP_ERROR_STATUSES.map((s) => `Http${s}Error`)];

/** Where a `Catch` puts the error (`{Error, Cause}`) in the state's input. */
export const CATCH_RESULT_PATH = "$.error";

/** The `Catch` example for HTTP errors: keeps the state's input and adds the error under `$.error`. */
export function httpErrorCatch(next: string): Record<string, unknown> {
  return { ErrorEquals: HTTP_ERROR_NAMES, ResultPath: CATCH_RESULT_PATH, Next: next };
}

/**
 * Two Pass states that read the error detail: `Cause` is a JSON string of Lambda's
 * `{errorMessage, errorType, requestId, stackTrace}`, and picorun's `errorMessage` is itself
 * JSON (`{status, method, path, url, headers, body}`), so `States.StringToJson` runs twice.
 * An intrinsic's result cannot be indexed, hence the second state.
 */
export function readErrorStates(first: string, second: string, next: { Next: string } | { End: true }): Record<string, unknown> {
  return {
    [first]: {
      Type: "Pass",
      Comment: "Cause is a JSON string: decode it",
      Parameters: { "error.$": "$.error.Error", "cause.$": "States.StringToJson($.error.Cause)" },
      Next: second,
    },
    [second]: {
      Type: "Pass",
      Comment: "picorun's errorMessage is JSON too: status, method, path, url, headers, body",
      Parameters: { "error.$": "$.error", "detail.$": "States.StringToJson($.cause.errorMessage)" },
      ...next,
    },
  };
}
