import { setFlagsFromString } from "node:v8";

/**
 * Keeps V8's young generation at its starting size (1 MB semi-spaces) instead of letting it
 * grow to 16 MB ones. A generation keeps most of what it allocates (the parsed spec, the model,
 * the rendered files), so a big young generation only adds copying and fresh pages: on a
 * virtual machine where each first touch of a page costs ~15 us, GitHub's generation took
 * 11,000 fewer page faults and about 0.15 s less with it. Only the growth factor is read after
 * start-up (the size limits are fixed when the heap is made), and 1 means "do not grow".
 * Set before the bundle is compiled, so the code cache always sees the same flags.
 */
export function keepYoungGenerationSmall(): void {
  setFlagsFromString("--semi-space-growth-factor=1");
}
