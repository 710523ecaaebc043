#!/usr/bin/env node
import { run } from "../dist/bundle/main.js";

// `npm create picofun [dir] -- [flags]` runs this bin: it is `picofun init`.
await run([process.argv[0], process.argv[1], "init", ...process.argv.slice(2)]);
