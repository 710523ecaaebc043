/**
 * Keys from a spec's values (parameter names, tags) put on plain objects: `obj[key] = value`
 * with the key `__proto__` sets the object's prototype instead, and the key is gone from its
 * JSON. These helpers make every such key an own, enumerable property.
 */

/** Sets `key` on `target` as an own, enumerable property, `__proto__` included. */
export function setOwn(target: object, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else (target as Record<string, unknown>)[key] = value;
}
