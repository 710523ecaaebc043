import type { PicofunConfig } from "../../config/types.js";
import type { ApiModel, Endpoint } from "../../model/types.js";
import { endpointKey } from "../../model/types.js";
import { resolveServerUrl } from "../../model/servers.js";
import { nameEndpoints, type NamedEndpoint } from "../../naming/functionName.js";
import { handlerData } from "./handlerData.js";
import type { CopyJob, RenderJob, ZipJob } from "../../deployment/files.js";
import type { ClientContribution } from "./featureTypes.js";
import { SHARED_LOG_GROUP_FROM, type DeployedFunction, type DeploymentModel } from "../../deployment/model.js";
import { clientOutputs } from "../../deployment/outputs.js";
import { credentialsPolicy, functionRolePolicies } from "../../deployment/role.js";
import { LAYER_RUNTIME_FILES } from "./layerFiles.js";
import { UserError } from "../../util/errors.js";
import { descriptionText } from "../../render/escape.js";

export interface ClientPlanInput {
  model: ApiModel;
  endpoints: Endpoint[];
  config: PicofunConfig;
  namespace: string;
  /** What the features contribute (auth, Step Functions, the runtime's settings). */
  extra?: ClientContribution;
  /** Per-endpoint security scheme names chosen by the auth feature (undefined: no seam data). */
  securityFor?: (e: Endpoint) => string[] | null | undefined;
  /** The endpoints' names, when the caller has them already. */
  named?: Map<Endpoint, NamedEndpoint>;
}

export interface ClientPlan {
  model: DeploymentModel;
  named: NamedEndpoint[];
  serverUrls: Set<string>;
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

/** The deployment of a client generation: handlers, the layer, the functions and their settings, the zips. */
export function planClient(input: ClientPlanInput): ClientPlan {
  const { model: apiModel, config, namespace } = input;
  const namedMap = input.named ?? nameEndpoints(input.endpoints, namespace);
  const named = [...namedMap.values()];
  const serverInputs = {
    overrideUrl: config.server.url,
    variables: config.server.variables,
    specLocation: apiModel.location,
    specIsUrl: apiModel.locationIsUrl,
    warn: (message: string) => warnings.push(message),
  };
  const warnings: string[] = [];
  const defaultUrl = (() => {
    let url: string | undefined;
    return () => (url ??= resolveServerUrl(apiModel.servers, serverInputs));
  })();

  const renders: RenderJob[] = [];
  const zips: ZipJob[] = [];
  const functions: DeployedFunction[] = [];
  const serverUrls = new Set<string>();
  for (const n of named) {
    const e = n.endpoint;
    const url =
      config.server.url === undefined && e.servers?.length
        ? resolveServerUrl(e.servers, { ...serverInputs, documentBase: defaultUrl }, `${apiModel.location} (${endpointKey(e)})`)
        : defaultUrl();
    if (!/^https?:\/\//i.test(url)) {
      throw new UserError(`server URL "${url}" of ${endpointKey(e)} is not http(s); set [server] url = "https://..." (or --server-url)`);
    }
    serverUrls.add(url);
    const file = `lambdas/${n.module}.py`;
    renders.push({ template: "client/handler.py.hbs", path: file, data: handlerData(n, url, config, input.securityFor?.(e)) });
    const zip = `build/lambdas/${n.functionName}.zip`;
    zips.push({ path: zip, entries: [{ from: file, name: `${n.module}.py` }] });
    functions.push({ name: n.functionName, module: n.module, handler: `${n.module}.handler`, description: description(e), zip });
  }

  const copies: CopyJob[] = LAYER_RUNTIME_FILES.map((f) => ({ template: `client/layer/${f}`, path: `layer/${f}` }));
  const layerFiles = [...LAYER_RUNTIME_FILES, ...(input.extra?.layerFiles ?? [])];
  zips.push({
    path: "build/layer.zip",
    entries: layerFiles.map((f) => ({ from: `layer/${f}`, name: `python/${f}` })),
    folders: config.bundle ? [{ dir: config.bundle, prefix: "python/" }] : undefined,
  });

  const ports = [...new Set([...serverUrls].map(portOf))].sort((a, b) => a - b);
  renders.push(...(input.extra?.renders ?? []));
  const model: DeploymentModel = {
    kind: "client",
    namespace,
    title: apiModel.title,
    functions: [...functions].sort((a, b) => (a.name < b.name ? -1 : 1)),
    settings: {
      runtime: config.runtime,
      architecture: config.architecture,
      timeout: config.timeout,
      memorySize: config.memorySize,
      layers: config.layers,
      powertoolsLayer: config.powertoolsLayer,
      xrayTracing: config.xrayTracing,
      logRetentionDays: config.logRetentionDays,
      sharedLogGroup: functions.length >= SHARED_LOG_GROUP_FROM,
      vpcId: config.vpcId ?? null,
      subnets: config.subnets,
      egressPorts: ports,
      tags: config.tags,
      environment: input.extra?.environment ?? {},
    },
    role: {
      namePrefix: config.iamRolePrefix,
      permissionsBoundary: config.rolePermissionsBoundary ?? null,
      policies: [...functionRolePolicies(), ...(input.extra?.credentials ? [credentialsPolicy(input.extra.credentials)] : [])],
    },
    credentialsTtlSeconds: Math.round(config.auth.ttlMinutes * 60),
    credentials: input.extra?.credentials,
    stepFunctions: input.extra?.stepFunctions,
    outputs: clientOutputs({
      credentials: !!input.extra?.credentials,
      stepFunctions: !!input.extra?.stepFunctions,
      httpTasks: !!input.extra?.stepFunctions?.tasks.some((t) => t.kind === "http"),
      example: !!input.extra?.stepFunctions?.example,
    }),
    files: { generator: "client", renders, copies, zips },
    notes: [baseUrlNote(serverUrls), ...(input.extra?.notes ?? [])],
  };
  return { model, named, serverUrls, warnings };
}
