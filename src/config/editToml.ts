/**
 * Adds `key = "value"` to the top level of a TOML document's text, keeping everything else
 * byte for byte: before the first table header (a top-level key after one would belong to
 * that table), or at the end when there is none. Returns the text unchanged when the key is set.
 */
export function addTopLevelString(text: string, key: string, value: string): string {
  const lines = text.split("\n");
  const header = lines.findIndex((l) => /^\s*\[/.test(l));
  const top = header < 0 ? lines : lines.slice(0, header);
  if (top.some((l) => new RegExp(`^\\s*${key}\\s*=`).test(l))) return text;
  const line = `${key} = ${JSON.stringify(value)}`;
  if (header < 0) return `${text}${text === "" || text.endsWith("\n") ? "" : "\n"}${line}\n`;
  return [...lines.slice(0, header), line, ...lines.slice(header)].join("\n");
}
