import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cdkSynth, synthesizedTemplates } from "../support/cdk.js";
import { runCli } from "../support/cli.js";
import { CANARY, scanTypeScript } from "../support/codeScan.js";
import { tempProject } from "../support/generate.js";
import { hostileSpec, type Texts } from "../support/hostileSpec.js";
import { wellFormed } from "../support/random.js";
import { problems, scanOutput } from "../support/scanOutput.js";
import { describeWithTools } from "../support/skip.js";
import { checkTerraform, terraform } from "../support/terraform.js";

/** A one-operation spec with `title` as info.title. */
function specWithTitle(dir: string, title: string): string {
  const file = join(dir, "spec.json");
  const doc = {
    openapi: "3.0.3",
    info: { title, version: "1" },
    servers: [{ url: "https://api.example.com" }],
    paths: { "/orders": { get: { operationId: "listOrders", responses: { "200": { description: "OK" } } } } },
  };
  writeFileSync(file, JSON.stringify(doc));
  return file;
}

describeWithTools("a spec's title never becomes code in the CDK TypeScript", ["python"], () => {
  // U+2028 and U+2029 end a line in JavaScript and TypeScript: each would end a `//` comment.
  const titles = [
    `Orders\u2028${CANARY}();\u2028//`,
    `Orders\u2029${CANARY}();\u2029//`,
    `Orders\r${CANARY}();\r//`,
    `Orders */ ${CANARY}(); /*`,
  ];
  for (const kind of ["client", "api"] as const) {
    it(`${kind}: lib/*.ts and app.ts parse, and the canary is only ever in a string or a comment`, async () => {
      for (const title of titles) {
        const dir = tempProject();
        const out = join(dir, "output");
        const r = await runCli(["ns", specWithTitle(dir, title), "--kind", kind, "--iac", "cdk", "--output-dir", out], { cwd: dir });
        expect(r.code, r.stderr).toBe(0);
        const construct = join(out, "lib", kind === "api" ? "ns-api.ts" : "ns-functions.ts");
        for (const file of [construct, join(out, "app.ts")]) {
          const text = readFileSync(file, "utf8");
          const scan = scanTypeScript(file, text);
          expect(scan.errors, `${JSON.stringify(title)} ${file}`).toEqual([]);
          expect(scan.code, `${JSON.stringify(title)} ${file}`).toEqual([]);
          expect(text).not.toMatch(/[\u2028\u2029\r]/);
        }
        // The comment still names the API.
        expect(readFileSync(construct, "utf8").split("\n").slice(0, 3).join("\n")).toContain("Orders");
        expect(problems(await scanOutput([out, join(dir, "handlers")].filter((d) => kind === "api" || d === out)))).toEqual([]);
      }
    });
  }
});

/** Fixed hostile texts for the Terraform runs (terraform is too slow for every property run). */
function fixedTexts(variant: number): Texts {
  const evalMe = `\${file("/etc/passwd")} \${${CANARY}("a")} %{ if ${CANARY} }x%{ endif } $\${${CANARY}} %%{${CANARY}}`;
  const breakers = variant === 0 ? `"\n\r\u2028\u2029\\ */ --> """ '\`` : `\\" \\\\ \${ %{ # // \x1b[31m \u202e \ud800`;
  const text = (name: string) => `${name} ${evalMe} ${breakers} ${CANARY}()`;
  return {
    title: text("title"),
    description: text("description"),
    version: text("version"),
    serverPath: `"'\`$%${CANARY}`,
    operationId: text("op"),
    summary: text("summary"),
    opDescription: text("opdesc"),
    tag: text("tag"),
    paramDescription: text("param"),
    enumValue: text("enum"),
    example: text("example"),
    bodyDescription: text("body"),
    property: text("property"),
    propertyDescription: text("propdesc"),
    schemaName: text("schema"),
    responseDescription: text("response"),
    schemeName: text("scheme"),
    schemeDescription: text("schemedesc"),
    pathWord: `$${CANARY}%`,
    paramWord: `*${CANARY}$`,
  };
}

/** Every string in a JSON value (keys too). */
function strings(v: unknown, out: string[] = []): string[] {
  if (typeof v === "string") out.push(v);
  else if (Array.isArray(v)) v.forEach((x) => strings(x, out));
  else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) out.push(k), strings(x, out);
  return out;
}

