"""A page of a shop's orders run queued for import: one exchange per order state not received yet, and one job
importing them together."""

from ..protocol import serialize
from ..protocol.base import iso
from .states import state_key

ORDER_KIND = "shop.order"


def queue_order_page(sale_orders, backend, orders):
    """Log each of ``orders`` (a page read from ``backend``'s shop) as an exchange, unless that state of the
    order was received already (the run's overlap re-reads recent ones), and queue one job importing the new
    ones (logged together); returns how many were queued. Runs in the environment of ``sale_orders``."""
    env = sale_orders.env
    by_state = {state_key(order.remote_id, order.status, iso(order.updated_at or order.created_at)): order
                for order in orders}
    Exchange = env["b2b.exchange"].sudo()
    known = set(Exchange.search([
        ("kind", "=", ORDER_KIND), ("direction", "=", "in"), ("parent_id", "=", False),
        ("backend_ref", "=", f"{backend._name},{backend.id}"), ("external_id", "in", list(by_state)),
    ]).mapped("external_id"))
    page = Exchange._b2b_log_batch(ORDER_KIND, [
        {"external_id": external_id, "payload": serialize.dumps(order, indent=1),
         "filename": f"order_{order.number or order.remote_id}.json", "mimetype": "application/json",
         "protocol": backend._platform_label(),
         "summary": env._("Order %(number)s (%(status)s)", number=order.number or order.remote_id,
                          status=order.status)}
        for external_id, order in by_state.items() if external_id not in known],
        direction="in", backend=backend, process=("sale.order", "_b2b_shop_import_order"))
    if page:
        sale_orders._b2b_shop_enqueue_page(page)
    return len(page)
