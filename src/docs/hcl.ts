import { byTerraformName } from "../util/order.js";

/**
 * Just enough of HCL to document a rendered module: the top-level `variable`, `output` and
 * `resource` blocks of .tf files and their simple attributes. Blocks are found by counting
 * braces outside strings, heredocs and comments.
 */
export interface TfVariable {
  name: string;
  type: string;
  default?: string;
  description: string;
  sensitive: boolean;
}

export interface TfOutput {
  name: string;
  description: string;
  sensitive: boolean;
}

export interface TfModule {
  variables: TfVariable[];
  outputs: TfOutput[];
  /** Resource type -> names, e.g. aws_lambda_function -> ["this"]. */
  resources: Map<string, string[]>;
}

interface Block {
  kind: string;
  labels: string[];
  body: string;
}

// The characters stringEnd and blockEnd act on: they jump from one to the next (a module's .tf
// files run to hundreds of KB, e.g. the HTTP Tasks policy of a big spec).
const IN_STRING = /["\\$%]/g;
const IN_BLOCK = /["#/<{}]/g;

/** Index of the closing quote of the string opening at `i`, past `${ ... }` interpolations (which may hold strings). */
function stringEnd(text: string, i: number): number {
  IN_STRING.lastIndex = i + 1;
  for (let m = IN_STRING.exec(text); m; m = IN_STRING.exec(text)) {
    i = m.index;
    if (text[i] === "\\") i++;
    else if (text[i] === '"') return i;
    else if (text[i + 1] === "{") {
      let depth = 0;
      for (i++; i < text.length; i++) {
        if (text[i] === '"') i = stringEnd(text, i);
        else if (text[i] === "{") depth++;
        else if (text[i] === "}" && --depth === 0) break;
      }
    }
    IN_STRING.lastIndex = i + 1;
  }
  return text.length;
}

/** The end index (exclusive) of the block whose "{" is at `open`. */
function blockEnd(text: string, open: number): number {
  let depth = 0;
  IN_BLOCK.lastIndex = open;
  for (let m = IN_BLOCK.exec(text); m; m = IN_BLOCK.exec(text)) {
    let i = m.index;
    const ch = text[i];
    if (ch === '"') i = stringEnd(text, i);
    else if (ch === "#" || (ch === "/" && text[i + 1] === "/")) {
      while (i < text.length && text[i] !== "\n") i++;
    } else if (ch === "<" && text.startsWith("<<", i)) {
      const m = /^<<-?([A-Za-z_]+)\n/.exec(text.slice(i));
      if (m) {
        const end = new RegExp(`\\n\\s*${m[1]}\\s*\\n`).exec(text.slice(i + m[0].length - 1));
        i = end ? i + m[0].length - 1 + end.index + end[0].length - 1 : text.length;
      }
    } else if (ch === "{") depth++;
    else if (ch === "}" && --depth === 0) return i + 1;
    IN_BLOCK.lastIndex = i + 1;
  }
  return text.length;
}

function topBlocks(text: string): Block[] {
  const out: Block[] = [];
  const head = /^(variable|output|resource)((?:\s+"[^"]*")+)\s*\{/gm;
  for (let m = head.exec(text); m; m = head.exec(text)) {
    const open = m.index + m[0].length - 1;
    const end = blockEnd(text, open);
    out.push({ kind: m[1], labels: [...m[2].matchAll(/"([^"]*)"/g)].map((l) => l[1]), body: text.slice(open + 1, end - 1) });
    head.lastIndex = end;
  }
  return out;
}

/** The value text of `name = ...` at the block's own level (the first line, or a balanced value). */
function attribute(body: string, name: string): string | undefined {
  const m = new RegExp(`^\\s*${name}\\s*=\\s*`, "m").exec(body);
  if (!m) return undefined;
  const start = m.index + m[0].length;
  const first = body[start];
  if (first === "{" || first === "[" || first === "(") {
    const close = { "{": "}", "[": "]", "(": ")" }[first]!;
    let depth = 0;
    for (let i = start; i < body.length; i++) {
      if (body[i] === '"') i = stringEnd(body, i);
      else if (body[i] === first) depth++;
      else if (body[i] === close && --depth === 0) return body.slice(start, i + 1).replace(/\s+/g, " ");
    }
  }
  return body.slice(start).split("\n")[0].trim();
}

function unquote(value: string | undefined): string {
  if (!value) return "";
  try {
    return value.startsWith('"') ? (JSON.parse(value) as string) : value;
  } catch {
    return value;
  }
}

/** Reads every .tf file of a rendered module (path -> text). */
export function readModule(files: Iterable<[string, string]>): TfModule {
  const module: TfModule = { variables: [], outputs: [], resources: new Map() };
  for (const [path, text] of files) {
    if (!path.endsWith(".tf") || path.includes("/")) continue;
    for (const b of topBlocks(text)) {
      const description = unquote(attribute(b.body, "description"));
      const sensitive = attribute(b.body, "sensitive") === "true";
      if (b.kind === "variable") {
        const def = attribute(b.body, "default");
        module.variables.push({ name: b.labels[0], type: attribute(b.body, "type") ?? "any", default: def, description, sensitive });
      } else if (b.kind === "output") {
        module.outputs.push({ name: b.labels[0], description, sensitive });
      } else {
        module.resources.set(b.labels[0], [...(module.resources.get(b.labels[0]) ?? []), b.labels[1]]);
      }
    }
  }
  module.variables.sort((a, b) => byTerraformName(a.name, b.name));
  module.outputs.sort((a, b) => byTerraformName(a.name, b.name));
  return module;
}

/** Resources declared in a .tf.json file ({"resource": {type: {name: ...}}}). */
export function addJsonResources(module: TfModule, json: string): void {
  let doc: { resource?: Record<string, Record<string, unknown>> };
  try {
    doc = JSON.parse(json) as typeof doc;
  } catch {
    return;
  }
  for (const [type, byName] of Object.entries(doc.resource ?? {})) {
    module.resources.set(type, [...(module.resources.get(type) ?? []), ...Object.keys(byName)]);
  }
}
