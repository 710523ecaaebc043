import type { ActionType, NodePlopAPI } from "node-plop";
import type { RenderJob } from "../src/deployment/files.js";
import type { TemplateSet } from "../src/render/templates.js";

/** Answers every picofun generator receives: where rendered text goes, and the template set. */
export interface RenderAnswers {
  templates: TemplateSet;
  /** Output-relative path -> rendered text. */
  sink: Map<string, string>;
}

interface RenderActionConfig {
  type: "picofun:render";
  /** The files to render, in order: template, output path and template data each. */
  jobs: RenderJob[];
}

/**
 * A plop action that renders planned files (each template compiled once per run by
 * TemplateSet) into the in-memory sink. Writing happens afterwards, atomically, in one place.
 */
export function registerRenderAction(plop: NodePlopAPI): void {
  plop.setActionType("picofun:render", (answers, config) => {
    const { templates, sink } = answers as unknown as RenderAnswers;
    const { jobs } = config as unknown as RenderActionConfig;
    for (const job of jobs) sink.set(job.path, templates.render(job.template, job.data));
    return `${jobs.length} file(s)`;
  });
}

/**
 * The render actions of a plan: one for all its files. node-plop's bookkeeping around each
 * action (its promise chain, result objects) cost more than rendering many of the templates
 * when it ran once a file (2,456 of them for GitHub's spec).
 */
export function renderActions(jobs: RenderJob[]): ActionType[] {
  return jobs.length ? [{ type: "picofun:render", jobs } as unknown as ActionType] : [];
}
