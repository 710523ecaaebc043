import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { ORDERS_SPEC, tempProject } from "../support/generate.js";
import { runPython } from "../support/python.js";
import { describeWithTools } from "../support/skip.js";
import { checkTerraform, type TerraformCheck } from "../support/terraform.js";

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
}
const list = (v: string | string[]) => (Array.isArray(v) ? v : [v]);

describeWithTools("generated IAM is least-privilege and nothing writes secrets", ["python", "terraform"], () => {
  let dir: string;
  let tf: TerraformCheck;

  beforeAll(async () => {
    dir = tempProject();
    writeFileSync(
      join(dir, "picofun.toml"),
      ['namespace = "orders"', `spec = ${JSON.stringify(ORDERS_SPEC)}`, 'vpc_id = "vpc-0011223344556677f"', 'subnets = ["subnet-1234567890abcdef0"]'].join("\n"),
    );
    const res = await runCli([], { cwd: dir });
    expect(res.code, res.stderr).toBe(0);
    tf = await checkTerraform(join(dir, "output"));
    expect(tf.codes, tf.plan).toEqual([0, 0, 0, 0]);
  });

  it("the role has only inline policies scoped to this module, plus the X-Ray write policy", () => {
    const attachments = tf.resources.filter((r) => r.type === "aws_iam_role_policy_attachment");
    expect(attachments.map((a) => String(a.values.policy_arn))).toEqual(["arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess"]);
    const policies = tf.resources.filter((r) => r.type === "aws_iam_role_policy");
    expect(policies.map((p) => p.values.name).sort()).toEqual(["logs", "vpc"]);
    // The vpc policy is known at plan time; the logs one needs the account id (known after apply),
    // so its statement is read from the data source's planned read and the module's text.
    const vpc = (JSON.parse(String(policies.find((p) => p.values.name === "vpc")!.values.policy)) as { Statement: Statement[] }).Statement;
    expect(vpc).toHaveLength(1);
    expect(vpc[0].Effect).toBe("Allow");
    for (const action of list(vpc[0].Action)) expect(action).toMatch(/^ec2:(Create|Delete|Describe|Assign|Unassign)\w*(NetworkInterfaces?|Subnets|PrivateIpAddresses)$/);
    const logsDoc = tf.resources.find((r) => r.address === "module.generated.data.aws_iam_policy_document.logs");
    expect(logsDoc, tf.resources.map((r) => r.address).join("\n")).toBeDefined();
    const logStatements = logsDoc!.values.statement as Array<{ actions: string[]; effect?: string; not_actions?: unknown }>;
    expect(logStatements).toHaveLength(1);
    expect([...logStatements[0].actions].sort()).toEqual(["logs:CreateLogStream", "logs:PutLogEvents"]);
    expect(readFileSync(join(dir, "output", "iam.tf"), "utf8")).toContain(
      '"arn:${data.aws_partition.current.partition}:logs:${local.region}:${local.account_id}:log-group:/aws/lambda/${local.function_name_prefix}*:*"',
    );
    // The prefix follows var.namespace, like the function names, and covers every one of them.
    expect(readFileSync(join(dir, "output", "main.tf"), "utf8")).toContain('function_name_prefix  = "${var.namespace}_"');
    const prefix = "orders_";
    const names = tf.resources.filter((r) => r.type === "aws_lambda_function").map((r) => String(r.values.function_name));
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(name.startsWith(prefix), name).toBe(true);
    const role = tf.resources.find((r) => r.type === "aws_iam_role")!;
    const trust = JSON.parse(String(role.values.assume_role_policy)) as { Statement: Array<Statement & { Principal: Record<string, string> }> };
    expect(trust.Statement.map((s) => [list(s.Action), s.Principal])).toEqual([[["sts:AssumeRole"], { Service: "lambda.amazonaws.com" }]]);
    // Every function waits for its permissions.
    expect(readFileSync(join(dir, "output", "lambda.tf"), "utf8")).toMatch(/depends_on = \[[^\]]*aws_iam_role_policy\.logs,[^\]]*aws_iam_role_policy\.vpc,/);
  });

  it("function environments carry no credentials", () => {
    for (const fn of tf.resources.filter((r) => r.type === "aws_lambda_function")) {
      const env = (fn.values.environment as Array<{ variables?: Record<string, string> }>)[0]?.variables ?? {};
      for (const [k, v] of Object.entries(env)) {
        expect(k).not.toMatch(/secret|password|token|key|credential/i);
        expect(v).not.toMatch(/AKIA|wJalr/);
      }
    }
  });

  it("the runtime never logs or raises header values, query values, bodies or the full URL", async () => {
    const out = join(dir, "output");
    const script = `
import io, json, logging, sys, threading
from http.server import BaseHTTPRequestHandler, HTTPServer
sys.path[:0] = [sys.argv[1], sys.argv[2]]
stream = io.StringIO()
logging.basicConfig(level=logging.DEBUG, stream=stream, force=True)

class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(500)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"error": "boom"}')
    def log_message(self, *args):
        pass

server = HTTPServer(("127.0.0.1", 0), Handler)
threading.Thread(target=server.serve_forever, daemon=True).start()
import get_orders
messages = []
for url in (f"http://127.0.0.1:{server.server_port}", "http://127.0.0.1:9"):
    get_orders.ENDPOINT.server_url = url
    event = {"query": {"status": ["open"], "limit": 7}, "headers": {"X-Request-Id": "hdr-SECRET-1"}, "payload": {"p": "body-SECRET-2"}}
    try:
        get_orders.handler(event, None)
    except Exception as exc:
        messages.append(f"{type(exc).__name__}: {exc} {exc.args!r}")
print(json.dumps({"log": stream.getvalue(), "errors": messages}))
`;
    const r = await runPython(["-c", script, join(out, "layer"), join(out, "lambdas")]);
    expect(r.code, r.stderr).toBe(0);
    const { log, errors } = JSON.parse(r.stdout.trim().split("\n").pop()!) as { log: string; errors: string[] };
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/^Http500Error/);
    expect(errors[1]).toMatch(/^ApiConnectionError/);
    expect(log).toMatch(/GET \/orders/);
    for (const text of [log, ...errors, r.stderr]) {
      expect(text).not.toMatch(/SECRET/);
      expect(text).not.toMatch(/limit=7|status=open/);
    }
    // Error messages name the URL for recovery, without its query string; the log does not.
    expect(errors[0]).toMatch(/"url":"http:\/\/127\.0\.0\.1:\d+\/orders"/);
    expect(log).not.toMatch(/127\.0\.0\.1/);
  });

  it("no generated file holds anything shaped like a credential", () => {
    const out = join(dir, "output");
    const texts: string[] = [];
    const walk = (d: string) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        if (e.isDirectory()) walk(join(d, e.name));
        else if (/\.(py|tf|json)$/.test(e.name)) texts.push(readFileSync(join(d, e.name), "utf8"));
      }
    };
    walk(out);
    expect(texts.length).toBeGreaterThan(10);
    for (const t of texts) expect(t).not.toMatch(/AKIA[0-9A-Z]{16}|aws_secret_access_key|-----BEGIN [A-Z ]*PRIVATE KEY/);
  });
});
