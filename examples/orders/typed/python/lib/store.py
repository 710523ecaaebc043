"""An in-memory order store shared by the order handlers (use DynamoDB or a database in production)."""

from __future__ import annotations

import shortuuid

from picofun_api.models import NewOrder, Order

ORDERS: dict[str, Order] = {}


def add(new: NewOrder) -> Order:
    """Stores a new order, open, under a short random id."""
    order: Order = {
        "id": "o-" + shortuuid.ShortUUID().random(length=10),
        "customer": new["customer"],
        "items": new["items"],
        "status": "open",
    }
    ORDERS[order["id"]] = order
    return order
