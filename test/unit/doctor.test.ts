import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatCheck } from "../../src/doctor/report.js";
import { parseCliConfig } from "../../src/doctor/terraform.js";
import type { Check } from "../../src/doctor/types.js";

const RC = `# installed by the platform team
plugin_cache_dir = "/var/cache/terraform"
provider_installation {
  # filesystem_mirror { path = "/old/mirror" }
  filesystem_mirror {
    path    = "/opt/tf-plugins"
    include = ["registry.terraform.io/hashicorp/*"]
  }
  network_mirror {
    url = "https://mirror.example.com/providers/"
  }
  direct {
    exclude = ["registry.terraform.io/hashicorp/*"]
  }
}
`;

describe("terraform CLI config (doctor's aws provider check)", () => {
  it("finds mirrors and the plugin cache, and skips commented-out lines", () => {
    expect(parseCliConfig(RC)).toEqual({
      mirrors: ["/opt/tf-plugins"],
      networkMirrors: ["https://mirror.example.com/providers/"],
      caches: ["/var/cache/terraform"],
    });
  });

  it("finds a mirror path whatever the spacing, comments and other blocks around it; never throws on any text", () => {
    const segment = fc.stringMatching(/^[A-Za-z0-9_.\-/ ]{1,40}$/).map((s) => `/${s}`);
    const gap = fc.constantFrom(" ", "  ", "\t", "\n", "\n  ", "\r\n");
    const noise = fc.constantFrom("", '# filesystem_mirror { path = "/commented" }\n', "// nothing here\n", 'direct {\n  exclude = ["a/b/c"]\n}\n', "include = []\n");
    fc.assert(
      fc.property(segment, gap, gap, noise, noise, (path, g1, g2, before, after) => {
        const text = `${before}provider_installation {${g1}filesystem_mirror${g2}{${g1}path${g2}=${g1}"${path}"${g2}}\n}\n${after}`;
        expect(parseCliConfig(text).mirrors).toEqual([path]);
      }),
    );
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 400 }), (text) => {
        const parsed = parseCliConfig(text);
        for (const found of [...parsed.mirrors, ...parsed.networkMirrors, ...parsed.caches]) {
          expect(text).toContain(found);
          expect(found).not.toMatch(/["\n]/);
        }
      }),
    );
  });
});

describe("doctor's report lines", () => {
  it("stay one line with no character a terminal acts on, whatever a tool printed", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 300 }), fc.constantFrom<Check["state"]>("ok", "missing", "skipped"), fc.boolean(), (detail, state, needed) => {
        const line = formatCheck({ name: "pip download", state, detail, purpose: "fetches requirements", needed, fix: "check the network" }, true);
        expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/);
        expect(line.startsWith(state)).toBe(true);
        expect(line.includes("[needed by picofun.toml]")).toBe(needed);
      }),
    );
  });
});
