/**
 * Where questions go. A terminal on stdin with stdout piped (`picofun init | tee log`) is
 * still interactive: the prompts are drawn on stderr, which is the terminal then.
 */
export function promptStream(): NodeJS.WriteStream | undefined {
  if (process.stdout.isTTY) return process.stdout;
  if (process.stderr.isTTY) return process.stderr;
  return undefined;
}

/** True when questions can be asked: a terminal to read answers from and one to draw on. */
export function canPrompt(): boolean {
  return !!process.stdin.isTTY && promptStream() !== undefined;
}

type PromptFn = (config: never, context?: { output?: NodeJS.WritableStream }) => unknown;

/** The prompt module with every prompt drawn on `promptStream()`. */
export function onPromptStream<P extends object>(prompts: P): P {
  const output = promptStream();
  if (!output || output === process.stdout) return prompts;
  const wrapped: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(prompts)) {
    const isPrompt = typeof value === "function" && name !== "Separator" && /^[a-z]/.test(name);
    wrapped[name] = isPrompt ? (config: never, context: object = {}) => (value as PromptFn)(config, { output, ...context }) : value;
  }
  return wrapped as P;
}
