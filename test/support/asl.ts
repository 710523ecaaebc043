import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
type Validate = (definition: unknown) => { isValid: boolean; errorsText: (separator?: string) => string };
const aslValidator = require("asl-validator") as Validate;

/** asl-validator's verdict on a state machine definition: "" when valid, else its errors. */
export function aslErrors(definition: unknown): string {
  // The validator writes defaults (QueryLanguage) into what it is given.
  const result = aslValidator(structuredClone(definition));
  return result.isValid ? "" : result.errorsText("; ");
}

/** A task state as the only state of a machine. */
export function oneStateMachine(name: string, state: Record<string, unknown>): Record<string, unknown> {
  return { StartAt: name, States: { [name]: { ...state, End: true } } };
}
