"""The sandbox PrestaShop's webservice: authentication, permissions, dispatch, writes, images and attachments."""

import hashlib
import json
import re
from urllib.parse import urlencode

from lxml import etree

from odoo.addons.b2b_connector_base.lib import safe_xml

from ..server import Response
from ..shop import form_parts
from .context import _Ctx, _did_you_mean, _Error, _key_of
from .schema import ALL_METHODS, SCHEMA, SPECIFIC, WWW_AUTHENTICATE, XLINK, ZERO_DATE, _money, _valid, lang_value
from .store import PrestaShopStore


class PrestaShopWebservice(PrestaShopStore):
    """What ``/api`` answers."""

    def handle(self, request):
        if request.path.rstrip("/") != "/api" and not request.path.startswith("/api/"):
            return Response.text("Not Found", status=404, content_type="text/html")
        with self.lock:
            if self.request_limit.wait() is not None:  # a front proxy under load (PrestaShop has no limit)
                self.throttled += 1
                return Response.text("<html><head><title>503 Service Unavailable</title></head><body>"
                                     "<h1>Service Unavailable</h1><p>The server is temporarily unable to service "
                                     "your request. Please try again later.</p></body></html>", status=503,
                                     headers={"Retry-After": str(self.retry_after)}, content_type="text/html")
            if len(request.path) + len(urlencode(request.query)) > self.max_uri:
                return Response.text("<html><body><h1>Request-URI Too Long</h1></body></html>", status=414,
                                     content_type="text/html")
            if len(request.body) > self.max_body:
                return Response.text("<html><body><h1>Request Entity Too Large</h1></body></html>", status=413,
                                     content_type="text/html")
            fmt = (request.header("Io-Format") or request.header("Output-Format") or request.query.get("output_format")
                   or request.query.get("io_format") or "XML").upper()
            ctx = _Ctx(self, request, "JSON" if fmt == "JSON" else "XML")
            try:
                return self._dispatch(ctx)
            except _Error as err:
                return ctx.errors(err.status, err.errors, headers=err.headers)

    def _dispatch(self, ctx):
        request = ctx.request
        if not self.enabled:
            raise _Error(503, 22, "The PrestaShop webservice is disabled. "
                                  "Please activate it in the PrestaShop Back Office")
        self._check_key(request)
        ctx.authenticated = True
        shop = request.query.get("id_shop")
        if shop not in (None, "", "1", "all"):
            raise _Error(404, 999, "This shop id does not exist")
        ctx.set_languages(request.query.get("language"))
        method = (request.query.get("ps_method") or request.method).upper()
        segments = [s for s in request.path[len("/api"):].split("/") if s]
        if not segments:
            if method not in ("GET", "HEAD"):
                raise _Error(405, 23, f"Method {method} is not valid")
            return ctx.resource_list()
        resource = segments[0]
        self._check_access(resource, method, segments)
        if resource == "images":
            return self._images(ctx, method, segments)
        if resource == "attachments" and segments[1:2] == ["file"]:
            return self._attachment_file(ctx, method, segments)
        rid = segments[1] if len(segments) > 1 else None
        if method in ("GET", "HEAD"):
            return ctx.detail(resource, rid) if rid else ctx.listing(resource)
        if method == "DELETE":
            return self._delete(ctx, resource, rid)
        return self._save(ctx, resource, method, rid)

    def _check_key(self, request):
        """401 with PrestaShop's codes unless the request carries the active webservice key."""
        key = _key_of(request)
        auth_errors = []
        if key is None:
            auth_errors = [(16, "Please enter the authentication key as the login. No password required")]
        elif key.strip() == "":
            auth_errors = [(17, "Authentication key is empty")]
        elif len(key.strip()) != 32:
            auth_errors = [(18, "Invalid authentication key format")]
        elif key.strip() != self.key or not self.key_active:
            auth_errors = [(20, "Authentification key is not active"),
                           (21, "No permission for this authentication key")]
        if auth_errors:
            raise _Error(401, errors=auth_errors, headers={"WWW-Authenticate": WWW_AUTHENTICATE})

    def _check_access(self, resource, method, segments):
        """The resource exists, the key may use it, the method is one of the resource's and the key's."""
        if resource not in SCHEMA and resource not in SPECIFIC:
            names = sorted(set(SCHEMA) | set(SPECIFIC))
            raise _Error(400, 27, _did_you_mean(f'Resource of type "{resource}" does not exists', resource, names))
        if resource not in self.permissions:
            raise _Error(401, 26, f'Resource of type "{resource}" is not allowed with this authentication key')
        if method not in ALL_METHODS:
            raise _Error(405, 23, f"Method {method} is not valid")
        res = SCHEMA.get(resource)
        file_upload = resource == "attachments" and segments[1:2] == ["file"]
        if res is not None and method not in res.methods and not file_upload:
            raise _Error(405, 101, f"Method {method} is not allowed for the resource {resource}")
        if method not in self.permissions[resource]:
            raise _Error(405, 25, f"Method {method} is not allowed for the resource {resource} "
                                  "with this authentication key")

    # ------------------------------------------------------------------ writes
    def _entities(self, ctx):
        body = ctx.request.body
        if (ctx.request.header("Content-Type") or "").startswith("application/x-www-form-urlencoded"):
            body = ctx.request.form().get("xml", "").encode("utf-8")
        try:
            root = safe_xml.parse_xml(body, what="the XML body")
        except safe_xml.XMLInputError as exc:
            raise _Error(500, 127, f"XML error : {exc}\nXML length : {len(body)}\nOriginal XML : "
                                   f"{body[:2000].decode('utf-8', 'replace')}") from None
        entities = []
        for element in root:
            if not isinstance(element.tag, str):
                continue
            values, associations = {}, None
            for child in element:
                if not isinstance(child.tag, str):
                    continue
                if child.tag == "associations":
                    associations = {}
                    for assoc in child:
                        if isinstance(assoc.tag, str):
                            associations[assoc.tag] = [{f.tag: (f.text or "") for f in item if isinstance(f.tag, str)}
                                                       for item in assoc if isinstance(item.tag, str)]
                    continue
                languages = [c for c in child if c.tag == "language"]
                if languages:
                    values[child.tag] = {str(c.get("id")): (c.text or "") for c in languages}
                else:
                    values[child.tag] = child.text or ""
            entities.append((values, associations))
        return entities

    def _save(self, ctx, resource, method, url_id):
        res = SCHEMA[resource]
        entities = self._entities(ctx)
        self._check_ids(method, entities)
        saved = None
        for values, associations in entities:
            record, existing = self._record_to_write(resource, res, method, values)
            self._write_fields(res, method, values, record)
            if associations:
                self._write_associations(res, associations, record)
            self._validate(resource, res, record, existing)
            for field in res.fields.values():
                if not field.i18n:
                    record[field.name] = self._cast(field, record[field.name])
            saved = self._store(resource, record, existing, ctx)
        return ctx.single(resource, saved, status=201 if method == "POST" else 200)

    @staticmethod
    def _check_ids(method, entities):
        """Every entity of a PUT or PATCH names its own id, none of a POST does."""
        ids = [str(v.get("id", "")).strip() for v, _a in entities if str(v.get("id", "")).strip()]
        if method in ("PUT", "PATCH"):
            if len(set(ids)) != len(ids):
                raise _Error(400, 89, "id is duplicate in request")
            if len(ids) != len(entities):
                raise _Error(400, 90, "id is required when modifying a resource")
        elif ids:
            raise _Error(400, 91, "id is forbidden when adding a new resource")

    def _record_to_write(self, resource, res, method, values):
        """(record, existing): a new record of the defaults for a POST, a copy of the stored one else."""
        if method == "POST":
            record = {"id": None, "associations": {n: [] for n in res.assoc}}
            for field in res.fields.values():
                record[field.name] = self._i18n(field.default) if field.i18n else field.default
            return record, False
        current = self.db[resource].get(int(values["id"])) if values["id"].isdigit() else None
        if current is None:
            raise _Error(404, 92, "Invalid ID")
        return json.loads(json.dumps(current)), True

    def _write_fields(self, res, method, values, record):
        """The fields of the body into the record: a PUT resets those left out, a PATCH keeps them."""
        for field in res.fields.values():
            present = field.name in values
            if method == "PATCH" and not present:
                continue
            if present and not field.i18n:
                if field.readonly:
                    raise _Error(400, 93, f'parameter "{field.name}" not writable. '
                                          "Please remove this attribute of this XML")
                value = values[field.name]
                record[field.name] = value if not isinstance(value, dict) else next(iter(value.values()), "")
            elif field.required and not field.i18n:
                raise _Error(400, 41, f'parameter "{field.name}" required')
            elif not field.i18n and not field.readonly and method == "PUT":
                record[field.name] = field.default
            if field.i18n and present:
                value = values[field.name]
                if isinstance(value, dict):
                    record[field.name].update({k: v for k, v in value.items() if k in self.languages})
                else:
                    record[field.name] = self._i18n(value)
            elif field.i18n and method == "PUT":
                record[field.name] = self._i18n("")

    @staticmethod
    def _write_associations(res, associations, record):
        """The associations of the body replace the record's writable ones; an unknown one is refused."""
        for name, items in associations.items():
            if name not in res.assoc:
                raise _Error(400, 86, f'The association "{name}" does not exists')
            if res.assoc[name][2]:
                record["associations"][name] = [{"id": i.get("id", "")} for i in items]

    def _validate(self, resource, res, record, existing):
        """PrestaShop's checks before a save, in its order: the first failing one is the answer."""
        self._validate_i18n(res, record)
        self._validate_plain(res, record)
        self._validate_references(resource, res, record)

    def _validate_i18n(self, res, record):
        """ObjectModel::validateFieldsLang: the default language's value required, sizes, validators."""
        default_lang = self.languages[0]
        for field in res.fields.values():
            if not field.i18n:
                continue
            values = record[field.name]
            # PrestaShop fills the languages left out with the default language's value
            for lang in self.languages:
                if not values.get(lang):
                    values[lang] = values.get(default_lang, "")
            for lang, text in values.items():
                if field.required and lang == default_lang and not str(text).strip():
                    raise _Error(400, 84, f'Validation error: "Property {res.cls}->{field.name} is empty."')
                if field.size and len(text) > field.size:
                    raise _Error(400, 84, f'Validation error: "Property {res.cls}->{field.name} is too long '
                                          f'({field.size} chars max)."')
                if not _valid(field.validate, text):
                    raise _Error(400, 84, f'Validation error: "Property {res.cls}->{field.name} is not valid"')

    @staticmethod
    def _validate_plain(res, record):
        """ObjectModel::validateFields on the writable fields that are not per language."""
        for field in res.fields.values():
            if field.i18n or field.readonly:
                continue
            value = str(record[field.name] if record[field.name] is not None else "")
            if field.required and value.strip() == "" and not (field.type in ("int", "bool", "float") and value == "0"):
                raise _Error(400, 85, f'Validation error: "Property {res.cls}->{field.name} is empty."')
            if field.size and len(value) > field.size:
                raise _Error(400, 85, f'Validation error: "Property {res.cls}->{field.name} is too long '
                                      f'({field.size} chars max)."')
            validator = field.validate or {"int": "isInt", "bool": "isBool", "float": "isFloat"}.get(field.type)
            if field.type == "date" and value in (ZERO_DATE, "0000-00-00"):
                continue
            if validator and validator != "isString" and not _valid(validator, value):
                raise _Error(400, 85, f'Validation error: "Property {res.cls}->{field.name} is not valid"')

    def _validate_references(self, resource, res, record):
        """What the objects' own add()/update() check: the records they point to exist."""
        if resource == "addresses" and int(record["id_country"] or 0) not in self.db["countries"]:
            raise _Error(400, 85, 'Validation error: "Property Address->id_country is not valid"')
        if resource == "order_histories":
            if int(record["id_order"] or 0) not in self.db["orders"]:
                raise _Error(400, 85, 'Validation error: "Property OrderHistory->id_order is not valid"')
            if int(record["id_order_state"] or 0) not in self.db["order_states"]:
                raise _Error(400, 85, 'Validation error: "Property OrderHistory->id_order_state is not valid"')
        thread = int(record.get("id_customer_thread") or 0)
        if resource == "customer_messages" and thread not in self.db["customer_threads"]:
            raise _Error(500, 46, "Unable to save resource")
        product = int(record.get("id_product") or 0)
        if resource in ("stock_availables", "specific_prices") and product not in self.db["products"]:
            raise _Error(400, 85, f'Validation error: "Property {res.cls}->id_product is not valid"')

    def _store(self, resource, record, existing, ctx):
        now = self._now()
        fields = SCHEMA[resource].fields
        if "date_upd" in fields:
            record["date_upd"] = now
        if not existing:
            record["id"] = self._ids.next(resource)
            if "date_add" in fields and record["date_add"] in ("", ZERO_DATE):
                record["date_add"] = now
        if resource == "customers":
            if not existing or record["passwd"] != self.db[resource][record["id"]]["passwd"]:
                record["passwd"] = self._hash(record["passwd"])
            record["secure_key"] = record["secure_key"] or self._token(32)
        if resource == "categories" and not existing:
            parent = self.db["categories"].get(int(record["id_parent"] or 2))
            record["level_depth"] = str(int(parent["level_depth"]) + 1 if parent else 2)
        self.db[resource][record["id"]] = record
        if resource == "products" and not existing:
            self._after_product_created(record)
        if resource == "stock_availables":
            product = self.db["products"].get(int(record["id_product"]))
            if product and record["id_product_attribute"] == "0":
                product["quantity"] = record["quantity"]
        if resource == "order_histories":
            order = self.db["orders"][int(record["id_order"])]
            state = self.db["order_states"][int(record["id_order_state"])]
            order.update(current_state=record["id_order_state"], valid=state["logable"], date_upd=now)
            if state["paid"] == "1" and _money(order["total_paid_real"]) == 0:
                order["total_paid_real"] = order["total_paid_tax_incl"]
            if ctx.request.query.get("sendemail") in ("1", "true") and state["send_email"] == "1":
                customer = self.db["customers"].get(int(order["id_customer"]), {})
                self.emails.append({"order": order["id"], "state": state["id"], "to": customer.get("email", ""),
                                    "template": lang_value(state["template"], self.languages[0])})
        if resource == "order_carriers" and existing and ctx.request.query.get("sendemail") in ("1", "true"):
            self._in_transit_email(record)
        if resource == "customer_messages":
            thread = self.db["customer_threads"][int(record["id_customer_thread"])]
            thread["date_upd"] = now
            thread["associations"]["customer_messages"].append({"id": str(record["id"])})
        return record

    def _in_transit_email(self, order_carrier):
        """OrderCarrier::updateWs with sendemail: the "in transit" e-mail with the carrier's tracking URL (its
        ``@`` replaced by the tracking number); none for a carrier without URL, as PrestaShop."""
        order = self.db["orders"][int(order_carrier["id_order"])]
        carrier = self.db["carriers"].get(int(order_carrier["id_carrier"] or 0)) or {}
        if not carrier.get("url"):
            return
        customer = self.db["customers"].get(int(order["id_customer"]), {})
        self.emails.append({"order": order["id"], "template": "in_transit", "to": customer.get("email", ""),
                            "shipping_number": order_carrier["tracking_number"],
                            "followup": carrier["url"].replace("@", order_carrier["tracking_number"])})

    def _delete(self, ctx, resource, rid):
        ids = []
        if ctx.request.query.get("id"):
            match = re.match(r"^\[(.*)\]$", ctx.request.query["id"])
            ids = match.group(1).split(",") if match else []
        elif rid:
            ids = [rid]
        missing = [i for i in ids if not i.isdigit() or int(i) not in self.db[resource]]
        if missing or not ids:
            raise _Error(404, 87, "Id(s) not exists: " + ", ".join(missing))
        for i in ids:
            del self.db[resource][int(i)]
        return Response(200, b"", {"X-Powered-By": "PrestaShop Webservice", "PSWS-Version": self.version})

    # ------------------------------------------------------------------ specific management
    def _images(self, ctx, method, segments):
        if len(segments) < 3 or segments[1] != "products" or not segments[2].isdigit():
            raise _Error(400, 66, "This image type does not exist")
        product = self.db["products"].get(int(segments[2]))
        if product is None:
            raise _Error(400, 66, "Product not found")
        if method in ("GET", "HEAD"):
            root = etree.Element("prestashop", nsmap={"xlink": XLINK})
            image = etree.SubElement(root, "image", id=str(product["id"]))
            for item in self.images.get(product["id"], []):
                etree.SubElement(image, "declination", id=str(item["id"]))
            return ctx.xml(root)
        if method != "POST":
            raise _Error(405, 23, f"Method {method} is not valid")
        parts = {part.name: part for part in form_parts(ctx.request) or []}
        upload = parts.get("image")
        if not upload or not upload.data:
            raise _Error(400, 69, "Please set an \"image\" parameter with image data for value")
        data = upload.data
        if not (data.startswith(b"\x89PNG") or data.startswith(b"\xff\xd8") or data.startswith(b"GIF8")
                or data[8:12] == b"WEBP"):
            raise _Error(400, 73, "Image format not recognized, allowed formats are: .gif, .jpg, .png, .webp")
        image_id = self._ids.next("image")
        self.images.setdefault(product["id"], []).append({"id": image_id, "filename": upload.filename,
                                                          "mime": upload.content_type, "data": data})
        product["associations"]["images"].append({"id": str(image_id)})
        if product["id_default_image"] in ("", "0"):
            product["id_default_image"] = str(image_id)
        root = etree.Element("prestashop", nsmap={"xlink": XLINK})
        image = etree.SubElement(root, "image")
        etree.SubElement(image, "id").text = str(image_id)
        etree.SubElement(image, "id_product").text = str(product["id"])
        return ctx.xml(root)

    def _attachment_file(self, ctx, method, segments):
        if method in ("GET", "HEAD"):
            rid = segments[2] if len(segments) > 2 else ""
            record = self.db["attachments"].get(int(rid)) if rid.isdigit() else None
            if record is None:
                raise _Error(500, 1, f"Attachment {rid or 0} not found")
            return Response(200, self.attachment_files[record["id"]], {
                "Content-Type": record["mime"], "Content-Disposition": f'attachment; filename="{record["file_name"]}"'})
        if method not in ("POST", "PUT"):
            raise _Error(405, 23, f"Method {method} is not valid")
        parts = {part.name: part for part in form_parts(ctx.request) or []}
        upload = parts.get("file")
        if not upload or not upload.filename:
            raise _Error(400, 0, "No file was uploaded (form field \"file\")")
        if len(upload.data) > self.max_attachment_bytes:
            raise _Error(400, 0, "The file is too large. Maximum size allowed is: "
                                 f"{self.max_attachment_bytes // 1024} kB. The file you are trying to upload is "
                                 f"{len(upload.data) / 1024:.2f} kB.")
        name = (parts["name"].value if "name" in parts else "") or upload.filename
        record = {"id": None, "file": hashlib.sha1(upload.data + str(self.clock()).encode()).hexdigest(),
                  "file_name": upload.filename, "file_size": str(len(upload.data)), "mime": upload.content_type,
                  "name": self._i18n(name[:32]), "description": self._i18n(""), "associations": {}}
        record = self._store("attachments", record, False, ctx)
        self.attachment_files[record["id"]] = upload.data
        return ctx.single("attachments", record, status=200)


