/**
 * JSONata that builds an HTTP Task's request from the Lambda client's event
 * (`{path, query, headers, payload}`) the way picorun's encoding.py does: every name and value
 * percent-encoded on its own (Python's `quote(safe="")`), the delimiters a style adds literal.
 * Step Functions runs JSONata 2.0.6; nothing here needs more than its built-in functions.
 * Names from the spec only ever appear inside JSON string literals (JSON.stringify), which are
 * JSONata string literals too, so no spec text can change an expression's shape.
 */
import type { Parameter } from "../../../../model/types.js";
import { escapeStepFunctionsString } from "../json.js";
import { pushSplicedJson, risky, Shared, Spliced, type Piece } from "../jsonPieces.js";

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
 * only the ones it uses (`block`), written with no white space: there are thousands of these
 * files, and a state machine definition holds at most 1 MB. A parameter's code is a call
 * (`$P("owner")`, `$F("state")`), so each state carries each helper once, however many
 * parameters use it. Helper names are upper case or `$t`/`$e`; no function parameter is named
 * like a helper (`block` finds the helpers a text uses by their names).
 *  $t: picorun's `to_text` (null empty, the rest `$string`: strings as they are, booleans `true`/`false`).
 *  $e: `quote(to_text(v), safe="")` (encodeURIComponent leaves `!'()*` alone, Python does not).
 *  $H: a header value (style simple, not encoded; `$s` between an object's key and value), for
 *      a value that is not null: on its own, so that Headers binds nothing else.
 *  $I: `$f` of each item of an array that is not null; $O: `$f(key, value)` of each of an object's
 *      entries whose value is not null (nothing for what is not an object). Results that are
 *      undefined are left out.
 *  $L: one level of arrays flattened, always an array.
 *  $P/$P1: a path parameter's value (style simple, explode false/true) by name.
 *  $N: deepObject `prefix[key]=value`, nested objects recursively, arrays repeated.
 *  $F, $F0, $S1, $S0, $B1, $B0, $D1, $D0: a declared query parameter's `name=value` parts by name
 *      (form, spaceDelimited, pipeDelimited, deepObject; explode 1/0, $F is form + explode).
 *  $Q: `?` and the query string from the declared parameters' parts, then the keys not declared
 *      (as form + explode, picorun's default for them, each key's parts joined: "" for an empty
 *      array or object, left out); "" when there is none.
 */
const QUERY_STYLES: Array<[string, string, string]> = [
  ["form", "F", ","],
  ["spaceDelimited", "S", "%20"],
  ["pipeDelimited", "B", "%7C"],
  ["deepObject", "D", ","],
];

/** The code of a declared query parameter's helper (`$v` its value, `$m` its name encoded). */
function queryHelper(style: string, explode: boolean, delimiter: string): string {
  const d = lit(delimiter);
  const object =
    style === "deepObject"
      ? "$N($m,$v)"
      : explode
        ? "$O($v,function($k,$w){$e($k)&'='&$e($w)})"
        : `($a:=$O($v,function($k,$w){$e($k)&${d}&$e($w)});$exists($a)?$m&'='&$join($a,${d}):())`;
  const array = explode ? "$I($v,function($x){$m&'='&$e($x)})" : `($a:=$I($v,$e);$exists($a)?$m&'='&$join($a,${d}):())`;
  return `function($n){($v:=$lookup($states.input.query,$n);$m:=$e($n);$y:=$type($v);$y='object'?${object}:$y='array'?${array}:$y!='null'?$m&'='&$e($v):())}`;
}

/** The code of a path parameter's helper (style simple; `separator` between an object's key and value: `=` when exploded). */
function pathHelper(separator: string): string {
  return `function($n){($v:=$lookup($states.input.path,$n);$type($v)='object'?$join([$O($v,function($k,$w){$e($k)&'${separator}'&$e($w)})],','):$type($v)='array'?$join([$I($v,$e)],','):$e($v))}`;
}

/** The helper's name of a query parameter's style and explode. */
export function queryHelperName(style: string, explode: boolean): string {
  const letter = (QUERY_STYLES.find(([s]) => s === style) ?? QUERY_STYLES[0])[1];
  return letter === "F" && explode ? "F" : `${letter}${explode ? 1 : 0}`;
}

const HELPER_CODE: Array<[string, string]> = [
  ["t", "function($v){$type($v)='null'?'':$string($v)}"],
  ["e", "function($v){$replace($replace($replace($replace($replace($encodeUrlComponent($type($v)='null'?'':$string($v)),'!','%21'),\"'\",'%27'),'(','%28'),')','%29'),'*','%2A')}"],
  ["H", "function($v,$s){$type($v)='object'?$join([$each($v,function($x,$k){$type($x)='null'?():$k&$s&$string($x)})],','):$type($v)='array'?$join([$map($v,function($x){$type($x)='null'?():$string($x)})],','):$string($v)}"],
  ["I", "function($a,$f){$map($a,function($x){$type($x)='null'?():$f($x)})}"],
  ["O", "function($o,$f){$type($o)='object'?$each($o,function($w,$k){$type($w)='null'?():$f($k,$w)}):()}"],
  ["L", "function($a){$reduce([$a],function($x,$y){$append($x,$y)},[])}"],
  ["P", pathHelper(",")],
  ["P1", pathHelper("=")],
  ["N", "function($p,$o){$L($O($o,function($k,$w){($n:=$p&'['&$e($k)&']';$type($w)='object'?$N($n,$w):$type($w)='array'?$I($w,function($x){$n&'='&$e($x)}):$n&'='&$e($w))}))}"],
  ...QUERY_STYLES.flatMap(([style, , delimiter]) =>
    [true, false].map((explode): [string, string] => [queryHelperName(style, explode), queryHelper(style, explode, delimiter)]),
  ),
  [
    "Q",
    "function($a,$d){($s:=$join([$a,$O($states.input.query,function($k,$w){$k in $d?():$join([$type($w)='object'?$O($w,function($j,$x){$e($j)&'='&$e($x)}):$type($w)='array'?$I($w,function($x){$e($k)&'='&$e($x)}):$e($k)&'='&$e($w)],'&')})][$!=''],'&');$s?'?'&$s:'')}",
  ],
];

const USES = HELPER_CODE.map(([name]) => ({ text: `$${name}`, re: new RegExp(`\\$${name}\\b`) }));
/** Whether code names helper i (`includes` first: the regular expression only when the name is there). */
const uses = (code: string, i: number) => code.includes(USES[i].text) && USES[i].re.test(code);

/** Per helper: one bit for itself and for every helper its code uses, directly or not (each uses only those before it). */
const CLOSURE: number[] = [];
HELPER_CODE.forEach(([, code], i) => {
  let all = 1 << i;
  for (let j = 0; j < i; j++) if (uses(code, j)) all |= CLOSURE[j];
  CLOSURE.push(all);
});

/** The opening `{% (` and `$name:=code;` bindings of each set of helpers a block uses (there are few such sets). */
const BINDINGS = new Map<number, Shared>();

/** Each helper's index by name. */
const HELPER_INDEX = new Map(HELPER_CODE.map(([name], i) => [name, i]));
/** `$` and the name after it (all of it: `$P1` is P1's, not P's). */
const DOLLAR_NAME = /\$(\w+)/g;

/** The helpers a text names itself, one bit each (the names `uses` finds, in one pass over the text). */
function namedIn(text: string): number {
  let mask = 0;
  if (!text.includes("$")) return mask;
  DOLLAR_NAME.lastIndex = 0;
  for (let m = DOLLAR_NAME.exec(text); m; m = DOLLAR_NAME.exec(text)) {
    const i = HELPER_INDEX.get(m[1]);
    if (i !== undefined) mask |= 1 << i;
  }
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

/** A path parameter's value by name: a call of its helper. */
export function pathCall(p: Parameter): string {
  return `$P${styleOf(p).explode ? "1" : ""}(${lit(p.name)})`;
}

/** A declared query parameter's `name=value` parts by name: a call of its helper. */
export function queryCall(p: Parameter): string {
  const { style, explode } = styleOf(p);
  return `$${queryHelperName(style, explode)}(${lit(p.name)})`;
}

/** A header value (style simple, no percent-encoding) of `value`, an expression that is not null. */
export function headerValue(value: string, explode: boolean): string {
  return `$H(${value},'${explode ? "=" : ","}')`;
}

/** A block: the helpers the bindings and body use (and theirs) bound first, then the bindings, then the body. */
export function block(bindings: string[], body: string): string {
  return new Spliced(blockPieces(bindings.map((b) => [b]), [body])).text();
}

const CLOSE = new Shared(") %}");

/** The helpers' bindings piece (`{% (` and `$name:=code;` each) of the helpers a block names, with theirs. */
function bindingsFor(named: number): Shared {
  let needed = 0;
  for (let i = 0; i < HELPER_CODE.length; i++) if (named & (1 << i)) needed |= CLOSURE[i];
  let helpers = BINDINGS.get(needed);
  if (helpers === undefined) {
    const code = HELPER_CODE.filter((_h, i) => needed & (1 << i)).map(([name, c]) => `$${name}:=${c};`).join("");
    BINDINGS.set(needed, (helpers = new Shared(`{% (${code}`)));
  }
  return helpers;
}

/** namedIn of a shared piece, read once. */
function namedInShared(p: Shared): number {
  let m = NAMED.get(p);
  if (m === undefined) NAMED.set(p, (m = namedIn(p.text)));
  return m;
}

/**
 * The JSON string (quotes included) of the block with no bindings whose body is `text` then
 * `tail`, as pushSplicedJson writes `blockPieces([], [text, tail])`: the same text, without
 * putting the pieces together one by one (a URL's text is its endpoint's own, the rest shared).
 */
export function blockJson(text: string, tail: Shared): string {
  const helpers = bindingsFor(namedIn(text) | namedInShared(tail));
  if (!text || endsInName(text) || risky(helpers.text, text) || risky(text, tail.text) || risky(tail.text, CLOSE.text)) {
    const out: string[] = [];
    pushSplicedJson(out, new Spliced(blockPieces([], [text, tail])));
    return out.join("");
  }
  return `"${helpers.json}${escapeStepFunctionsString(text).slice(1, -1)}${tail.json}${CLOSE.json}"`;
}

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
    named |= typeof p === "string" ? namedIn(p) : namedInShared(p);
  }
  pieces[0] = bindingsFor(named);
  pieces.push(CLOSE);
  return pieces;
}
