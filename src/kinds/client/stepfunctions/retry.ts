/**
 * The `Retry` blocks of every task state. Numbers live here (documented in docs/stepfunctions.md).
 *
 * 1. Lambda's own transient failures, as AWS's Step Functions best practices list them: the
 *    invocation never reached the function (or its answer was lost), so retrying is safe for
 *    every method. AWS's example values: 2 s, 6 attempts, backoff 2.
 * 2. picorun's transient API errors. The function has already retried them itself (up to
 *    `max_attempts` = 3 tries, exponential backoff with full jitter, within its own deadline),
 *    so an error that reaches Step Functions means that budget is spent. Step Functions adds
 *    the same kind of backoff one level up: exponential (rate 2) with full jitter, starting
 *    at the runtime's backoff cap (`[retry] cap`, 10 s) and at most 60 s apart, 2 more
 *    invocations: at most 3 invocations x 3 requests = 9 requests to the API in all.
 *    Like the runtime, connection errors and timeouts are retried only for idempotent methods
 *    (`[retry] methods`; a POST that timed out may have been processed); 429 and 503 mean the server did not
 *    process the request and are retried for every method.
 */
export const LAMBDA_TRANSIENT_ERRORS = [
  "Lambda.ServiceException",
  "Lambda.AWSLambdaException",
  "Lambda.SdkClientException",
  "Lambda.ClientExecutionTimeoutException",
  "Lambda.TooManyRequestsException",
];

export const LAMBDA_RETRY = { IntervalSeconds: 2, MaxAttempts: 6, BackoffRate: 2, JitterStrategy: "FULL" } as const;

/** What picorun itself retries: `[retry]` of picofun.toml (defaults: 3 tries, 0.5 s base, 10 s cap, GET/HEAD/OPTIONS/PUT/DELETE). */
export interface RuntimeRetry {
  maxAttempts: number;
  methods: string[];
  cap: number;
}

/** Step Functions' retry of the API errors: starts at the runtime's cap, doubles with full jitter, at most 60 s apart, 2 more invocations. */
export function apiRetry(runtime: RuntimeRetry) {
  const interval = Math.max(1, Math.ceil(runtime.cap));
  return { IntervalSeconds: interval, MaxAttempts: 2, BackoffRate: 2, MaxDelaySeconds: Math.max(60, interval), JitterStrategy: "FULL" } as const;
}

/** Errors that say the server did not process the request: retried for every method. */
export const THROTTLING_ERRORS = ["Http429Error", "Http503Error"];
/** Errors after which the request may have been processed: retried only for the methods picorun retries them for. */
export const CONNECTION_ERRORS = ["ApiTimeoutError", "ApiConnectionError"];

/** The `Retry` list of a task state for an operation with this HTTP method. */
export function retriers(method: string, runtime: RuntimeRetry): Array<Record<string, unknown>> {
  const retried = runtime.methods.some((m) => m.toLowerCase() === method.toLowerCase());
  const apiErrors = retried ? [...THROTTLING_ERRORS, ...CONNECTION_ERRORS] : THROTTLING_ERRORS;
  return [
    { ErrorEquals: LAMBDA_TRANSIENT_ERRORS, ...LAMBDA_RETRY },
    { ErrorEquals: apiErrors, ...apiRetry(runtime) },
  ];
}
