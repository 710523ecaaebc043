import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ofType, synthConstruct, type CfnTemplate, type ConstructResult } from "../support/cdk.js";
import { runCli } from "../support/cli.js";
import { tempProject } from "../support/generate.js";
import { refreshSpec } from "../fixtures/refreshSpec.js";


async function refreshOutput(auth: string[]): Promise<string> {
  const dir = tempProject();
  writeFileSync(join(dir, "refresh.json"), JSON.stringify(refreshSpec));
  writeFileSync(join(dir, "picofun.toml"), ['namespace = "rf"', 'spec = "refresh.json"', 'iac = "cdk"', "[auth]", ...auth].join("\n") + "\n");
  const res = await runCli([], { cwd: dir });
  expect(res.code, res.stderr).toBe(0);
  return join(dir, "output");
}

const s = (v: unknown) => JSON.stringify(v);
const templateOf = (r: ConstructResult) => {
  if ("error" in r) throw new Error(r.error);
  return r.template;
};

/** The statements of the functions' role's policy, by Sid. */
function roleStatements(t: CfnTemplate): Record<string, Record<string, any>> {
  const role = ofType(t, "AWS::IAM::Role").find((r) => r.Properties.RoleName === "pf-rf")!;
  const policy = ofType(t, "AWS::IAM::Policy").find((p) => s(p.Properties.Roles) === s([{ Ref: role.id }]))!;
  const all = policy.Properties.PolicyDocument.Statement as Array<Record<string, any>>;
  // The one statement without a Sid is CDK's for active tracing.
  expect(all.filter((st) => !st.Sid).map((st) => st.Action)).toEqual([["xray:PutTraceSegments", "xray:PutTelemetryRecords"]]);
  return Object.fromEntries(all.filter((st) => st.Sid).map((st) => [st.Sid, st]));
}

const keyOf = (t: CfnTemplate) => ofType(t, "AWS::KMS::Key")[0];

