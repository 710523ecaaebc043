"""listOrders: GET /orders"""

from __future__ import annotations

from lib import store
from picofun_api.ops.op_listOrders import ListOrdersRequest, ListOrdersResult


def handle(request: ListOrdersRequest) -> ListOrdersResult:
    """The orders, filtered by status, at most `limit` of them."""
    orders = list(store.ORDERS.values())
    if request.status:
        orders = [o for o in orders if o["status"] in request.status]
    return orders[: request.limit or 100]
