/** listOrders: GET /orders */
import type { ListOrdersRequest, ListOrdersResult } from "../output/handlers_glue/picofun_api/ops/listOrders";
import { ORDERS } from "./lib/store";

/** The orders, filtered by status, at most `limit` of them. */
export async function handle(request: ListOrdersRequest): Promise<ListOrdersResult> {
  const wanted = request.status;
  const orders = [...ORDERS.values()].filter((o) => !wanted || wanted.includes(o.status));
  return orders.slice(0, request.limit ?? 100);
}
