/** One line of `picofun doctor`'s report. */
export interface Check {
  /** What was looked for: "node", "python3.13", "pip", "terraform", ... */
  name: string;
  /** "skipped": not looked at (--offline, or nothing to check it with). */
  state: "ok" | "missing" | "skipped";
  /** What was found (version, where) or why not. */
  detail: string;
  /** What picofun's output uses it for. */
  purpose: string;
  /** Needed by the project's picofun.toml (a missing needed check makes doctor exit 1). */
  needed: boolean;
  /** How to get it, for a check that is not ok. */
  fix?: string;
}

/** What the project's picofun.toml asks of the machine (everything, without a project). */
export interface Needs {
  /** The config file read, or undefined without a project. */
  configFile?: string;
  kind?: string;
  iac?: string;
  runtime?: string;
  /** A requirements.txt in the bundle folder (pip installs it at generation). */
  requirements?: string;
  /** Typed TypeScript handlers' package.json with dependencies (npm installs it for Lambda at generation). */
  packageJson?: string;
  /** preprocessor / postprocessor set (checked in python3 at generation). */
  hooks: boolean;
  /** Where the project's own node_modules / output may hold a local CDK CLI. */
  dirs: string[];
}
