"""The access matrix of the carriers' shared base: the connection of a delivery method (B2B Managers who also
manage delivery methods) and what a booking leaves on a delivery (read by whoever reads the delivery, written by
the booking only) (see b2b_connector_base/tests/access_matrix.py; docs/SECURITY.md prints it)."""

from odoo.tests import TransactionCase, tagged

from odoo.addons.b2b_connector_base.tests.access_matrix import AccessMatrixMixin, Fixture

MATRIX = {
    "addon": "b2b_delivery_carrier",
    "title": "Carriers (b2b_delivery_carrier)",
    "roles": ("internal", "sales", "stock", "stock_manager", "b2b_user", "b2b_manager", "b2b_manager_stock",
              "portal"),
    "models": (
        # Odoo's rights on delivery methods (delivery, stock_delivery): read by sales and stock users, managed by
        # inventory administrators; ours adds none
        # model              companies         internal sales  stock   stock_mgr b2b_user b2b_mgr mgr+stock portal
        ("delivery.carrier", "company+shared", "----",  "r---", "r---", "rwcu",   "----",  "----", "rwcu",   "----"),
    ),
    "fields": (
        # model, what, fields,                     internal sales stock stock_mgr b2b_user b2b_mgr mgr+stock portal
        ("delivery.carrier", "Carrier password and API key (masked)", ("b2b_carrier_password", "b2b_carrier_api_key"),
         "--", "--", "--", "--", "--", "--", "mw", "--"),
        ("delivery.carrier", "Their ciphertext (written by code only)",
         ("b2b_carrier_password_enc", "b2b_carrier_api_key_enc"),
         "--", "--", "--", "--", "--", "--", "r-", "--"),
        ("delivery.carrier", "Account, endpoints, label format, tracking e-mail", (
            "b2b_carrier_account", "b2b_carrier_test_url", "b2b_carrier_production_url", "b2b_carrier_label_format",
            "b2b_carrier_tracking_email"),
         "--", "--", "--", "--", "--", "--", "rw", "--"),
        ("delivery.carrier", "HTTP timeouts, retries, request limit", (
            "b2b_timeout", "b2b_connect_timeout", "b2b_retries", "b2b_rate_limit", "b2b_rate_period"),
         "--", "--", "--", "--", "--", "--", "rw", "--"),
        ("delivery.carrier", "A carrier of b2b-connect", ("b2b_is_carrier",),
         "--", "r-", "r-", "r-", "--", "--", "r-", "--"),
        ("delivery.carrier", "Exchange counts", ("b2b_exchange_count", "b2b_failed_count"),
         "--", "r-", "r-", "r-", "--", "--", "r-", "--"),
        # Odoo's tracking number stays editable (other carriers' numbers are typed); a typed one is never cancelled
        # with our carrier account, only what the booking stored in the shipment reference
        ("stock.picking", "Tracking number (Odoo's field; written by the booking)", ("carrier_tracking_ref",),
         "--", "rw", "rw", "rw", "--", "--", "rw", "r-"),
        # computed from the delivery method, which the portal does not read (Odoo's)
        ("stock.picking", "Tracking link (Odoo's field)", ("carrier_tracking_url",),
         "--", "r-", "r-", "r-", "--", "--", "r-", "--"),
        ("stock.picking", "Pickup point", ("b2b_relay_point",),
         "--", "rw", "rw", "rw", "--", "--", "rw", "r-"),
        ("stock.picking", "Shipment, carrier status, e-mail sent (written by the booking and tracking only)", (
            "b2b_carrier_shipment_ref", "b2b_carrier_status", "b2b_tracking_mail_sent"),
         "--", "r-", "r-", "r-", "--", "--", "r-", "r-"),
        ("stock.picking", "Label pending, e-mail recipient, carrier of ours", (
            "b2b_booking_pending", "b2b_tracking_partner_id", "b2b_is_carrier"),
         "--", "r-", "r-", "r-", "--", "--", "r-", "r-"),
        ("stock.picking", "Exchange counts", ("b2b_exchange_count", "b2b_failed_count"),
         "--", "r-", "r-", "r-", "--", "--", "r-", "r-"),
    ),
}


@tagged("post_install", "-at_install")
class TestCarrierAccessMatrix(AccessMatrixMixin, TransactionCase):
    MATRIX = MATRIX

    @classmethod
    def _matrix_fixtures(cls):
        # a delivery type of ours is a carrier addon's; the shared fields hold for any delivery method
        return carrier_fixtures(cls, "fixed")


def carrier_fixtures(case, delivery_type, **values):
    """Delivery methods of ``delivery_type`` of companies A, B and none (their company is their product's, Odoo's
    related field), with credentials, and a delivery of A to the portal user, who reads their own delivery
    (sale_stock's rule). Used by the carrier addons' matrices too."""
    env = case.env
    a, b = case.company_a, case.company_b
    products = env["product.product"].create([{"name": f"Matrix shipping {n}", "type": "service"} for n in range(4)])
    connection = {"b2b_carrier_account": "mx-account", "b2b_carrier_password": "mx-password",
                  "b2b_carrier_api_key": "mx-key", "b2b_carrier_test_url": "http://127.0.0.1:9", **values}
    Carrier = env["delivery.carrier"]
    carrier_a, carrier_b, shared = Carrier.create([
        dict(connection, name=f"Matrix carrier {name}", delivery_type=delivery_type, product_id=product.id,
             company_id=company.id if company else False)
        for name, product, company in (("A", products[0], a), ("B", products[1], b), ("shared", products[2], None))])
    new = {"name": "Matrix new carrier", "product_id": products[3].id, "delivery_type": delivery_type}
    portal = case.matrix_users["portal"].partner_id
    deliveries = env["stock.picking.type"].search([("code", "=", "outgoing"), ("company_id", "=", a.id)], limit=1)
    picking = env["stock.picking"].create({
        "picking_type_id": deliveries.id, "partner_id": portal.id, "carrier_id": carrier_a.id,
        "carrier_tracking_ref": "MX0001", "b2b_carrier_shipment_ref": "MX0001", "b2b_relay_point": "MX-RELAY",
        "b2b_carrier_status": "MX0001: in transit"})
    return {
        "delivery.carrier": Fixture(carrier_a, write={"name": "Matrix carrier renamed"}, create=new, b=carrier_b,
                                    create_b=dict(new, company_id=b.id), shared=shared),
        "stock.picking": Fixture(picking, create={"picking_type_id": deliveries.id, "partner_id": portal.id}),
    }
