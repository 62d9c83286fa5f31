import datetime
import logging
import re
from decimal import Decimal
from urllib.parse import urlsplit

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_repr, html2plaintext
from odoo.tools.misc import format_amount, format_date, formatLang

from odoo.addons.b2b_connector_base.lib.gs1 import explain_gln, is_valid_gtin
from odoo.addons.b2b_connector_base.tools import MANAGER_GROUP

from ..protocol.dico import Order, OrderLine, Party, sequence_key
from ..tools import unit_code

_logger = logging.getLogger(__name__)

ORDER_KIND = "dico.order"
TEST_PREFIX = "TEST-"
EDI_STATES = [
    ("none", "No EDI"),
    ("pending", "To send"),
    ("sent", "Sent"),
    ("unknown", "Awaiting details"),
    ("accepted", "Confirmed"),
    ("changed", "Confirmed with changes"),
    ("rejected", "Rejected"),
    ("error", "Error"),
]


# an address in an error message (the wholesaler's endpoint is for B2B Managers only)
URL = re.compile(r"\b[a-z][a-z0-9+.-]*://[^\s'\"<>]*[^\s'\"<>.,;:)]")


def sentences(*parts):
    """The non-empty ``parts`` as sentences: each ends with one full stop (a supplier's free text or an error
    message that already ends with one gets no second)."""
    texts = (str(part).strip() for part in parts if part and str(part).strip())
    return " ".join(text if text[-1] in ".!?" else f"{text}." for text in texts)


