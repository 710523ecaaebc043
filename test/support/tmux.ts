import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";

export function hasTmux(): boolean {
  return spawnSync("tmux", ["-V"], { stdio: "ignore" }).status === 0;
}

/** A program running in a detached tmux session: a real pseudo-terminal we type into. */
export class TmuxSession {
  readonly name = `picofun-${process.pid}-${randomBytes(3).toString("hex")}`;
  private readonly socket = ["-L", this.name];

  constructor(command: string, cwd: string, env: Record<string, string> = {}) {
    const exports = Object.entries({ NO_COLOR: "1", ...env }).map(([k, v]) => `export ${k}='${v}';`).join(" ");
    // The exit code is printed after the program ends; the shell then waits so the pane can be read.
    const script = `${exports} ${command}; echo "EXIT=$?"; sleep 600`;
    execFileSync("tmux", [...this.socket, "-f", "/dev/null", "new-session", "-d", "-s", this.name, "-x", "110", "-y", "45", "-c", cwd, script]);
  }

  /** The pane's text; with `escapes`, colours and attributes stay in as escape sequences. */
  screen(escapes = false): string {
    const flags = escapes ? ["-e"] : [];
    return execFileSync("tmux", [...this.socket, "capture-pane", "-p", "-J", ...flags, "-S", "-200", "-t", this.name], { encoding: "utf8" });
  }

  /** Types literal text. */
  type(text: string): void {
    execFileSync("tmux", [...this.socket, "send-keys", "-t", this.name, "-l", text]);
  }

  /** Presses keys by tmux name: Enter, Down, Space, C-c, BSpace... */
  press(...keys: string[]): void {
    for (const key of keys) execFileSync("tmux", [...this.socket, "send-keys", "-t", this.name, key]);
  }

  /** Waits until the screen matches (the last match counts), or fails with the screen. */
  async waitFor(pattern: RegExp | string | ((screen: string) => boolean), timeoutMs = 20_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const text = this.screen();
      const ok = typeof pattern === "string" ? text.includes(pattern) : pattern instanceof RegExp ? pattern.test(text) : pattern(text);
      if (ok) return text;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern} on screen:\n${text}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Waits for `question` to be the active prompt, then answers with text and/or keys. */
  async answer(question: string, text = "", ...keys: string[]): Promise<void> {
    await this.waitFor((s) => s.includes(`? ${question}`) && !s.includes(`✔ ${question}`));
    if (text) this.type(text);
    this.press(...keys, "Enter");
    await this.waitFor(`✔ ${question}`);
  }

  async exitCode(timeoutMs = 60_000): Promise<number> {
    const text = await this.waitFor(/EXIT=\d+/, timeoutMs);
    return Number(/EXIT=(\d+)/.exec(text)![1]);
  }

  kill(): void {
    spawnSync("tmux", [...this.socket, "kill-server"], { stdio: "ignore" });
  }
}
