/**
 * The CDK emitter: a TypeScript CDK package (app, construct, its JSON data) for a deployment
 * model, and the model's notes in the CDK's words.
 */
import type { RenderJob } from "../../deployment/files.js";
import type { DeploymentModel, Note, NoteRef } from "../../deployment/model.js";
import { renderCdkReadme } from "../../docs/cdkReadme.js";
import type { IacOutput } from "../types.js";
import { apiCdkData } from "./apiData.js";
import { clientCdkData } from "./clientData.js";
import { httpTasksCdkData } from "./httpTasks.js";
import { cdkOutputPlaces, cdkStackOutputs } from "./outputs.js";
import { toCdkPlan } from "./plan.js";

/** The helpers both CDK constructs import (props checks, log groups, review acknowledgments, role policies, nested stacks, tasks). */
const COMMON_COPIES = ["checks", "logGroup", "review", "role", "support"].map((f) => ({ template: `cdk/common/${f}.ts`, path: `lib/${f}.ts` }));

const KIND_COPIES = {
  api: [
    { template: "cdk/api/security.ts", path: "lib/security.ts" },
    { template: "cdk/api/observability.ts", path: "lib/observability.ts" },
  ],
  client: [
    { template: "cdk/common/credentials.ts", path: "lib/credentials.ts" },
    { template: "cdk/common/powertools.ts", path: "lib/powertools.ts" },
  ],
};

/** A note in the CDK's words. */
export function cdkNote(note: Note, namespace: string): string {
  const words: Record<NoteRef, string> = { deployCommand: "cdk deploy", credentialsKeyId: `alias/picorun-${namespace}-credentials` };
  return typeof note === "string" ? note : note.map((p) => (typeof p === "string" ? p : words[p.ref])).join("");
}

/** The files of a CDK generation: the model's own files and the CDK package. */
export function emitCdk(m: DeploymentModel): IacOutput {
  const http = m.stepFunctions?.http;
  const example = !!m.stepFunctions?.example;
  const extra: RenderJob[] = [];
  if (http) {
    extra.push(
      { template: "cdk/common/json.hbs", path: "lib/http-tasks.json", data: { content: JSON.stringify(httpTasksCdkData(http, m.stepFunctions!.tasks), null, 2) } },
      { template: "cdk/client/httpTasks.ts.hbs", path: "lib/httpTasks.ts", data: {} },
    );
  }
  if (example) extra.push({ template: "cdk/client/example.ts.hbs", path: "lib/example.ts", data: {} });
  const files = extra.length ? { ...m.files, renders: [...m.files.renders, ...extra] } : m.files;
  const plan = toCdkPlan(files, {
    namespace: m.namespace,
    httpTasks: !!http,
    example,
    title: m.title,
    kind: m.kind,
    data: m.kind === "api" ? apiCdkData(m) : clientCdkData(m),
    copies: [...COMMON_COPIES, ...KIND_COPIES[m.kind]],
  });
  const outputs = { stack: cdkStackOutputs(m), places: cdkOutputPlaces(m) };
  return { plan, notes: m.notes.map((n) => cdkNote(n, m.namespace)), readme: (templates, input) => renderCdkReadme(templates, input, outputs) };
}
