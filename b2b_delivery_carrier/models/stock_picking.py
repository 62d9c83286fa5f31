import json
from datetime import date

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.b2b_connector_base.lib.http import TransportError

from ..protocol.base import CarrierError
from ..protocol.model import Address, Parcel, Shipment

BOOKING_KIND = "carrier.booking"
CANCEL_KIND = "carrier.cancel"
TRACKING_KIND = "carrier.tracking"
# what a booking, a cancellation or the tracking leave on a delivery: written by code only (as superuser); the
# shipment reference is what the carrier is asked to cancel, with the company's carrier account
CODE_ONLY_FIELDS = frozenset({"b2b_carrier_shipment_ref", "b2b_carrier_status", "b2b_tracking_mail_sent"})


class StockPicking(models.Model):
    """Deliveries of our carriers: the shipment is booked through the exchange log (``carrier.booking``), never
    in a way that blocks or half-validates the delivery.

    * Validating one delivery books it synchronously (the packer prints the label right after, as with Odoo's
      own carriers; one call, no retries, the carrier's timeouts); validating several at once, the "Create
      Labels" list action and a booking after a transient failure go through queue jobs, one per delivery.
    * A refused booking leaves the delivery done (or ready) with the carrier's message on it, a warning
      activity and a failed exchange; Retry on the exchange or "Create Label" books it.
    """

    _name = "stock.picking"
    _inherit = ["stock.picking", "b2b.exchange.consumer.mixin"]
    _b2b_processors = ("_b2b_carrier_process_booking", "_b2b_carrier_process_cancel", "_b2b_carrier_process_tracking")

    b2b_is_carrier = fields.Boolean(related="carrier_id.b2b_is_carrier")
    b2b_carrier_shipment_ref = fields.Char(
        "Carrier Shipment", copy=False, readonly=True,
        help="What the carrier cancels the shipment by (its shipment or parcel numbers)")
    b2b_relay_point = fields.Char(
        "Pickup Point", copy=False,
        help="The carrier's id of the relay point / pickup point the parcel goes to (relay services)")
    b2b_carrier_status = fields.Char("Carrier Status", copy=False, readonly=True,
                                     help="The latest tracking event the carrier gave")
    b2b_tracking_mail_sent = fields.Boolean(copy=False, readonly=True)
    b2b_tracking_partner_id = fields.Many2one(
        "res.partner", compute="_compute_b2b_tracking_partner_id",
        help="Who gets the tracking e-mail: the recipient, else the customer who ordered")
    b2b_booking_pending = fields.Boolean(
        compute="_compute_b2b_booking_pending",
        help="A booking of this delivery is queued (its label comes shortly)")

    @api.depends("partner_id.email", "sale_id.partner_id.email")
    def _compute_b2b_tracking_partner_id(self):
        for picking in self:
            candidates = (picking.partner_id | picking.sudo().sale_id.partner_id
                          | picking.partner_id.commercial_partner_id)
            picking.b2b_tracking_partner_id = candidates.filtered("email")[:1] or picking.partner_id

    def _compute_b2b_booking_pending(self):
        pending = set()
        if self.ids:
            exchanges = self.env["b2b.exchange"].sudo().search([
                ("kind", "=", BOOKING_KIND), ("res_model", "=", self._name), ("res_id", "in", self.ids),
                ("state", "=", "pending")])
            pending = set(exchanges.mapped("res_id"))
        for picking in self:
            picking.b2b_booking_pending = picking.id in pending

    @api.model_create_multi
    def create(self, vals_list):
        self._b2b_carrier_check_code_only(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._b2b_carrier_check_code_only([vals])
        return super().write(vals)

    def _b2b_carrier_check_code_only(self, vals_list):
        """Whoever may change a delivery may not set what its booking stored (readonly is no protection against
        RPC): a shipment reference typed in would have the carrier cancel any shipment of the account."""
        if self.env.su or not any(CODE_ONLY_FIELDS.intersection(vals) for vals in vals_list):
            return
        raise AccessError(self.env._("The carrier shipment, status and tracking e-mail of a delivery are set by its "
                                     "booking only."))

    # ------------------------------------------------------------------ Odoo's flow, for our carriers
    def _send_confirmation_email(self):
        # stock_delivery books each validated delivery in here (send_to_shipper): one booked now, many queued
        return super(StockPicking, self.with_context(b2b_carrier_queue=len(self) > 1))._send_confirmation_email()

    def send_to_shipper(self):
        self.ensure_one()
        if not self.carrier_id.b2b_is_carrier:
            return super().send_to_shipper()
        self.check_access("write")  # public (RPC reaches it): who only reads the delivery books nothing
        # never raises: a refusal is a failed exchange and a message on the delivery, which stays done
        self._b2b_carrier_request_booking(now=not self.env.context.get("b2b_carrier_queue"))
        return None

    def _action_done(self):
        result = super()._action_done()
        # labels booked before the validation (Create Label on a ready delivery): the e-mail goes now
        labelled = self.filtered(lambda p: p.carrier_id.b2b_is_carrier and p.carrier_tracking_ref)
        labelled._b2b_carrier_send_tracking_mail()
        return result

    def cancel_shipment(self):
        ours = self.filtered(lambda p: p.carrier_id.b2b_is_carrier)
        ours.check_access("write")  # public (RPC reaches it): who only reads the delivery cancels nothing
        result = super(StockPicking, self - ours).cancel_shipment() if self - ours else None
        if ours:
            return ours._b2b_carrier_cancel() or result
        return result

    def action_cancel(self):
        booked = self.filtered(lambda p: p.carrier_id.b2b_is_carrier and p.carrier_tracking_ref and p.state != "done")
        if booked:
            booked.check_access("write")  # before the carrier hears of it
            booked._b2b_carrier_cancel()  # a refusal is logged and told on the delivery; the cancel goes on
        return super().action_cancel()

    # ------------------------------------------------------------------ buttons
    def action_b2b_create_label(self):
        """The "Create Label" button: book this delivery now (one delivery) or by queue jobs (several)."""
        self.check_access("write")
        for picking in self:
            if not picking.carrier_id.b2b_is_carrier:
                raise UserError(self.env._("%(picking)s has no b2b-connect carrier.", picking=picking.name))
            if picking.carrier_tracking_ref:
                raise UserError(self.env._("%(picking)s already has a label (%(ref)s): cancel the shipment first.",
                                           picking=picking.name, ref=picking.carrier_tracking_ref))
            if picking.state in ("draft", "cancel"):
                raise UserError(self.env._("%(picking)s is not ready to ship.", picking=picking.name))
        exchanges = self.env["b2b.exchange"]
        for picking in self:
            exchanges |= picking._b2b_carrier_request_booking(now=len(self) == 1)
        if len(self) == 1:
            if exchanges.state == "failed":
                return self._b2b_carrier_notify(exchanges.error, "danger", self.env._("Label refused"))
            return True
        return self._b2b_carrier_notify(self.env._("%(n)s label bookings queued: the labels arrive shortly.",
                                                   n=len(exchanges)), "info", self.env._("Labels"))

    def action_b2b_create_labels(self):
        """List action: queue the bookings of the selected deliveries (those with a carrier of ours and no label)."""
        todo = self.filtered(lambda p: p.carrier_id.b2b_is_carrier and not p.carrier_tracking_ref
                             and p.state not in ("draft", "cancel") and not p.b2b_booking_pending)
        if not todo:
            raise UserError(self.env._("None of the selected deliveries waits for a label of a b2b-connect carrier."))
        return todo.action_b2b_create_label()

    def action_b2b_carrier_track(self):
        self.check_access("read")
        for picking in self.filtered(lambda p: p.carrier_id.b2b_is_carrier and p.carrier_tracking_ref):
            exchange = picking.carrier_id._b2b_exchange(
                TRACKING_KIND, record=picking, partner=picking.partner_id, protocol=picking.carrier_id.name,
                process=(self._name, "_b2b_carrier_process_tracking"),
                summary=self.env._("%(picking)s: tracking", picking=picking.name))
            if not exchange._b2b_process():
                return self._b2b_carrier_notify(exchange.error, "danger", self.env._("Tracking failed"))
        return True

    def _b2b_carrier_notify(self, message, level, title):
        return {"type": "ir.actions.client", "tag": "display_notification",
                "params": {"title": title, "message": message, "type": level, "sticky": level == "danger",
                           "next": {"type": "ir.actions.client", "tag": "soft_reload"}}}

    # ------------------------------------------------------------------ booking
    def _b2b_carrier_request_booking(self, now=True, raise_if_failed=False):
        """Log the booking of this delivery and run it now (``now``) or as a queue job. Returns the exchange."""
        self.ensure_one()
        carrier = self.carrier_id
        Exchange = self.env["b2b.exchange"]
        pending = Exchange.sudo().search([("kind", "=", BOOKING_KIND), ("res_model", "=", self._name),
                                          ("res_id", "=", self.id), ("state", "=", "pending")], limit=1)
        if pending:
            return pending.with_env(self.env)
        exchange = carrier._b2b_exchange(
            BOOKING_KIND, record=self, partner=self.partner_id, protocol=carrier._b2b_carrier_adapter_class().label,
            payload=json.dumps({"picking": self.id, "carrier": carrier.id}), filename=f"booking_{self.id}.json",
            process=(self._name, "_b2b_carrier_process_booking"),
            summary=self.env._("%(picking)s: label with %(carrier)s", picking=self.name, carrier=carrier.name))
        if now:
            exchange.with_context(b2b_carrier_sync=True)._b2b_process()
            if raise_if_failed and exchange.state == "failed":
                raise UserError(exchange.error)
        else:
            exchange._b2b_enqueue()
        return exchange

    @api.model
    def _b2b_carrier_process_booking(self, exchange):
        picking = self._b2b_carrier_exchange_picking(exchange)
        if picking.carrier_tracking_ref:
            return self.env._("%(picking)s already has its label (%(ref)s)", picking=picking.name,
                              ref=picking.carrier_tracking_ref)
        if picking.state in ("draft", "cancel"):
            raise UserError(self.env._("%(picking)s is cancelled: no label.", picking=picking.name))
        carrier = picking.carrier_id
        # validating a delivery waits for one call, not for retries with backoff (a job retries by itself)
        retries = 0 if exchange.env.context.get("b2b_carrier_sync") else None
        adapter = carrier._b2b_carrier_adapter(exchange, retries=retries)
        try:
            booking = adapter.book(picking._b2b_carrier_shipment())
        except TransportError as exc:
            if exc.kind != "timeout":
                raise
            # the request may have reached the carrier: booking again by itself could make two shipments
            raise UserError(self.env._(
                "%(carrier)s did not answer in time (%(error)s). The shipment may exist at the carrier: check its "
                "portal before you retry.", carrier=carrier.name, error=exc)) from exc
        picking._b2b_carrier_store_booking(booking)
        picking._b2b_carrier_booking_finished()
        return self.env._("%(picking)s: %(n)s label(s) %(numbers)s", picking=picking.name, n=len(booking.labels),
                          numbers=", ".join(booking.tracking_numbers))

    @api.model
    def _b2b_on_failure(self, exchange):
        """A booking that failed: told on the delivery (which stays as it is), with a warning activity."""
        if exchange.kind != BOOKING_KIND:
            return
        picking = exchange.record_ref
        if not picking or picking._name != self._name:
            return
        text = self.env._("The %(carrier)s label of this delivery could not be booked: %(error)s Fix it, then "
                          "Retry exchange %(exchange)s or use Create Label.",
                          carrier=picking.carrier_id.name, error=exchange.error, exchange=exchange.name)
        picking.message_post(body=text, message_type="notification")
        if not exchange.auto_retry:
            picking.sudo().activity_schedule(
                "mail.mail_activity_data_warning", date.today(), note=text,
                user_id=picking.user_id.id or exchange.user_id.id or self.env.uid)
        picking._b2b_carrier_booking_finished()

    def _b2b_carrier_booking_finished(self):
        """Hook: the booking of this delivery ended (labelled or refused); e.g. a bridge tells the shop now."""

    def _b2b_carrier_awaits_label(self):
        """A label of our carrier is expected: its booking is queued, or failed and waits for a retry."""
        self.ensure_one()
        if not self.carrier_id.b2b_is_carrier or self.carrier_tracking_ref:
            return False
        latest = self.env["b2b.exchange"].sudo().search([
            ("kind", "=", BOOKING_KIND), ("res_model", "=", self._name), ("res_id", "=", self.id)],
            order="id desc", limit=1)
        return latest.state in ("pending", "failed")

    def _b2b_carrier_exchange_picking(self, exchange):
        picking = exchange.record_ref
        if not picking or picking._name != self._name:
            raise UserError(self.env._("The delivery of this exchange no longer exists."))
        if not picking.carrier_id.b2b_is_carrier:
            raise UserError(self.env._("%(picking)s no longer ships with a b2b-connect carrier.", picking=picking.name))
        return picking

    def _b2b_carrier_store_booking(self, booking):
        self.ensure_one()
        prefix = self.carrier_id._get_delivery_label_prefix()
        attachments = self.env["ir.attachment"].create([{
            "name": f"{prefix}-{label.number}.{label.extension}",
            "raw": label.content,
            "mimetype": label.mimetype,
            "res_model": self._name,
            "res_id": self.id,
        } for label in booking.labels])
        self.sudo().write({"carrier_tracking_ref": ",".join(booking.tracking_numbers),
                           "b2b_carrier_shipment_ref": booking.shipment_id or ",".join(booking.tracking_numbers),
                           "b2b_carrier_status": False})
        body = self.env._("Shipment booked with %(carrier)s: %(n)s label(s), tracking %(ref)s",
                          carrier=self.carrier_id.name, n=len(booking.labels), ref=self.carrier_tracking_ref)
        if self.carrier_tracking_url:
            body = Markup("%s<br/><a href='%s' target='_blank'>%s</a>") % (
                body, self.carrier_tracking_url, self.env._("Track the parcels"))
        self.message_post(body=body, attachment_ids=attachments.ids)
        if self.state == "done":
            self._b2b_carrier_send_tracking_mail()

    def _b2b_carrier_shipment(self):
        """The neutral shipment of this delivery: sender = its warehouse, one parcel per package (packages, then
        what is outside any package as one more parcel), weights in kg."""
        self.ensure_one()
        carrier = self.carrier_id
        options = carrier._b2b_carrier_options()
        warehouse_partner = self.picking_type_id.warehouse_id.partner_id or self.company_id.partner_id
        if not self.partner_id:
            raise CarrierError(self.env._("%(picking)s has no recipient.", picking=self.name), kind="address")
        parcels = []
        for package in self.move_line_ids.result_package_id:
            weight = package.shipping_weight or package.weight
            parcels.append(Parcel(package.name, self._b2b_kg(weight), *self._b2b_dimensions(package.package_type_id)))
        if parcels and self.weight_bulk:
            parcels.append(Parcel(self.name, self._b2b_kg(self.weight_bulk)))
        if not parcels:
            parcels.append(Parcel(self.name, self._b2b_kg(self.shipping_weight or self.weight)))
        for parcel in parcels:
            if parcel.weight <= 0:
                raise CarrierError(self.env._(
                    "Parcel %(parcel)s of %(picking)s weighs nothing: set the weight of the products or of the "
                    "package.", parcel=parcel.reference, picking=self.name), kind="refused")
        return Shipment(
            reference=self.name,
            sender=self._b2b_address(warehouse_partner),
            recipient=self._b2b_address(self.partner_id),
            parcels=parcels,
            service=options.get("service") or "",
            label_format=carrier.sudo().b2b_carrier_label_format or "PDF",
            ship_date=fields.Date.context_today(self),
            relay_point=self.b2b_relay_point or "",
            value=self.sale_id.amount_untaxed if self.sale_id else 0.0,
            currency=(self.sale_id.currency_id or self.company_id.currency_id).name,
        )

    def _b2b_kg(self, weight):
        uom = self.env["product.template"]._get_weight_uom_id_from_ir_config_parameter()
        kg = self.env.ref("uom.product_uom_kgm")
        return round(uom._compute_quantity(weight or 0.0, kg, round=False), 3)

    @staticmethod
    def _b2b_dimensions(package_type):
        if not package_type:
            return 0, 0, 0
        return int(package_type.packaging_length or 0), int(package_type.width or 0), int(package_type.height or 0)

    @staticmethod
    def _b2b_address(partner):
        commercial = partner.commercial_partner_id
        person = partner.name if partner.name and partner != commercial else ""
        company = commercial.name if commercial.is_company else ""
        return Address(
            name=person or partner.name or company or "",
            company=company if company != (person or partner.name) else "",
            street=partner.street or "",
            street2=partner.street2 or "",
            city=partner.city or "",
            zip=partner.zip or "",
            country_code=partner.country_id.code or "",
            state_code=partner.state_id.code or "",
            phone=partner.phone or "",
            mobile=getattr(partner, "mobile", "") or "",
            email=partner.email or "",
            lang=partner.lang or "",
        )

    # ------------------------------------------------------------------ cancel
    def _b2b_carrier_cancel(self, raise_if_failed=False):
        """Cancel the booked shipments (logged). None when all went well, else a notification (or UserError)."""
        for picking in self:
            exchange = picking.carrier_id._b2b_exchange(
                CANCEL_KIND, record=picking, partner=picking.partner_id, protocol=picking.carrier_id.name,
                payload=json.dumps({"shipment": picking.b2b_carrier_shipment_ref,
                                    "tracking": picking.carrier_tracking_ref}),
                filename=f"cancel_{picking.id}.json", process=(self._name, "_b2b_carrier_process_cancel"),
                summary=self.env._("%(picking)s: cancel %(ref)s", picking=picking.name,
                                   ref=picking.carrier_tracking_ref))
            if not exchange.with_context(b2b_carrier_sync=True)._b2b_process():
                message = self.env._("%(picking)s: the shipment was not cancelled: %(error)s", picking=picking.name,
                                     error=exchange.error)
                picking.message_post(body=message, message_type="notification")
                if raise_if_failed:
                    raise UserError(message)
                return self._b2b_carrier_notify(message, "danger", self.env._("Cancellation refused"))
        return None

    @api.model
    def _b2b_carrier_process_cancel(self, exchange):
        picking = self._b2b_carrier_exchange_picking(exchange)
        numbers = [n for n in (picking.carrier_tracking_ref or "").split(",") if n]
        if not numbers:
            return self.env._("%(picking)s has no shipment to cancel", picking=picking.name)
        booked = picking.b2b_carrier_shipment_ref
        adapter = picking.carrier_id._b2b_carrier_adapter(exchange, retries=0)
        if not booked:
            # a tracking number typed on the delivery (Odoo's field is editable): never cancelled with our account
            body = self.env._("%(picking)s: %(ref)s was not booked by b2b-connect; nothing was cancelled with "
                              "%(carrier)s.", picking=picking.name, ref=picking.carrier_tracking_ref,
                              carrier=picking.carrier_id.name)
        elif adapter.can_cancel:
            # only what the booking made: the numbers of the delivery that its shipment reference holds
            adapter.cancel(booked, [n for n in numbers if n in booked.split(",")])
            body = self.env._("Shipment %(ref)s cancelled with %(carrier)s.", ref=picking.carrier_tracking_ref,
                              carrier=picking.carrier_id.name)
        else:
            body = self.env._("%(carrier)s offers no cancellation: the label %(ref)s is void as long as the parcel "
                              "is not handed over (not charged); it was discarded here.",
                              carrier=picking.carrier_id.name, ref=picking.carrier_tracking_ref)
        prefix = picking.carrier_id._get_delivery_label_prefix()
        self.env["ir.attachment"].search([("res_model", "=", self._name), ("res_id", "=", picking.id),
                                          ("name", "=like", f"{prefix}-%")]).unlink()
        picking.sudo().write({"carrier_tracking_ref": False, "b2b_carrier_shipment_ref": False,
                              "b2b_carrier_status": False, "b2b_tracking_mail_sent": False})
        picking.message_post(body=body)
        return body

    # ------------------------------------------------------------------ tracking
    @api.model
    def _b2b_carrier_process_tracking(self, exchange):
        picking = self._b2b_carrier_exchange_picking(exchange)
        numbers = [n for n in (picking.carrier_tracking_ref or "").split(",") if n]
        events = picking.carrier_id._b2b_carrier_adapter(exchange, retries=0).track(numbers)
        status = "; ".join(f"{e.tracking_number}: {e.description}" for e in events)
        delivered = bool(events) and all(e.delivered for e in events)
        if status != picking.b2b_carrier_status:
            picking.sudo().b2b_carrier_status = status
            picking.message_post(body=self.env._("Carrier status: %(status)s", status=status))
        return self.env._("%(picking)s: %(status)s%(done)s", picking=picking.name, status=status,
                          done=self.env._(" (delivered)") if delivered else "")

    # ------------------------------------------------------------------ the tracking e-mail
    def _b2b_carrier_wants_tracking_email(self):
        """Whether the customer gets the tracking e-mail (the delivery method decides; a bridge may ask the shop)."""
        self.ensure_one()
        return self.carrier_id.sudo().b2b_carrier_tracking_email

    def _b2b_carrier_send_tracking_mail(self):
        template = self.env.ref("b2b_delivery_carrier.mail_template_carrier_tracking", raise_if_not_found=False)
        for picking in self:
            if not (template and picking.state == "done" and picking.picking_type_code == "outgoing"
                    and picking.carrier_tracking_ref and not picking.b2b_tracking_mail_sent
                    and picking.b2b_tracking_partner_id.email and picking._b2b_carrier_wants_tracking_email()):
                continue
            picking.with_context(force_send=True).message_post_with_source(
                template, email_layout_xmlid="mail.mail_notification_light", subtype_xmlid="mail.mt_comment")
            picking.sudo().b2b_tracking_mail_sent = True
