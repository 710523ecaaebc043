/** getOrder: GET /orders/{orderId} */
import * as runtime from "../output/handlers_glue/picofun_api/runtime";
import type { GetOrderRequest, GetOrderResult } from "../output/handlers_glue/picofun_api/ops/getOrder";
import { ORDERS } from "./lib/store";

/** One order, or the spec's 404 with its Problem body. */
export async function handle(request: GetOrderRequest): Promise<GetOrderResult> {
  const order = ORDERS.get(request.orderId);
  if (!order) throw new runtime.HttpError(404, { title: `no order ${request.orderId}`, status: 404 });
  return order;
}
