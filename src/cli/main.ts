import { Command } from "commander";
import type { GlobalFlags } from "./options.js";
import { applyHelpExamples } from "./examples.js";
import { applyParserErrors } from "./parserErrors.js";
import { runSafely } from "./run.js";

const VERSION = "0.1.0";

function withGenerateOptions(cmd: Command): Command {
  return cmd
    .option("-c, --config <file>", "configuration file (default: picofun.toml)")
    .option("--config-file <file>", "same as --config")
    .option("-o, --output-dir <dir>", "where to write the generated files")
    .option("--layers <arns>", "comma separated Lambda layer ARNs for every function")
    .option("--bundle <dir>", "folder of your own code to add to the layer")
    .option("--server-url <url>", "API base URL (wins over [server] in picofun.toml)")
    .option("--kind <kind>", "client (call an API) or api (serve one through API Gateway)")
    .option("--iac <name>", "infrastructure as code to write: terraform (default) or cdk")
    .option("--tf", "same as --iac terraform (the Python PicoFun's flag)")
    .option("--cdk", "same as --iac cdk (the Python PicoFun's flag)")
    .option("--format <format>", "openapi3 or swagger2: the Python PicoFun's flag, checked against the document")
    .option("--update-spec", "api kind: write operationIds and API Gateway integrations back into the spec file")
    .option("--strict", "api kind: operations the spec leaves open (no security) are an error, not a warning")
    .option("-y, --yes", "never ask; use flags and defaults")
    .option("-f, --force", "overwrite generated files edited by hand")
    .option("--debug", "show stack traces");
}

