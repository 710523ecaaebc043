// GitHub's spec as API Gateway accepts it, for the api-kind bench rows (issue 31). picofun's own
// lint stops `generate --kind api` on GitHub's spec as published, for three reasons API Gateway
// would refuse it for too; this derives a copy with only those removed, keeping all 1,223
// operations, every schema and every parameter:
// - path-segment: `/repos/{owner}/{repo}/compare/{base}...{head}` (a variable that is not a whole
//   segment) becomes `.../compare/{basehead}/{head}`;
// - sibling-path-variable: 59 paths name a variable differently from a sibling at the same place
//   (`/users/{user_id}` beside `/users/{username}/...`); each takes the name of the first sibling in
//   sorted order, in the path and in its `in: path` parameter (a $ref'd one is copied with the new name);
//   where that makes two paths one (`/orgs/{org}/attestations/{attestation_id}` and `.../{subject_digest}`),
//   the second gets a literal last segment (`.../{attestation_id}/by-subject_digest`);
// - body-size: 12.4 MB is over API Gateway's 6 MB; descriptions (text, not the `description`
//   properties of schemas), `examples`/`example` values and `x-github` extensions are dropped.
// Deterministic: the same input always gives the same bytes.
import { readFileSync, writeFileSync } from "node:fs";

const HTTP = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);

function strip(value, inProperties = false) {
  if (Array.isArray(value)) return value.map((v) => strip(v));
  if (!value || typeof value !== "object") return value;
  const out = {};
  for (const [k, v] of Object.entries(value)) {
    if (!inProperties && (k === "description" || k === "summary") && typeof v === "string") continue;
    if (!inProperties && (k === "examples" || k === "example" || k.startsWith("x-github"))) continue;
    out[k] = strip(v, !inProperties && (k === "properties" || k === "patternProperties"));
  }
  return out;
}

function resolve(doc, param) {
  const ref = param?.$ref;
  if (typeof ref !== "string" || !ref.startsWith("#/")) return param;
  return ref.slice(2).split("/").reduce((o, k) => o?.[k.replaceAll("~1", "/").replaceAll("~0", "~")], doc);
}

function renameParams(doc, params, from, to) {
  if (!Array.isArray(params)) return params;
  return params.map((p) => {
    const real = resolve(doc, p);
    return real?.in === "path" && real.name === from ? { ...real, name: to } : p;
  });
}

export function githubForApiGateway(source) {
  const doc = strip(JSON.parse(source));
  const paths = {};
  const byParent = new Map();
  for (const original of Object.keys(doc.paths).sort()) {
    let item = doc.paths[original];
    const segs = original.replace("/{base}...{head}", "/{base}/{head}").split("/");
    for (let i = 0; i < segs.length; i++) {
      const m = /^\{(.+)\}$/.exec(segs[i]);
      if (!m) continue;
      const parent = segs.slice(0, i).join("/");
      const first = byParent.get(parent);
      if (first === undefined) {
        byParent.set(parent, m[1]);
        continue;
      }
      if (first === m[1]) continue;
      if (segs.includes(`{${first}}`)) throw new Error(`${original}: {${first}} is already in the path`);
      segs[i] = `{${first}}`;
      item = Object.fromEntries(
        Object.entries(item).map(([k, v]) =>
          k === "parameters" ? [k, renameParams(doc, v, m[1], first)] : HTTP.has(k) ? [k, { ...v, parameters: renameParams(doc, v.parameters, m[1], first) }] : [k, v],
        ),
      );
    }
    let path = segs.join("/");
    // Two paths that differed only in a variable's name (`/attestations/{attestation_id}` and
    // `/attestations/{subject_digest}`) are one path to API Gateway: the second gets a literal last segment.
    if (paths[path]) path = `${path}/by-${/\{([^}]+)\}[^{]*$/.exec(original)[1]}`;
    if (paths[path]) throw new Error(`${original}: ${path} is already a path`);
    paths[path] = item;
  }
  doc.paths = paths;
  return JSON.stringify(doc);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop())) {
  const [from, to] = process.argv.slice(2);
  writeFileSync(to, githubForApiGateway(readFileSync(from, "utf8")));
}