describe("CDK output, client kind: credentials stores and the refresh-token write-back (in-process synth)", () => {
  let ssm: ConstructResult[];
  let sm: CfnTemplate;

  beforeAll(async () => {
    const ssmOut = await refreshOutput(['parameter_prefix = "/team/apis"']);
    const layer = (n: number) => `arn:aws:lambda:eu-west-1:123456789012:layer:l${n}:1`;
    ssm = synthConstruct(ssmOut, "./lib/rf-functions", "RfFunctions", [
      {},
      { timeout: 901 },
      { layers: [1, 2, 3, 4].map(layer) },
      { logRetentionDays: 4 },
      { retainLogs: false, reservedConcurrency: 2, timeout: 900, namespace: "rf2" },
      { namespace: "r".repeat(60) },
      { authCredentialsTtl: -1 },
      { tags: { ["k".repeat(129)]: "v" } },
    ]);
    const smOut = await refreshOutput(['store = "secretsmanager"']);
    sm = templateOf(synthConstruct(smOut, "./lib/rf-functions", "RfFunctions", [{}])[0]);
  }, 300_000);

  it("ssm: ssm:PutParameter and kms:Encrypt only on the oauth2 parameter the rotated refresh token is written to", () => {
    const t = templateOf(ssm[0]);
    const st = roleStatements(t);
    expect(Object.keys(st).sort()).toEqual(["DecryptCredentials", "EncryptRotatedRefreshToken", "ReadCredentials", "WriteRotatedRefreshToken"]);
    expect(st.ReadCredentials.Action).toBe("ssm:GetParameter");
    expect(st.ReadCredentials.Resource).toHaveLength(2);
    expect(st.WriteRotatedRefreshToken.Action).toBe("ssm:PutParameter");
    expect(Array.isArray(st.WriteRotatedRefreshToken.Resource)).toBe(false);
    expect(s(st.WriteRotatedRefreshToken.Resource)).toMatch(/:parameter\/team\/apis\/rf\/credentials-oauth2"\]\]\}$/);
    expect(st.EncryptRotatedRefreshToken.Action).toBe("kms:Encrypt");
    expect(st.EncryptRotatedRefreshToken.Resource).toEqual({ "Fn::GetAtt": [keyOf(t).id, "Arn"] });
    expect(s(st.EncryptRotatedRefreshToken.Condition)).toContain('"kms:ViaService":{"Fn::Join":["",["ssm.eu-west-1.",{"Ref":"AWS::URLSuffix"}]]}');
    const fn = ofType(t, "AWS::Lambda::Function").find((f) => f.Properties.FunctionName === "rf_get_b")!;
    expect(fn.Properties.Environment.Variables.PICORUN_CREDENTIALS_KEY_ID).toEqual({ "Fn::GetAtt": [keyOf(t).id, "Arn"] });
    expect(ofType(t, "AWS::SecretsManager::Secret")).toHaveLength(0);
  });

  it("secretsmanager: secrets with the key and no value, GetSecretValue on both, PutSecretValue on exactly the oauth2 secret, no SSM", () => {
    const secrets = ofType(sm, "AWS::SecretsManager::Secret");
    expect(secrets.map((x) => x.Properties.Name).sort()).toEqual(["/picorun/rf/credentials-api-key", "/picorun/rf/credentials-oauth2"]);
    for (const x of secrets) {
      expect(x.Properties.KmsKeyId).toEqual({ "Fn::GetAtt": [keyOf(sm).id, "Arn"] });
      expect(x.Properties.SecretString).toBeUndefined();
      expect(x.Properties.GenerateSecretString).toBeUndefined();
    }
    const oauth = secrets.find((x) => x.Properties.Name.endsWith("oauth2"))!;
    const st = roleStatements(sm);
    expect(st.ReadCredentials.Action).toBe("secretsmanager:GetSecretValue");
    expect(st.ReadCredentials.Resource).toHaveLength(2);
    expect(st.WriteRotatedRefreshToken.Action).toBe("secretsmanager:PutSecretValue");
    expect(st.WriteRotatedRefreshToken.Resource).toEqual({ Ref: oauth.id });
    expect(st.EncryptRotatedRefreshToken.Action).toBe("kms:GenerateDataKey");
    expect(s(st.DecryptCredentials.Condition)).toContain("secretsmanager.eu-west-1.");
    expect(s(sm)).not.toMatch(/"ssm:|Custom::PicofunCredentialParameter/);
  });

  it("gives the credentials key an explicit key policy: the account through IAM, the functions' role through the store", () => {
    for (const [t, service] of [[templateOf(ssm[0]), "ssm"], [sm, "secretsmanager"]] as const) {
      const statements = keyOf(t).Properties.KeyPolicy.Statement as Array<Record<string, any>>;
      expect(statements.map((x) => x.Sid)).toEqual(["AccountAdministersKeyThroughIam", "FunctionsDecryptThroughTheStore"]);
      expect(s(statements[0].Principal)).toContain(":iam::123456789012:root");
      const role = ofType(t, "AWS::IAM::Role").find((r) => r.Properties.RoleName === "pf-rf")!;
      expect(statements[1].Principal).toEqual({ AWS: { "Fn::GetAtt": [role.id, "Arn"] } });
      expect(statements[1].Action).toBe("kms:Decrypt");
      expect(s(statements[1].Condition)).toContain(`${service}.eu-west-1.`);
    }
  });

  it("checks the client construct's props and keeps its log groups unless told", () => {
    expect("error" in ssm[1] && ssm[1].error).toContain("timeout must be a whole number of seconds from 1 to 900 (got 901)");
    expect("error" in ssm[2] && ssm[2].error).toContain("a function takes at most 5 layers: 4 in layers and 2 the construct adds make 6");
    expect("error" in ssm[3] && ssm[3].error).toContain("logRetentionDays must be one CloudWatch Logs allows");
    const kept = templateOf(ssm[0]);
    for (const g of ofType(kept, "AWS::Logs::LogGroup")) expect(kept.Resources[g.id].DeletionPolicy).toBe("Retain");
    const t = templateOf(ssm[4]);
    for (const g of ofType(t, "AWS::Logs::LogGroup")) expect(t.Resources[g.id].DeletionPolicy).toBe("Delete");
    const fns = ofType(t, "AWS::Lambda::Function").filter((x) => String(x.Properties.FunctionName).startsWith("rf2_"));
    expect(fns.map((f) => f.Properties.FunctionName).sort()).toEqual(["rf2_get_a", "rf2_get_b"]);
    for (const f of fns) {
      expect(f.Properties.ReservedConcurrentExecutions).toBe(2);
      expect(f.Properties.Timeout).toBe(900);
    }
    expect(ofType(t, "AWS::Logs::LogGroup").map((g) => g.Properties.LogGroupName).sort()).toEqual(["/aws/lambda/rf2_get_a", "/aws/lambda/rf2_get_b"]);
    expect(JSON.stringify(t)).toContain(":log-group:/aws/lambda/rf2_*:*");
    expect("error" in ssm[5] && ssm[5].error).toContain("namespace must be at most 58 characters");
    expect("error" in ssm[6] && ssm[6].error).toContain("authCredentialsTtl must be a whole number of seconds, 0 or more (got -1)");
    expect("error" in ssm[7] && ssm[7].error).toContain("each tag key must be 1 to 128 characters (got one of 129)");
  });
});
