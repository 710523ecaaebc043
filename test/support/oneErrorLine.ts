import { expect } from "vitest";
import type { CliResult } from "./cli.js";

/** Exit 1 and exactly one stderr line, never an internal error or a stack trace; returns that line. */
export function oneErrorLine(res: CliResult): string {
  expect(res.code, res.stdout + res.stderr).toBe(1);
  const lines = res.stderr.trim().split("\n");
  expect(lines, res.stderr).toHaveLength(1);
  expect(res.stderr).not.toMatch(/internal error|\s+at\s/);
  return lines[0];
}