class PurchaseOrder(models.Model):
    _name = "purchase.order"
    _inherit = ["purchase.order", "b2b.exchange.consumer.mixin"]
    _b2b_processors = ("_b2b_send_order", "_b2b_apply_order_response", "_b2b_apply_despatch_advice",
                       "_b2b_apply_invoice", "_b2b_apply_unknown")

    edi_state = fields.Selection(EDI_STATES, "EDI", default="none", readonly=True, copy=False, index=True,
                                 tracking=True)
    edi_enabled = fields.Boolean(related="partner_id.commercial_partner_id.edi_enabled", groups=MANAGER_GROUP)
    # the order response applied last: a response issued earlier (arriving later) does not replace it
    edi_response_number = fields.Char("EDI Response", readonly=True, copy=False)
    edi_response_issued = fields.Datetime("EDI Response Issued", readonly=True, copy=False,
                                          help="When the wholesaler issued the order response applied last")
    # what a buyer sees and sets without the B2B groups: whether the vendor takes orders via EDI (not how)
    edi_supplier = fields.Boolean("EDI Supplier", compute="_compute_edi_supplier",
                                  help="The vendor receives this order via EDI")
    # a field of its own: purchase_stock's dest_address_id is the dropship address, cleared on every other order
    edi_delivery_address_id = fields.Many2one(
        "res.partner", "Delivery Address", check_company=True, index="btree_not_null",
        help="Where the wholesaler delivers this order (a building site, a branch...): the order's delivery party; "
             "empty: the warehouse receiving it")
    # an analytic account of its own: the analytic distribution of the lines needs the analytic accounting group
    edi_project_id = fields.Many2one(
        "account.analytic.account", "Project", check_company=True, index="btree_not_null",
        help="The project the order is for: its reference (else its name) goes to the wholesaler as the order's "
             "project number")
    edi_error = fields.Text("EDI Error", readonly=True, copy=False,
                            help="Why the order could not be sent via EDI the last time it was tried")

    @api.depends("partner_id")
    def _compute_edi_supplier(self):
        for po in self:
            po.edi_supplier = bool(po.partner_id.commercial_partner_id.sudo().edi_enabled)

    def _prepare_grouped_data(self, rfq):
        # merging RFQs keeps those to another site or for another project apart: each is its own order
        return super()._prepare_grouped_data(rfq) + (rfq.edi_delivery_address_id.id, rfq.edi_project_id.id)

    # ------------------------------------------------------------------ out: the order
    def button_approve(self, force=False):
        result = super().button_approve(force=force)
        # whoever confirms the order has it sent over the configured connection (without reading it)
        for po in self.filtered(lambda p: p.state == "purchase"
                                and p.partner_id.commercial_partner_id.sudo().edi_enabled):
            po._edi_queue_order()
        return result

    def _edi_queue_order(self):
        self.ensure_one()
        supplier = self.partner_id.commercial_partner_id
        exchange = supplier._b2b_exchange(
            ORDER_KIND, direction="out", protocol=supplier.sudo().edi_format, record=self,
            process=("purchase.order", "_b2b_send_order"), summary=self.env._("Order %(name)s", name=self.name))
        self.edi_state = "pending"
        exchange._b2b_enqueue()
        return exchange

    def action_edi_send(self):
        self.env["res.partner"]._b2b_check_manager()
        for po in self:
            if po.state != "purchase" or not po.edi_enabled:
                raise UserError(self.env._("Only confirmed orders of EDI suppliers can be sent."))
            po._edi_queue_order()

    def _edi_reference(self):
        supplier = self.partner_id.commercial_partner_id.sudo()
        return f"{TEST_PREFIX}{self.name}" if supplier.edi_test_mode else self.name

    def _edi_project_reference(self):
        if self.edi_project_id:
            account = self.edi_project_id.sudo()
            return account.code or account.name or ""
        project = getattr(self, "project_id", False)
        if project:
            return project.display_name
        for line in self.order_line:
            for key in (line.analytic_distribution or {}):
                account = self.env["account.analytic.account"].browse(int(str(key).split(",")[0])).exists()
                if account:
                    return account.code or account.name
        return ""

    def _edi_supplier_code(self, line):
        supplier = self.partner_id.commercial_partner_id
        sellers = line.product_id.seller_ids.filtered(
            lambda s: s.partner_id.commercial_partner_id == supplier and s.product_code
            and (not s.product_id or s.product_id == line.product_id))
        return sellers[:1].product_code or ""

    def _edi_build_order(self):
        """The :class:`Order` of this purchase order; a clear error for every missing piece of data."""
        self.ensure_one()
        supplier = self.partner_id.commercial_partner_id.sudo()
        problems = []
        company_gln = self.company_id.partner_id.sudo().b2b_gln
        if not company_gln or explain_gln(company_gln):
            problems.append(self.env._("the company %(company)s has no valid GLN", company=self.company_id.name))
        if not supplier.b2b_gln or explain_gln(supplier.b2b_gln):
            problems.append(self.env._("the supplier %(supplier)s has no valid GLN", supplier=supplier.name))
        lines = []
        for line in self.order_line.filtered(lambda line: not line.display_type and line.product_id):
            barcode = (line.product_id.barcode or "").strip()
            gtin = barcode if is_valid_gtin(barcode) else ""
            code = self._edi_supplier_code(line)
            if not (gtin or code):
                problems.append(self.env._(
                    "%(product)s has neither a GTIN (barcode) nor an article code of this supplier",
                    product=line.product_id.display_name))
            lines.append(OrderLine(
                line_id=str(line.id), quantity=Decimal(str(line.product_qty)), unit=unit_code(line.product_uom_id),
                gtin=gtin, supplier_code=code, description=(line.product_id.name or "")[:70],
                required_date=line.date_planned.date() if line.date_planned else None))
        if not lines:
            problems.append(self.env._("the order has no product lines"))
        if problems:
            raise UserError(self.env._("%(po)s cannot be sent via EDI: %(problems)s.", po=self.name,
                                       problems="; ".join(problems)))
        delivery = (self.edi_delivery_address_id or self.dest_address_id
                    or self.picking_type_id.warehouse_id.partner_id or self.company_id.partner_id).sudo()
        approved = fields.Datetime.context_timestamp(self, self.date_approve or fields.Datetime.now())
        return Order(
            number=self._edi_reference(), date=approved.date(), time=approved.time().replace(microsecond=0),
            buyer=Party(gln=company_gln), supplier=Party(gln=supplier.b2b_gln),
            delivery_party=Party(gln=delivery.b2b_gln or "", name=delivery.name or "", street=delivery.street or "",
                                 city=delivery.city or "", postal_code=delivery.zip or "",
                                 country=delivery.country_id.code or ""),
            customer_reference=(self.origin or "")[:35], project_reference=self._edi_project_reference()[:35],
            required_date=self.date_planned.date() if self.date_planned else None,
            free_text=html2plaintext(self.note or "")[:350] if self.note else "",
            lines=lines,
        )

    def _b2b_send_order(self, exchange):
        po = exchange.record_ref
        supplier = exchange.backend_ref.sudo()
        fmt = supplier._edi_format()
        root = fmt.build_order(po._edi_build_order(), supplier.edi_profile_id._edi_profile())
        fmt.validate_order(root)  # nothing leaves that does not match our schema
        data = fmt.serialize(root)
        exchange._b2b_set_payload(data, f"ORDERS_{po.name.replace('/', '_')}.xml")
        msg_id = supplier._edi_msg_id(exchange)
        result = supplier._edi_client(exchange).post_message(
            data, msg_type="ORDERS", msg_format=fmt.msg_format, msg_version=fmt.version, msg_id=msg_id)
        if not result.accepted:
            raise UserError(self.env._("%(supplier)s did not accept order %(po)s (MessageResult false).",
                                       supplier=supplier.name, po=po.name))
        exchange.sudo().write({"state": "sent", "external_id": msg_id,
                               "summary": self.env._("Order %(po)s sent as %(id)s", po=po.name, id=msg_id)})
        lines = po.sudo().order_line.filtered(lambda line: not line.display_type and line.product_id)
        for line in lines:  # what was ordered: the baseline every order response is read against
            line.edi_ordered_qty = line.product_qty
        po.sudo().write({"edi_state": "sent", "edi_error": False})
        po.message_post(body=self.env._("Order sent to %(supplier)s via EDI (%(format)s, message %(id)s).",
                                        supplier=supplier.name, format=supplier.edi_format, id=msg_id))
        if result.message is not None:  # the wholesaler answered at once: applied like a polled message
            supplier._edi_receive(result.message)._b2b_process()
        return exchange.summary

    @api.model
    def _b2b_on_failure(self, exchange):
        """A failed outgoing order shows as an EDI error on the purchase order, with its reason (banner) and in
        its chatter: once per reason, not on every automatic attempt failing the same way."""
        if exchange.kind != ORDER_KIND or exchange.res_model != "purchase.order":
            return
        po = self.browse(exchange.res_id).exists().sudo()
        if not po:
            return
        # buyers do not see where and how the wholesaler is called (B2B Managers do, on the exchange)
        address = self.env._("the wholesaler's address")
        reason = URL.sub(address, exchange.sudo().error or "")
        # plain-word errors name the server by host[:port]: hide the hosts this exchange called as well
        hosts = {urlsplit(url).netloc for url in exchange.sudo().call_ids.mapped("url") if url}
        hosts |= {urlsplit(url).hostname for url in exchange.sudo().call_ids.mapped("url") if url}
        for host in sorted(filter(None, hosts), key=len, reverse=True):
            reason = reason.replace(host, address)
        reason = reason or self.env._("no reason given")
        known = po.edi_state == "error" and po.edi_error == reason
        po.write({"edi_state": "error", "edi_error": reason})
        if known:
            return
        supplier = po.partner_id.commercial_partner_id
        body = sentences(
            self.env._("The order could not be sent to %(supplier)s via EDI: %(reason)s", supplier=supplier.name,
                       reason=reason),
            self.env._("Another attempt follows automatically") if exchange.sudo().auto_retry else "")
        po.message_post(body=body)

    def _edi_order_answered(self, response):
        """The order exchanges of this order waiting for an answer are done: ``response`` answered them."""
        self.ensure_one()
        waiting = self.env["b2b.exchange"].sudo().search([
            ("kind", "=", ORDER_KIND), ("res_model", "=", self._name), ("res_id", "=", self.id),
            ("state", "=", "sent")])
        for exchange in waiting:
            exchange._b2b_done(self.env._("Order %(po)s sent as %(id)s, answered by order response %(number)s",
                                          po=self.name, id=exchange.external_id or "-",
                                          number=response.number or "-"))

    # ------------------------------------------------------------------ in: helpers
    @api.model
    def _edi_incoming(self, exchange, expected_kind, parser):
        """(supplier, message, purchase order) of an incoming exchange: its payload read with the ``parser``
        method of the supplier's format, the confirmed order it refers to, the exchange linked to it."""
        supplier = exchange.backend_ref.sudo()
        fmt = supplier._edi_format()
        kind, root = fmt.parse(exchange._b2b_get_payload(), what=f"{expected_kind} {exchange.external_id}")
        if kind != expected_kind:
            raise UserError(self.env._("message %(message)s announced as %(expected)s is a %(kind)s",
                                      message=exchange.external_id, expected=expected_kind, kind=kind))
        message = getattr(fmt, parser)(root)
        po = self._edi_find_order(supplier, message.buyer_order_number)
        exchange.sudo().write({"res_model": po._name, "res_id": po.id})
        return supplier, message, po

    @api.model
    def _edi_find_order(self, supplier, number):
        name = number[len(TEST_PREFIX):] if number.startswith(TEST_PREFIX) else number
        po = self.search([("name", "=", name), ("partner_id", "child_of", supplier.id)], limit=1)
        if not po:
            raise UserError(self.env._("No purchase order %(po)s of %(supplier)s: the message cannot be applied.",
                                       po=number, supplier=supplier.name))
        if po.state not in ("purchase", "done"):
            raise UserError(self.env._("Purchase order %(po)s is not confirmed: the message cannot be applied.",
                                       po=po.name))
        return po

    @staticmethod
    def _edi_same_gtin(a, b):
        return bool(a and b) and a.lstrip("0") == b.lstrip("0")

    def _edi_line_matches(self, line, gtin, supplier_code):
        """Whether ``line``'s product is the article (GTIN, supplier code) a message names."""
        known = {(line.product_id.barcode or "").lstrip("0"), self._edi_supplier_code(line)} - {""}
        given = {(gtin or "").lstrip("0"), supplier_code or ""} - {""}
        return not (given and known) or bool(given & known)

    def _edi_find_line(self, order_line_id, gtin, supplier_code, what, substitute=False):
        """The order line a message line refers to (by our line id, else by article); the article must be
        the one ordered, or the substitute an order response put in its place. With ``substitute``
        (order responses), the line our id names is returned whatever article the message names."""
        self.ensure_one()
        lines = self.order_line.filtered(lambda line: not line.display_type and line.product_id)
        ref = (order_line_id or "").strip()
        named = lines.filtered(lambda line: str(line.id) == ref) if ref else lines.browse()
        if named and substitute:
            return named
        if named:
            # the line itself, or the line an order response put in its place with another article
            group = named | lines.filtered(lambda line: line.edi_substitute_of_id == named)
            # the line that is still ordered first (a substituted one has no quantity left)
            line = group.sorted(lambda line: -line.product_qty).filtered(
                lambda line: self._edi_line_matches(line, gtin, supplier_code))[:1]
            if not line:
                raise UserError(self.env._(
                    "%(what)s: line %(line)s refers to an unknown product (GTIN %(gtin)s, article %(code)s), not "
                    "%(product)s.", what=what, line=order_line_id, gtin=gtin or "-", code=supplier_code or "-",
                    product=named.product_id.display_name))
            return line
        line = lines.filtered(lambda line: (self._edi_same_gtin(gtin, line.product_id.barcode or ""))
                              or (supplier_code and self._edi_supplier_code(line) == supplier_code))[:1]
        if not line:
            raise UserError(self.env._("%(what)s: unknown product (GTIN %(gtin)s, article %(code)s) for order %(po)s.",
                                       what=what, gtin=gtin or "-", code=supplier_code or "-", po=self.name))
        return line

    def _edi_find_product(self, gtin, supplier_code):
        """The product a wholesaler names (its GTIN as barcode, or its article code for this supplier)."""
        self.ensure_one()
        supplier = self.partner_id.commercial_partner_id
        Product = self.env["product.product"]
        if supplier_code:
            seller = self.env["product.supplierinfo"].search([
                ("partner_id", "child_of", supplier.id), ("product_code", "=", supplier_code)], limit=1)
            if seller:
                return seller.product_id or seller.product_tmpl_id.product_variant_id
        if gtin:
            candidates = {gtin, gtin.lstrip("0"), gtin.lstrip("0").zfill(13), gtin.lstrip("0").zfill(14)}
            return Product.search([("barcode", "in", sorted(candidates))], limit=1)
        return Product

    # ------------------------------------------------------------------ in: OrderResponse
    @api.model
    def _b2b_apply_order_response(self, exchange):
        supplier, response, po = self._edi_incoming(exchange, "ORDRSP", "parse_order_response")
        issued = response.issued
        po._edi_order_answered(response)
        if po.edi_response_issued and (issued, response.sequence) <= (
                po.edi_response_issued, sequence_key(po.edi_response_number)):
            # wholesalers may send several responses to one order: the one issued last counts
            exchange._b2b_done(self.env._(
                "Superseded by order response %(newer)s of %(when)s (this one was issued %(this)s): nothing applied.",
                newer=po.edi_response_number or "-", when=po.edi_response_issued, this=issued), state="cancelled")
            return None
        rows = [po._edi_apply_response_line(rline, response) for rline in response.lines]
        statuses = {rline.status for rline in response.lines}
        state = "unknown" if statuses == {"unknown"} and response.status != "rejected" else response.status
        po.sudo().write({"edi_state": state, "edi_response_number": response.number, "edi_response_issued": issued})
        table = Markup("").join(
            Markup("<li>%s: %s (%s)</li>") % row if row[2] else Markup("<li>%s: %s</li>") % row[:2] for row in rows)
        # the state's label in the user's language (the chatter is read by people, not by code)
        status = dict(po._fields["edi_state"]._description_selection(self.env))[state]
        intro = self.env._("Order response %(number)s from %(supplier)s: %(status)s",
                           number=response.number or "-", supplier=supplier.name, status=status)
        po.message_post(body=Markup("%s<ul>%s</ul>") % (sentences(intro, response.free_text), table))
        return self.env._("%(po)s: %(status)s (%(n)s lines)", po=po.name, status=status, n=len(rows))

    def _edi_apply_response_line(self, rline, response):
        """Apply one response line to the order line it answers, against what was ordered (a later
        response restates the line: it replaces what an earlier one said). Returns a chatter row."""
        self.ensure_one()
        what = self.env._("OrderResponse %(number)s", number=response.number or response.buyer_order_number)
        named = self._edi_find_line(rline.order_line_id, rline.gtin, rline.supplier_code, what, substitute=True)
        group = named | self.order_line.filtered(lambda line: line.edi_substitute_of_id == named)
        line = group.filtered(lambda line: self._edi_line_matches(line, rline.gtin, rline.supplier_code))[:1]
        notes = []
        labels = dict(self.env["purchase.order.line"]._fields["edi_status"]._description_selection(self.env))
        if rline.status == "unknown":
            named.edi_status = "unknown"
            return named.product_id.display_name, labels["unknown"], ""
        ordered = named.edi_ordered_qty or named.product_qty
        if not line and rline.status == "rejected":
            line = named
        if not line:  # another article than ordered: the wholesaler's substitute
            product = self._edi_find_product(rline.gtin, rline.supplier_code)
            if not product:
                raise UserError(self.env._(
                    "%(what)s: the wholesaler delivers article %(code)s (GTIN %(gtin)s) instead of %(product)s, "
                    "which is no product here: create it (with the supplier's article code) and retry.",
                    what=what, code=rline.supplier_code or "-", gtin=rline.gtin or "-",
                    product=named.product_id.display_name))
            line = self.env["purchase.order.line"].sudo().create({
                "order_id": self.id, "product_id": product.id, "product_qty": 0,
                "product_uom_id": named.product_uom_id.id,
                "price_unit": named.price_unit, "date_planned": named.date_planned, "edi_substitute_of_id": named.id,
                "name": product.display_name, "tax_ids": [Command.set(named.tax_ids.ids)],
            })
        if line != named:
            notes.append(self.env._("%(new)s instead of %(old)s", new=line.product_id.display_name,
                                    old=named.product_id.display_name))
        vals = {"edi_status": rline.status}
        if rline.status == "rejected":
            vals["product_qty"] = 0
            notes.append(self.env._("rejected"))
        else:
            qty = float(rline.quantity) if rline.quantity is not None else ordered
            if float_compare(qty, line.product_qty, precision_rounding=line.product_uom_id.rounding) != 0:
                notes.append(self.env._("quantity %(old)s → %(new)s",
                                        old=self._edi_format_qty(line.product_qty, line),
                                        new=self._edi_format_qty(qty, line)))
            vals["product_qty"] = qty
            if rline.net_price is not None and float_compare(
                    float(rline.net_price), line.price_unit, precision_digits=6) != 0:
                notes.append(self.env._("price %(old)s → %(new)s", old=self._edi_format_price(line.price_unit),
                                        new=self._edi_format_price(rline.net_price)))
                vals["price_unit"] = float(rline.net_price)
            date = rline.delivery_date or response.scheduled_date
            if date and (not line.date_planned or line.date_planned.date() != date):
                if line.date_planned:
                    notes.append(self.env._("date %(old)s → %(new)s",
                                            old=format_date(self.env, line.date_planned.date()),
                                            new=format_date(self.env, date)))
                else:
                    notes.append(self.env._("date %(new)s", new=format_date(self.env, date)))
                vals["date_planned"] = datetime.datetime.combine(date, datetime.time(12, 0))
            if rline.partial_deliveries:
                parts = [self.env._("%(qty)s on %(date)s", qty=self._edi_format_qty(p.quantity, line),
                                    date=format_date(self.env, p.date))
                         if p.date else self._edi_format_qty(p.quantity, line) for p in rline.partial_deliveries]
                notes.append(self.env._("in %(n)s deliveries: %(parts)s", n=len(parts), parts=", ".join(parts)))
        if rline.free_text:
            notes.append(rline.free_text)
        line.write(vals)
        for other in group - line:  # the article not delivered now (the ordered one, or an earlier substitute)
            other.write({"product_qty": 0, "edi_status": "substituted"})
        return line.product_id.display_name, labels[rline.status], ", ".join(notes)

    def _edi_format_qty(self, quantity, line):
        """``quantity`` of ``line``'s unit as a buyer reads it: "5 Units", "2.5 m" (no "5.0", no "5.000")."""
        digits = self.env["decimal.precision"].precision_get("Product Unit")
        decimals = float_repr(float(quantity), digits).rstrip("0").partition(".")[2]
        text = formatLang(self.env, float(quantity), digits=len(decimals))
        return f"{text} {line.product_uom_id.name or ''}".strip()

    def _edi_format_price(self, price):
        """A unit price in the order's currency, at the 'Product Price' precision."""
        self.ensure_one()
        return formatLang(self.env, float(price), dp="Product Price", currency_obj=self.currency_id)

    # ------------------------------------------------------------------ in: DespatchAdvice
    @api.model
    def _b2b_apply_despatch_advice(self, exchange):
        supplier, advice, po = self._edi_incoming(exchange, "DESADV", "parse_despatch_advice")
        pickings = po.picking_ids.filtered(lambda p: p.picking_type_code == "incoming"
                                           and p.state not in ("done", "cancel"))
        if not pickings:
            raise UserError(self.env._("Purchase order %(po)s has no receipt waiting: the despatch advice cannot be "
                                       "applied.", po=po.name))
        touched = self.env["stock.picking"]
        # one order line may travel in several packages (despatch lines) and item levels: add them up
        shipped = {}
        for dline in advice.lines:
            line = po._edi_find_line(dline.order_line_id, dline.gtin, dline.supplier_code,
                                     f"DespatchAdvice {advice.number}")
            shipped[line] = shipped.get(line, 0.0) + float(dline.quantity)
        for line, quantity in shipped.items():
            moves = line.move_ids.filtered(lambda m: m.picking_id in pickings and m.state not in ("done", "cancel"))
            if not moves:
                raise UserError(self.env._("No open receipt move for %(product)s on %(po)s.",
                                           product=line.product_id.display_name, po=po.name))
            moves[0].quantity = line.product_uom_id._compute_quantity(quantity, moves[0].product_uom)
            touched |= moves[0].picking_id
        values = {"edi_despatch_number": advice.number}
        if advice.tracking_ref:
            values["edi_tracking_ref"] = advice.tracking_ref
            if "carrier_tracking_ref" in touched._fields:  # stock_delivery installed: its own field too
                values["carrier_tracking_ref"] = advice.tracking_ref
        if advice.scheduled_date:
            values["scheduled_date"] = datetime.datetime.combine(advice.scheduled_date, datetime.time(12, 0))
        touched.write(values)
        # only what the advice says: no "-" for what it leaves out
        details = [self.env._("quantities set")]
        if advice.scheduled_date:
            details.append(self.env._("expected %(date)s", date=format_date(self.env, advice.scheduled_date)))
        if advice.tracking_ref:
            details.append(self.env._("tracking %(ref)s", ref=advice.tracking_ref))
        if advice.packages:
            details.append(self.env._("%(n)s package(s): %(packages)s", n=len(advice.packages), packages=", ".join(
                p.number + (f" (SSCC {p.sscc})" if p.sscc else "") for p in advice.packages)))
        body = sentences(self.env._("Despatch advice %(number)s from %(supplier)s: %(details)s", number=advice.number,
                                    supplier=supplier.name, details=", ".join(details)))
        for picking in touched:
            picking.message_post(body=body)
        return self.env._("%(pickings)s updated from despatch advice %(number)s",
                          pickings=", ".join(touched.mapped("name")), number=advice.number)

    # ------------------------------------------------------------------ in: Invoice
    @api.model
    def _b2b_apply_invoice(self, exchange):
        supplier, invoice, po = self._edi_incoming(exchange, "INVOIC", "parse_invoice")
        Move = self.env["account.move"]
        move_type = "in_refund" if invoice.type == "credit_note" else "in_invoice"
        if Move.search_count([("move_type", "=", move_type), ("ref", "=", invoice.number),
                              ("commercial_partner_id", "=", supplier.id), ("state", "!=", "cancel")]):
            raise UserError(self.env._("A vendor bill %(ref)s of %(supplier)s already exists.",
                                       ref=invoice.number, supplier=supplier.name))
        lines = []
        for iline in invoice.lines:
            line = po._edi_find_line(iline.order_line_id, iline.gtin, iline.supplier_code, f"Invoice {invoice.number}")
            values = line._prepare_account_move_line()
            values.update(quantity=float(iline.quantity), price_unit=float(iline.price))
            values.pop("display_type", None)
            lines.append(Command.create(values))
        currency = self.env["res.currency"].search([("name", "=", invoice.currency)], limit=1) or po.currency_id
        bill = Move.with_context(default_move_type=move_type).create({
            "move_type": move_type,
            "partner_id": po.partner_id.id,
            "ref": invoice.number,
            "invoice_date": invoice.date,
            "invoice_origin": po.name,
            "currency_id": currency.id,
            "company_id": po.company_id.id,
            "invoice_line_ids": lines,
        })
        exchange_payload = exchange.sudo().payload_attachment_id
        if exchange_payload:
            exchange_payload.copy({"res_model": "account.move", "res_id": bill.id})
        if invoice.total is not None and float_compare(float(invoice.total), bill.amount_total,
                                                       precision_rounding=bill.currency_id.rounding) != 0:
            bill.message_post(body=self.env._(
                "The wholesaler's total %(theirs)s differs from the computed total %(ours)s: check taxes and prices.",
                theirs=format_amount(self.env, float(invoice.total), bill.currency_id),
                ours=format_amount(self.env, bill.amount_total, bill.currency_id)))
        # a Markup argument makes the translation Markup: the link stays a link, the number is escaped
        po.message_post(body=self.env._("Vendor bill %(bill)s created from the wholesaler's invoice %(number)s.",
                                        bill=bill._get_html_link(), number=invoice.number))
        return self.env._("draft bill for %(po)s from invoice %(number)s", po=po.name, number=invoice.number)

    @api.model
    def _b2b_apply_unknown(self, exchange):
        raise UserError(self.env._(
            "Message %(external_id)s is of a type this connector does not handle; it stays at the wholesaler.",
            external_id=exchange.external_id))
