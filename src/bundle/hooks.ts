import type { PicofunConfig } from "../config/types.js";
import { UserError } from "../util/errors.js";
import { runPython3 } from "./python3.js";

/**
 * Checks each hook reference in a python3 that sees only the standard library and `paths`
 * (the bundle, its installed requirements, the picorun runtime), the way the Lambda layer
 * will. Prints one JSON object per reference: {"ref", "status", "reason"} where status is
 * ok, error, missing (module not found) or unverified (only its source could be checked).
 */
const CHECK_SCRIPT = String.raw`
import ast, importlib, importlib.util, json, sys
request = json.loads(sys.argv[1])
sys.path[:0] = request["paths"]
LAMBDA_PROVIDED = {"boto3", "botocore", "s3transfer", "jmespath", "dateutil", "urllib3", "awslambdaric"}

def top_level_names(origin):
    with open(origin, encoding="utf-8") as f:
        tree = ast.parse(f.read(), origin)
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return names

def source_only(spec, module, attribute, why):
    if spec.origin and spec.origin.endswith(".py"):
        if attribute.split(".")[0] in top_level_names(spec.origin):
            return "unverified", why + "; its source defines " + repr(attribute)
        return "error", "module " + repr(module) + " does not define " + repr(attribute)
    return "unverified", why

def check(reference):
    text = reference.strip()
    if ":" in text:
        module, _, attribute = text.partition(":")
    else:
        module, _, attribute = text.rpartition(".")
    if not module or not attribute:
        return "error", "expected package.module.function"
    try:
        spec = importlib.util.find_spec(module)
    except ModuleNotFoundError as exc:
        return "missing", "no module named " + repr(exc.name)
    except Exception as exc:
        return "error", "importing the package of " + repr(module) + " raised " + type(exc).__name__ + ": " + str(exc)
    if spec is None:
        return "missing", "no module named " + repr(module)
    try:
        target = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        name = exc.name or "?"
        if name.split(".")[0] in LAMBDA_PROVIDED:
            return source_only(spec, module, attribute, "it imports " + repr(name) + ", which Lambda provides but this machine's python3 does not")
        return "error", repr(module) + " imports " + repr(name) + ", which is neither in the bundle nor in its requirements.txt"
    except SyntaxError as exc:
        return "error", "syntax error in " + str(exc.filename) + " line " + str(exc.lineno) + ": " + str(exc.msg)
    except ImportError as exc:
        return source_only(spec, module, attribute, "it cannot be imported on this machine (" + str(exc) + ")")
    except BaseException as exc:
        return "error", "importing " + repr(module) + " raised " + type(exc).__name__ + ": " + str(exc)
    for part in attribute.split("."):
        if not hasattr(target, part):
            return "error", "module " + repr(module) + " has no " + repr(attribute)
        target = getattr(target, part)
    if not callable(target):
        return "error", repr(attribute) + " in " + repr(module) + " is not callable"
    return "ok", ""

for reference in request["refs"]:
    try:
        status, reason = check(reference)
    except BaseException as exc:
        status, reason = "error", type(exc).__name__ + ": " + str(exc)
    print(json.dumps({"ref": reference, "status": status, "reason": reason.replace("\n", " ")}))
`;

interface Outcome {
  ref: string;
  status: "ok" | "error" | "missing" | "unverified";
  reason: string;
}

/**
 * Makes sure every `preprocessor`/`postprocessor` reference can be imported from the bundle
 * (plus its installed requirements and the picorun runtime) and names a callable, so a typo
 * fails here rather than on the first call in AWS. Returns warnings for what could not be
 * checked (no python3, a module that may come from one of `layers`).
 */
export async function checkHooks(config: PicofunConfig, paths: string[]): Promise<string[]> {
  const hooks = (["preprocessor", "postprocessor"] as const)
    .map((key) => ({ key, ref: config[key] }))
    .filter((h): h is { key: "preprocessor" | "postprocessor"; ref: string } => !!h.ref);
  if (!hooks.length) return [];
  const refs = [...new Set(hooks.map((h) => h.ref))];
  const res = await runPython3(["-I", "-S", "-B", "-c", CHECK_SCRIPT, JSON.stringify({ paths, refs })]);
  if (res === "missing") {
    return [`python3 not found: ${refs.join(", ")} not checked; make sure the bundle provides ${refs.length > 1 ? "them" : "it"}`];
  }
  const outcomes = new Map<string, Outcome>();
  for (const line of res.stdout.split("\n")) {
    // The user's module may print at import time: keep only our own result lines.
    if (!line.startsWith('{"ref": ')) continue;
    try {
      const o = JSON.parse(line) as Outcome;
      if (refs.includes(o.ref)) outcomes.set(o.ref, o);
    } catch {
      // not ours
    }
  }
  const warnings: string[] = [];
  for (const { key, ref } of hooks) {
    const o = outcomes.get(ref);
    if (!o) {
      const why = res.stderr.trim().split("\n").pop() ?? `python3 exited ${res.code}`;
      throw new UserError(`${key} "${ref}" could not be checked: ${why}`);
    }
    if (o.status === "ok") continue;
    if (o.status === "unverified") {
      warnings.push(`${key} "${ref}" checked from its source only: ${o.reason}`);
      continue;
    }
    if (o.status === "missing") {
      const where = config.bundle ? `the bundle ${config.bundle}` : "the layer (no bundle is set: add bundle = \"<folder>\" to picofun.toml or use --bundle)";
      if (config.layers.length) {
        warnings.push(`${key} "${ref}" is not in ${config.bundle ? "the bundle" : "a bundle"} (${o.reason}); make sure one of your layers provides it`);
        continue;
      }
      throw new UserError(`${key} "${ref}" cannot be imported from ${where}: ${o.reason}`);
    }
    throw new UserError(`${key} "${ref}" cannot be used: ${o.reason}`);
  }
  return warnings;
}
