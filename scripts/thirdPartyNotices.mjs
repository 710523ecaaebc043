// Writes the licence notices of the packages bundled into dist/bundle (the published package
// carries their code, so it carries their copyright notices and licence texts too).
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve, sep } from "node:path";

/** The package folder an esbuild input lies in (the innermost node_modules/<name>), or undefined. */
function packageDir(input) {
  const file = resolve(input);
  const marker = `${sep}node_modules${sep}`;
  const at = file.lastIndexOf(marker);
  if (at < 0) return undefined;
  const parts = file.slice(at + marker.length).split(sep);
  const depth = parts[0].startsWith("@") ? 2 : 1;
  return file.slice(0, at + marker.length) + parts.slice(0, depth).join(sep);
}

export function writeThirdPartyNotices(root, inputs, outFile) {
  const dirs = [...new Set(inputs.map(packageDir).filter(Boolean))];
  const entries = [];
  for (const dir of dirs) {
    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    const licenceFile = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
    if (!licenceFile && !pkg.license) throw new Error(`${dir}: bundled, but states no licence`);
    const author = typeof pkg.author === "string" ? pkg.author : pkg.author?.name;
    const text = licenceFile
      ? readFileSync(join(dir, licenceFile), "utf8").trim()
      : `The package ships no licence text; its package.json says ${pkg.license}${author ? `, author ${author}` : ""}.`;
    entries.push({ id: `${pkg.name}@${pkg.version}`, license: pkg.license ?? "see text", text });
  }
  entries.sort((a, b) => (a.id < b.id ? -1 : 1));
  const own = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  const lines = [
    "# Third-party notices",
    "",
    `${own.name} ${own.version} bundles the following packages into dist/bundle/. Their licences:`,
    "",
  ];
  for (const e of entries) lines.push(`## ${e.id} (${e.license})`, "", "```", e.text, "```", "");
  if (!existsSync(resolve(outFile, ".."))) throw new Error(`${outFile}: folder missing`);
  writeFileSync(outFile, lines.join("\n"));
}
