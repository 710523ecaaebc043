import type * as Inquirer from "@inquirer/prompts";

/** The prompt functions the wizard uses; the real @inquirer/prompts module fits, tests drive it with @inquirer/testing. */
export type Prompts = Pick<typeof Inquirer, "input" | "select" | "checkbox" | "search" | "confirm" | "number" | "Separator">;

/** What every wizard step is given: the prompts, the folder it runs in, and where information lines go. */
export interface WizardContext {
  p: Prompts;
  cwd: string;
  /** Information lines between questions. */
  say: (line: string) => void;
}
