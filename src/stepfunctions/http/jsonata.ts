/**
 * JSONata that builds an HTTP Task's request from the Lambda client's event
 * (`{path, query, headers, payload}`) the way picorun's encoding.py does: every name and value
 * percent-encoded on its own (Python's `quote(safe="")`), the delimiters a style adds literal.
 * Step Functions runs JSONata 2.0.6; nothing here needs more than its built-in functions.
 * Names from the spec only ever appear inside JSON string literals (JSON.stringify), which are
 * JSONata string literals too, so no spec text can change an expression's shape.
 */
import type { Parameter } from "../../model/types.js";

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

/** picorun's `to_text`: strings as they are, booleans lower case, null empty, numbers as text, the rest compact JSON. */
const TO_TEXT = "$t := function($v) { $type($v) = 'string' ? $v : $type($v) = 'null' ? '' : $type($v) = 'boolean' ? ($v ? 'true' : 'false') : $string($v) }";
/** `quote(to_text(v), safe="")`: encodeURIComponent leaves `!'()*` alone, Python does not. */
const ENCODE =
  "$e := function($v) { $replace($replace($replace($replace($replace($encodeUrlComponent($t($v)), '!', '%21'), \"'\", '%27'), '(', '%28'), ')', '%29'), '*', '%2A') }";
/** Items of an array without nulls, always an array. */
const ITEMS = "$items := function($a) { $append([], $filter($a, function($x) { $type($x) != 'null' })) }";
/** `[key, value]` pairs of an object without null values, always an array. */
const PAIRS = "$pairs := function($o) { $append([], $map($filter($append([], $keys($o)), function($k) { $type($lookup($o, $k)) != 'null' }), function($k) { {'k': $k, 'v': $lookup($o, $k)} })) }";
/** An array of strings, never a lone string or undefined; arrays of arrays flattened one level. */
const LIST = "$list := function($a) { $reduce($append([[]], $a), function($x, $y) { $append($x, $y) }) }";

export const HELPERS = [TO_TEXT, ENCODE, ITEMS, PAIRS, LIST];

/** Effective style and explode of a parameter, as picorun's Parameter fills them in. */
export function styleOf(p: Parameter): { style: string; explode: boolean } {
  const style = p.style ?? (p.in === "path" || p.in === "header" ? "simple" : "form");
  return { style, explode: p.explode ?? style === "form" };
}

const DELIMITER: Record<string, string> = { spaceDelimited: "%20", pipeDelimited: "%7C" };

/** A path parameter's value (style simple), from `$v`. */
export function pathValue(p: Parameter): string {
  const { explode } = styleOf(p);
  const object = explode
    ? "$join($map($pairs($v), function($p) { $e($lookup($p, 'k')) & '=' & $e($lookup($p, 'v')) }), ',')"
    : "$join($map($pairs($v), function($p) { $e($lookup($p, 'k')) & ',' & $e($lookup($p, 'v')) }), ',')";
  return `($type($v) = 'object' ? ${object} : $type($v) = 'array' ? $join($map($items($v), $e), ',') : $e($v))`;
}

/** The `name=value` strings of one declared query parameter, from `$v` (an array, maybe empty). */
export function queryParts(p: Parameter): string {
  const { style, explode } = styleOf(p);
  const name = lit(quoteName(p.name) ?? "");
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

/** picorun's `quote(str(k), safe='')` of an object key (always a string in JSON). */
const ENCODE_KEY = "$e2 := function($k) { $e($k) }";
/** deepObject: `prefix[key]=value`, nested objects recursively, arrays repeated. */
const DEEP =
  "$deep := function($prefix, $o) { $list($map($pairs($o), function($p) { ($n := $prefix & '[' & $e2($lookup($p, 'k')) & ']'; $type($lookup($p, 'v')) = 'object' ? $deep($n, $lookup($p, 'v')) : $type($lookup($p, 'v')) = 'array' ? $list($map($items($lookup($p, 'v')), function($x) { $n & '=' & $e($x) })) : [$n & '=' & $e($lookup($p, 'v'))]) })) }";

/** Undeclared query keys: form, explode (picorun's default for them). */
const UNDECLARED =
  "$undeclared := function($q, $declared) { $list($map($filter($append([], $keys($q)), function($k) { $not($k in $declared) and $type($lookup($q, $k)) != 'null' }), function($k) { ($v := $lookup($q, $k); $type($v) = 'object' ? $list($map($pairs($v), function($p) { $e2($lookup($p, 'k')) & '=' & $e($lookup($p, 'v')) })) : $type($v) = 'array' ? $list($map($items($v), function($x) { $e2($k) & '=' & $e($x) })) : [$e2($k) & '=' & $e($v)]) })) }";

export const QUERY_HELPERS = [ENCODE_KEY, DEEP, UNDECLARED];

/** A header value (style simple, no percent-encoding), from `$v`. */
export function headerValue(explode: boolean): string {
  const object = explode
    ? "$join($map($pairs($v), function($p) { $lookup($p, 'k') & '=' & $t($lookup($p, 'v')) }), ',')"
    : "$join($map($pairs($v), function($p) { $lookup($p, 'k') & ',' & $t($lookup($p, 'v')) }), ',')";
  return `($type($v) = 'object' ? ${object} : $type($v) = 'array' ? $join($map($items($v), $t), ',') : $t($v))`;
}

/** A block: helpers bound first, then the body. */
export function block(helpers: string[], body: string): string {
  return `{% (${[...helpers, body].join("; ")}) %}`;
}
