export const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];
export type ParameterLocation = "path" | "query" | "header" | "cookie";

export interface ServerVariable {
  default?: string;
  enum?: string[];
  description?: string;
}

export interface Server {
  url: string;
  description?: string;
  variables: Record<string, ServerVariable>;
}

export interface Parameter {
  name: string;
  in: ParameterLocation;
  required: boolean;
  description?: string;
  style?: string;
  explode?: boolean;
  allowReserved: boolean;
  /** The schema's `type` when it is a simple one ("string", "array", ...). */
  schemaType?: string;
  deprecated: boolean;
  /** An example value (src/events/sample.ts: the spec's example, default, else one from the schema). */
  example?: unknown;
}

export interface RequestBody {
  contentType: string;
  contentTypes: string[];
  required: boolean;
  description?: string;
  /** An example body of `contentType` (as Parameter.example). */
  example?: unknown;
}

/** A security requirement: scheme name -> scopes. An empty list means "no credentials". */
export type SecurityRequirement = Record<string, string[]>;

export interface SecurityScheme {
  name: string;
  type: string;
  scheme?: string;
  in?: string;
  paramName?: string;
  bearerFormat?: string;
  flows?: Record<string, unknown>;
  openIdConnectUrl?: string;
  description?: string;
}

export interface Endpoint {
  method: HttpMethod;
  path: string;
  operationId?: string;
  summary?: string;
  description?: string;
  tags: string[];
  deprecated: boolean;
  parameters: Parameter[];
  requestBody?: RequestBody;
  /** The operation's own `security` (undefined: inherits the document's). */
  security?: SecurityRequirement[];
  /** Most specific `servers` (operation, then path item); undefined: the document's. */
  servers?: Server[];
  /** Response status codes declared, e.g. ["200", "404", "default"]. */
  responses: string[];
}

/** The small internal model every later stage works from. */
export interface ApiModel {
  title: string;
  version: string;
  description?: string;
  openapiVersion: string;
  servers: Server[];
  endpoints: Endpoint[];
  securitySchemes: Record<string, SecurityScheme>;
  security?: SecurityRequirement[];
  /** Where the document came from: a file path or URL (for relative server URLs). */
  location: string;
  locationIsUrl: boolean;
}

export function endpointKey(e: Pick<Endpoint, "method" | "path">): string {
  return `${e.method.toUpperCase()} ${e.path}`;
}
