/**
 * Values the conversion turns into keys: the media types of `consumes`/`produces` (keys of each
 * `content`) and the names of formData parameters (keys of the form body's `properties`). A
 * value `__proto__` there would set the new object's prototype instead of adding a key, and the
 * media type or field would vanish; such a key in the document itself is refused before the
 * conversion (src/spec/protoKeys.ts), so the value is refused the same way, with where it is.
 */
import { UserError } from "../../util/errors.js";
import { pointer } from "../schemas.js";
import { strings } from "./walk.js";

const KEY = "__proto__";

/** The media types (strings) of a `consumes`/`produces` list at `at` (its JSON pointer segments), each one checked. */
export function mediaTypes(list: unknown, at: string[], where: string): string[] | undefined {
  if (!Array.isArray(list)) return undefined;
  list.forEach((t, i) => {
    if (t === KEY) throw refusal(where, `media type "${KEY}" (${pointer([...at, String(i)])})`);
  });
  return strings(list);
}

/** A formData parameter's name, checked (`operation` says which operation it belongs to). */
export function formFieldName(name: string, operation: string, where: string): string {
  if (name === KEY) throw refusal(where, `formData parameter "${KEY}" of ${operation}`);
  return name;
}

function refusal(where: string, what: string): UserError {
  return new UserError(
    `${where}: ${what} would become a key named "${KEY}" in the OpenAPI 3 document, which is not supported (JavaScript reads that name as an object's prototype, not as a key); rename it`,
  );
}
