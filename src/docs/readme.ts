import { join, relative } from "node:path";
import type { PicofunConfig } from "../config/types.js";
import type { ApiModel, Endpoint } from "../model/types.js";
import type { TemplateSet } from "../render/templates.js";
import { addJsonResources, readModule, type TfModule } from "./hcl.js";
import { exampleEvent } from "../events/build.js";
import { cell, code, mermaidLabel } from "./markdown.js";
import { byTerraformName } from "../util/order.js";

export interface ReadmeInput {
  config: PicofunConfig;
  model: ApiModel;
  endpoints: Endpoint[];
  namespace: string;
  /** Everything rendered so far, by path inside the output folder. */
  files: Map<string, string | Uint8Array>;
}

/** Functions drawn one by one in the diagram; beyond that they are counted. */
const DIAGRAM_FUNCTIONS = 12;

export interface FunctionRow {
  name: string;
  endpoint?: Endpoint;
  operation: string;
}

/** function name -> "METHOD /path" from functions.tf.json, the module's own list of functions. */
function functionRows(files: Map<string, string | Uint8Array>, endpoints: Endpoint[]): FunctionRow[] {
  const json = files.get("functions.tf.json");
  if (typeof json !== "string") return [];
  const functions = (JSON.parse(json) as { locals?: { functions?: Record<string, { description?: string }> } }).locals?.functions ?? {};
  return rowsOf(functions, endpoints);
}

/** Table rows of functions whose description names "METHOD /path". */
export function rowsOf(functions: Record<string, { description?: string }>, endpoints: Endpoint[]): FunctionRow[] {
  const byKey = new Map(endpoints.map((e) => [`${e.method.toUpperCase()} ${e.path}`, e]));
  return Object.entries(functions).map(([name, f]) => {
    const m = /\b(GET|PUT|POST|DELETE|OPTIONS|HEAD|PATCH|TRACE) (\S+?)(?::|$|\s)/.exec(f.description ?? "");
    const endpoint = m ? byKey.get(`${m[1]} ${m[2]}`) : undefined;
    return { name, endpoint, operation: endpoint ? `${endpoint.method.toUpperCase()} ${endpoint.path}` : (f.description ?? "") };
  });
}

/** Named error classes for the statuses the operation declares (picorun raises HttpError for any other). */
export function declaredErrors(e: Endpoint): string[] {
  const named = e.responses.filter((s) => /^[45]\d\d$/.test(s)).map((s) => `Http${s}Error`);
  return [...new Set(named)];
}

function usage(config: PicofunConfig, namespace: string, module: TfModule): string {
  const source = relative(config.baseDir, config.outputDir).split("\\").join("/") || ".";
  const required = module.variables.filter((v) => v.default === undefined);
  const lines = [`module "${namespace.replace(/[^A-Za-z0-9_-]/g, "_")}" {`, `  source = "./${source.replace(/^\.\//, "")}"`];
  for (const v of required) lines.push(`  ${v.name} = ... # ${v.type}`);
  lines.push("}");
  return lines.join("\n");
}

