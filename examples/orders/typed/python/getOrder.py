"""getOrder: GET /orders/{orderId}"""

from __future__ import annotations

from lib import store
from picofun_api import runtime
from picofun_api.ops.op_getOrder import GetOrderRequest, GetOrderResult


def handle(request: GetOrderRequest) -> GetOrderResult:
    """One order, or the spec's 404 with its Problem body."""
    order = store.ORDERS.get(request.order_id)
    if order is None:
        raise runtime.HttpError(404, {"title": f"no order {request.order_id}", "status": 404})
    return order
