import type { PlopGeneratorConfig } from "node-plop";
import type { FilePlan } from "../src/deployment/files.js";
import { renderActions } from "./renderAction.js";

/** Client kind: one handler per endpoint, the layer's generated modules and the Terraform module. */
export const clientGenerator: PlopGeneratorConfig = {
  description: "Lambda functions that call an API, plus their Terraform module",
  prompts: [],
  actions: (data) => renderActions((data as { plan: FilePlan }).plan.renders),
};
