"""The PDF of a customer invoice, for every connector that hands invoices to a peer: Odoo's own stored one.

For addons that depend on ``account`` (b2b_connector_base itself does not: the function only runs where
account is installed)."""

from odoo.exceptions import UserError


def invoice_pdf(move):
    """The ``ir.attachment`` holding posted customer invoice / credit note ``move``'s PDF: the legal document
    account stores on the invoice (``invoice_pdf_report_id``), the file Send & Print attaches and the portal
    serves. The first call has account render and store it, as Send & Print does, but sending nothing (no
    e-mail, no e-invoice); every later call, whichever connector makes it, reads that same attachment. Reset
    to draft, Odoo detaches it: the invoice posted again gets a new one."""
    move.ensure_one()
    move = move.sudo()
    if not move.invoice_pdf_report_id:
        move.env["account.move.send"]._generate_and_send_invoices(
            move, sending_methods=["manual"], invoice_edi_format=None, extra_edis=[])
    attachment = move.invoice_pdf_report_id
    if not (attachment.raw or b"").startswith(b"%PDF"):
        raise UserError(move.env._("The invoice report of %(move)s did not produce a PDF (is wkhtmltopdf installed?).",
                                   move=move.name))
    return attachment
