/** An in-memory order store shared by the order handlers (in production: DynamoDB or a database; each Lambda instance has its own memory). */
import { customAlphabet } from "nanoid";
import type { NewOrder, Order } from "../../output/handlers_glue/picofun_api/models";

// Kept on globalThis: each function is bundled on its own, so a module-level Map would be one per
// function; picofun serve runs them in one Node.js process, where this one is shared.
const shared = globalThis as typeof globalThis & { ordersStore?: Map<string, Order> };
export const ORDERS: Map<string, Order> = (shared.ordersStore ??= new Map<string, Order>());

// Letters and digits only: the spec's orderId pattern is ^[A-Za-z0-9-]+$ (nanoid's default alphabet has "_").
const orderId = customAlphabet("0123456789abcdefghijklmnopqrstuvwxyz", 10);

/** Stores a new order, open, under a short random id. */
export function add(order: NewOrder): Order {
  const stored: Order = { id: "o-" + orderId(), customer: order.customer, items: order.items, status: "open" };
  ORDERS.set(stored.id, stored);
  return stored;
}
