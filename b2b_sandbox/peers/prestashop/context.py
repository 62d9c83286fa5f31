"""One webservice request of the sandbox PrestaShop: its format and languages, PrestaShop's filter syntax, and the
answers (lists, records, errors) in XML or JSON."""

import difflib
import json
import re
import time
from decimal import Decimal

from lxml import etree

from ..server import Response
from ..shop import basic_credentials
from .schema import SCHEMA, SPECIFIC, XLINK, _num


class _Error(Exception):
    def __init__(self, status, code=None, message=None, errors=None, headers=None):
        super().__init__(message)
        self.status = status
        self.errors = errors or [(code, message)]
        self.headers = headers or {}


def _did_you_mean(label, value, choices):
    closest = difflib.get_close_matches(value, choices, n=1, cutoff=0) or [""]
    return f'{label}. Did you mean: "{closest[0]}"? The full list is: "' + '", "'.join(choices) + '"'


def _key_of(request):
    """The webservice key: the Basic user name ("" when unreadable), else the ``ws_key`` parameter."""
    if (request.header("Authorization") or "").lower().startswith("basic "):
        return (basic_credentials(request) or ("",))[0]
    return request.query.get("ws_key")


_FILTER = re.compile(r"^(.*)\[(.*)\](.*)$", re.S)
_INTERVAL = re.compile(r"^([\d.:\-\s]+),([\d.:\-\s]+)$")


def _cmp_key(value):
    number = _num(value)
    return (0, number, "") if number is not None else (1, Decimal(0), str(value).casefold())


def _eq(actual, wanted):
    a, w = _num(actual), _num(wanted)
    if a is not None and w is not None:
        return a == w
    return str(actual).casefold().rstrip() == str(wanted).casefold().rstrip()


def _like(actual, pattern):
    regex = "".join(".*" if c == "%" else "." if c == "_" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, str(actual), re.I | re.S) is not None


def _matches(spec, actual):
    """PrestaShop's filter syntax (SQLUtils::getSQLRetrieveFilter) applied to one value."""
    m = _FILTER.match(spec)
    if not m:
        return _eq(actual, spec)
    pre, inner, post = m.groups()
    if pre == "%" or post == "%":
        return _like(actual, pre + inner + post)
    if pre == "" and post == "":
        if inner.find("|") > 0:
            return any(_eq(actual, v) for v in inner.split("|"))
        interval = _INTERVAL.match(inner)
        if interval:
            low, high = sorted(interval.groups(), key=_cmp_key)
            return _cmp_key(low) <= _cmp_key(actual) <= _cmp_key(high)
        return _eq(actual, inner)
    if pre == ">":
        return _cmp_key(actual) > _cmp_key(inner)
    if pre == "<":
        return _cmp_key(actual) < _cmp_key(inner)
    if pre == "!":
        return not any(_eq(actual, v) for v in inner.split("|"))
    return True  # PrestaShop adds no condition for other shapes


