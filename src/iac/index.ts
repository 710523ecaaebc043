/**
 * The infrastructure as code written next to the functions: each emitter reads the deployment
 * model alone (src/deployment/model.ts) and gives the files to write and the notes in its words.
 */
import type { Iac } from "../config/types.js";
import type { DeploymentModel } from "../deployment/model.js";
import type { IacOutput } from "./types.js";

/** The plan and notes of a deployment model in the chosen IaC. */
export async function emitIac(model: DeploymentModel, iac: Iac): Promise<IacOutput> {
  const emitters: Record<Iac, () => Promise<IacOutput>> = {
    terraform: async () => (await import("./terraform/emit.js")).emitTerraform(model),
    cdk: async () => (await import("./cdk/emit.js")).emitCdk(model),
  };
  return emitters[iac]();
}
