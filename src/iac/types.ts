import type { ReadmeInput } from "../docs/readme.js";
import type { FilePlan } from "../deployment/files.js";
import type { TemplateSet } from "../render/templates.js";

/** What an IaC emitter gives for a deployment model. */
export interface IacOutput {
  /** The model's files plus the IaC's. */
  plan: FilePlan;
  /** The model's notes in the IaC's words. */
  notes: string[];
  /** output/README.md, from what was rendered. */
  readme(templates: TemplateSet, input: ReadmeInput): string;
}
