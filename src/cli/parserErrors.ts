import type { Command, CommanderError } from "commander";
import { errorPrefix } from "./run.js";

/** Codes commander uses for help and version output: not errors, the process just ends. */
const NOT_ERRORS = new Set(["commander.helpDisplayed", "commander.help", "commander.version", "commander.executeSubCommandAsync"]);

/** `picofun remove endpoint` for the command the parser was working on. */
export function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) names.unshift(c.name());
  return names.join(" ");
}

/** Commander's wording turned into picofun's: "missing argument <selector>", "unknown option --x". */
export function parserMessage(err: Pick<CommanderError, "code" | "message">): string {
  const text = err.message.replace(/^error:\s*/i, "").trim();
  const missing = /^missing required argument '([^']+)'/.exec(text);
  if (missing) return `missing argument <${missing[1]}>`;
  return text.replace(/'(-[^']+)'/g, "$1").replace(/\s*\n\s*/g, " ");
}

/**
 * The command the words on the command line name, from `cmd` down (`picofun remove endpoint`):
 * an option the program and a command both define (`--config`, `--format`) is parsed by the
 * program, whose error should still point at the command the user typed.
 */
export function commandNamed(cmd: Command, argv: string[]): Command {
  let current = cmd;
  for (const word of argv) {
    if (word === "--") break;
    if (word.startsWith("-")) continue;
    const sub = current.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (!sub) {
      if (current !== cmd) break;
      continue;
    }
    current = sub;
  }
  return current;
}

/**
 * Every command of the tree reports parser errors (missing arguments, unknown options, extra
 * arguments) as one `picofun: error:` line that points at that command's own help.
 */
export function applyParserErrors(root: Command): void {
  const visit = (cmd: Command): void => {
    cmd.showHelpAfterError(false);
    cmd.configureOutput({ outputError: () => undefined });
    cmd.exitOverride((err) => {
      if (NOT_ERRORS.has(err.code)) return;
      const about = cmd.parent ? cmd : commandNamed(cmd, process.argv.slice(2));
      process.stderr.write(`${errorPrefix()} ${parserMessage(err)} (see ${commandPath(about)} --help)\n`);
      process.exitCode = 1;
    });
    cmd.commands.forEach(visit);
  };
  visit(root);
}
