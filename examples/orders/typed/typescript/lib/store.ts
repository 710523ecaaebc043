/** An in-memory order store shared by the order handlers (use DynamoDB or a database in production). */
import { nanoid } from "nanoid";
import type { NewOrder, Order } from "../../output/handlers_glue/picofun_api/models";

export const ORDERS = new Map<string, Order>();

/** Stores a new order, open, under a short random id. */
export function add(order: NewOrder): Order {
  const stored: Order = { id: "o-" + nanoid(10), customer: order.customer, items: order.items, status: "open" };
  ORDERS.set(stored.id, stored);
  return stored;
}
