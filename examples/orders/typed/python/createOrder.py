"""createOrder: POST /orders"""

from __future__ import annotations

from lib import store
from picofun_api import runtime
from picofun_api.ops.op_createOrder import CreateOrderRequest, CreateOrderResult


def handle(request: CreateOrderRequest) -> CreateOrderResult:
    """Creates the order; the spec declares 201, so the model is sent with 201."""
    if not request.body["customer"].strip():
        raise runtime.HttpError(400, {"message": "customer is empty"})
    return store.add(request.body)
