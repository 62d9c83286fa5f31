"""The carrier adapter interface and its registry.

An adapter is built with the credentials of one delivery method and an :class:`HttpClient` (the delivery
method's timeouts and retries, every call recorded on the exchange with the secrets masked). It turns a
:class:`~.model.Shipment` into the carrier's request, sends it and maps the answer back:

* ``book(shipment)`` -> :class:`~.model.Booking`: one label per parcel;
* ``cancel(booking_ref, tracking_numbers)`` where the carrier allows it (``can_cancel``);
* ``track(tracking_numbers)`` -> list of :class:`~.model.TrackingEvent` (latest per number);
* ``tracking_url(tracking_numbers)``: the carrier's public tracking page of those numbers.

A refusal is a :class:`CarrierError` with a ``kind`` (``auth``, ``address``, ``unavailable``, ``refused``) and
the carrier's own message, written for the people reading the exchange log: our words are a
:class:`~odoo.addons.b2b_connector_base.lib.errors.Phrase` the Odoo layer says in the user's language.
"""
# pylint: disable=prefer-env-translation  # env-less: _lt marks the term for the exporter, the Odoo layer translates it

import email.parser
import email.policy
from dataclasses import dataclass

from odoo.addons.b2b_connector_base.lib.errors import Phrase, _lt

from .model import LABEL_FORMATS, Booking

ERROR_KINDS = ("auth", "address", "unavailable", "refused", "unsupported")
# what an address needs for every carrier: field -> its name in an error
ADDRESS_FIELDS = {"name": _lt("name"), "street": _lt("street"), "zip": _lt("zip"), "city": _lt("city"),
                  "country_code": _lt("country")}


class CarrierError(Exception):
    """The carrier refused a request (or cannot take it now: ``unavailable`` is retried by itself)."""

    user_facing = True

    def __init__(self, message, kind="refused", code=None, retry_after=None):
        super().__init__(message)
        self.kind = kind if kind in ERROR_KINDS else "refused"
        self.code = code
        self.retry_after = retry_after

    @property
    def retryable(self):
        return self.kind == "unavailable"


@dataclass(frozen=True)
class Credential:
    """Which credential field of the delivery method an adapter reads, and what the carrier calls it."""

    field: str  # account, password, api_key
    label: str
    help: str = ""


class CarrierAdapter:
    """Base class of a carrier's adapter (see the module docstring)."""

    code = None  # the delivery_type value
    label = None
    services = ()  # (product code, label) pairs
    relay_services = ()  # product codes that deliver to a pickup point (need Shipment.relay_point)
    label_formats = LABEL_FORMATS
    can_cancel = True
    production_url = ""
    test_url = ""  # the carrier's own test environment, when it has one
    credentials = ()  # Credential declarations
    max_parcels = 1  # parcels in one booking request; more are booked request by request

    def __init__(self, http, account="", password="", api_key="", options=None):
        self.http = http
        self.account = account or ""
        self.password = password or ""
        self.api_key = api_key or ""
        self.options = dict(options or {})

    # ------------------------------------------------------------------ the operations
    def book(self, shipment):
        """Book ``shipment``: one label per parcel, in the order of ``shipment.parcels``."""
        self.check(shipment)
        labels, numbers, ids, raw = [], [], [], {}
        size = max(1, self.max_parcels)
        for start in range(0, len(shipment.parcels), size):
            booking = self._book(shipment, shipment.parcels[start:start + size])
            labels.extend(booking.labels)
            numbers.extend(booking.tracking_numbers)
            ids.append(booking.shipment_id or ",".join(booking.tracking_numbers))
            raw.update(booking.raw)
        return Booking(labels=labels, tracking_numbers=numbers, shipment_id=",".join(ids), raw=raw)

    def _book(self, shipment, parcels):  # pragma: no cover - each carrier
        """Book ``parcels`` (at most ``max_parcels``) of ``shipment``: a :class:`~.model.Booking`."""
        raise NotImplementedError

    def cancel(self, shipment_id, tracking_numbers):
        raise CarrierError(Phrase(_lt("%(carrier)s shipments cannot be cancelled."), carrier=self.label),
                           kind="unsupported")

    def track(self, tracking_numbers):  # pragma: no cover - each carrier
        raise CarrierError(Phrase(_lt("%(carrier)s tracking is not available."), carrier=self.label),
                           kind="unsupported")

    def tracking_url(self, tracking_numbers, shipment_id=""):  # pragma: no cover - each carrier
        """The carrier's public page tracking these numbers (``shipment_id``: what ``book`` returned)."""
        return ""

    # ------------------------------------------------------------------ shared checks
    def check(self, shipment):
        """What every carrier refuses before anything is sent, as clear errors."""
        if not shipment.parcels:
            raise CarrierError(Phrase(_lt("The shipment has no parcel.")), kind="refused")
        if shipment.service not in {code for code, _label in self.services}:
            raise CarrierError(Phrase(_lt("%(carrier)s has no service %(service)s."), carrier=self.label,
                                      service=repr(shipment.service)), kind="refused")
        if shipment.label_format not in self.label_formats:
            raise CarrierError(Phrase(_lt("%(carrier)s cannot print %(format)s labels."), carrier=self.label,
                                      format=shipment.label_format), kind="refused")
        if shipment.service in self.relay_services and not shipment.relay_point:
            raise CarrierError(Phrase(_lt("The %(carrier)s relay service needs a pickup point on the delivery."),
                                      carrier=self.label), kind="address")
        for lacks, address in ((_lt("The sender's address lacks: %(fields)s."), shipment.sender),
                               (_lt("The recipient's address lacks: %(fields)s."), shipment.recipient)):
            missing = [Phrase(label) for name, label in ADDRESS_FIELDS.items() if not getattr(address, name)]
            if missing:
                raise CarrierError(Phrase(lacks, fields=Phrase.join(missing)), kind="address")
        for parcel in shipment.parcels:
            if parcel.weight <= 0:
                raise CarrierError(Phrase(_lt("Parcel %(parcel)s has no weight."), parcel=parcel.reference),
                                   kind="refused")


_REGISTRY = {}


def register(cls):
    """Class decorator: make ``cls`` the adapter of its ``code``."""
    _REGISTRY[cls.code] = cls
    return cls


def get_adapter(code):
    try:
        return _REGISTRY[code]
    except KeyError:
        raise CarrierError(Phrase(_lt("No carrier adapter for %(code)s."), code=repr(code)),
                           kind="unsupported") from None


def adapters():
    return dict(_REGISTRY)


def multipart_parts(content_type, body):
    """The parts of a multipart answer (Colissimo's MTOM-like label answers): a list of
    ``(headers dict with lower-case names, payload bytes)``."""
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body)
    if not message.is_multipart():
        return [({"content-type": content_type}, body)]
    return [({k.lower(): str(v) for k, v in part.items()}, part.get_payload(decode=True) or b"")
            for part in message.iter_parts()]
