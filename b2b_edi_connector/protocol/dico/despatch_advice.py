"""The wholesaler's DespatchAdvice (DESADV): what ships, in which packages, when, with which tracking number.

A despatch line is one despatch unit (a package, a pallet: ``DespatchUnitInformation``) holding one or more
item levels (``ItemLevelDespatchAdvice``, one article each); one order line may travel in several units.
Some wholesalers put the article on the despatch line itself (no item level), Oosterberg names the unit
``DeliveredNetQuantityMeasurementUnit`` (both seen by wefabric/GS1-insbou-order-converter).
"""
# pylint: disable=prefer-env-translation  # env-less: _lt marks the term for the exporter, the Odoo layer translates it

from decimal import Decimal

from odoo.addons.b2b_connector_base.lib.errors import _lt

from . import elements as e
from .model import DespatchAdvice, DespatchLine, DespatchPackage, DicoError

UNIT = ("DeliveredQuantityMeasurementUnit|DeliveredQuantityMeasureUnitCode|DeliveredNetQuantityMeasurementUnit"
        "|DeliveredQuantityUoM")


def _package(despatch_line, n):
    unit = e.child(despatch_line, "DespatchUnitInformation")
    package = DespatchPackage(
        number=e.text(despatch_line, "DespatchLineNumber") or str(n),
        package_type=e.text(unit, "PackageTypeDescriptionCode|PackageDescriptionCode|PackageType"),
        sscc=e.text(unit, "SSCC") or e.text(unit, "DespatchUnitIdentification", "SSCC"),
    )
    for el in e.children(despatch_line, "ItemLevelDespatchAdvice") or [despatch_line]:
        gtin, code, desc = e.trade_item(el)
        package.lines.append(DespatchLine(
            order_line_id=e.text(el, "OrderLineIdentification|LineIdentification"),
            line_number=e.text(el, "LineNumber"),
            quantity=e.decimal(e.text(el, "DeliveredQuantity"), "DeliveredQuantity") or Decimal(0),
            unit=e.text(el, UNIT) or "PCE", gtin=gtin, supplier_code=code, description=desc,
            package=package.number, batch=e.text(el, "BatchNumber"),
        ))
    return package


def parse(root):
    buyer_order = e.text(root, "BuyersOrderNumber") or e.text(root, "OrderReference", "BuyersOrderNumber")
    if not buyer_order:
        raise DicoError("dico.despatch.no_order",
                        _lt("DespatchAdvice without BuyersOrderNumber: cannot tell which order it ships"))
    packages = [_package(el, n) for n, el in enumerate(e.children(root, "DespatchLine"), 1)]
    return DespatchAdvice(
        number=e.text(root, "MessageNumber|DespatchAdviceNumber"),
        date=e.date_at(root, "MessageDate|DespatchAdviceDate"),
        buyer_order_number=buyer_order, packages=packages,
        lines=[line for package in packages for line in package.lines],
        structure=e.text(root, "MessageStructure"),
        scheduled_date=e.date_at(root, "DeliveryDateTimeInformation", "ScheduledDeliveryDate"),
        tracking_ref=e.text(root, "TrackAndTraceNumber|TransportReference"),
        supplier=e.party(e.child(root, "Supplier")), buyer=e.party(e.child(root, "Buyer")),
    )
