import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { generate } from "../../src/pipeline/generate.js";
import { HTTP_ERROR_NAMES } from "../../src/kinds/client/stepfunctions/errors.js";
import { fillPlaceholders } from "../../src/kinds/client/stepfunctions/json.js";
import { LAMBDA_TRANSIENT_ERRORS } from "../../src/kinds/client/stepfunctions/retry.js";
import { aslErrors, oneStateMachine } from "../support/asl.js";
import { runCli } from "../support/cli.js";
import { REPO } from "../support/env.js";
import { ORDERS_SPEC, tempProject } from "../support/generate.js";
import { describeWithTools } from "../support/skip.js";
import { checkTerraform, FAKE_PROVIDER_LINES, planned, rootModule, terraform } from "../support/terraform.js";

const ADVERSARIAL = join(REPO, "test", "fixtures", "adversarial.yaml");
const GITHUB = join(REPO, "node_modules", "@octokit", "openapi", "generated", "api.github.com.json");
const ARN = (name: string) => `arn:aws:lambda:eu-west-1:123456789012:function:${name}`;

type State = Record<string, unknown> & { Parameters: { FunctionName: string; Payload: Record<string, unknown> }; Retry: Array<{ ErrorEquals: string[] }> };

function functionNames(out: string): string[] {
  const json = JSON.parse(readFileSync(join(out, "functions.tf.json"), "utf8")) as { locals: { functions: Record<string, unknown> } };
  return Object.keys(json.locals.functions).sort();
}

function taskText(out: string, name: string): string {
  return readFileSync(join(out, "stepfunctions", `${name}.json`), "utf8");
}

/** What the CDK construct does: parse the file and put the function's ARN in. */
function task(out: string, name: string): State {
  return fillPlaceholders(taskText(out, name), { function_arn: ARN(name) }) as State;
}

/**
 * Every task state of an output folder, each wrapped in a one-state machine, checked by
 * asl-validator. The machines are the branches of one Parallel state: the validator compiles
 * its schemas on every call (about half a second here), and a branch is checked as a machine.
 */