export function diagram(config: PicofunConfig, model: ApiModel, rows: FunctionRow[], module: Pick<TfModule, "resources">): string {
  const shown = rows.slice(0, DIAGRAM_FUNCTIONS);
  const more = rows.length - shown.length;
  const lines = ["flowchart LR"];
  const fnNodes = shown.map((r, i) => `    f${i}["${mermaidLabel(r.name)}"]`);
  if (more > 0) fnNodes.push(`    more["… and ${more} more"]`);
  if (config.kind === "api") {
    lines.push(`  clients["HTTP clients"] --> api["${mermaidLabel(`${model.title}: API Gateway REST API, stage ${config.api.stage}`)}"]`);
    const authorizers = module.resources.get("aws_api_gateway_authorizer") ?? [];
    const entry = authorizers.length ? "auth" : "api";
    if (authorizers.length) lines.push(`  api --> auth["${mermaidLabel(`authorizers: ${authorizers.join(", ")}`)}"]`);
    shown.forEach((r, i) => lines.push(`  ${entry} -->|"${mermaidLabel(r.operation)}"| f${i}["${mermaidLabel(r.name)}"]`));
    if (more > 0) lines.push(`  ${entry} --> more["… and ${more} more operations"]`);
    return lines.join("\n");
  }
  lines.push(`  caller["Step Functions or Lambda Invoke"] --> fns`, `  subgraph fns["${rows.length} Lambda functions"]`, ...fnNodes, "  end");
  lines.push(`  layer["picorun layer"] -.- fns`);
  lines.push(`  fns --> upstream["${mermaidLabel(model.title)}"]`);
  if (model.securitySchemes && Object.keys(model.securitySchemes).length && config.auth.enabled) {
    const store = config.auth.store === "secretsmanager" ? "Secrets Manager (KMS)" : "SSM Parameter Store (KMS)";
    lines.push(`  fns -.->|"credentials"| creds["${store}"]`);
  }
  return lines.join("\n");
}

/** The functions table's cells (both READMEs): name, operation, summary, example event, declared errors. */
export function functionTable(rows: FunctionRow[]): Array<Record<string, string>> {
  return rows.map((r) => ({
    name: code(r.name),
    operation: code(r.operation),
    summary: cell(r.endpoint?.summary),
    event: r.endpoint ? code(JSON.stringify(exampleEvent(r.endpoint))) : "",
    errors: r.endpoint ? declaredErrors(r.endpoint).map(code).join(", ") : "",
  }));
}

/** How to test and type-check typed Python handlers (paths relative to the project folder). */
function typedPythonText(config: ReadmeInput["config"]): Record<string, string> {
  const rel = (p: string) => relative(config.baseDir, p).split("\\").join("/") || ".";
  // Shell words inside a fenced block: plain paths as they are, anything else single-quoted (no backtick, no line break).
  const sh = (p: string) => (/^[\w./-]+$/.test(p) ? p : `'${p.replace(/[\r\n`]/g, "?").replace(/'/g, "'\\''")}'`);
  const handlers = rel(config.handlersDir);
  const glue = rel(join(config.outputDir, "handlers_glue"));
  return { handlers: code(handlers), glue: code(glue), handlersSh: sh(handlers), glueSh: sh(glue) };
}

export function readmeData(input: ReadmeInput): Record<string, unknown> {
  const { config, model, namespace, files } = input;
  const texts = [...files].filter((f): f is [string, string] => typeof f[1] === "string");
  const module = readModule(texts);
  for (const [path, text] of texts) if (path.endsWith(".tf.json")) addJsonResources(module, text);
  const rows = functionRows(files, input.endpoints);
  return {
    title: cell(model.title),
    version: cell(model.version),
    namespace,
    api: config.kind === "api",
    typedPython: config.kind === "api" && config.api.language === "python" ? typedPythonText(config) : undefined,
    typedTypescript: config.kind === "api" && config.api.language === "typescript" ? typedPythonText(config) : undefined,
    functionCount: rows.length,
    usage: usage(config, namespace, module),
    diagram: diagram(config, model, rows, module),
    functions: functionTable(rows),
    inputs: module.variables.map((v) => ({
      name: code(v.name),
      description: cell(v.description),
      type: code(v.type),
      default: v.default === undefined ? "n/a" : code(v.default),
      required: v.default === undefined ? "yes" : "no",
    })),
    outputs: module.outputs.map((o) => ({ name: code(o.name), description: cell(o.description), sensitive: o.sensitive ? "yes" : "no" })),
    resources: [...module.resources].sort(([a], [b]) => byTerraformName(a, b)).map(([type, names]) => ({ type: code(type), names: names.map(code).join(", ") })),
  };
}

/** output/README.md: what the module deploys, how to use it, its inputs, outputs and resources. */
export function renderReadme(templates: TemplateSet, input: ReadmeInput): string {
  return templates.render("docs/README.md.hbs", readmeData(input));
}
