/**
 * The role's policies of the deployment model (src/deployment/role.ts) in HCL, laid out as
 * terraform fmt lays them out: an `aws_iam_policy_document` and an `aws_iam_role_policy` per
 * policy, or an attachment of the AWS managed policy that stands for it.
 */
import type { RoleSettings } from "../../deployment/model.js";
import type { RoleCondition, RolePolicy, RoleResource, RoleStatement } from "../../deployment/role.js";
import { commentText, hclString } from "../../render/escape.js";

const PARTITION = "${data.aws_partition.current.partition}";
const LOGS = `arn:${PARTITION}:logs:\${local.region}:\${local.account_id}:log-group:`;

const CONDITIONS: Record<RoleCondition, string> = { xrayTracing: "var.xray_tracing", vpc: "local.vpc_enabled" };

/** How the credentials are named in the module (auth.tf's locals and resources). */
export type CredentialStoreKind = "ssm" | "secretsmanager";

function listOf(r: RoleResource, store: CredentialStoreKind | undefined): string {
  const each = (types: string) =>
    store === "secretsmanager"
      ? `[for type in sort(tolist(${types})) : aws_secretsmanager_secret.credentials[type].arn]`
      : `[for type in sort(tolist(${types})) : "\${local.credential_arn_prefix}\${type}"]`;
  switch (r) {
    case "any":
      return `["*"]`;
    case "credentials":
      return each("local.credential_types");
    case "writeBackCredentials":
      return each("local.writeback_types");
    case "credentialsKey":
      return "[local.credentials_key_arn]";
    case "logGroups":
      return [
        "[",
        "      var.shared_log_group",
        `      ? "${LOGS}\${local.shared_log_group_name}:*"`,
        `      : "${LOGS}/aws/lambda/\${local.function_name_prefix}*:*",`,
        "    ]",
      ].join("\n");
  }
}

/** The lines of one attribute list, aligned as terraform fmt aligns consecutive one-line arguments. */
function attributes(pairs: Array<[string, string]>, indent: string): string[] {
  const oneLine = pairs.every(([, v]) => !v.includes("\n"));
  const width = oneLine ? Math.max(...pairs.map(([k]) => k.length)) : 0;
  return pairs.map(([k, v]) => `${indent}${k.padEnd(width)} = ${v}`);
}

function statementHcl(s: RoleStatement, store: CredentialStoreKind | undefined): string {
  const actions = s.actions.map(hclString);
  const pairs: Array<[string, string]> = [];
  if (s.sid) pairs.push(["sid", hclString(s.sid)]);
  pairs.push(["actions", actions.length > 3 ? `[\n${actions.map((a) => `      ${a},`).join("\n")}\n    ]` : `[${actions.join(", ")}]`]);
  const lists = s.resources.map((r) => listOf(r, store));
  pairs.push(["resources", lists.length === 1 ? lists[0] : `concat(${lists.join(", ")})`]);
  const lines = [...(s.purpose ? [`  # ${commentText(s.purpose)}`] : []), "  statement {", ...attributes(pairs, "    ")];
  if (s.viaCredentialStore) {
    lines.push("", "    condition {", ...attributes([["test", `"StringEquals"`], ["variable", `"kms:ViaService"`], ["values", "[local.credential_service]"]], "      "), "    }");
  }
  lines.push("  }");
  return lines.join("\n");
}

/** The role as the module refers to it, and the guard of everything made for it (an adopted role gets nothing). */
function roleOf(role: RoleSettings): { ref: string; guard?: string } {
  return role.existingRoleArn === undefined ? { ref: "aws_iam_role.lambda" } : { ref: "aws_iam_role.lambda[0]", guard: "var.execution_role_arn == null" };
}

/** One policy: its document and role policy, or the attachment of the AWS managed policy that stands for it. */
export function policyHcl(p: RolePolicy, role: RoleSettings, store?: CredentialStoreKind): string {
  const { ref, guard } = roleOf(role);
  const when = [guard, p.when && CONDITIONS[p.when]].filter(Boolean).join(" && ");
  const count: Array<[string, string]> = when ? [["count", `${when} ? 1 : 0`]] : [];
  const comment = `# ${commentText(p.purpose)}`;
  if (p.awsManagedPolicy) {
    const arn = `"arn:${PARTITION}:iam::aws:policy/${p.awsManagedPolicy}"`;
    return [comment, `resource "aws_iam_role_policy_attachment" ${hclString(p.name)} {`, ...attributes([...count, ["role", `${ref}.name`], ["policy_arn", arn]], "  "), "}"].join("\n");
  }
  const skips = p.unscoped ? ["CKV_AWS_111", "CKV_AWS_356"].map((c) => `  #checkov:skip=${c}:${commentText(p.unscoped!)}`) : [];
  const document = [comment, `data "aws_iam_policy_document" ${hclString(p.name)} {`, ...skips, p.statements.map((s) => statementHcl(s, store)).join("\n\n"), "}"];
  const attach = [
    `resource "aws_iam_role_policy" ${hclString(p.name)} {`,
    ...attributes([...count, ["name", hclString(p.name)], ["role", `${ref}.id`], ["policy", `data.aws_iam_policy_document.${p.name}.json`]], "  "),
    "}",
  ];
  return [...document, "", ...attach].join("\n");
}
