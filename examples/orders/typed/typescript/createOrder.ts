/** createOrder: POST /orders */
import * as runtime from "../output/handlers_glue/picofun_api/runtime";
import type { CreateOrderRequest, CreateOrderResult } from "../output/handlers_glue/picofun_api/ops/createOrder";
import { add } from "./lib/store";

/** Creates the order; the spec declares 201, so the model is sent with 201. */
export async function handle(request: CreateOrderRequest): Promise<CreateOrderResult> {
  if (!request.body.customer.trim()) throw new runtime.HttpError(400, { message: "customer is empty" });
  return add(request.body);
}
