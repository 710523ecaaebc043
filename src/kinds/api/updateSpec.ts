import { loadYaml } from "../../util/yaml.js";
import { readFile } from "node:fs/promises";
import { isUrl } from "../../spec/read.js";
import { UserError, oneLine } from "../../util/errors.js";
import { writeFileAtomic } from "../../write/atomic.js";
import { DISABLED_KEY, importTimeUri, INTEGRATION_KEY, integrationFor } from "./gateway/transform.js";

/** One change `--update-spec` makes to the user's spec file. */
export type SpecEdit =
  | { kind: "operationId"; path: string; method: string; value: string }
  /** `value` is the function name the integration invokes. */
  | { kind: "integration"; path: string; method: string; value: string }
  /** Moves `keyword` of the schema at `at` into x-disabled-for-amazon-gateway. */
  | { kind: "wrap"; at: string[]; keyword: string };

type Obj = Record<string, unknown>;

function applyToObject(doc: Obj, edit: SpecEdit): boolean {
  const at = edit.kind === "wrap" ? edit.at : ["paths", edit.path, edit.method];
  let node: unknown = doc;
  for (const s of at) node = Array.isArray(node) ? node[Number(s)] : node && typeof node === "object" ? (node as Obj)[s] : undefined;
  if (!node || typeof node !== "object" || Array.isArray(node)) return false;
  const target = node as Obj;
  if (edit.kind === "operationId") {
    if (target.operationId !== undefined) return false;
    target.operationId = edit.value;
  } else if (edit.kind === "integration") {
    if (target[INTEGRATION_KEY] !== undefined) return false;
    target[INTEGRATION_KEY] = integrationFor(importTimeUri(edit.value));
  } else {
    if (!(edit.keyword in target)) return false;
    const box = (target[DISABLED_KEY] && typeof target[DISABLED_KEY] === "object" ? target[DISABLED_KEY] : {}) as Obj;
    box[edit.keyword] = target[edit.keyword];
    delete target[edit.keyword];
    target[DISABLED_KEY] = box;
  }
  return true;
}

/** The indentation of a JSON text (its first indented line), two spaces by default. */
function jsonIndent(text: string): string | number {
  const m = /\n([ \t]+)\S/.exec(text);
  return m ? m[1] : 2;
}

async function updateYaml(text: string, edits: SpecEdit[], where: string): Promise<{ text: string; applied: number }> {
  const YAML = await loadYaml();
  const doc = YAML.parseDocument(text, { uniqueKeys: false });
  if (doc.errors.length) throw new UserError(`${where}: cannot update the spec: ${doc.errors[0].message.split("\n")[0]}`);
  const keyOf = (p: { key: unknown }) => String(YAML.isScalar(p.key) ? p.key.value : p.key);
  const child = (node: unknown, seg: string): unknown => {
    const n = YAML.isAlias(node) ? node.resolve(doc) : node;
    if (YAML.isMap(n)) return n.items.find((p) => keyOf(p) === seg)?.value;
    if (YAML.isSeq(n)) return n.items[Number(seg)];
    return undefined;
  };
  let applied = 0;
  for (const edit of edits) {
    const at = edit.kind === "wrap" ? edit.at : ["paths", edit.path, edit.method];
    let node: unknown = doc.contents;
    for (const s of at) node = child(node, s);
    if (YAML.isAlias(node)) node = node.resolve(doc);
    if (!YAML.isMap(node)) continue;
    const map = node;
    const has = (k: string) => map.items.some((p) => keyOf(p) === k);
    if (edit.kind === "operationId") {
      if (has("operationId")) continue;
      map.items.unshift(doc.createPair("operationId", edit.value));
    } else if (edit.kind === "integration") {
      if (has(INTEGRATION_KEY)) continue;
      map.items.push(doc.createPair(INTEGRATION_KEY, integrationFor(importTimeUri(edit.value))));
    } else {
      const index = map.items.findIndex((p) => keyOf(p) === edit.keyword);
      if (index < 0) continue;
      const [pair] = map.items.splice(index, 1);
      let box = map.items.find((p) => keyOf(p) === DISABLED_KEY)?.value;
      if (!YAML.isMap(box)) {
        box = new YAML.YAMLMap();
        map.items.push(doc.createPair(DISABLED_KEY, box));
      }
      (box as InstanceType<typeof YAML.YAMLMap>).items.push(pair as never);
    }
    applied++;
  }
  return { text: doc.toString({ lineWidth: 0 }), applied };
}

/**
 * Writes operationIds, integrations and wrapped keywords back into the spec file. YAML keeps
 * its comments and layout (yaml's Document API); JSON is rewritten with its own indentation.
 * Returns how many edits were made; the file is only written when something changed.
 */
export async function updateSpecFile(location: string, edits: SpecEdit[]): Promise<number> {
  if (isUrl(location)) throw new UserError(`update_spec: the spec is a URL (${location}); it can only update a local file`);
  if (!edits.length) return 0;
  let text: string;
  try {
    text = await readFile(location, "utf8");
  } catch (err) {
    throw new UserError(`update_spec: cannot read ${location}: ${oneLine(err)}`);
  }
  let next: string;
  let applied = 0;
  if (text.replace(/^\uFEFF/, "").trimStart().startsWith("{")) {
    const doc = JSON.parse(text.replace(/^\uFEFF/, "")) as Obj;
    for (const e of edits) if (applyToObject(doc, e)) applied++;
    next = JSON.stringify(doc, null, jsonIndent(text)) + (text.endsWith("\n") ? "\n" : "");
  } else {
    ({ text: next, applied } = await updateYaml(text, edits, location));
  }
  if (!applied || next === text) return 0;
  await writeFileAtomic(location, next);
  return applied;
}
