/**
 * Path globs of the allowlist and of selectors, matched in time linear in the pattern times the
 * path (no regular expression: a compiled glob backtracks exponentially on a pattern like
 * `/*a*a*a*a*a*a*b`, and one of thousands of segments does not compile at all).
 *
 * `*` is any run of characters within a segment, `?` one character, `**` as a whole segment any
 * number of segments (none included); every other character is itself (braces are parameter names).
 * A segment with a wildcard matches a non-empty segment that is not `.` or `..`.
 */

type SegmentTest = (segment: string) => boolean;
const GLOBSTAR = Symbol("**");

/** `*` and `?` within one segment: the classic two-pointer match, backtracking only to the last `*`. */
function wildcard(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    if (p < pattern.length && (pattern[p] === "?" || (pattern[p] !== "*" && pattern[p] === text[t]))) {
      p++;
      t++;
    } else if (p < pattern.length && pattern[p] === "*") {
      star = p++;
      resume = t;
    } else if (star >= 0) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (pattern[p] === "*") p++;
  return p === pattern.length;
}

function segmentTest(segment: string): SegmentTest | typeof GLOBSTAR {
  if (segment === "**") return GLOBSTAR;
  if (!/[*?]/.test(segment)) return (s) => s === segment;
  return (s) => s !== "" && s !== "." && s !== ".." && wildcard(segment, s);
}

/** A matcher for `pattern`; the same two-pointer walk over segments, `**` in the role of `*`. */
export function compileGlob(pattern: string): (path: string) => boolean {
  const tests = pattern.split("/").map(segmentTest);
  return (path) => {
    const parts = path.split("/");
    let p = 0;
    let s = 0;
    let star = -1;
    let resume = 0;
    while (s < parts.length) {
      const test = tests[p];
      if (test === GLOBSTAR) {
        star = p++;
        resume = s;
      } else if (p < tests.length && test(parts[s])) {
        p++;
        s++;
      } else if (star >= 0 && parts[resume] !== "." && parts[resume] !== "..") {
        p = star + 1;
        s = ++resume;
      } else {
        return false;
      }
    }
    while (tests[p] === GLOBSTAR) p++;
    return p === tests.length;
  };
}
