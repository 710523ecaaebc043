import type { PlopGeneratorConfig } from "node-plop";
import type { FilePlan } from "../src/deployment/files.js";
import { renderActions } from "./renderAction.js";

/** Api kind: an API Gateway REST API definition, handler stubs and their Terraform module. */
export const apiGenerator: PlopGeneratorConfig = {
  description: "An API Gateway REST API whose operations are Lambda handlers",
  prompts: [],
  actions: (data) => {
    const plan = (data as { plan: FilePlan }).plan;
    return renderActions([...plan.renders, ...(plan.userOwned ?? [])]);
  },
};
