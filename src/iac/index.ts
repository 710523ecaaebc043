/**
 * The infrastructure as code written next to the functions: the Terraform module the plans
 * carry (the default), or, with iac = "cdk", a TypeScript CDK package in its place.
 */
import type { PicofunConfig } from "../config/types.js";
import type { ApiModel, Endpoint } from "../model/types.js";
import type { ClientPlan } from "../plan/client.js";
import type { FilePlan } from "../plan/types.js";

export interface IacInput {
  config: PicofunConfig;
  namespace: string;
  model: ApiModel;
  endpoints: Endpoint[];
  plan: FilePlan;
  /** The end-of-run notes so far (Terraform commands in them are rewritten for CDK). */
  notes: string[];
}

/** The helpers both CDK constructs import (props checks, log groups, nested stacks, tasks). */
const COMMON_COPIES = ["checks", "logGroup", "review", "support"].map((f) => ({ template: `cdk/common/${f}.ts`, path: `lib/${f}.ts` }));

/** The plan with the chosen IaC: unchanged for Terraform. */
export async function applyIac(input: IacInput): Promise<{ plan: FilePlan; notes: string[] }> {
  if (input.config.iac !== "cdk") return { plan: input.plan, notes: input.notes };
  const { toCdkPlan } = await import("./cdk/plan.js");
  const alias = `alias/picorun-${input.namespace}-credentials`;
  const notes = [
    ...input.notes.map((n) => n.replace("after terraform apply", "after cdk deploy").replace("$(terraform output -raw credentials_kms_key_arn)", alias)),
  ];
  if (input.config.kind === "api") {
    const { apiCdkData, apiCdkInfo } = await import("./cdk/apiData.js");
    const plan = toCdkPlan(input.plan, {
      config: input.config,
      namespace: input.namespace,
      title: input.model.title,
      kind: "api",
      data: apiCdkData(input.config, input.namespace, apiCdkInfo(input.plan, apiTitle(input.plan, input.model.title))),
      copies: [
        ...COMMON_COPIES,
        { template: "cdk/api/security.ts", path: "lib/security.ts" },
        { template: "cdk/api/observability.ts", path: "lib/observability.ts" },
      ],
    });
    return { plan, notes };
  }
  const { clientCdkData } = await import("./cdk/clientData.js");
  const client = input.plan as ClientPlan;
  const auth = input.plan.renders.some((r) => r.path === "auth.tf");
  const plan = toCdkPlan(input.plan, {
    config: input.config,
    namespace: input.namespace,
    title: input.model.title,
    kind: "client",
    data: clientCdkData({ ...input, functions: client.functions, egressPorts: client.egressPorts, auth }),
    copies: [
      ...COMMON_COPIES,
      { template: "cdk/common/credentials.ts", path: "lib/credentials.ts" },
      { template: "cdk/common/powertools.ts", path: "lib/powertools.ts" },
    ],
  });
  return { plan, notes };
}

/** The API's name as the Terraform module has it (the spec's title, else the namespace). */
function apiTitle(plan: FilePlan, fallback: string): string {
  const vars = plan.renders.find((r) => r.path === "variables.tf");
  const hcl = (vars?.data as { defaults?: { apiName?: string } } | undefined)?.defaults?.apiName;
  try {
    return hcl ? (JSON.parse(hcl.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{")) as string) : fallback;
  } catch {
    return fallback;
  }
}
