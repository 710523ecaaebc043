/**
 * The stage settings of the api kind's CDK construct: the same defaults as the Terraform
 * module's variables (templates/api/terraform/variables.tf, observability.tf).
 */

/** One JSON line per request in the access log group. */
export const ACCESS_LOG_FORMAT: Record<string, string> = {
  requestId: "$context.requestId",
  extendedRequestId: "$context.extendedRequestId",
  ip: "$context.identity.sourceIp",
  requestTime: "$context.requestTime",
  httpMethod: "$context.httpMethod",
  resourcePath: "$context.resourcePath",
  path: "$context.path",
  status: "$context.status",
  protocol: "$context.protocol",
  responseLength: "$context.responseLength",
  responseLatency: "$context.responseLatency",
  integrationLatency: "$context.integrationLatency",
  integrationStatus: "$context.integrationStatus",
  errorMessage: "$context.error.message",
  errorType: "$context.error.responseType",
  authorizerError: "$context.authorizer.error",
  apiKeyId: "$context.identity.apiKeyId",
  userAgent: "$context.identity.userAgent",
  xrayTraceId: "$context.xrayTraceId",
};

/** Method settings of every method, and the account-level logging role. */
export const STAGE_DEFAULTS = {
  loggingLevel: "ERROR",
  metricsEnabled: true,
  throttlingRateLimit: 100,
  throttlingBurstLimit: 50,
  manageApiGatewayAccount: true,
};
