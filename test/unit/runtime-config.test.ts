import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.js";
import { runtimeEnvironment } from "../../src/kinds/client/environment.js";

function load(toml: string) {
  const dir = mkdtempSync(join(tmpdir(), "picofun-rt-"));
  writeFileSync(join(dir, "picofun.toml"), `namespace = "ns"\nspec = "api.yaml"\n${toml}`);
  return loadConfig({}, dir);
}

describe("[retry], [pagination], max_response_bytes", () => {
  it("default to what the runtime does without them", () => {
    expect(runtimeEnvironment(load(""))).toEqual({
      PICORUN_RETRY_MAX_ATTEMPTS: "3",
      PICORUN_RETRY_STATUSES: "408,429,500,502,503,504",
      PICORUN_RETRY_METHODS: "GET,HEAD,OPTIONS,PUT,DELETE",
      PICORUN_RETRY_BASE: "0.5",
      PICORUN_RETRY_CAP: "10",
      PICORUN_MAX_RESPONSE_BYTES: "258048",
      PICORUN_PAGINATION_MAX_PAGES: "10",
    });
  });

  it("become the functions' environment", () => {
    const c = load(
      'max_response_bytes = 0\n[retry]\nmax_attempts = 5\nstatuses = [429, 503]\nmethods = ["GET", "POST"]\nbase = 0.1\ncap = 2\n' +
        '[pagination]\nmax_pages = 3\ncursor_param = "after"\ncursor_field = "meta.next"\nitems_field = "data"\n',
    );
    expect(runtimeEnvironment(c)).toEqual({
      PICORUN_RETRY_MAX_ATTEMPTS: "5",
      PICORUN_RETRY_STATUSES: "429,503",
      PICORUN_RETRY_METHODS: "GET,POST",
      PICORUN_RETRY_BASE: "0.1",
      PICORUN_RETRY_CAP: "2",
      PICORUN_MAX_RESPONSE_BYTES: "0",
      PICORUN_PAGINATION_MAX_PAGES: "3",
      PICORUN_PAGINATION_CURSOR_PARAM: "after",
      PICORUN_PAGINATION_CURSOR_FIELD: "meta.next",
      PICORUN_PAGINATION_ITEMS_FIELD: "data",
    });
  });

  it.each([
    ["[retry]\nstatuses = [429, \"503\"]\n", /"retry.statuses\[1\]" must be a whole number, got a string/],
    ["[retry]\nstatuses = [200]\n", /"retry.statuses\[0\]" must be between 400 and 599, got 200/],
    ["[retry]\nmethods = [\"FETCH\"]\n", /"retry.methods\[0\]" must be one of/],
    ["[retry]\nmax_attempts = 0\n", /"retry.max_attempts" must be between 1 and 20/],
    ["[retry]\nattempts = 2\n", /unknown key "retry.attempts"/],
    ["[pagination]\ncursor_param = \"after\"\n", /"cursor_param" and "cursor_field" go together/],
    ["max_response_bytes = -1\n", /"max_response_bytes" must be between 0 and 6291456/],
  ])("refuses %j with one line naming the key", (toml, message) => {
    expect(() => load(toml)).toThrow(message);
  });
});
