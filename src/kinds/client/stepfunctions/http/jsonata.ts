/**
 * JSONata that builds an HTTP Task's request from the Lambda client's event
 * (`{path, query, headers, payload}`) the way picorun's encoding.py does: every name and value
 * percent-encoded on its own (Python's `quote(safe="")`), the delimiters a style adds literal.
 * Step Functions runs JSONata 2.0.6; nothing here needs more than its built-in functions.
 * Names from the spec only ever appear inside JSON string literals (JSON.stringify), which are
 * JSONata string literals too, so no spec text can change an expression's shape.
 */
import type { Parameter } from "../../../../model/types.js";
import { Shared, Spliced, type Piece } from "../jsonPieces.js";

/** A JSONata string literal. */
export function lit(text: string): string {
  return JSON.stringify(text);
}

/** Python's `quote(text, safe="")` at generation time (names); undefined for text that is not valid UTF-16. */
export function quoteName(text: string): string | undefined {
  try {
    return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  } catch {
    return undefined;
  }
}

/**
 * The helper functions, in an order where each only uses those before it. An expression binds
 * only the ones it uses (`block`), written compactly: there are thousands of these files.
 *  $t: picorun's `to_text` (strings as they are, booleans lower case, null empty, the rest `$string`).
 *  $e: `quote(to_text(v), safe="")` (encodeURIComponent leaves `!'()*` alone, Python does not); $e2 the same for keys.
 *  $items: an array's items without nulls; $pairs: an object's `{k, v}` without null values (both always arrays).
 *  $list: always an array, arrays of arrays flattened one level.
 *  $deep: deepObject `prefix[key]=value`, nested objects recursively, arrays repeated.
 *  $undeclared: query keys the spec does not declare, as form + explode (picorun's default for them).
 */
const HELPER_CODE: Array<[string, string]> = [
  ["t", "function($v){$type($v)='string'?$v:$type($v)='null'?'':$type($v)='boolean'?($v?'true':'false'):$string($v)}"],
  ["e", "function($v){$replace($replace($replace($replace($replace($encodeUrlComponent($t($v)),'!','%21'),\"'\",'%27'),'(','%28'),')','%29'),'*','%2A')}"],
  ["e2", "function($k){$e($k)}"],
  ["items", "function($a){$append([],$filter($a,function($x){$type($x)!='null'}))}"],
  ["pairs", "function($o){$append([],$map($filter($append([],$keys($o)),function($k){$type($lookup($o,$k))!='null'}),function($k){{'k':$k,'v':$lookup($o,$k)}}))}"],
  ["list", "function($a){$reduce($append([[]],$a),function($x,$y){$append($x,$y)})}"],
  [
    "deep",
    "function($prefix,$o){$list($map($pairs($o),function($p){($n:=$prefix&'['&$e2($lookup($p,'k'))&']';$w:=$lookup($p,'v');$type($w)='object'?$deep($n,$w):$type($w)='array'?$list($map($items($w),function($x){$n&'='&$e($x)})):[$n&'='&$e($w)])}))}",
  ],
  [
    "undeclared",
    "function($q,$declared){$list($map($filter($append([],$keys($q)),function($k){$not($k in $declared) and $type($lookup($q,$k))!='null'}),function($k){($w:=$lookup($q,$k);$type($w)='object'?$list($map($pairs($w),function($p){$e2($lookup($p,'k'))&'='&$e($lookup($p,'v'))})):$type($w)='array'?$list($map($items($w),function($x){$e2($k)&'='&$e($x)})):[$e2($k)&'='&$e($w)])}))}",
  ],
];

const USES = HELPER_CODE.map(([name]) => ({ text: `$${name}`, re: new RegExp(`\\$${name}\\b`) }));
/** Whether code names helper i (`includes` first: the regular expression only when the name is there). */
const uses = (code: string, i: number) => code.includes(USES[i].text) && USES[i].re.test(code);

/** Per helper: the indexes of itself and of every helper its code uses, directly or not (each uses only those before it). */
const CLOSURE: number[][] = [];
HELPER_CODE.forEach(([, code], i) => {
  const all = new Set([i]);
  for (let j = 0; j < i; j++) if (uses(code, j)) for (const dep of CLOSURE[j]) all.add(dep);
  CLOSURE.push([...all]);
});

/** The opening `{% (` and `$name:=code;` bindings of each set of helpers a block uses (there are few such sets). */
const BINDINGS = new Map<number, Shared>();

/** The helpers a text names itself, one bit each. */
function namedIn(text: string): number {
  let mask = 0;
  for (let i = 0; i < HELPER_CODE.length; i++) if (uses(text, i)) mask |= 1 << i;
  return mask;
}

/** namedIn of a shared piece, found once. */
const NAMED = new WeakMap<Shared, number>();

/** Whether text ends with `$` and word characters (a name the next piece could go on with). */
function endsInName(text: string): boolean {
  let i = text.length - 1;
  while (i >= 0 && /\w/.test(text[i])) i--;
  return i >= 0 && text[i] === "$";
}

/** Effective style and explode of a parameter, as picorun's Parameter fills them in. */
export function styleOf(p: Parameter): { style: string; explode: boolean } {
  const style = p.style ?? (p.in === "path" || p.in === "header" ? "simple" : "form");
  return { style, explode: p.explode ?? style === "form" };
}

const DELIMITER: Record<string, string> = { spaceDelimited: "%20", pipeDelimited: "%7C" };

/** pathValue by explode (the only thing it depends on). */
const PATH_VALUES = new Map<boolean, Shared>();

