/** Whether another process with this pid runs on this machine (this process itself counts as gone: its leftovers are from an earlier run with the same pid). */
export function otherProcessAlive(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
