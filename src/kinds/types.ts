/** What every kind exports: the same few entry points, so the pipeline has no kind of its own. */
import type { PicofunConfig } from "../config/types.js";
import type { FilePlan } from "../deployment/files.js";
import type { DeploymentModel } from "../deployment/model.js";
import type { ApiModel, Endpoint } from "../model/types.js";
import type { LoadedSpec } from "../spec/load.js";

export interface KindInput {
  config: PicofunConfig;
  namespace: string;
  spec: LoadedSpec;
  model: ApiModel;
  endpoints: Endpoint[];
}

/** The run after the templates rendered (and the README was written), before packaging. */
export interface RenderedRun {
  /** The plan the IaC emitter made from the model. */
  plan: FilePlan;
  /** What the templates rendered (output-relative path -> text). */
  rendered: Map<string, string>;
  /** Every file to write so far; a kind may add to it (what the zips read). */
  files: Map<string, string | Uint8Array>;
  notes: string[];
  warnings: string[];
  onStage: (text: string) => void;
}

/** The run after the output was written. */
export interface WrittenRun {
  notes: string[];
}

/** One generation of a kind: its deployment model, and what it does around rendering and writing. */
export interface KindRun {
  model: DeploymentModel;
  warnings: string[];
  afterRender(run: RenderedRun): Promise<{ stubsCreated?: string[] }>;
  afterWrite(run: WrittenRun): Promise<void>;
}

export interface KindModule {
  /** A run may be skipped when its inputs are those of the last one (nothing the user owns is written); a function decides per project. */
  reusable: boolean | ((config: PicofunConfig) => boolean);
  plan(input: KindInput): Promise<KindRun>;
}