/** Builds the command tree. Each action imports its module only when it runs, so --help stays fast. */
export function buildProgram(): Command {
  const program = new Command("picofun")
    .description("Turn an OpenAPI document into AWS Lambda functions and the Terraform that deploys them")
    .version(VERSION)
    .showHelpAfterError("(run picofun --help for usage)")
    .enablePositionalOptions(false)
    .argument("[namespace]", "prefix of every generated name (default: namespace in picofun.toml)")
    .argument("[spec]", "OpenAPI document, a path or an http(s) URL (default: spec in picofun.toml)");
  withGenerateOptions(program).action(async (namespace: string | undefined, spec: string | undefined, flags: GlobalFlags) => {
    await runSafely(async () => {
      const { generateCommand } = await import("./commands/generate.js");
      await generateCommand(namespace, spec, flags);
    }, !!flags.debug);
  });

  withGenerateOptions(
    program
      .command("generate")
      .description("generate everything from picofun.toml (or the given namespace and spec)")
      .argument("[namespace]")
      .argument("[spec]"),
  ).action(async (namespace: string | undefined, spec: string | undefined, _opts: GlobalFlags, cmd: Command) => {
    const flags = cmd.optsWithGlobals<GlobalFlags>();
    await runSafely(async () => {
      const { generateCommand } = await import("./commands/generate.js");
      await generateCommand(namespace, spec, flags);
    }, !!flags.debug);
  });

  program
    .command("init")
    .description("create a picofun project: ask questions (or take flags with --yes), write picofun.toml and generate")
    .argument("[dir]", "project folder (default: the namespace)")
    .option("--spec <path|url>", "OpenAPI document")
    .option("--namespace <name>", "prefix of every generated name (default: from the spec's title)")
    .option("--runtime <runtime>", "Lambda runtime (client: python3.14/3.13/3.12/3.11; api: python3.x, nodejs24.x, nodejs22.x)")
    .option("--language <style>", "api kind: handlers typed in python or typescript (the runtime's; default), or untyped")
    .option("--endpoints <selectors>", "comma separated: operationId, \"GET /path\", a path glob or tag:NAME (default: all)")
    .option("--no-auth", "no automatic authentication")
    .option("--auth-ttl <minutes>", "how long credentials are cached (default: 5)")
    .option("--vpc-id <id>", "VPC to run the functions in (with --subnets)")
    .option("--subnets <ids>", "comma separated subnet ids")
    .option("--tag <key=value>", "tag on every resource (repeatable)", (v: string, prev: string[] = []) => [...prev, v])
    .option("--kind <kind>", "client (call an API) or api (serve one through API Gateway)")
    .option("--layers <arns>", "comma separated Lambda layer ARNs for every function")
    .option("-o, --output-dir <dir>", "where generated files go (default: <dir>/output)")
    .option("--server-url <url>", "API base URL (for specs without servers)")
    .option("-y, --yes", "never ask; use flags and defaults")
    .option("-f, --force", "write into a folder that is not empty (picofun's own files only)")
    .option("--debug", "show stack traces")
    .action(async (dir: string | undefined, _opts: unknown, cmd: Command) => {
      const flags = cmd.optsWithGlobals<GlobalFlags & Record<string, unknown>>();
      await runSafely(async () => {
        const { initCommand } = await import("./commands/init.js");
        await initCommand(dir, flags);
      }, !!flags.debug);
    });

  const templates = program.command("templates").description("list the bundled templates, or copy them into template_path to customise");
  templates
    .command("list")
    .description("list the bundled templates (and which ones template_path overrides)")
    .option("-c, --config <file>", "configuration file (default: picofun.toml)")
    .option("--debug", "show stack traces")
    .action(async (opts: { config?: string; debug?: boolean }) => {
      await runSafely(async () => {
        const { templatesList } = await import("./commands/templates.js");
        await templatesList(opts);
      }, !!opts.debug);
    });
  templates
    .command("eject")
    .description("copy bundled templates (all, or the named files or folders) into template_path; existing files are kept")
    .argument("[name...]", 'template names such as client/handler.py.hbs, or folders such as client/terraform (default: the project kind\'s)')
    .option("--all", "every bundled template, whatever the project's kind")
    .option("-c, --config <file>", "configuration file (default: picofun.toml)")
    .option("--debug", "show stack traces")
    .action(async (names: string[], opts: { config?: string; all?: boolean; debug?: boolean }) => {
      await runSafely(async () => {
        const { templatesEject } = await import("./commands/templates.js");
        await templatesEject(names, opts);
      }, !!opts.debug);
    });

  program
    .command("lint")
    .description("check a spec against API Gateway's import limitations (exit 1 on errors)")
    .argument("<spec>", "OpenAPI document, a path or an http(s) URL")
    .option("--format <format>", "text or json (default: text)")
    .option("--debug", "show stack traces")
    .action(async (spec: string, opts: { format?: string; debug?: boolean }, cmd: Command) => {
      await runSafely(async () => {
        const { lintCommand } = await import("./commands/lint.js");
        // The program's own --format (the Python PicoFun's flag) takes the option when it is parsed first.
        await lintCommand(spec, { ...opts, format: opts.format ?? (cmd.parent?.opts().format as string | undefined) });
      }, !!opts.debug);
    });

  withGenerateOptions(
    program
      .command("sync")
      .description("generate, and with --watch regenerate each time the spec is saved (handler stubs are never touched)")
      .argument("[namespace]")
      .argument("[spec]")
      .option("-w, --watch", "keep running and regenerate on every save")
      .option("--debounce <ms>", "wait this long after a save before regenerating", "300"),
  ).action(async (namespace: string | undefined, spec: string | undefined, _opts: unknown, cmd: Command) => {
    const flags = cmd.optsWithGlobals<GlobalFlags & { watch?: boolean; debounce?: string }>();
    await runSafely(async () => {
      const { syncCommand } = await import("./commands/sync.js");
      await syncCommand(namespace, spec, flags);
    }, !!flags.debug);
  });

  program
    .command("serve")
    .description("api kind: run the REST API on this machine (handlers in worker processes, hot reload) until Ctrl+C")
    .option("-p, --port <port>", "port to listen on", "3000")
    .option("--host <host>", "address to listen on", "127.0.0.1")
    .option("--api-key <key>", "an accepted x-api-key value (repeatable; default: $PICOFUN_API_KEY or a random key)", (v: string, prev: string[] = []) => [...prev, v])
    .option("--no-watch", "do not regenerate when the spec is saved")
    .option("--workers <n>", "most Python worker processes, each one request at a time like a Lambda instance (default 8)")
    .option("-c, --config <file>", "configuration file (default: picofun.toml)")
    .option("--debug", "show stack traces")
    .action(async (_opts: unknown, cmd: Command) => {
      const flags = cmd.optsWithGlobals<GlobalFlags & { port?: string; host?: string; apiKey?: string[]; watch?: boolean; workers?: string }>();
      await runSafely(async () => {
        const { serveCommand } = await import("./commands/serve.js");
        await serveCommand(flags);
      }, !!flags.debug);
    });

  const collect = (v: string, prev: string[] = []) => [...prev, v];
  program
    .command("invoke")
    .description("run one function locally and print its result as JSON (client: the event; api: a proxy event from --method/--path/...)")
    .argument("[selector]", 'operationId or "METHOD /path" (- reads the event from stdin)')
    .argument("[stdin]", "- to read the event from stdin")
    .option("--event <json>", "the event, as JSON")
    .option("--event-file <file>", "read the event from a file (see picofun events)")
    .option("--timeout <seconds>", "the function's deadline (default: timeout in picofun.toml)")
    .option("--server-url <url>", "client kind: call this base URL (a mock or staging server) instead of the generated one")
    .option("--method <method>", "api kind: HTTP method")
    .option("--path <path>", "api kind: request path, e.g. /orders/o-1")
    .option("--query <name=value>", "api kind: query parameter (repeatable)", collect)
    .option("--header <name:value>", "api kind: header (repeatable)", collect)
    .option("--body <text>", "api kind: request body")
    .option("-c, --config <file>", "configuration file (default: picofun.toml)")
    .option("--debug", "show stack traces")
    .action(async (selector: string | undefined, stdin: string | undefined, _opts: unknown, cmd: Command) => {
      const flags = cmd.optsWithGlobals<GlobalFlags & Record<string, any>>();
      await runSafely(async () => {
        const { invokeCommand } = await import("./commands/invoke.js");
        await invokeCommand(selector, stdin, flags);
      }, !!flags.debug);
    });

  program
    .command("events")
    .description("write an example event per function into events/ (existing files are kept)")
    .argument("[selector...]", 'operationId, "METHOD /path", a path glob or tag:NAME (default: every function)')
    .option("-c, --config <file>", "configuration file (default: picofun.toml)")
    .option("--debug", "show stack traces")
    .action(async (selectors: string[], _opts: unknown, cmd: Command) => {
      const flags = cmd.optsWithGlobals<GlobalFlags>();
      await runSafely(async () => {
        const { eventsCommand } = await import("./commands/events.js");
        await eventsCommand(selectors, flags);
      }, !!flags.debug);
    });

  registerEndpointCommands(program);

  program
    .command("doctor")
    .description("check this machine for what picofun writes: Node, Python, pip, terraform and its AWS provider, the CDK CLI")
    .option("-c, --config <file>", "judge against this configuration file (default: picofun.toml, if there is one)")
    .option("--offline", "skip the checks that use the network (pip download, registry.terraform.io)")
    .option("--debug", "show stack traces")
    .action(async (_opts: unknown, cmd: Command) => {
      const flags = cmd.optsWithGlobals<{ config?: string; offline?: boolean; debug?: boolean }>();
      await runSafely(async () => {
        const { doctorCommand } = await import("./commands/doctor.js");
        await doctorCommand(flags);
      }, !!flags.debug);
    });

  program
    .command("completion")
    .description("print a shell completion script (bash, zsh or fish)")
    .argument("<shell>", "bash, zsh or fish")
    .option("--debug", "show stack traces")
    .action(async (shell: string, opts: { debug?: boolean }) => {
      await runSafely(async () => {
        const { completionCommand } = await import("./commands/completion.js");
        completionCommand(shell, program);
      }, !!opts.debug);
    });

  return program;
}

