/**
 * output/README.md of a CDK app (iac = "cdk"): how to synthesize, deploy or import the construct,
 * its props (read from the rendered construct, defaults from its data file), outputs and functions.
 */
import type { TemplateSet } from "../render/templates.js";
import { cell, code } from "./markdown.js";
import { diagram, functionTable, rowsOf, type ReadmeInput } from "./readme.js";

export interface CdkProp {
  name: string;
  type: string;
  description: string;
}

/** The props of `export interface NameProps { ... }`: each `readonly name?: type;` with the doc comment before it. */
export function readProps(source: string): { className: string; props: CdkProp[] } | undefined {
  const m = /export interface (\w+)Props \{\n([\s\S]*?)\n\}/.exec(source);
  if (!m) return undefined;
  const props: CdkProp[] = [];
  let doc = "";
  for (const line of m[2].split("\n").map((l) => l.trim())) {
    const comment = /^\/\*\*\s*(.*?)\s*\*\/$/.exec(line);
    if (comment) {
      doc = comment[1];
      continue;
    }
    const prop = /^readonly (\w+)\?: (.+);$/.exec(line);
    if (prop) props.push({ name: prop[1], type: prop[2], description: doc });
    doc = "";
  }
  return { className: m[1], props };
}

type Data = {
  defaults: Record<string, unknown>;
  functions: Record<string, { description?: string }>;
  authorizers?: Array<{ scheme: string }>;
  apiKeyRequired?: boolean;
};

export function cdkReadmeData(input: ReadmeInput, outputs: CdkReadmeOutputs): Record<string, unknown> {
  const { config, model, namespace, files } = input;
  const api = config.kind === "api";
  const text = (path: string) => {
    const v = files.get(path);
    return typeof v === "string" ? v : "";
  };
  const constructPath = [...files.keys()].find((p) => /^lib\/[^/]+-(api|functions)\.ts$/.test(p)) ?? "";
  const parsed = readProps(text(constructPath)) ?? { className: "", props: [] };
  const data = JSON.parse(text(api ? "lib/api.json" : "lib/functions.json") || "{}") as Data;
  const defaults = data.defaults ?? {};
  const rows = rowsOf(data.functions ?? {}, input.endpoints);
  const authorizers = (data.authorizers ?? []).map((a) => a.scheme);
  return {
    title: cell(model.title),
    version: cell(model.version),
    namespace,
    api,
    className: parsed.className,
    importPath: `./${constructPath.replace(/\.ts$/, "")}`,
    functionCount: rows.length,
    authorizerCount: authorizers.length,
    diagram: diagram(config, model, rows, { resources: new Map(authorizers.length ? [["aws_api_gateway_authorizer", authorizers]] : []) }),
    functions: functionTable(rows),
    props: parsed.props.map((p) => ({
      name: code(p.name),
      type: code(p.type),
      description: cell(p.description),
      default: p.name in defaults && defaults[p.name] !== null ? code(JSON.stringify(defaults[p.name])) : "none",
    })),
    outputs: outputs.stack.map((o) => ({ name: code(o.name), description: cell(o.description) })),
    places: outputs.places.map((o) => ({ name: code(o.name), description: cell(o.description), place: o.property ? code(o.property) : cell(o.instead ?? "") })),
  };
}

/** The deployment's outputs as the CDK emitter places them (src/iac/cdk/outputs.ts). */
export interface CdkReadmeOutputs {
  /** The stack outputs the construct adds. */
  stack: Array<{ name: string; description: string }>;
  /** Every output of the deployment and the construct property that holds it. */
  places: Array<{ name: string; description: string; property?: string; instead?: string }>;
}

/** output/README.md of a CDK app. */
export function renderCdkReadme(templates: TemplateSet, input: ReadmeInput, outputs: CdkReadmeOutputs): string {
  return templates.render("docs/cdk-README.md.hbs", cdkReadmeData(input, outputs));
}
