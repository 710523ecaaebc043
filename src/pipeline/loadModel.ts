import type { PicofunConfig } from "../config/types.js";
import { buildModel } from "../model/build.js";
import { modelCacheKey, readCachedModel, writeCachedModel, type CachedModel } from "../model/cache.js";
import type { ApiModel } from "../model/types.js";
import { sourceHasExternalRefs, loadSpecSource, type LoadedSpec } from "../spec/load.js";
import { readSpecSource, type SpecSource } from "../spec/read.js";
import { UserError } from "../util/errors.js";

export interface LoadedModel {
  spec: LoadedSpec;
  model: ApiModel;
}

export function requireSpec(config: PicofunConfig): string {
  if (!config.spec) throw new UserError('no spec: run "picofun <namespace> <spec>" or set spec = "openapi.yaml" in picofun.toml');
  return config.spec;
}

/** Loads the spec named by the config and builds the model. */
export async function loadModel(config: PicofunConfig, cwd: string): Promise<LoadedModel> {
  return modelFromSource(await readSpecSource(requireSpec(config), cwd), config);
}

/**
 * The model of a document already read. The client kind works from the model alone, so its
 * model may come from the model cache; the api kind rewrites the document itself and always
 * parses it. Documents with external $refs are never cached (the other files are not in the key).
 */
export async function modelFromSource(source: SpecSource, config: PicofunConfig): Promise<LoadedModel> {
  const key = config.kind === "client" && !sourceHasExternalRefs(source) ? modelCacheKey(source) : undefined;
  const cached = key ? readCachedModel(key) : undefined;
  if (cached) return { spec: specWithoutDocument(source, cached), model: cached.model };
  const spec = await loadSpecSource(source);
  const model = buildModel(spec);
  if (key) writeCachedModel(key, { version: spec.version, warnings: [...spec.warnings], model });
  return { spec, model };
}

function specWithoutDocument(source: SpecSource, cached: CachedModel): LoadedSpec {
  return {
    source,
    version: cached.version,
    warnings: [...cached.warnings],
    get doc(): never {
      throw new Error("internal error: the document was not parsed, its model came from the cache");
    },
  };
}
