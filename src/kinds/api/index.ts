/** The api kind: an API Gateway REST API from the spec, served by handler stubs the user owns. */
import type { KindModule } from "../types.js";
import { planApi } from "./plan.js";

export const apiKind: KindModule = {
  // It writes into the user's own files (stubs, the spec). With typed handlers and no update_spec
  // a run may be skipped: the handlers folder is part of the input key, and a run that creates a
  // stub records no key (the next one does the work again, and sees the stubs).
  reusable: (config) => !!config.api.language && !config.api.updateSpec,
  async plan(input) {
    const { config } = input;
    const api = await planApi(input);
    return {
      model: api.model,
      warnings: api.warnings,
      async afterRender(run) {
        const { plan } = run;
        if (!plan.userOwned?.length) return {};
        // User-owned files (handler stubs) are created when missing; their zips hold what is on disk.
        const { writeUserOwned, readUserOwned } = await import("../../write/userOwned.js");
        const { previousHandlers, stubReport } = await import("./stubs/stubReport.js");
        const before = previousHandlers(config.outputDir);
        const written = await writeUserOwned(plan, run.rendered, config);
        const stubs = stubReport(plan, config, written.created, before, written.removedTemps);
        run.notes.push(...stubs.notes);
        run.warnings.push(...stubs.warnings);
        for (const [path, data] of await readUserOwned(plan, config)) run.files.set(path, data);
        return { stubsCreated: written.created };
      },
      async afterWrite(run) {
        if (!config.api.updateSpec || !api.specEdits.length) return;
        const { updateSpecFile } = await import("./updateSpec.js");
        const n = await updateSpecFile(input.spec.source.location, api.specEdits);
        if (n) run.notes.push(`${n} change(s) written back to ${input.spec.source.location}`);
      },
    };
  },
};
