#!/usr/bin/env node
// `npm create picofun [dir] -- [flags]` runs this: it is `picofun init` from the picofun
// package of the same version (a dependency), so both always agree.
import { run } from "picofun/dist/src/cli/main.js";

await run([process.argv[0], process.argv[1], "init", ...process.argv.slice(2)]);
