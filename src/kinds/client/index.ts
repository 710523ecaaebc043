/** The client kind: one Python Lambda per endpoint calling the API, over the picorun layer. */
import { nameEndpoints } from "../../naming/functionName.js";
import type { KindModule } from "../types.js";
import { clientFeatures } from "./features.js";
import { planClient } from "./plan.js";

export const clientKind: KindModule = {
  reusable: true,
  async plan({ config, namespace, model, endpoints }) {
    // Named once: the features and the plan both need every endpoint's name.
    const named = nameEndpoints(endpoints, namespace);
    const extra = await clientFeatures({ model, endpoints, config, namespace, named });
    const client = planClient({ model, endpoints, config, namespace, extra, securityFor: extra.securityFor, named });
    return {
      model: client.model,
      warnings: client.warnings,
      async afterRender(run) {
        if (config.bundle || config.preprocessor || config.postprocessor) {
          run.onStage("Preparing the bundle");
          const { prepareBundle } = await import("../../bundle/prepare.js");
          run.warnings.push(...(await prepareBundle(config, run.plan)));
        }
        return {};
      },
      async afterWrite() {},
    };
  },
};
