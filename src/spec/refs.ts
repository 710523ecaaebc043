import { UserError } from "../util/errors.js";

/**
 * Lazy resolution of internal `$ref`s: generation only needs a handful of objects
 * (path items, parameters, request bodies, security schemes), so refs are followed
 * on demand instead of dereferencing the whole document. Circular chains are reported
 * instead of looping.
 */
export class RefResolver {
  /** Resolved pointers: big specs refer to the same few parameters and schemas thousands of times. */
  private readonly resolved = new Map<string, unknown>();

  constructor(
    private readonly root: Record<string, unknown>,
    private readonly where: string,
  ) {}

  /** Follows `$ref` (possibly a chain) until a non-ref object is reached. */
  deref<T = Record<string, unknown>>(value: unknown): T | undefined {
    let current = value;
    const seen = new Set<string>();
    while (isRef(current)) {
      const ref = current.$ref;
      if (seen.has(ref)) throw new UserError(`${this.where}: $ref cycle with no object in it at "${ref}"`);
      seen.add(ref);
      current = this.lookup(ref);
    }
    return current as T | undefined;
  }

  lookup(ref: string): unknown {
    if (this.resolved.has(ref)) return this.resolved.get(ref);
    const node = this.resolve(ref);
    this.resolved.set(ref, node);
    return node;
  }

  private resolve(ref: string): unknown {
    if (!ref.startsWith("#")) {
      throw new UserError(`${this.where}: external $ref "${ref}" was not bundled`);
    }
    const pointer = ref.slice(1);
    if (pointer === "") return this.root;
    if (!pointer.startsWith("/")) throw new UserError(`${this.where}: invalid $ref "${ref}"`);
    let node: unknown = this.root;
    for (const raw of pointer.slice(1).split("/")) {
      const decoded = raw.includes("%") ? decodePart(raw) : raw;
      const key = decoded.includes("~") ? decoded.replace(/~1/g, "/").replace(/~0/g, "~") : decoded;
      if (node === null || typeof node !== "object" || !(key in (node as object))) {
        throw new UserError(`${this.where}: $ref "${ref}" points to nothing`);
      }
      node = (node as Record<string, unknown>)[key];
    }
    return node;
  }
}

export function isRef(value: unknown): value is { $ref: string } {
  return !!value && typeof value === "object" && typeof (value as { $ref?: unknown }).$ref === "string";
}

/** `%xx` escapes of a JSON pointer in a URI fragment; a malformed escape is kept as written. */
function decodePart(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
