/** One file a template renders: `path` is relative to its root folder. */
export interface RenderJob {
  template: string;
  path: string;
  data: unknown;
}

/** A file copied as it is from the templates folder. */
export interface CopyJob {
  template: string;
  path: string;
}

/** A zip built from files of the plan (paths relative to the output folder). */
export interface ZipJob {
  path: string;
  /** Output-relative source path -> path inside the archive. */
  entries: Array<{ from: string; name: string }>;
  /** Extra folders on disk whose files go in under a prefix (e.g. a bundle). */
  folders?: Array<{ dir: string; prefix: string }>;
  /** Single files on disk (absolute path -> name in the archive), e.g. a handlers folder's shared code. */
  disk?: Array<{ file: string; name: string }>;
}

/** Everything one generation writes, before any template runs. */
export interface FilePlan {
  /** plop generator that renders `renders`. */
  generator: string;
  renders: RenderJob[];
  copies: CopyJob[];
  zips: ZipJob[];
  /** Files owned by the user once created: written only when missing, never tracked as generated. */
  userOwned?: RenderJob[];
  /** Runs before the zips are built: adds files only zips use (e.g. bundles); returns their paths, dropped after packaging. */
  beforeZips?: (files: Map<string, string | Uint8Array>) => Promise<string[]>;
  /** Functions the summary counts, when not every zip under build/lambdas/ is one (api kind: authorizers). */
  functionCount?: number;
}
