import logging
import uuid

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.b2b_connector_base.lib.gs1 import explain_gln
from odoo.addons.b2b_connector_base.tools import MANAGER_GROUP, secret_fields

from ..protocol import messageservice
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
    edi_url = fields.Char("Production Address", copy=False, groups=MANAGER_GROUP,
                          help="The wholesaler's MessageService 3.1 address; the wholesaler profile's when empty")
    edi_test_url = fields.Char("Test Address", copy=False, groups=MANAGER_GROUP,
                               help="The address called in test mode; the wholesaler profile's when empty")
    edi_override_url = fields.Char("Override URL", copy=False, groups=MANAGER_GROUP,
                                   help="Used instead of the production and test addresses when set (e.g. a "
                                        "proxy)")
    edi_relation_id = fields.Char("Customer ID", copy=False, groups=MANAGER_GROUP,
                                  help="RelationId: the customer number the wholesaler gave you (sent when the "
                                       "wholesaler profile's RelationId rule asks for it)")
    edi_username = fields.Char("EDI Username", copy=False, groups=MANAGER_GROUP)
    edi_password, edi_password_enc = secret_fields("EDI Password")
    edi_format = fields.Selection(selection="_edi_format_selection", string="Message Format",
                                  default=DEFAULT_FORMAT, copy=False, groups=MANAGER_GROUP)
    edi_profile_id = fields.Many2one(
        "b2b.edi.profile", "Wholesaler Deviations", copy=False, groups=MANAGER_GROUP, ondelete="restrict",
        default=lambda self: self.env.ref("b2b_edi_connector.edi_profile_standard", raise_if_not_found=False),
        help="The wholesaler: its service contract, addresses, CustomInfo values and how it reads orders (B2B > "
             "Configuration > EDI Wholesaler Profiles). Choosing one fills the format and the addresses.")
    edi_test_mode = fields.Boolean("Test Mode", copy=False, groups=MANAGER_GROUP,
                                   help="The test address is called, messages are marked IsTestMessage and orders "
                                        "carry the test reference prefix 'TEST-'; answers are applied as usual.")
    edi_last_poll = fields.Datetime("Last Poll", readonly=True, copy=False)

    @api.constrains("b2b_gln")
    def _check_b2b_gln(self):
        for rec in self.sudo():  # also when someone without access to the fields creates a contact
            if rec.b2b_gln:
                problem = explain_gln(rec.b2b_gln)
                if problem:
                    raise ValidationError(problem)

    @api.constrains("edi_enabled", "edi_url", "edi_test_url", "edi_override_url", "edi_relation_id",
                    "edi_profile_id", "edi_test_mode", "edi_format")
    def _check_edi(self):
        for rec in self.sudo().filtered("edi_enabled"):
            if not rec._edi_endpoint():
                raise ValidationError(self.env._("%(name)s: an EDI supplier needs the wholesaler's %(which)s address.",
                                                 name=rec.name, which=self.env._("test") if rec.edi_test_mode
                                                 else self.env._("production")))
            if rec.edi_profile_id.relation_id_rule != "empty" and not rec.edi_relation_id:
                raise ValidationError(self.env._("%(supplier)s: an EDI supplier needs your customer ID (RelationId).",
                                                 supplier=rec.name))
            if rec.edi_format not in rec.edi_profile_id._edi_formats():
                raise ValidationError(self.env._("%(name)s: %(profile)s does not take %(format)s messages.",
                                                 name=rec.name, profile=rec.edi_profile_id.name, format=rec.edi_format))

    @api.onchange("edi_profile_id")
    def _onchange_edi_profile_id(self):
        """A wholesaler profile brings its format and its addresses (they stay editable)."""
        profile = self.edi_profile_id
        if not profile:
            return
        self.edi_format = profile.message_format
        if profile.endpoint_production:
            self.edi_url = profile.endpoint_production
        if profile.endpoint_test:
            self.edi_test_url = profile.endpoint_test

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
        """The address called: the override, else the test or production address of the supplier, else the
        one of its wholesaler profile (Technische Unie publishes a test WSDL only: production is the same
        contract at another address)."""
        self.ensure_one()
        partner = self.sudo()
        profile = partner.edi_profile_id
        if partner.edi_test_mode:
            address = partner.edi_test_url or profile.endpoint_test
        else:
            address = partner.edi_url or profile.endpoint_production
        return (partner.edi_override_url or address or "").strip()

    def _edi_custom_info(self):
        """The CustomInfo header of every call, as the wholesaler profile says."""
        self.ensure_one()
        partner = self.sudo()
        profile = partner.edi_profile_id
        return messageservice.CustomInfo(
            relation_id="" if profile.relation_id_rule == "empty" else (partner.edi_relation_id or ""),
            application_id=profile.application_id or "b2b-connect", version_id=profile.version_id or "",
            language_code=profile.language_code or "NL", is_test_message=bool(partner.edi_test_mode))

    def _edi_client(self, exchange):
        """The MessageService client of the configured connection; callers decide who may use it (a
        confirmed order goes out whoever confirmed it, test and poll are for managers)."""
        self.ensure_one()
        partner = self.sudo().commercial_partner_id
        if not partner._edi_endpoint():
            raise UserError(self.env._("%(partner)s has no EDI address.", partner=partner.name))
        password = partner._b2b_secret("edi_password") or ""
        credentials = messageservice.Credentials(partner.edi_username or "", password)
        # the password travels XML-escaped in the UsernameToken: the call log masks that form too
        http = partner._b2b_http(exchange, secrets=messageservice.secret_forms(password))
        return messageservice.MessageServiceClient(
            http, partner._edi_endpoint(), credentials, partner._edi_custom_info(),
            contract=partner.edi_profile_id.messageservice_contract or messageservice.DEFAULT_CONTRACT)

    def _edi_msg_id(self, exchange):
        """Our MsgId for what ``exchange`` sends: the same on every attempt (a retried order is the same
        message), a GUID as Solar's WSDL wants it."""
        database = self.env["ir.config_parameter"].sudo().get_param("database.uuid", "")
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"b2b-connect:{database}:{exchange.id}"))

    @api.model
    def _edi_message_format(self, msg_format, msg_version):
        """The code of our DICO format MessageService calls (MsgFormat, MsgVersion), or None."""
        for code, fmt in FORMATS.items():
            if (fmt.msg_format, fmt.version) == ((msg_format or "").upper(), msg_version or ""):
                return code
        return None

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
                                      summary=self.env._("Poll %(name)s", name=self.name))
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
            kind, _processor = INCOMING.get(info.msg_type, ("dico.unknown", "_b2b_apply_unknown"))
            incoming = Exchange._b2b_find(kind, info.msg_id, backend=partner, direction="in")
            if incoming:
                known += 1
                if incoming.state in ("done", "cancelled"):
                    partner._edi_queue_delete(incoming, info.msg_id)
                continue
            message = client.get_message(info.msg_id, info.msg_format, info.msg_version)
            fetched += 1
            message.properties.msg_type = message.properties.msg_type or info.msg_type
            message.properties.msg_format = message.properties.msg_format or info.msg_format
            message.properties.msg_version = message.properties.msg_version or info.msg_version
            incoming = partner._edi_receive(message)
            if incoming._b2b_process():
                applied += 1
                partner._edi_queue_delete(incoming, info.msg_id)
            else:
                failed += 1
            exchange._b2b_progress(n, len(available))
        partner.sudo().edi_last_poll = fields.Datetime.now()
        return self.env._("%(total)s available: %(fetched)s fetched, %(applied)s applied, %(failed)s failed, "
                          "%(known)s already known", total=len(available), fetched=fetched, applied=applied,
                          failed=failed, known=known)

    def _edi_receive(self, message):
        """The incoming exchange of a wholesaler's ``message`` (polled, or answered with an order), in the
        format the message names (the supplier's when it names none we know)."""
        self.ensure_one()
        props = message.properties
        kind, processor = INCOMING.get(props.msg_type, ("dico.unknown", "_b2b_apply_unknown"))
        return self._b2b_exchange(
            kind, direction="in", external_id=props.msg_id,
            protocol=self._edi_message_format(props.msg_format, props.msg_version) or self.sudo().edi_format,
            payload=message.content, filename=f"{props.msg_type or 'MESSAGE'}_{props.msg_id}.xml",
            process=("purchase.order", processor), parent_id=False,
            summary=self.env._("%(type)s %(id)s", type=props.msg_type, id=props.msg_id))

    def _edi_queue_delete(self, incoming, message_id):
        self.ensure_one()
        if incoming.child_ids.filtered(lambda c: c.kind == DELETE_KIND and c.state in ("pending", "done")):
            return
        delete = self._b2b_exchange(DELETE_KIND, direction="out", protocol="MessageService 3.1",
                                    parent_id=incoming.id, external_id=message_id,
                                    process=("res.partner", "_b2b_process_delete"),
                                    summary=self.env._("Delete %(message_id)s at the wholesaler",
                                                       message_id=message_id))
        delete._b2b_enqueue()

    def _b2b_process_delete(self, exchange):
        partner = exchange.backend_ref
        if exchange.parent_id and exchange.parent_id.state not in ("done", "cancelled"):
            raise UserError(self.env._("Message %(external_id)s was not applied: it stays at the wholesaler.",
                                       external_id=exchange.external_id))
        fmt = get_format(exchange.parent_id.protocol if exchange.parent_id.protocol in FORMATS else partner.edi_format)
        partner._edi_client(exchange).delete_message(exchange.external_id, fmt.msg_format, fmt.version)
        return self.env._("deleted %(external_id)s", external_id=exchange.external_id)
