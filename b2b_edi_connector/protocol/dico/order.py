"""The Order we send (ORDERS), built following the wholesaler's deviation profile.

An order may have hundreds of lines and every line is the same handful of elements: one OrderLine is
prepared per shape (which of its optional elements a line has) for the order being built; each line
writes its texts into the prepared one of its shape and appends a copy of it (lxml copies a subtree in C,
much faster than creating its elements one by one).
"""
# pylint: disable=prefer-env-translation  # env-less: _lt marks the term for the exporter, the Odoo layer translates it

from lxml import etree

from odoo.addons.b2b_connector_base.lib.errors import _lt

from .elements import quantity_text
from .model import DicoError
from .profile import STANDARD


def build(fmt, order, profile=None):
    profile = profile or STANDARD
    if not order.lines:
        raise DicoError("dico.order.no_lines", _lt("order %(order)s has no lines"), order=order.number)
    tags = order_tags(fmt)
    sub_element = etree.SubElement

    def sub(parent, tag, text=None):
        el = sub_element(parent, tags[tag])
        if text is not None:
            el.text = str(text)
        return el

    root = fmt.root("Order")
    _header(sub, root, order, profile)
    _lines(fmt, root, order, profile)
    return root


def _header(sub, root, order, profile):
    """The Order's elements before its lines."""
    sub(root, "OrderType", order.order_type or "220")
    sub(root, "OrderNumber", order.number)
    sub(root, "OrderDate", order.date.isoformat())
    if profile.send_order_time and order.time:
        sub(root, "OrderTime", order.time.strftime("%H:%M:%S"))
    if not profile.omit_empty_indicators:
        sub(root, "DraftOrderIndicator", "")
        sub(root, "DeliveryOnDemandIndicator", "")
    # wrapper/child pairs; a flat profile writes the child in the wrapper's place
    for wrapper, tag, value, size in (
            ("CustomerOrderReference", "EndCustomerOrderNumber", order.customer_reference, 35),
            ("ProjectReference", "ProjectNumber", order.project_reference, 35),
            ("AdditionalInformation", "FreeText", order.free_text, 350)):
        if value:
            sub(root if profile.flat_references else sub(root, wrapper), tag, value[:size])
    if order.required_date:
        sub(sub(root, "DeliveryDateTimeInformation"), "RequiredDeliveryDate", order.required_date.isoformat())
    party(sub, root, "Buyer", order.buyer, address=False)
    party(sub, root, "Supplier", order.supplier, address=False)
    if order.delivery_party:
        party(sub, root, "DeliveryParty", order.delivery_party, address=profile.delivery_party_address,
              gln=profile.delivery_party_gln or not profile.delivery_party_address)


def _lines(fmt, root, order, profile):
    """The Order's lines, each a copy of the OrderLine prepared for its shape."""
    identification = "LineIdentitfication" if profile.line_identitfication else "LineIdentification"
    format_gtin = profile.format_gtin
    prepared = {}  # shape -> OrderLine prepared for this order, with the elements each line writes in
    quantities = {}  # quantity -> its text: an order has few distinct quantities, each formatted once
    append = root.append
    for n, line in enumerate(order.lines, 1):
        code, description, date = line.supplier_code, line.description, line.required_date
        gtin = line.gtin
        if not (gtin or code):
            raise DicoError("dico.order.no_article", _lt(
                "order %(order)s line %(line)s (%(description)s) has neither a GTIN nor a supplier article code"),
                order=order.number, line=n, description=description or "?")
        if profile.supplier_code_only:
            gtin = ""
        shape = (not gtin, not code, not description, not date)
        template = prepared.get(shape)
        if template is None:
            template = prepared[shape] = line_template(fmt, identification, *shape)
        el, number_el, quantity_el, unit_el, identification_el, gtin_el, code_el, description_el, date_el = template
        number_el.text = str(n)
        quantity = line.quantity
        text = quantities.get(quantity)
        if text is None:
            text = quantities[quantity] = quantity_text(quantity)
        quantity_el.text = text
        unit_el.text = str(line.unit or "PCE")
        identification_el.text = None if line.line_id is None else str(line.line_id)
        if gtin:
            gtin_el.text = str(format_gtin(gtin))
        if code:
            code_el.text = str(code)
        if description:
            description_el.text = str(description[:70])
        if date:
            date_el.text = date.isoformat()
        # lxml copies the element with everything below it, texts included, in C (copy.copy would only add
        # its own dispatch: a seventh of the build of a 50-line order)
        append(el.__copy__())


def party(sub, parent, tag, value, address=True, gln=True):
    el = sub(parent, tag)
    if value.gln and gln:
        sub(el, "GLN", value.gln)
    if address:
        for field_name, child in (("name", "Name"), ("street", "StreetAndNumber"), ("city", "City"),
                                  ("postal_code", "PostalCode"), ("country", "Country")):
            text = getattr(value, field_name)
            if text:
                sub(el, child, text[:70])
    return el


class _Tags(dict):
    """Element name -> tag in one namespace."""

    def __init__(self, namespace):
        super().__init__()
        self.namespace = namespace

    def __missing__(self, tag):
        return self.setdefault(tag, f"{{{self.namespace}}}{tag}" if self.namespace else tag)


_tags = {}  # Order namespace -> _Tags


def order_tags(fmt):
    namespace = fmt.namespace("Order")
    tags = _tags.get(namespace)
    return tags if tags is not None else _tags.setdefault(namespace, _Tags(namespace))


def line_template(fmt, identification, no_gtin, no_code, no_description, no_date):
    """An OrderLine under an Order of ``fmt`` (its namespace declared there, as in the Order it is copied
    into) and its elements that take a text (None: the line has no such element)."""
    tags = order_tags(fmt)
    sub = etree.SubElement
    line = sub(fmt.root("Order"), tags["OrderLine"])
    fixed = [sub(line, tags[tag]) for tag in ("LineNumber", "OrderedQuantity", "OrderedQuantityMeasureUnitCode",
                                              identification)]
    item = sub(line, tags["TradeItemIdentification"])
    gtin = None if no_gtin else sub(item, tags["GTIN"])
    code = None if no_code else sub(item, tags["SuppliersTradeItemIdentification"])
    description = None if no_description else sub(sub(item, tags["AdditionalItemIdentification"]),
                                                  tags["TradeItemDescription"])
    date = None if no_date else sub(sub(line, tags["DeliveryDateTimeInformation"]), tags["RequiredDeliveryDate"])
    return (line, *fixed, gtin, code, description, date)
