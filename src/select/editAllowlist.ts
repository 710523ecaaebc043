import { readFileSync } from "node:fs";
import { parse as parseToml } from "smol-toml";
import { Document, isMap, isScalar, isSeq, parseDocument, type Node, type YAMLMap, type YAMLSeq } from "yaml";
import type { Endpoint } from "../model/types.js";
import { endpointKey } from "../model/types.js";
import { UserError, oneLine } from "../util/errors.js";
import { writeFileAtomic } from "../write/atomic.js";
import { parseAllowlist, readAllowlistText, type Allowlist } from "./allowlist.js";
import { matchesAllowlist } from "./match.js";

/**
 * Edits of include-endpoints.yaml through the yaml Document API, so the user's comments,
 * order and formatting survive. Added endpoints go in by operationId when they have one,
 * else as `- path: ... methods: [...]`.
 */

const TO_STRING = { lineWidth: 0, flowCollectionPadding: false } as const;

export async function readAllowlistDocument(file: string): Promise<Document> {
  const doc = parseDocument(readAllowlistText(file));
  if (doc.errors.length) {
    const e = doc.errors[0];
    const at = e.linePos ? ` (line ${e.linePos[0].line})` : "";
    throw new UserError(`${file}: invalid YAML${at}: ${oneLine(e)}`);
  }
  return doc;
}

export function allowlistText(doc: Document): string {
  return doc.toString(TO_STRING);
}

/** The allowlist the document describes now; undefined when it holds no rule at all. */
export function allowlistOf(doc: Document, file: string): Allowlist | undefined {
  const data = doc.toJS() as Record<string, unknown> | null;
  const has = (k: string) => Array.isArray(data?.[k]) && (data![k] as unknown[]).length > 0;
  if (!data || !(has("paths") || has("operationIds") || has("tags"))) return undefined;
  return parseAllowlist(data, file);
}

function valueOf(item: unknown): unknown {
  return isScalar(item) ? item.value : item;
}

/** The sequence under `key`, made (block style) when missing or empty. */
function seqAt(doc: Document, key: string): YAMLSeq {
  const node = doc.get(key, true);
  if (isSeq(node)) {
    if (node.items.length === 0) node.flow = false;
    return node;
  }
  if (node !== undefined && node !== null && !(isScalar(node) && node.value === null)) {
    throw new UserError(`cannot edit the allowlist: "${key}" is not a list`);
  }
  const seq = doc.createNode([]) as YAMLSeq;
  seq.flow = false;
  if (!isMap(doc.contents)) doc.contents = doc.createNode({}) as unknown as typeof doc.contents;
  doc.set(key, seq);
  return seq;
}

function pathRuleNode(doc: Document, endpoint: Endpoint): Node {
  const node = doc.createNode({ path: endpoint.path, methods: [endpoint.method] }) as YAMLMap;
  const methods = node.get("methods", true);
  if (isSeq(methods)) methods.flow = true;
  return node;
}

/** Appends rules so each endpoint is included; `note` becomes a comment above the first one added. */
export function addEndpoints(doc: Document, endpoints: Endpoint[], note?: string): void {
  let first = true;
  for (const endpoint of endpoints) {
    let node: Node;
    let seq: YAMLSeq;
    if (endpoint.operationId) {
      seq = seqAt(doc, "operationIds");
      node = doc.createNode(endpoint.operationId) as Node;
    } else {
      seq = seqAt(doc, "paths");
      node = pathRuleNode(doc, endpoint);
    }
    if (first && note) node.commentBefore = note.split("\n").map((l) => ` ${l}`).join("\n");
    first = false;
    seq.items.push(node);
  }
}

/** A rule as YAML lines (its comments included), labelled with the list it was in. */
function ruleLines(key: string, item: unknown): string[] {
  const holder = new Document([]);
  (holder.contents as YAMLSeq).items.push(item);
  const text = holder.toString(TO_STRING).trimEnd().split("\n");
  return [`  ${key}:`, ...text.map((l) => `    ${l}`)];
}

/** Removes `items[index]`, handing the comment above it to the item that follows (comments are the user's). */
function removeItem(seq: YAMLSeq, index: number): void {
  const [gone] = seq.items.splice(index, 1) as Array<Node | unknown>;
  const comment = (gone as Node | undefined)?.commentBefore;
  if (!comment) return;
  const next = seq.items[index] as Node | undefined;
  if (next && typeof next === "object" && "commentBefore" in next) {
    next.commentBefore = next.commentBefore ? `${comment}\n${next.commentBefore}` : comment;
  } else {
    seq.comment = seq.comment ? `${seq.comment}\n${comment}` : comment;
  }
}

/**
 * Takes `removed` out of the allowlist. Exact entries (an operationId, a method of an exact
 * path) are deleted; a broader rule that also covers them (a glob, a path without methods,
 * a tag) is replaced by explicit entries for the endpoints it still has to include, with a
 * comment saying what it was. Returns the rules that were expanded that way.
 */