describeWithTools("Terraform reads hostile spec text as text: validate and plan pass, nothing is evaluated", ["terraform"], () => {
  for (const [kind, variant] of [["client", 0], ["api", 1]] as const) {
    it(`${kind}: terraform validate and plan pass; \${file(...)}, \${fn()} and %{ if } stay literal`, async () => {
      const t = fixedTexts(variant);
      const dir = tempProject();
      const spec = join(dir, "spec.json");
      writeFileSync(spec, JSON.stringify(hostileSpec(t, kind === "client")));
      const toml = ['namespace = "ns"', 'spec = "spec.json"', `kind = "${kind}"`, ...(kind === "client" ? ["[stepfunctions]", "example = true"] : [])];
      writeFileSync(join(dir, "picofun.toml"), `${toml.join("\n")}\n`);
      const r = await runCli(["generate"], { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
      const out = join(dir, "output");
      const tf = await checkTerraform(out);
      expect(tf.codes[0], tf.init).toBe(0);
      expect(tf.codes[1], tf.validate).toBe(0);
      expect(tf.codes[3], tf.plan).toBe(0);
      const planned = strings([tf.resources.map((x) => x.values), tf.outputs]).join("\n");
      // Not evaluated: /etc/passwd was never read, and the hostile text is there as written.
      expect(planned).not.toMatch(/root:.*:0:0:/);
      expect(planned).toContain(`\${file("/etc/passwd")} \${${CANARY}("a")} %{ if ${CANARY} }x%{ endif }`);
      if (kind === "api") {
        const api = tf.resources.find((x) => x.type === "aws_api_gateway_rest_api")!;
        // The body is unknown at plan time (it holds the functions' ARNs): render the template with stand-in URIs.
        const render = tempProject();
        writeFileSync(
          join(render, "main.tf"),
          [
            `locals { fns = jsondecode(file(${JSON.stringify(join(out, "functions.tf.json"))})).locals }`,
            `output "body" { value = templatefile(${JSON.stringify(join(out, "openapi.json.tftpl"))}, { uris = { for k, v in merge(local.fns.functions, local.fns.authorizers) : k => "arn:\${k}" } }) }`,
          ].join("\n"),
        );
        const applied = await terraform(["apply", "-auto-approve", "-input=false", "-lock=false"], render);
        expect(applied.code, applied.out).toBe(0);
        const shown = await terraform(["output", "-json"], render);
        const body = JSON.parse((JSON.parse(shown.out) as { body: { value: string } }).body.value) as { info: { title: string; description: string }; paths: Record<string, Record<string, { summary?: string }>> };
        const want = (s: string) => wellFormed(s).normalize("NFC");
        expect(wellFormed(body.info.description).normalize("NFC")).toBe(want(t.description));
        expect(wellFormed(body.paths["/items"].post.summary!).normalize("NFC")).toBe(want(t.summary));
        expect(api.values.name).toBe(want(t.title).trim());
      }
    }, 300_000);
  }
});

describe("text the AWS CDK would read as its tokens is refused for iac = cdk", () => {
  // At cdk synth, `${Token[AWS.AccountId.8]}` in any string became {"Ref": "AWS::AccountId"} (checked
  // with aws-cdk-lib's Stack.resolve); an unknown key stopped the synth.
  const markers = ["${Token[AWS.AccountId.8]}", "#{Token[TOKEN.10]}", "-1.8881545897087518e+289"];
  for (const kind of ["client", "api"] as const) {
    it(`${kind}: one error line naming where; the Terraform module takes the same spec`, async () => {
      for (const [i, marker] of markers.entries()) {
        const dir = tempProject();
        const file = join(dir, "spec.json");
        const doc = {
          openapi: "3.0.3",
          info: { title: i === 0 ? `Orders ${marker}` : "Orders", version: "1" },
          servers: [{ url: "https://api.example.com" }],
          paths: { "/orders": { get: { operationId: "listOrders", summary: `list ${marker}`, responses: { "200": { description: "OK" } } } } },
        };
        writeFileSync(file, JSON.stringify(doc));
        const cdk = await runCli(["ns", file, "--kind", kind, "--iac", "cdk", "--output-dir", join(dir, "cdk")], { cwd: dir });
        expect(cdk.code, cdk.stdout).toBe(1);
        expect(cdk.stderr.trim().split("\n"), cdk.stderr).toHaveLength(1);
        expect(cdk.stderr).toMatch(/^picofun: error: (app\.ts|lib\/\S+\.json) \(.+\): the spec's text holds something the AWS CDK reads as one of its tokens/);
        const tf = await runCli(["ns", file, "--kind", kind, "--output-dir", join(dir, "tf")], { cwd: dir });
        expect(tf.code, tf.stderr).toBe(0);
      }
    });
  }
});

describeWithTools("cdk synth of a hostile spec runs none of its text", ["python"], () => {
  it("api: a title that would call writeFileSync leaves no file; the definition holds the texts as written", async () => {
    const dir = tempProject();
    const marker = join(dir, "ran.txt");
    // No quote or `=` (Handlebars' HTML escaping of the old template would have spoiled them).
    const payload = "require(String.fromCharCode(102,115)).writeFileSync(process.env.PICOFUN_MARKER,String.fromCharCode(114))";
    const t = { ...fixedTexts(0), title: `Orders\u2028${payload}\u2028//` };
    process.env.PICOFUN_MARKER = marker;
    writeFileSync(join(dir, "spec.json"), JSON.stringify(hostileSpec(t, false)));
    writeFileSync(join(dir, "picofun.toml"), 'namespace = "ns"\nspec = "spec.json"\nkind = "api"\niac = "cdk"\n');
    const r = await runCli(["generate"], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const out = join(dir, "output");
    const synth = await cdkSynth(out).finally(() => delete process.env.PICOFUN_MARKER);
    expect(synth.code, synth.out).toBe(0);
    expect(existsSync(marker)).toBe(false);
    const apis = [...synthesizedTemplates(out).values()].flatMap((tpl) => Object.values(tpl.Resources).filter((x) => x.Type === "AWS::ApiGateway::RestApi"));
    expect(apis).toHaveLength(1);
    const body = apis[0].Properties!.Body as { info: { description: string }; paths: Record<string, Record<string, { summary?: string }>> };
    expect(body.info.description).toBe(t.description);
    expect(body.paths["/items"].post.summary).toBe(t.summary);
  }, 900_000);
});
