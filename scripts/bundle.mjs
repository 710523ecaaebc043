// Bundles the compiled CLI (dist/src) into dist/bundle: one module graph instead of hundreds of
// files makes start-up about twice as fast. node-plop's import of inquirer (used only for plop's
// own prompts, which picofun never runs) is pointed at a small stand-in.
import { build } from "esbuild";
import { precompileTemplates } from "./precompileTemplates.mjs";
import { rmSync } from "node:fs";
import { dirname, join, sep } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const outdir = join(root, "dist", "bundle");
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: [join(root, "dist", "src", "cli", "main.js")],
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  outdir,
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
  // CommonJS dependencies call require() for Node's built-in modules.
  banner: { js: "import { createRequire as __picofunRequire } from 'node:module'; const require = __picofunRequire(import.meta.url);" },
  logLevel: "warning",
});
precompileTemplates(root);
