import type { PicofunConfig } from "../config/types.js";
import type { ApiModel, Endpoint } from "../model/types.js";
import { endpointKey } from "../model/types.js";
import { resolveServerUrl } from "../model/servers.js";
import { nameEndpoints, type NamedEndpoint } from "../naming/functionName.js";
import { handlerData } from "./handlerData.js";
import { hclObjectExpression, terraformData, type FunctionEntry } from "./terraformData.js";
import type { CopyJob, FilePlan, RenderJob, ZipJob } from "./types.js";
import { LAYER_RUNTIME_FILES } from "./layerFiles.js";
import { UserError } from "../util/errors.js";
import { descriptionText } from "../render/escape.js";

export const TERRAFORM_FILES = ["versions.tf", "variables.tf", "main.tf", "iam.tf", "lambda.tf", "vpc.tf", "outputs.tf"];

export interface ClientPlanInput {
  model: ApiModel;
  endpoints: Endpoint[];
  config: PicofunConfig;
  namespace: string;
  /** Extra render jobs and layer files contributed by features (auth, bundles...). */
  extra?: { renders?: RenderJob[]; layerFiles?: string[]; environment?: Record<string, string> };
  /** Per-endpoint security scheme names chosen by the auth feature (undefined: no seam data). */
  securityFor?: (e: Endpoint) => string[] | null | undefined;
  /** The endpoints' names, when the caller has them already. */
  named?: Map<Endpoint, NamedEndpoint>;
}

export interface ClientPlan extends FilePlan {
  named: NamedEndpoint[];
  serverUrls: Set<string>;
  /** The functions and the API's ports (for an IaC other than the Terraform module). */
  functions: FunctionEntry[];
  egressPorts: number[];
  /** For the summary: where the calls go, and a server URL that leaves out the spec's path. */
  notes: string[];
  warnings: string[];
}

function description(e: Endpoint): string {
  return descriptionText(`${e.method.toUpperCase()} ${e.path}${e.summary ? `: ${e.summary}` : ""}`);
}

function portOf(url: string): number {
  const u = new URL(url);
  if (u.port) return Number(u.port);
  return u.protocol === "http:" ? 80 : 443;
}

/** The summary's line about where the functions send their calls. */
function baseUrlNote(urls: Set<string>): string {
  const list = [...urls];
  if (list.length === 1) return `Calls go to ${list[0]}`;
  const shown = list.slice(0, 3).join(", ");
  return `Calls go to ${list.length} base URLs (operations with servers of their own): ${shown}${list.length > 3 ? ", ..." : ""}`;
}

/** Plans every file of a client generation: handlers, the layer, the Terraform module and the zips. */
export function planClient(input: ClientPlanInput): ClientPlan {
  const { model, config, namespace } = input;
  const namedMap = input.named ?? nameEndpoints(input.endpoints, namespace);
  const named = [...namedMap.values()];
  const serverInputs = {
    overrideUrl: config.server.url,
    variables: config.server.variables,
    specLocation: model.location,
    specIsUrl: model.locationIsUrl,
    warn: (message: string) => warnings.push(message),
  };
  const warnings: string[] = [];
  const defaultUrl = (() => {
    let url: string | undefined;
    return () => (url ??= resolveServerUrl(model.servers, serverInputs));
  })();

  const renders: RenderJob[] = [];
  const zips: ZipJob[] = [];
  const functions: FunctionEntry[] = [];
  const serverUrls = new Set<string>();
  for (const n of named) {
    const e = n.endpoint;
    const url =
      config.server.url === undefined && e.servers?.length
        ? resolveServerUrl(e.servers, { ...serverInputs, documentBase: defaultUrl }, `${model.location} (${endpointKey(e)})`)
        : defaultUrl();
    if (!/^https?:\/\//i.test(url)) {
      throw new UserError(`server URL "${url}" of ${endpointKey(e)} is not http(s); set [server] url = "https://..." (or --server-url)`);
    }
    serverUrls.add(url);
    const file = `lambdas/${n.module}.py`;
    renders.push({ template: "client/handler.py.hbs", path: file, data: handlerData(n, url, config, input.securityFor?.(e)) });
    const zip = `build/lambdas/${n.functionName}.zip`;
    zips.push({ path: zip, entries: [{ from: file, name: `${n.module}.py` }] });
    functions.push({ name: n.functionName, module: n.module, description: description(e), zip });
  }

  const copies: CopyJob[] = LAYER_RUNTIME_FILES.map((f) => ({ template: `client/layer/${f}`, path: `layer/${f}` }));
  const layerFiles = [...LAYER_RUNTIME_FILES, ...(input.extra?.layerFiles ?? [])];
  zips.push({
    path: "build/layer.zip",
    entries: layerFiles.map((f) => ({ from: `layer/${f}`, name: `python/${f}` })),
    folders: config.bundle ? [{ dir: config.bundle, prefix: "python/" }] : undefined,
  });

  const ports = [...new Set([...serverUrls].map(portOf))].sort((a, b) => a - b);
  const tf = terraformData(config, namespace, functions, ports);
  for (const name of TERRAFORM_FILES) {
    renders.push({ template: `client/terraform/${name}.hbs`, path: name, data: { ...tf, environment: hclObjectExpression(input.extra?.environment ?? {}) } });
  }
  renders.push({ template: "client/terraform/functions.tf.json.hbs", path: "functions.tf.json", data: tf });
  renders.push(...(input.extra?.renders ?? []));
  return { generator: "client", renders, copies, zips, named, serverUrls, functions, egressPorts: ports, notes: [baseUrlNote(serverUrls)], warnings };
}
