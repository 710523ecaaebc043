import { HTTP_METHODS } from "../../model/types.js";
import { LAMBDA_NAME_MAX } from "../../naming/functionName.js";
import { shortHash } from "../../util/hash.js";

/** One operation of the document, found by walking `paths`. */
export interface OperationRef {
  method: string;
  path: string;
  /** The operation object (as found in the document). */
  op: Record<string, unknown>;
  /** The operationId written in the document, if any. */
  declaredId?: string;
}

/** Every operation of `doc.paths`, in (path, method) order. Path items given as `$ref` are skipped. */
export function listOperations(doc: Record<string, unknown>): OperationRef[] {
  const paths = (doc.paths ?? {}) as Record<string, unknown>;
  const out: OperationRef[] = [];
  for (const path of Object.keys(paths).sort()) {
    const item = paths[path];
    if (!item || typeof item !== "object") continue;
    for (const method of HTTP_METHODS) {
      const op = (item as Record<string, unknown>)[method];
      if (!op || typeof op !== "object") continue;
      const id = (op as Record<string, unknown>).operationId;
      out.push({ method, path, op: op as Record<string, unknown>, declaredId: typeof id === "string" && id ? id : undefined });
    }
  }
  return out;
}

function pascal(word: string): string {
  return word
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join("");
}

/**
 * An operationId made from method and path: `GET /pets/{petId}/toys` -> `getPetsByPetIdToys`.
 * The root path gives `getRoot`.
 */
export function idFromPath(method: string, path: string): string {
  const parts = path
    .split("/")
    .filter(Boolean)
    .map((seg) => {
      const param = /^\{([^}]+)\}$/.exec(seg);
      return param ? `By${pascal(param[1].replace(/\+$/, ""))}` : pascal(seg);
    });
  return `${method.toLowerCase()}${parts.join("") || "Root"}`;
}

/**
 * operationIds for every operation: declared ones are kept, missing ones are made from
 * method and path, unique within the spec (a number is added on a clash). Keyed by "METHOD path".
 */
export function assignOperationIds(ops: OperationRef[]): Map<string, string> {
  const taken = new Set(ops.map((o) => o.declaredId).filter((x): x is string => !!x));
  const out = new Map<string, string>();
  for (const o of ops) {
    let id = o.declaredId;
    if (!id) {
      const base = idFromPath(o.method, o.path);
      id = base;
      for (let n = 2; taken.has(id); n++) id = `${base}${n}`;
      taken.add(id);
    }
    out.set(opKey(o.method, o.path), id);
  }
  return out;
}

export function opKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${path}`;
}

export interface OperationNames {
  /** File stem of the handler stub and Lambda handler module: [A-Za-z0-9_], never a Windows device name. */
  module: string;
  /** `{namespace}_{module}`, at most 64 characters. */
  functionName: string;
}

/** Names Windows keeps for devices, whatever the case or extension (`nul.py` cannot be created there). */
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;

/** Added to a module stem Windows reserves: `CON` -> `CON_op` (the function keeps the name `{namespace}_CON`). */
export const DEVICE_SUFFIX = "_op";

export function isWindowsDeviceName(stem: string): boolean {
  return WINDOWS_DEVICE.test(stem);
}

/**
 * Names functions after operationIds: anything Lambda or a module name cannot hold becomes `_`,
 * a name too long for 64 characters is cut with a short hash, and names stay unique ignoring case.
 * Modules that would be Windows device names get DEVICE_SUFFIX.
 * Input order must be deterministic (listOperations order).
 */
export function nameOperations(ids: string[], namespace: string): Map<string, OperationNames> {
  const room = LAMBDA_NAME_MAX - namespace.length - 1;
  const taken = new Set<string>();
  const out = new Map<string, OperationNames>();
  for (const id of ids) {
    let base = id.replace(/[^A-Za-z0-9_]/g, "_").replace(/_+/g, "_").replace(/^_+|_+$/g, "") || "op";
    if (/^[0-9]/.test(base)) base = `op_${base}`;
    // A device name (CON, nul, Com1) is a valid function name but not a file name on Windows.
    const device = isWindowsDeviceName(base);
    let module = device ? `${base}${DEVICE_SUFFIX}` : base.length <= room ? base : `${base.slice(0, room - 5).replace(/_+$/, "")}_${shortHash(id, 4)}`;
    for (let attempt = 1; taken.has(module.toLowerCase()); attempt++) {
      const suffix = shortHash(`${id}#${attempt}`, 4);
      module = `${base.slice(0, room - suffix.length - 1).replace(/_+$/, "")}_${suffix}`;
    }
    taken.add(module.toLowerCase());
    // No module is ever a device name, so `{namespace}_CON` cannot be another operation's name.
    const functionName = device && module === `${base}${DEVICE_SUFFIX}` ? `${namespace}_${base}` : `${namespace}_${module}`;
    out.set(id, { module, functionName });
  }
  return out;
}
