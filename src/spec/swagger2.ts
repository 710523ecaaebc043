import { UserError } from "../util/errors.js";

/** Placeholder until Swagger 2.0 conversion lands: a clear error instead of a crash. */
export function convertSwagger2(_doc: Record<string, unknown>, where: string, _warnings: string[]): Record<string, unknown> {
  throw new UserError(`${where}: Swagger 2.0 documents are not supported yet; convert it to OpenAPI 3 first`);
}