/** A path parameter's value (style simple), from `$v`. */
export function pathValue(p: Parameter): string {
  return pathValueShared(p).text;
}

export function pathValueShared(p: Parameter): Shared {
  const { explode } = styleOf(p);
  let shared = PATH_VALUES.get(explode);
  if (shared === undefined) PATH_VALUES.set(explode, (shared = new Shared(pathValueOf(explode))));
  return shared;
}

function pathValueOf(explode: boolean): string {
  const object = explode
    ? "$join($list($map($pairs($v), function($p) { $e($lookup($p, 'k')) & '=' & $e($lookup($p, 'v')) })), ',')"
    : "$join($list($map($pairs($v), function($p) { $e($lookup($p, 'k')) & ',' & $e($lookup($p, 'v')) })), ',')";
  return `($type($v) = 'object' ? ${object} : $type($v) = 'array' ? $join($list($map($items($v), $e)), ',') : $e($v))`;
}

/** queryParts by name, style and explode: GitHub's 1,221 endpoints share a few dozen query parameters. */
const QUERY_PARTS = new Map<string, Shared>();

/** The `name=value` strings of one declared query parameter, from `$v` (an array, maybe empty). */
export function queryParts(p: Parameter): string {
  return queryPartsShared(p).text;
}

export function queryPartsShared(p: Parameter): Shared {
  const { style, explode } = styleOf(p);
  const key = `${style.length}:${style}${explode ? 1 : 0}${p.name}`;
  let shared = QUERY_PARTS.get(key);
  if (shared === undefined) QUERY_PARTS.set(key, (shared = new Shared(queryPartsOf(p.name, style, explode))));
  return shared;
}

function queryPartsOf(paramName: string, style: string, explode: boolean): string {
  const name = lit(quoteName(paramName) ?? "");
  const delimiter = lit(DELIMITER[style] ?? ",");
  const scalar = `[${name} & '=' & $e($v)]`;
  const array = explode
    ? `$list($map($items($v), function($x) { ${name} & '=' & $e($x) }))`
    : `($count($items($v)) = 0 ? [] : [${name} & '=' & $join($map($items($v), $e), ${delimiter})])`;
  const object =
    style === "deepObject"
      ? `$deep(${name}, $v)`
      : explode
        ? "$list($map($pairs($v), function($p) { $e2($lookup($p, 'k')) & '=' & $e($lookup($p, 'v')) }))"
        : `($count($pairs($v)) = 0 ? [] : [${name} & '=' & $join($map($pairs($v), function($p) { $e($lookup($p, 'k')) & ${delimiter} & $e($lookup($p, 'v')) }), ${delimiter})])`;
  return `($not($exists($v)) or $type($v) = 'null' ? [] : $type($v) = 'object' ? ${object} : $type($v) = 'array' ? ${array} : ${scalar})`;
}

/** A header value (style simple, no percent-encoding), from `$v`. */
export function headerValue(explode: boolean): string {
  const object = explode
    ? "$join($list($map($pairs($v), function($p) { $lookup($p, 'k') & '=' & $t($lookup($p, 'v')) })), ',')"
    : "$join($list($map($pairs($v), function($p) { $lookup($p, 'k') & ',' & $t($lookup($p, 'v')) })), ',')";
  return `($type($v) = 'object' ? ${object} : $type($v) = 'array' ? $join($list($map($items($v), $t)), ',') : $t($v))`;
}

/** A block: the helpers the bindings and body use (and theirs) bound first, then the bindings, then the body. */
export function block(bindings: string[], body: string): string {
  return new Spliced(blockPieces(bindings.map((b) => [b]), [body])).text();
}

const CLOSE = new Shared(") %}");

/** block() in pieces: the shared ones (helpers, query parts) are read and escaped once, whatever number of blocks hold them. */
export function blockPieces(bindings: Piece[][], body: Piece[]): Piece[] {
  // The helpers' piece first (filled in below), then the text with adjacent strings joined.
  const pieces: Piece[] = [""];
  let text = "";
  for (let b = 0; b <= bindings.length; b++) {
    const list = b < bindings.length ? bindings[b] : body;
    for (let i = 0; i < list.length; i++) {
      const p = list[i];
      if (typeof p === "string") text += p;
      else {
        if (text) pieces.push(text);
        text = "";
        pieces.push(p);
      }
    }
    if (b < bindings.length) text += ";";
  }
  if (text) pieces.push(text);
  let named = 0;
  for (let i = 1; i < pieces.length; i++) {
    const p = pieces[i];
    // A name across two pieces: read them as one text (never the case for the pieces task.ts makes).
    if (i < pieces.length - 1 && endsInName(typeof p === "string" ? p : p.text)) {
      named = namedIn(pieces.map((x) => (typeof x === "string" ? x : x.text)).join(""));
      break;
    }
    if (typeof p === "string") named |= namedIn(p);
    else {
      let m = NAMED.get(p);
      if (m === undefined) NAMED.set(p, (m = namedIn(p.text)));
      named |= m;
    }
  }
  let needed = 0;
  for (let i = 0; i < HELPER_CODE.length; i++) if (named & (1 << i)) for (const dep of CLOSURE[i]) needed |= 1 << dep;
  let helpers = BINDINGS.get(needed);
  if (helpers === undefined) {
    const code = HELPER_CODE.filter((_h, i) => needed & (1 << i)).map(([name, c]) => `$${name}:=${c};`).join("");
    BINDINGS.set(needed, (helpers = new Shared(`{% (${code}`)));
  }
  pieces[0] = helpers;
  pieces.push(CLOSE);
  return pieces;
}
