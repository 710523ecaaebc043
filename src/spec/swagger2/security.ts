/** Swagger 2.0 security definitions (basic, apiKey, the four oauth2 flows) as OpenAPI 3 security schemes. */
import { asObj, type Obj } from "./walk.js";

export function convertSecurityScheme(name: string, s: Obj, warnings: string[]): Obj | undefined {
  const description = typeof s.description === "string" ? { description: s.description } : {};
  switch (s.type) {
    case "basic":
      return { type: "http", scheme: "basic", ...description };
    case "apiKey":
      return { type: "apiKey", name: s.name, in: s.in, ...description };
    case "oauth2": {
      const scopes = asObj(s.scopes) ?? {};
      const flows: Obj = {};
      switch (s.flow) {
        case "implicit":
          flows.implicit = { authorizationUrl: s.authorizationUrl, scopes };
          break;
        case "password":
          flows.password = { tokenUrl: s.tokenUrl, scopes };
          break;
        case "application":
          flows.clientCredentials = { tokenUrl: s.tokenUrl, scopes };
          break;
        case "accessCode":
          flows.authorizationCode = { authorizationUrl: s.authorizationUrl, tokenUrl: s.tokenUrl, scopes };
          break;
        default:
          warnings.push(`security scheme "${name}": unknown oauth2 flow ${JSON.stringify(s.flow)}; left out`);
          return undefined;
      }
      return { type: "oauth2", flows, ...description };
    }
    default:
      warnings.push(`security scheme "${name}": unknown type ${JSON.stringify(s.type)}; left out`);
      return undefined;
  }
}
