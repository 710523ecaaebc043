import type { Endpoint } from "../../../model/types.js";
import type { SupportedScheme } from "./schemes.js";

/** What the auth feature decided for a generation (exposed for tests and the wizard). */
export interface AuthPlan {
  /** Chosen schemes by name, in a stable order. */
  schemes: SupportedScheme[];
  /** Scheme names per endpoint key ("GET /x"); [] for no credentials. */
  perEndpoint: Map<string, string[]>;
  /** oauth2 scheme name -> scopes the spec asks for on the generated endpoints. */
  scopes: Map<string, string[]>;
  /** Endpoints whose every alternative is unsupported, with the schemes. */
  unsupported: Array<{ endpoint: Endpoint; schemes: string[] }>;
  /** OAuth2 schemes required together that are sent as one token (oneToken.ts), once each. */
  notices: string[];
}
