/** What the typed-handler glue of one operation is made from, in either language (pyOperation.ts, tsOperation.ts). */
import type { Json } from "./refs.js";

export interface OperationInput {
  doc: Json;
  operationId: string;
  /** The stub's module (file stem in the handlers folder). */
  module: string;
  method: string;
  path: string;
  op: Json;
  item: Json;
  /** The generated model's name of each component schema, by the schema's name. */
  models: Map<string, string>;
}