/** `add endpoint`, `remove endpoint` (alias rm), `list endpoints`: see docs/endpoints.md. */
function registerEndpointCommands(program: Command): void {
  const selectorHelp = 'operationId, "METHOD /path", a path glob with * and ** (optionally after a method), or tag:NAME';
  const add = program.commands.find((c) => c.name() === "add") ?? program.command("add").description("add something to the project");
  withGenerateOptions(
    add
      .command("endpoint")
      .alias("endpoints")
      .description("add endpoints to the allowlist and generate them (no selector: search prompt)")
      .argument("[selector...]", selectorHelp),
  ).action(async (selectors: string[], _opts: GlobalFlags, cmd: Command) => {
    const flags = cmd.optsWithGlobals<GlobalFlags>();
    await runSafely(async () => {
      const { addEndpointCommand } = await import("./commands/endpoints.js");
      await addEndpointCommand(selectors, flags);
    }, !!flags.debug);
  });

  const remove =
    program.commands.find((c) => c.name() === "remove") ??
    program.command("remove").alias("rm").description("remove something from the project");
  withGenerateOptions(
    remove
      .command("endpoint")
      .alias("endpoints")
      .description("remove endpoints from the allowlist; their files go")
      .argument("<selector...>", selectorHelp),
  ).action(async (selectors: string[], _opts: GlobalFlags, cmd: Command) => {
    const flags = cmd.optsWithGlobals<GlobalFlags>();
    await runSafely(async () => {
      const { removeEndpointCommand } = await import("./commands/endpoints.js");
      await removeEndpointCommand(selectors, flags);
    }, !!flags.debug);
  });

  const list = program.commands.find((c) => c.name() === "list") ?? program.command("list").description("show what the project holds");
  list
    .command("endpoints")
    .alias("endpoint")
    .description("method, path, operationId, tags, function name, and whether it is generated")
    .option("-c, --config <file>", "configuration file (default: picofun.toml)")
    .option("--config-file <file>", "same as --config")
    .option("--json", "machine-readable output")
    .option("--debug", "show stack traces")
    .action(async (_opts: GlobalFlags, cmd: Command) => {
      const flags = cmd.optsWithGlobals<GlobalFlags & { json?: boolean }>();
      await runSafely(async () => {
        const { listEndpointsCommand } = await import("./commands/endpoints.js");
        await listEndpointsCommand(flags);
      }, !!flags.debug);
    });
}

export async function run(argv: string[]): Promise<void> {
  const program = buildProgram();
  applyParserErrors(program);
  applyHelpExamples(program);
  await program.parseAsync(argv);
}
