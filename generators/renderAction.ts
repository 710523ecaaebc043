import type { ActionType, NodePlopAPI } from "node-plop";
import type { RenderJob } from "../src/plan/types.js";
import type { TemplateSet } from "../src/render/templates.js";

/** Answers every picofun generator receives: where rendered text goes, and the template set. */
export interface RenderAnswers {
  templates: TemplateSet;
  /** Output-relative path -> rendered text. */
  sink: Map<string, string>;
}

interface RenderActionConfig {
  type: "picofun:render";
  template: string;
  path: string;
  /** Template data (not plop's `data`, which plop would merge into the answers). */
  vars: unknown;
}

/**
 * A plop action that renders one template (compiled once per run by TemplateSet) into the
 * in-memory sink. Writing happens afterwards, atomically, in one place.
 */
export function registerRenderAction(plop: NodePlopAPI): void {
  plop.setActionType("picofun:render", (answers, config) => {
    const { templates, sink } = answers as unknown as RenderAnswers;
    const cfg = config as unknown as RenderActionConfig;
    sink.set(cfg.path, templates.render(cfg.template, cfg.vars));
    return cfg.path;
  });
}

/** One render action per planned file. */
export function renderActions(jobs: RenderJob[]): ActionType[] {
  return jobs.map((job) => ({ type: "picofun:render", template: job.template, path: job.path, vars: job.data }) as unknown as ActionType);
}