class _Ctx:
    def __init__(self, peer, request, fmt):
        self.peer, self.request, self.fmt = peer, request, fmt
        self.authenticated = False
        self.langs = list(peer.languages)

    def set_languages(self, value):
        if value is None:
            return
        if value.isdigit():
            langs = [value]
        elif re.fullmatch(r"\[[\d|]+\]", value):
            langs = value[1:-1].split("|")
        elif re.fullmatch(r"\[\d+,\d+\]", value):
            low, high = (int(v) for v in value[1:-1].split(","))
            langs = [str(i) for i in range(low, high + 1)]
        else:
            raise _Error(400, 79, "language value is wrong")
        self.langs = [lang for lang in langs if lang in self.peer.languages]
        if not self.langs:
            raise _Error(400, 81, "language is not available")

    # -- answers
    def _headers(self, extra=None):
        headers = {"X-Powered-By": "PrestaShop Webservice", "Access-Time": str(int(time.time())),
                   "Execution-Time": "0.004"}
        if self.authenticated:
            headers["PSWS-Version"] = self.peer.version
        headers.update(extra or {})
        return headers

    def json(self, data, status=200):
        return Response.json(data, status=status, headers=self._headers())

    def xml(self, root, status=200):
        return Response.xml(etree.tostring(root, xml_declaration=True, encoding="UTF-8"), status=status,
                            headers=self._headers(), content_type="text/xml;charset=utf-8")

    def errors(self, status, errors, headers=None):
        if self.fmt == "JSON":
            body = json.dumps({"errors": [{"code": code, "message": message} for code, message in errors]})
            return Response(status, body.encode(),
                            self._headers({"Content-Type": "application/json", **(headers or {})}))
        root = etree.Element("prestashop", nsmap={"xlink": XLINK})
        errors_el = etree.SubElement(root, "errors")
        for code, message in errors:
            error = etree.SubElement(errors_el, "error")
            etree.SubElement(error, "code").text = etree.CDATA(str(code))
            etree.SubElement(error, "message").text = etree.CDATA(str(message))
        body = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
        return Response(status, body, self._headers({"Content-Type": "text/xml;charset=utf-8", **(headers or {})}))

    def resource_list(self):
        base = f"http://{self.peer.host}:{self.peer.port}/api/"
        names = sorted(set(SCHEMA) | set(SPECIFIC))
        allowed = [n for n in names if n in self.peer.permissions]
        if self.fmt == "JSON":
            return self.json({"api": {"shopName": self.peer.shop_name, "resources": allowed}})
        root = etree.Element("prestashop", nsmap={"xlink": XLINK})
        api = etree.SubElement(root, "api", shopName=self.peer.shop_name)
        for name in allowed:
            methods = self.peer.permissions[name]
            element = etree.SubElement(api, name, {f"{{{XLINK}}}href": base + name})
            for method in ("get", "put", "post", "patch", "delete", "head"):
                element.set(method, "true" if method.upper() in methods else "false")
            description = SPECIFIC.get(name) or f"The {name.replace('_', ' ')}"
            etree.SubElement(element, "description", {f"{{{XLINK}}}href": base + name}).text = description
            if name not in SPECIFIC:
                etree.SubElement(element, "schema",
                                 {f"{{{XLINK}}}href": base + name + "?schema=blank", "type": "blank"})
        return self.xml(root)

    # -- reads
    def _fields_to_display(self, res):
        display = self.request.query.get("display")
        if display is None or display == "minimum":
            return None
        if display == "full":
            return "full"
        m = re.fullmatch(r"\[(.*)\]", display)
        if not m:
            raise _Error(400, 36, "The 'display' syntax is wrong. You can set 'full' or "
                                  "'[field_1,field_2,field_3,...]'. These are available: "
                                  + ", ".join(["id", *res.fields]))
        fields = [f.strip() for f in m.group(1).split(",") if f.strip()]
        for field in fields:
            if field != "id" and field not in res.fields:
                raise _Error(400, 35, f'Unable to display this field "{field}". However, these are available: '
                                      + ", ".join(["id", *res.fields]))
        return fields

    def _available_filters(self, res, i18n):
        names = ([] if i18n else ["id"]) + [n for n, f in res.fields.items() if f.i18n == i18n and n not in res.hidden]
        if not i18n:
            if self.request.query.get("date") in ("1", "true"):
                names += [n for n in ("date_add", "date_upd") if n not in names]
            else:
                names = [n for n in names if n not in ("date_add", "date_upd")]
        return names

    def listing(self, resource):
        res = SCHEMA[resource]
        rows = list(self.peer.db[resource].values())
        plain, i18n = self._available_filters(res, False), self._available_filters(res, True)
        rows = self._filter_rows(rows, plain, i18n)
        rows = self._limit_rows(self._sort_rows(rows, plain, i18n))
        display = self._fields_to_display(res)
        if self.fmt == "JSON":
            if not rows:
                return Response(200, b"[]", self._headers({"Content-Type": "application/json"}))
            if display is None:
                return self.json({resource: [{"id": r["id"]} for r in rows]})
            return self.json({resource: [self.render(resource, r, display) for r in rows]})
        root = etree.Element("prestashop", nsmap={"xlink": XLINK})
        plural = etree.SubElement(root, resource)
        for r in rows:
            if display is None:
                etree.SubElement(plural, res.node,
                                 {"id": str(r["id"]), f"{{{XLINK}}}href": self._href(resource, r["id"])})
            else:
                plural.append(self.render_xml(resource, r, display))
        return self.xml(root)

    def _filter_rows(self, rows, plain, i18n):
        """The rows that every ``filter[field]`` of the query matches (a per-language field in any language)."""
        for key, spec in self.request.query.items():
            m = re.fullmatch(r"filter\[(\w+)\]", key)
            if not m:
                continue
            field = m.group(1)
            if field not in plain and field not in i18n:
                raise _Error(400, 32, _did_you_mean("This filter does not exist", field, plain))
            if spec == "":
                raise _Error(400, 33, f'The filter "{field}" is malformed.')
            if field in i18n:
                rows = [r for r in rows if any(_matches(spec, r[field].get(lang, "")) for lang in self.langs)]
            else:
                rows = [r for r in rows if _matches(spec, r[field])]
        return rows

    def _sort_rows(self, rows, plain, i18n):
        """The rows in the order of ``sort`` (its first field first), else by id."""
        sort = self.request.query.get("sort")
        if sort:
            m = re.fullmatch(r"\[(.*)\]", sort)
            for part in reversed((m.group(1) if m else sort).split(",")):
                field, _sep, direction = part.rpartition("_")
                if not field or direction.upper() not in ("ASC", "DESC"):
                    raise _Error(400, 37, 'The "sort" value has to be formed as this example: "field_ASC" or '
                                          "'[field_1_DESC,field_2_ASC,field_3_ASC,...]' "
                                          '("field" has to be an available field)')
                if field not in plain and field not in i18n:
                    raise _Error(400, 38, "Unable to filter by this field. However, these are available: "
                                          + ", ".join(plain) + ", for i18n fields:" + ", ".join(i18n))
                lang = self.langs[0]
                rows.sort(key=lambda r: _cmp_key(r[field].get(lang, "") if field in i18n else r[field]),
                          reverse=direction.upper() == "DESC")
        else:
            rows.sort(key=lambda r: r["id"])
        return rows

    def _limit_rows(self, rows):
        """The rows of ``limit``: "count" or "offset,count"."""
        limit = self.request.query.get("limit")
        if limit:
            parts = limit.split(",")
            if len(parts) > 2:
                raise _Error(400, 39, 'The "limit" value has to be formed as this example: "5,25" or "10"')
            numbers = [int(p) if p.strip().isdigit() else 0 for p in parts]
            offset, count = (0, numbers[0]) if len(numbers) == 1 else numbers
            rows = rows[offset:offset + count]
        return rows

    def detail(self, resource, rid):
        record = self.peer.db[resource].get(int(rid)) if rid.isdigit() else None
        if record is None:
            # PrestaShop answers an unknown id with an empty 404
            return Response(404, b"", self._headers({"Content-Type": ""}))
        return self.single(resource, record)

    def single(self, resource, record, status=200):
        res = SCHEMA[resource]
        if self.fmt == "JSON":
            return self.json({res.node: self.render(resource, record, "full")}, status=status)
        root = etree.Element("prestashop", nsmap={"xlink": XLINK})
        root.append(self.render_xml(resource, record, "full"))
        return self.xml(root, status=status)

    def _href(self, resource, rid):
        return f"http://{self.peer.host}:{self.peer.port}/api/{resource}/{rid}"

    def _lang_out(self, value):
        if len(self.langs) == 1:
            return value.get(self.langs[0], "")
        return [{"id": lang, "value": value.get(lang, "")} for lang in self.langs]

    def render(self, resource, record, display):
        res = SCHEMA[resource]
        out = {"id": record["id"]}
        for name, field in res.fields.items():
            if name in res.hidden or (display != "full" and name not in display):
                continue
            value = record[name]
            out[name] = self._lang_out(value) if field.i18n else value
        if display == "full":
            associations = {n: [dict(i) for i in items] for n, items in record["associations"].items() if items}
            if associations:
                out["associations"] = associations
        return out

    def render_xml(self, resource, record, display):
        res = SCHEMA[resource]
        element = etree.Element(res.node)
        etree.SubElement(element, "id").text = etree.CDATA(str(record["id"]))
        for name, field in res.fields.items():
            if name in res.hidden or (display != "full" and name not in display):
                continue
            child = etree.SubElement(element, name)
            if field.i18n:
                for lang in self.langs:
                    etree.SubElement(child, "language", id=lang).text = etree.CDATA(record[name].get(lang, ""))
            else:
                child.text = etree.CDATA(str(record[name]))
        if display == "full" and res.assoc:
            associations = etree.SubElement(element, "associations")
            for name, (node, _fields, _writable) in res.assoc.items():
                assoc = etree.SubElement(associations, name, nodeType=node, api=name)
                for item in record["associations"].get(name, []):
                    item_el = etree.SubElement(assoc, node)
                    for key, value in item.items():
                        etree.SubElement(item_el, key).text = etree.CDATA(str(value))
        return element


