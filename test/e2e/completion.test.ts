import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { BIN, runCli } from "../support/cli.js";

function bashComplete(...words: string[]): string[] {
  const script = `eval "$(${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} completion bash)"
COMP_WORDS=(${words.map((w) => JSON.stringify(w)).join(" ")}); COMP_CWORD=${words.length - 1}; _picofun; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const r = spawnSync("bash", ["-c", script], { encoding: "utf8" });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.split("\n").filter(Boolean);
}

describe("picofun completion", () => {
  it("completes commands, subcommands and options in bash", () => {
    expect(bashComplete("picofun", "ge")).toEqual(["generate"]);
    expect(bashComplete("picofun", "add", "end")).toEqual(["endpoint"]);
    expect(bashComplete("picofun", "generate", "--cd")).toEqual(["--cdk"]);
    expect(bashComplete("picofun", "--ia")).toEqual(["--iac"]);
  });

  it("prints zsh and fish scripts, and refuses other shells in one line", async () => {
    const zsh = await runCli(["completion", "zsh"]);
    expect(zsh.code).toBe(0);
    expect(zsh.stdout).toMatch(/^#compdef picofun/);
    expect(zsh.stdout).toMatch(/compadd -- add completion .*generate init/);
    const fish = await runCli(["completion", "fish"]);
    expect(fish.code).toBe(0);
    expect(fish.stdout).toContain('complete -c picofun -n "__fish_seen_subcommand_from templates" -a "list eject"');
    expect(fish.stdout).toContain("complete -c picofun -l iac");
    const bad = await runCli(["completion", "tcsh"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('picofun: error: no completion for "tcsh": use one of bash, zsh, fish\n');
  });
});