export function removeEndpoints(doc: Document, file: string, removed: Endpoint[], all: Endpoint[]): string[] {
  const before = allowlistOf(doc, file);
  const included = all.filter((e) => !before || matchesAllowlist(e, before));
  const gone = new Set(removed);
  const target = included.filter((e) => !gone.has(e));
  if (!target.length) {
    throw new UserError("that would leave no endpoint to generate; picofun needs at least one");
  }
  const expanded: string[] = [];
  /** The replaced rules as the user wrote them (comments included), for the note above their expansion. */
  const replaced: string[] = [];

  const ids = doc.get("operationIds", true);
  if (isSeq(ids)) {
    const removedIds = new Set(removed.map((e) => e.operationId).filter(Boolean));
    for (let i = ids.items.length - 1; i >= 0; i--) {
      if (removedIds.has(valueOf(ids.items[i]) as string)) removeItem(ids, i);
    }
  }

  const tags = doc.get("tags", true);
  if (isSeq(tags)) {
    for (let i = tags.items.length - 1; i >= 0; i--) {
      const tag = valueOf(tags.items[i]) as string;
      if (removed.some((e) => e.tags.includes(tag))) {
        expanded.push(`tag ${tag}`);
        replaced.unshift(...ruleLines("tags", tags.items[i]));
        removeItem(tags, i);
      }
    }
  }

  const paths = doc.get("paths", true);
  if (isSeq(paths)) {
    for (let i = paths.items.length - 1; i >= 0; i--) {
      const item = paths.items[i];
      const plain = isMap(item) || isScalar(item) ? item.toJSON() : item;
      const single = parseAllowlist({ paths: [plain] }, file);
      const rule = single.paths[0];
      const hits = removed.filter((e) => matchesAllowlist(e, single));
      if (!hits.length) continue;
      const exact = !/[*?]/.test(rule.path);
      const methodsNode = isMap(item) ? item.get("methods", true) : undefined;
      if (exact && rule.methods.length && isSeq(methodsNode)) {
        const drop = new Set<string>(hits.map((e) => e.method));
        for (let m = methodsNode.items.length - 1; m >= 0; m--) {
          if (drop.has(String(valueOf(methodsNode.items[m])).toLowerCase())) removeItem(methodsNode, m);
        }
        if (!methodsNode.items.length) removeItem(paths, i);
        continue;
      }
      expanded.push(rule.methods.length ? `${rule.methods.join(",").toUpperCase()} ${rule.path}` : rule.path);
      replaced.unshift(...ruleLines("paths", item));
      removeItem(paths, i);
    }
  }

  const after = allowlistOf(doc, file);
  const missing = target.filter((e) => !after || !matchesAllowlist(e, after));
  if (missing.length) {
    const note = replaced.length
      ? `listed one by one by "picofun remove endpoint", which replaced:\n${replaced.join("\n")}`
      : `listed one by one by "picofun remove endpoint"`;
    addEndpoints(doc, missing, note);
  }
  for (const key of ["operationIds", "paths", "tags"]) {
    const seq = doc.get(key, true);
    if (isSeq(seq) && !seq.items.length && !seq.comment && !seq.commentBefore) doc.delete(key);
  }
  const final = allowlistOf(doc, file);
  const now = all.filter((e) => final && matchesAllowlist(e, final));
  if (now.length !== target.length || now.some((e) => gone.has(e))) {
    throw new Error(`allowlist edit went wrong: ${now.map(endpointKey).join(", ")}`);
  }
  return expanded;
}

/** A fresh allowlist that includes exactly `endpoints`. */
export function newAllowlist(endpoints: Endpoint[], header: string): Document {
  const doc = new Document({});
  addEndpoints(doc, endpoints);
  doc.commentBefore = header
    .split("\n")
    .map((l) => ` ${l}`)
    .join("\n");
  return doc;
}

export async function writeAllowlist(file: string, doc: Document): Promise<void> {
  await writeFileAtomic(file, allowlistText(doc));
}

/**
 * Adds `include_endpoints = "<value>"` to picofun.toml as text, at the top level (before the
 * first [table] and the comments right above it), so every comment in the file stays.
 */
export function withIncludeEndpoints(toml: string, value: string): string {
  const eol = toml.includes("\r\n") ? "\r\n" : "\n";
  const lines = toml.length ? toml.split(/\r?\n/) : [];
  if (lines.length && lines[lines.length - 1] === "") lines.pop();
  const line = `include_endpoints = ${JSON.stringify(value)}`;
  let at = lines.findIndex((l) => /^\s*\[/.test(l));
  if (at < 0) {
    at = lines.length;
  } else {
    while (at > 0 && /^\s*#/.test(lines[at - 1])) at--;
  }
  while (at > 0 && lines[at - 1].trim() === "") at--;
  lines.splice(at, 0, line);
  const out = lines.join(eol) + eol;
  const parsed = parseToml(out) as Record<string, unknown>;
  if (parsed.include_endpoints !== value) {
    throw new UserError(`could not add include_endpoints to picofun.toml by itself; add include_endpoints = "${value}" at its top`);
  }
  return out;
}

export async function addIncludeEndpointsKey(tomlFile: string, value: string): Promise<void> {
  const text = readFileSync(tomlFile, "utf8");
  await writeFileAtomic(tomlFile, withIncludeEndpoints(text, value));
}
