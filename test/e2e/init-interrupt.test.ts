import { createServer, type Server, type Socket } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, expect, it } from "vitest";
import { BIN } from "../support/cli.js";
import { tempProject } from "../support/generate.js";
import { describeWithTools } from "../support/skip.js";
import { TmuxSession } from "../support/tmux.js";

describeWithTools("Ctrl-C in the wizard (issue 28, low)", ["tmux"], () => {
  let session: TmuxSession | undefined;
  let server: Server | undefined;
  const sockets = new Set<Socket>();
  afterEach(async () => {
    session?.kill();
    for (const s of sockets) s.destroy();
    await new Promise((r) => server?.close(r) ?? r(undefined));
  });

  it("while a spec URL is loading ends the process (the request to a server that never answers is dropped)", async () => {
    let asked!: () => void;
    const requested = new Promise<void>((r) => (asked = r));
    // A spec server that takes the request and never answers: the wizard waits on it.
    server = createServer(() => asked());
    server.on("connection", (s) => sockets.add(s));
    await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/openapi.yaml`;
    const cwd = tempProject();
    session = new TmuxSession(`node ${BIN} init`, cwd);
    await session.waitFor("? OpenAPI spec");
    session.type(url);
    session.press("Enter");
    await requested;
    session.press("C-c");
    // Before the fix the process stayed until the fetch's own 30 s timeout; the server still has not answered here.
    expect(await session.exitCode(20_000)).toBe(130);
    expect(session.screen()).toContain("picofun: cancelled");
  });
});
