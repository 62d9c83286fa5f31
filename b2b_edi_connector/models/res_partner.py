import logging

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.b2b_connector_base.lib.gs1 import explain_gln
from odoo.addons.b2b_connector_base.tools import MANAGER_GROUP, secret_fields

from ..protocol import soap
from ..protocol.dico import DEFAULT_FORMAT, FORMATS, get_format

_logger = logging.getLogger(__name__)

POLL_KIND = "dico.poll"
DELETE_KIND = "dico.delete"
INCOMING = {  # MessageService message type -> (exchange kind, processor on purchase.order)
    "ORDRSP": ("dico.ordrsp", "_b2b_apply_order_response"),
    "DESADV": ("dico.desadv", "_b2b_apply_despatch_advice"),
    "INVOIC": ("dico.invoic", "_b2b_apply_invoice"),
}


class ResPartner(models.Model):
    """A wholesaler (commercial partner) is the EDI backend: its connection, credentials and format."""

    _name = "res.partner"
    _inherit = ["res.partner", "b2b.backend.mixin"]
    _b2b_channel_prefix = "edi"
    _b2b_processors = ("_b2b_process_poll", "_b2b_process_delete")

    # Every field that says where and as whom we call the wholesaler is for B2B Managers only (read and
    # write): whoever may set the endpoint may send the account's password to a server of theirs.
    # Nothing of it is copied: a duplicated partner is no second connection to the same account.
    b2b_gln = fields.Char("GLN", size=13, copy=False, groups=MANAGER_GROUP,
                          help="GS1 Global Location Number (13 digits)")
    edi_enabled = fields.Boolean("Send via EDI", copy=False, groups=MANAGER_GROUP,
                                 help="Confirmed purchase orders go to this wholesaler as DICO order messages.")
    edi_url = fields.Char("Endpoint URL", copy=False, groups=MANAGER_GROUP,
                          help="The wholesaler's MessageService 3.1 address")
    edi_override_url = fields.Char("Override URL", copy=False, groups=MANAGER_GROUP,
                                   help="Used instead of the endpoint URL when set (e.g. a test or acceptance "
                                        "environment)")
    edi_relation_id = fields.Char("Customer ID", copy=False, groups=MANAGER_GROUP,
                                  help="RelationId: the customer number the wholesaler gave you")
    edi_username = fields.Char("EDI Username", copy=False, groups=MANAGER_GROUP)
    edi_password, edi_password_enc = secret_fields("EDI Password")
    edi_format = fields.Selection(selection="_edi_format_selection", string="Message Format",
                                  default=DEFAULT_FORMAT, copy=False, groups=MANAGER_GROUP)
    edi_profile_id = fields.Many2one(
        "b2b.edi.profile", "Wholesaler Deviations", copy=False, groups=MANAGER_GROUP, ondelete="restrict",
        default=lambda self: self.env.ref("b2b_edi_connector.edi_profile_standard", raise_if_not_found=False),
        help="How this wholesaler deviates from the published messages (B2B > Configuration > EDI Wholesaler "
             "Profiles)")
    edi_test_mode = fields.Boolean("Test Mode", copy=False, groups=MANAGER_GROUP,
                                   help="Orders are sent with the test reference prefix 'TEST-' and answers are "
                                        "applied as usual: use it with the wholesaler's acceptance environment.")
    edi_last_poll = fields.Datetime("Last Poll", readonly=True, copy=False)

    @api.constrains("b2b_gln")
    def _check_b2b_gln(self):
        for rec in self.sudo():  # also when someone without access to the fields creates a contact
            if rec.b2b_gln:
                problem = explain_gln(rec.b2b_gln)
                if problem:
                    raise ValidationError(problem)

    @api.constrains("edi_enabled", "edi_url", "edi_override_url", "edi_relation_id")
    def _check_edi(self):
        for rec in self.sudo().filtered("edi_enabled"):
            if not (rec.edi_url or rec.edi_override_url):
                raise ValidationError(self.env._("%s: an EDI supplier needs the wholesaler's endpoint URL.", rec.name))
            if not rec.edi_relation_id:
                raise ValidationError(self.env._("%s: an EDI supplier needs your customer ID (RelationId).", rec.name))

    @api.model
    def _edi_format_selection(self):
        # every format of the protocol package (one module each, see protocol/dico/formats/)
        return [(code, fmt.label) for code, fmt in FORMATS.items()]

    def _edi_format(self):
        """The DICO format this wholesaler trades in."""
        self.ensure_one()
        return get_format(self.sudo().edi_format)

    # ------------------------------------------------------------------ transport
    def _edi_endpoint(self):
        self.ensure_one()
        partner = self.sudo()
        return (partner.edi_override_url or partner.edi_url or "").strip()

    def _edi_client(self, exchange):
        """The MessageService client of the configured connection; callers decide who may use it (a
        confirmed order goes out whoever confirmed it, test and poll are for managers)."""
        self.ensure_one()
        partner = self.sudo().commercial_partner_id
        if not partner._edi_endpoint():
            raise UserError(self.env._("%s has no EDI endpoint URL.", partner.name))
        credentials = soap.Credentials(partner.edi_username or "", partner._b2b_secret("edi_password") or "",
                                       partner.edi_relation_id or "")
        return soap.MessageServiceClient(partner._b2b_http(exchange), partner._edi_endpoint(), credentials)

    def action_edi_test_connection(self):
        self._b2b_check_manager()
        self.ensure_one()
        partner = self.commercial_partner_id

        def check(exchange):
            messages = partner._edi_client(exchange).get_available_messages()
            return self.env._("Connected to %(url)s: %(n)s message(s) waiting.", url=partner._edi_endpoint(),
                              n=len(messages))

        return partner._b2b_test_connection(check)

    # ------------------------------------------------------------------ polling
    def action_edi_poll(self):
        self._b2b_check_manager()
        partners = self.commercial_partner_id.filtered("edi_enabled")
        if not partners:
            raise UserError(self.env._("EDI is not enabled for this supplier."))
        for partner in partners:
            partner._edi_queue_poll()
        return partners[:1]._b2b_notify(self.env._("Poll queued; the answers appear in the exchange log."),
                                        level="info")

    def _edi_queue_poll(self):
        self.ensure_one()
        exchange = self._b2b_exchange(POLL_KIND, direction="in", protocol="MessageService 3.1",
                                      process=("res.partner", "_b2b_process_poll"),
                                      summary=self.env._("Poll %s", self.name))
        exchange._b2b_enqueue()
        return exchange

    @api.model
    def _cron_edi_poll(self):
        for partner in self.search([("edi_enabled", "=", True), ("is_company", "=", True)]):
            partner._edi_queue_poll()

    def _b2b_process_poll(self, exchange):
        """Fetch every available message; each becomes an incoming exchange (external id = message id),
        processed in its own savepoint; a message is deleted remotely only after it was stored and
        applied (a follow-up job, which runs after this transaction commits)."""
        partner = exchange.backend_ref
        client = partner._edi_client(exchange)
        Exchange = self.env["b2b.exchange"]
        fetched = applied = failed = known = 0
        available = client.get_available_messages()
        for n, info in enumerate(available, 1):
            kind, processor = INCOMING.get(info.message_type, ("dico.unknown", "_b2b_apply_unknown"))
            incoming = Exchange._b2b_find(kind, info.message_id, backend=partner, direction="in")
            if incoming:
                known += 1
                if incoming.state == "done":
                    partner._edi_queue_delete(incoming, info.message_id)
                continue
            message = client.get_message(info.message_id)
            fetched += 1
            incoming = partner._b2b_exchange(
                kind, direction="in", protocol=partner.edi_format, external_id=info.message_id,
                payload=message.content, filename=f"{info.message_type}_{info.message_id}.xml",
                process=("purchase.order", processor), parent_id=False,
                summary=self.env._("%(type)s %(id)s", type=info.message_type, id=info.message_id))
            if incoming._b2b_process():
                applied += 1
                partner._edi_queue_delete(incoming, info.message_id)
            else:
                failed += 1
            exchange._b2b_progress(n, len(available))
        partner.sudo().edi_last_poll = fields.Datetime.now()
        return self.env._("%(total)s available: %(fetched)s fetched, %(applied)s applied, %(failed)s failed, "
                          "%(known)s already known", total=len(available), fetched=fetched, applied=applied,
                          failed=failed, known=known)

    def _edi_queue_delete(self, incoming, message_id):
        self.ensure_one()
        if incoming.child_ids.filtered(lambda c: c.kind == DELETE_KIND and c.state in ("pending", "done")):
            return
        delete = self._b2b_exchange(DELETE_KIND, direction="out", protocol="MessageService 3.1",
                                    parent_id=incoming.id, external_id=message_id,
                                    process=("res.partner", "_b2b_process_delete"),
                                    summary=self.env._("Delete %s at the wholesaler", message_id))
        delete._b2b_enqueue()

    def _b2b_process_delete(self, exchange):
        partner = exchange.backend_ref
        if exchange.parent_id and exchange.parent_id.state != "done":
            raise UserError(self.env._("Message %s was not applied: it stays at the wholesaler.", exchange.external_id))
        partner._edi_client(exchange).delete_message(exchange.external_id)
        return self.env._("deleted %s", exchange.external_id)