function invalidTasks(out: string): string[] {
  const bad: string[] = [];
  const names = functionNames(out);
  for (const name of names) {
    // The placeholder is the file's only template syntax.
    if (taskText(out, name).replace('"${function_arn}"', "").match(/\$\{|%\{/)) bad.push(`${name}: template syntax besides the placeholder`);
  }
  const branches = names.map((name) => oneStateMachine(name, task(out, name)));
  const errors = aslErrors({ StartAt: "All", States: { All: { Type: "Parallel", Branches: branches, End: true } } });
  if (errors) bad.push(errors);
  return bad;
}

describe("Step Functions task states", () => {
  let out: string;
  let adversarial: string;

  beforeAll(async () => {
    const dir = tempProject();
    writeFileSync(join(dir, "picofun.toml"), ['namespace = "orders"', `spec = "${ORDERS_SPEC}"`, "[stepfunctions]", "example = true"].join("\n"));
    const res = await runCli([], { cwd: dir });
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    expect(res.stdout).toContain("Step Functions example: ");
    out = join(dir, "output");
    const adv = tempProject();
    await generate({ cwd: adv, overrides: { namespace: "evil", spec: ADVERSARIAL, outputDir: join(adv, "output") } });
    adversarial = join(adv, "output");
  });

  it("writes one task state per function, each valid in a one-state machine", () => {
    const names = functionNames(out);
    expect(names.length).toBe(6);
    const files = readdirSync(join(out, "stepfunctions")).filter((f) => f.endsWith(".json"));
    expect(files.sort()).toEqual(names.map((n) => `${n}.json`));
    expect(invalidTasks(out)).toEqual([]);
    // Not a state machine fragment with its own ending: the state machine chooses Next or End.
    for (const n of names) expect(Object.keys(task(out, n))).not.toContain("End");
  });

  it("each task invokes its function through lambda:invoke and returns the function's result", () => {
    const t = task(out, "orders_get_orders");
    expect(t.Type).toBe("Task");
    expect(t.Resource).toBe("arn:aws:states:::lambda:invoke");
    expect(taskText(out, "orders_get_orders")).toContain('"FunctionName": "${function_arn}"');
    expect(t.Parameters.FunctionName).toBe(ARN("orders_get_orders"));
    expect(t.ResultSelector).toEqual({ "result.$": "$.Payload" });
    expect(t.OutputPath).toBe("$.result");
  });

  it("the Payload names path, query, header parameters and the body; required ones read from the input", () => {
    expect(task(out, "orders_get_orders").Parameters.Payload).toEqual({
      query: { status: null, limit: null },
      headers: { "X-Request-Id.$": "$.headers['X-Request-Id']" },
    });
    expect(task(out, "orders_put_orders_orderId_line_items_item_id").Parameters.Payload).toEqual({
      path: { "orderId.$": "$.path.orderId", "item-id.$": "$.path['item-id']" },
      "payload.$": "$.payload",
    });
    const comment = task(out, "orders_get_orders").Comment as string;
    expect(comment).toContain("Required (read from the state input): headers.X-Request-Id.");
    expect(comment).toContain("query.status, query.limit");
  });

  it("retries Lambda's transient errors and picofun's throttling errors; connection errors only for idempotent methods", () => {
    const get = task(out, "orders_get_orders").Retry;
    expect(get[0].ErrorEquals).toEqual(LAMBDA_TRANSIENT_ERRORS);
    expect(get[0]).toMatchObject({ IntervalSeconds: 2, MaxAttempts: 6, BackoffRate: 2 });
    expect(get[1].ErrorEquals).toEqual(["Http429Error", "Http503Error", "ApiTimeoutError", "ApiConnectionError"]);
    // Starts at picorun's backoff cap ([retry] cap, 10 s by default), exponential with full jitter.
    expect(get[1]).toMatchObject({ IntervalSeconds: 10, MaxAttempts: 2, BackoffRate: 2, MaxDelaySeconds: 60, JitterStrategy: "FULL" });
    const post = task(out, "orders_post_orders").Retry;
    expect(post[1].ErrorEquals).toEqual(["Http429Error", "Http503Error"]);
    // PUT is idempotent, as picorun's [retry] methods say by default.
    expect(task(out, "orders_put_orders_orderId_line_items_item_id").Retry[1].ErrorEquals).toContain("ApiTimeoutError");
  });

  it("the Catch example lists every HTTP error class the runtime has, and reads the detail with States.StringToJson", () => {
    const classes = [...readFileSync(join(REPO, "templates", "client", "layer", "picorun", "errors.py"), "utf8").matchAll(/^class (Http\w*Error)\(/gm)].map((m) => m[1]);
    expect([...HTTP_ERROR_NAMES].sort()).toEqual([...classes].sort());
    const example = JSON.parse(readFileSync(join(out, "stepfunctions", "catch", "http-errors.json"), "utf8")) as {
      Catch: Array<{ ErrorEquals: string[]; Next: string }>;
      States: Record<string, unknown>;
    };
    expect(example.Catch[0].ErrorEquals).toContain("HttpError");
    expect(example.Catch[0].ErrorEquals).toContain("Http404Error");
    expect(JSON.stringify(example.States)).toContain("States.StringToJson($.error.Cause)");
    // Merged as the file says: Catch into a task, States into its machine.
    const name = "orders_get_orders_orderId";
    const machine = { StartAt: name, States: { [name]: { ...task(out, name), Catch: example.Catch, End: true }, ...example.States } };
    expect(aslErrors(machine)).toBe("");
    // A Catch pointing to a missing state is refused: the validator does check transitions.
    expect(aslErrors({ StartAt: name, States: { [name]: { ...task(out, name), Catch: example.Catch, End: true } } })).toMatch(/ReadHttpError/);
  });

  it("the example workflow is a valid state machine wired from two operations", () => {
    const text = readFileSync(join(out, "stepfunctions", "example", "definition.asl.json"), "utf8");
    const def = fillPlaceholders(text, { first_function_arn: ARN("a"), second_function_arn: ARN("b") }) as { StartAt: string; States: Record<string, State> };
    expect(aslErrors(def)).toBe("");
    const tasks = Object.values(def.States).filter((s) => s.Type === "Task");
    expect(tasks.map((s) => s.Parameters.FunctionName)).toEqual([ARN("a"), ARN("b")]);
    const input = JSON.parse(readFileSync(join(out, "stepfunctions", "example", "input.json"), "utf8")) as Record<string, unknown>;
    expect(Object.keys(input)).toEqual(["first", "second"]);
  });

  it("specs full of quotes and template syntax give valid tasks with no template syntax but the placeholder", () => {
    const names = functionNames(adversarial);
    expect(names.length).toBeGreaterThan(0);
    expect(invalidTasks(adversarial)).toEqual([]);
  });

  it("every task of GitHub's spec (1,200+ operations) is valid", async () => {
    const dir = mkdtempSync(join(tmpdir(), "picofun-sfn-github-"));
    await generate({ cwd: dir, overrides: { namespace: "gh", spec: GITHUB, outputDir: join(dir, "output") } });
    const names = functionNames(join(dir, "output"));
    expect(names.length).toBeGreaterThan(1000);
    expect(invalidTasks(join(dir, "output"))).toEqual([]);
  });

  it("without [stepfunctions] example there is no example workflow", async () => {
    const dir = tempProject();
    await generate({ cwd: dir, overrides: { namespace: "orders", spec: ORDERS_SPEC, outputDir: join(dir, "output") } });
    expect(readdirSync(join(dir, "output", "stepfunctions")).sort()).toContain("catch");
    expect(readdirSync(join(dir, "output", "stepfunctions"))).not.toContain("example");
    expect(readdirSync(join(dir, "output"))).not.toContain("stepfunctions_example.tf");
  });

  it("a wrong [stepfunctions] key is one error line", async () => {
    const dir = tempProject();
    writeFileSync(join(dir, "picofun.toml"), ['namespace = "orders"', `spec = "${ORDERS_SPEC}"`, "[stepfunctions]", 'example = "yes"'].join("\n"));
    const res = await runCli([], { cwd: dir });
    expect(res.code).toBe(1);
    expect(res.stderr.trim().split("\n")).toHaveLength(1);
    expect(res.stderr).toMatch(/^picofun: error: .*example/);
  });
});

describeWithTools("Step Functions in the Terraform module", ["terraform"], () => {
  let out: string;
  let adversarial: string;

  beforeAll(async () => {
    const dir = tempProject();
    writeFileSync(join(dir, "picofun.toml"), ['namespace = "orders"', `spec = "${ORDERS_SPEC}"`, "[stepfunctions]", "example = true"].join("\n"));
    await generate({ cwd: dir });
    out = join(dir, "output");
    const adv = tempProject();
    await generate({ cwd: adv, overrides: { namespace: "evil", spec: ADVERSARIAL, outputDir: join(adv, "output") } });
    adversarial = join(adv, "output");
  });

  it("plans with step_functions_tasks, invoke_policy_json and the example state machine and its role", async () => {
    const tf = await checkTerraform(out);
    expect(tf.codes, `${tf.init}\n${tf.validate}\n${tf.fmt}\n${tf.plan}`).toEqual([0, 0, 0, 0]);
    const names = functionNames(out);
    const tasks = tf.outputChanges.step_functions_tasks;
    expect(tasks).toBeDefined();
    // Keys known at plan time (the function names); the values wait for the ARNs.
    expect(Object.keys(tasks.after_unknown as Record<string, unknown>).sort()).toEqual(names);
    expect(tf.outputChanges.invoke_policy_json).toBeDefined();
    expect(tf.outputChanges.example_state_machine_arn).toBeDefined();
    const machine = planned(tf, "module.generated.aws_sfn_state_machine.example");
    expect(machine?.values.name).toBe("orders-example");
    const role = planned(tf, "module.generated.aws_iam_role.step_functions_example");
    expect(role?.values.name).toBe("pf-orders-sfn-example");
    expect(planned(tf, "module.generated.aws_iam_role_policy.step_functions_example")).toBeDefined();
  });

  it("with ARNs known (a mocked provider in terraform test), the outputs hold the real ARNs and exactly these functions", async () => {
    const root = rootModule(out);
    writeFileSync(
      join(root, "outputs.tftest.hcl"),
      `mock_provider "aws" {
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{}" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_region" {
    defaults = { name = "eu-west-1", id = "eu-west-1" }
  }
}

# The module reads the account id from the role's ARN; the functions keep the mock's random ARNs.
override_resource {
  target = module.generated.aws_iam_role.lambda
  values = { arn = "arn:aws:iam::123456789012:role/pf-orders" }
}

override_resource {
  target = module.generated.aws_iam_role.step_functions_example
  values = { arn = "arn:aws:iam::123456789012:role/pf-orders-sfn-example" }
}

override_resource {
  target = module.generated.aws_lambda_layer_version.runtime
  values = { arn = "arn:aws:lambda:eu-west-1:123456789012:layer:orders-picorun:1" }
}

run "outputs" {
  command = apply

  assert {
    condition     = length(output.step_functions_tasks) == ${functionNames(out).length}
    error_message = "one task per function"
  }

  assert {
    condition     = alltrue([for name, t in output.step_functions_tasks : jsondecode(t).Parameters.FunctionName == output.function_arns[name]])
    error_message = "each task invokes its own function's ARN"
  }

  assert {
    condition     = toset(jsondecode(output.invoke_policy_json).Statement[0].Resource) == toset(flatten([for arn in values(output.function_arns) : [arn, "\${arn}:*"]]))
    error_message = "the policy names exactly the functions and their versions"
  }

  assert {
    condition     = jsondecode(output.invoke_policy_json).Statement[0].Action == "lambda:InvokeFunction"
    error_message = "invoke only"
  }
}
`,
    );
    const init = await terraform(["init", "-input=false", "-backend=false"], root);
    expect(init.code, init.out).toBe(0);
    const test = await terraform(["test"], root);
    expect(test.code, test.out).toBe(0);
    expect(test.out).toMatch(/1 passed, 0 failed/);
  });

  it("templatefile fills in the ARN and leaves spec text alone, for every task and the example", async () => {
    const root = mkdtempSync(join(tmpdir(), "picofun-tf-sfn-"));
    writeFileSync(
      join(root, "main.tf"),
      [
        ...FAKE_PROVIDER_LINES,
        "}",
        "",
        'output "tasks" {',
        `  value = { for f in fileset("${adversarial}/stepfunctions", "*.json") : trimsuffix(f, ".json") => jsondecode(templatefile("${adversarial}/stepfunctions/\${f}", { function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:\${trimsuffix(f, ".json")}" })) }`,
        "}",
        "",
        'output "example" {',
        `  value = jsondecode(templatefile("${out}/stepfunctions/example/definition.asl.json", { first_function_arn = "${ARN("a")}", second_function_arn = "${ARN("b")}" }))`,
        "}",
        "",
      ].join("\n"),
    );
    const init = await terraform(["init", "-input=false", "-backend=false"], root);
    expect(init.code, init.out).toBe(0);
    const plan = await terraform(["plan", "-refresh=false", "-input=false", "-lock=false", "-out=tfplan"], root);
    expect(plan.code, plan.out).toBe(0);
    const show = await terraform(["show", "-json", "tfplan"], root);
    const outputs = (JSON.parse(show.out) as { planned_values: { outputs: Record<string, { value: unknown }> } }).planned_values.outputs;
    const tasks = outputs.tasks.value as Record<string, State>;
    const names = functionNames(adversarial);
    expect(Object.keys(tasks).sort()).toEqual(names);
    for (const name of names) {
      // Terraform's reading is the CDK's reading: the same state with the same ARN.
      expect(tasks[name], name).toEqual(task(adversarial, name));
      expect(aslErrors(oneStateMachine(name, tasks[name]))).toBe("");
    }
    expect(JSON.stringify(tasks)).toContain("${file(");
    const example = outputs.example.value as Record<string, unknown>;
    expect(aslErrors(example)).toBe("");
    expect(example).toEqual(
      fillPlaceholders(readFileSync(join(out, "stepfunctions", "example", "definition.asl.json"), "utf8"), {
        first_function_arn: ARN("a"),
        second_function_arn: ARN("b"),
      }),
    );
  });
});
