// Bundles the compiled CLI (dist/src) into one CommonJS file, dist/bundle/picofun.cjs, started by
// dist/bundle/main.js through V8's code cache (src/boot/codeCache.ts): Node 20 would otherwise
// compile the whole program again on every run. Packages only some commands need (prompts,
// spinner, full validation, comment-preserving YAML edits, the Handlebars compiler, globs) are
// bundled apart, one file each in dist/bundle/vendor/, required when used (src/util/importPackage.ts):
// the published package has no dependencies to install. node-plop's import of inquirer (used
// only for plop's own prompts, which picofun never runs) is pointed at a small stand-in.
import { build } from "esbuild";
import { precompileTemplates } from "./precompileTemplates.mjs";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { writeThirdPartyNotices } from "./thirdPartyNotices.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const outdir = join(root, "dist", "bundle");
rmSync(outdir, { recursive: true, force: true });
// Needed by some commands only: each bundled into vendor/<name>.cjs, loaded by __picofunVendor (below).
const VENDORED = ["@apidevtools/swagger-parser", "@inquirer/prompts", "handlebars", "ora", "yaml"];
const vendorFile = (name) => `${name.replace(/^@/, "").replace(/\//g, "+")}.cjs`;
const inputs = [];
for (const name of VENDORED) {
  const result = await build({
    stdin: { contents: `module.exports = require(${JSON.stringify(name)});`, resolveDir: root, sourcefile: `vendor-${name}.js` },
    bundle: true,
    format: "cjs",
    platform: "node",
    target: "node20",
    outfile: join(outdir, "vendor", vendorFile(name)),
    // Keeps @license comments where they are; the full notices go to THIRD-PARTY-NOTICES.md.
    legalComments: "inline",
    metafile: true,
    logLevel: "error",
  });
  inputs.push(...Object.keys(result.metafile.inputs));
}
const main = await build({
  entryPoints: [join(root, "dist", "src", "cli", "main.js")],
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  outfile: join(outdir, "picofun.cjs"),
  // The sources use import.meta.url to find the package folder and their neighbours.
  define: { "import.meta.url": "__picofunImportMetaUrl" },
  alias: { inquirer: join(root, "dist", "src", "render", "inquirerStandIn.js") },
  metafile: true,
  plugins: [
    {
      // node-plop's `handlebars` (never used by picofun's own action) becomes a stand-in that
      // loads the real package on demand; picofun itself runs precompiled templates on the runtime.
      name: "plop-handlebars",
      setup(b) {
        const standIn = join(root, "dist", "src", "render", "handlebarsStandIn.js");
        b.onResolve({ filter: /^handlebars$/ }, (args) => (args.importer.includes(`${sep}node-plop${sep}`) ? { path: standIn } : undefined));
      },
    },
    {
      // commander loads child_process at start-up only to spawn executable subcommands (picofun has none).
      name: "commander-child-process",
      setup(b) {
        const standIn = join(root, "dist", "src", "cli", "childProcessStandIn.js");
        b.onResolve({ filter: /^(node:)?child_process$/ }, (args) => (args.importer.includes(`${sep}commander${sep}`) ? { path: standIn } : undefined));
      },
    },
    {
      // Last, after the stand-ins above: picofun's own static import of a vendored package (yaml,
      // in src/select/editAllowlist.ts) requires its vendor file. Other packages' imports of one
      // (tinyglobby's picomatch) stay in the bundle, as before.
      name: "vendored",
      setup(b) {
        const names = new RegExp(`^(${VENDORED.map((n) => n.replace(/[/.]/g, "\\$&")).join("|")})$`);
        b.onResolve({ filter: names }, (args) =>
          args.importer.includes(`${sep}node_modules${sep}`) ? undefined : { path: `./vendor/${vendorFile(args.path)}`, external: true },
        );
      },
    },
  ],
  charset: "ascii",
  banner: {
    js: [
      'const __picofunImportMetaUrl = require("node:url").pathToFileURL(__filename).href;',
      'const __picofunImport = typeof module.picofunImport === "function" ? module.picofunImport : undefined;',
      `const __picofunVendor = (name) => require("./vendor/" + name.replace(/^@/, "").replace(/\\//g, "+") + ".cjs");`,
    ].join("\n"),
  },
  logLevel: "warning",
});
// A vm script run from cached data cannot import() on Node 20 (and the option that would let it
// is experimental): packages needed through import() stay external and are imported by the
// loader. No other import() may remain: node-plop's import of a plopfile is never reached, and
// importPackage's own import() is its fallback for running from the sources.
// esbuild leaves non-ASCII characters in comments and regular expressions (four, from js-yaml's
// comments and one regex): escaped here, the bundle is pure ASCII, which Node reads into a
// one-byte string (a single curly quote would make the whole 1 MB source a two-byte one).
const bundled = readFileSync(join(outdir, "picofun.cjs"), "utf8").replace(/[^\0-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
writeFileSync(join(outdir, "picofun.cjs"), bundled);
const imports = [...bundled.matchAll(/[^.\w$]import\(/g)].length;
const known = [...bundled.matchAll(/const plopFileExport = await import\(|return import\(name\)/g)].length;
if (imports !== known) throw new Error(`dist/bundle/picofun.cjs: ${imports - known} import() call(s) that cannot run from the code cache`);
// Nothing may come from node_modules at run time: the package has no dependencies.
const builtins = new Set(builtinModules);
const outside = [...bundled.matchAll(/[^.\w$]require\("([^"]+)"\)/g)].map((m) => m[1]).filter((n) => !n.startsWith("./vendor/") && !n.startsWith("node:") && !builtins.has(n));
if (outside.length) throw new Error(`dist/bundle/picofun.cjs requires packages outside the bundle: ${[...new Set(outside)].join(", ")}`);
inputs.push(...Object.keys(main.metafile.inputs));
writeThirdPartyNotices(root, inputs, join(outdir, "THIRD-PARTY-NOTICES.md"));
// main.js: the start-up code with codeCache.ts and its helpers inlined, so a run loads two ES
// modules (bin and this) instead of five before the cached bundle.
await build({
  stdin: {
    contents: `// Written by scripts/bundle.mjs: runs picofun.cjs through V8's code cache (see src/boot/codeCache.ts).
import { bundleBeside, loadWithCodeCache } from "../src/boot/codeCache.js";
import { keepYoungGenerationSmall } from "../src/boot/heap.js";

keepYoungGenerationSmall();
export const { run } = loadWithCodeCache(bundleBeside(import.meta.url)).exports;
`,
    resolveDir: outdir,
    sourcefile: "start.js",
  },
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  outfile: join(outdir, "main.js"),
  logLevel: "warning",
});
precompileTemplates(root);
