/**
 * `picofun completion bash|zsh|fish`: a completion script for the shell, made from the
 * command tree (commands, their subcommands and options), printed on stdout.
 */
import type { Command } from "commander";
import { UserError } from "../../util/errors.js";

export const SHELLS = ["bash", "zsh", "fish"] as const;

interface Words {
  commands: string[];
  sub: Record<string, string[]>;
  options: string[];
}

function longOptions(cmd: Command): string[] {
  return cmd.options.map((o) => o.long).filter((o): o is string => !!o);
}

export function completionWords(program: Command): Words {
  const sub: Record<string, string[]> = {};
  const options = new Set(longOptions(program));
  for (const c of program.commands) {
    if (c.commands.length) sub[c.name()] = c.commands.map((s) => s.name());
    for (const o of longOptions(c)) options.add(o);
    for (const s of c.commands) for (const o of longOptions(s)) options.add(o);
  }
  options.add("--help");
  options.add("--version");
  return { commands: program.commands.map((c) => c.name()).sort(), sub, options: [...options].sort() };
}

function bash(w: Words): string {
  const cases = Object.entries(w.sub)
    .map(([c, s]) => `    ${c}) words="${s.join(" ")}" ;;`)
    .join("\n");
  return `# picofun completion for bash: eval "$(picofun completion bash)"
_picofun() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[1]}" words
  if [[ "$cur" == -* ]]; then
    words="${w.options.join(" ")}"
  elif [[ $COMP_CWORD -eq 1 ]]; then
    words="${w.commands.join(" ")}"
  else
    case "$prev" in
${cases}
    *) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    esac
  fi
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -o default -F _picofun picofun
`;
}

function zsh(w: Words): string {
  const cases = Object.entries(w.sub)
    .map(([c, s]) => `      ${c}) compadd -- ${s.join(" ")} ;;`)
    .join("\n");
  return `#compdef picofun
# picofun completion for zsh: eval "$(picofun completion zsh)" (after compinit)
_picofun() {
  if [[ "$PREFIX" == -* ]]; then
    compadd -- ${w.options.join(" ")}
  elif (( CURRENT == 2 )); then
    compadd -- ${w.commands.join(" ")}
    _files
  else
    case "\${words[2]}" in
${cases}
      *) _files ;;
    esac
  fi
}
compdef _picofun picofun
`;
}

function fish(w: Words): string {
  const lines = ["# picofun completion for fish: picofun completion fish | source", "complete -c picofun -f"];
  lines.push(`complete -c picofun -n "__fish_use_subcommand" -a "${w.commands.join(" ")}"`);
  for (const [c, s] of Object.entries(w.sub)) lines.push(`complete -c picofun -n "__fish_seen_subcommand_from ${c}" -a "${s.join(" ")}"`);
  for (const o of w.options) lines.push(`complete -c picofun -l ${o.slice(2)}`);
  lines.push('complete -c picofun -n "not __fish_use_subcommand" -F');
  return `${lines.join("\n")}\n`;
}

/** Prints the completion script for `shell`, with the words of `program` (the CLI's own commander program). */
export function completionCommand(shell: string, program: Command): void {
  if (!(SHELLS as readonly string[]).includes(shell)) {
    throw new UserError(`no completion for "${shell}": use one of ${SHELLS.join(", ")}`);
  }
  const words = completionWords(program);
  const script = shell === "bash" ? bash(words) : shell === "zsh" ? zsh(words) : fish(words);
  process.stdout.write(script);
}
