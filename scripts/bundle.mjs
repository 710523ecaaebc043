// Bundles the compiled CLI (dist/src) into one CommonJS file, dist/bundle/picofun.cjs, started by
// dist/bundle/main.js through V8's code cache (src/boot/codeCache.ts): Node 20 would otherwise
// compile the whole program again on every run. Packages only some commands need (prompts,
// spinner, full validation, comment-preserving YAML edits) stay in node_modules, imported when
// used. node-plop's import of inquirer (used only for plop's own prompts, which picofun never
// runs) is pointed at a small stand-in.
import { build } from "esbuild";
import { precompileTemplates } from "./precompileTemplates.mjs";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, sep } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const outdir = join(root, "dist", "bundle");
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: [join(root, "dist", "src", "cli", "main.js")],
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  outfile: join(outdir, "picofun.cjs"),
  // Needed by some commands only: left in node_modules (src/util/importPackage.ts; yaml is CommonJS and required).
  external: ["@apidevtools/swagger-parser", "@inquirer/prompts", "ora", "yaml"],
  // The sources use import.meta.url to find the package folder and their neighbours.
  define: { "import.meta.url": "__picofunImportMetaUrl" },
  alias: { inquirer: join(root, "dist", "src", "render", "inquirerStandIn.js") },
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
  ],
  charset: "ascii",
  banner: {
    js: 'const __picofunImportMetaUrl = require("node:url").pathToFileURL(__filename).href;\nconst __picofunImport = typeof module.picofunImport === "function" ? module.picofunImport : undefined;',
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
