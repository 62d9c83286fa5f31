"""Files of the sandbox Shopify: staged uploads (this server plays the storage bucket), fileCreate, metafields."""

import base64
import hashlib
import hmac
import json
import uuid
from xml.sax.saxutils import escape

from ..server import Response
from ..shop import form_parts
from .store import _METAFIELD_KEY_RE, METAFIELD_TYPES, UPLOAD_PATH, GraphQLError, ShopifyStore

MAX_UPLOAD_SIZE = 20 * 1024 * 1024


class ShopifyFiles(ShopifyStore):
    """The file operations, the upload target and the metafields."""

    # ------------------------------------------------------------------ files
    def _signature(self, key, mime_type, size):
        return hmac.new(self._secret, f"{key}|{mime_type}|{size}".encode(), hashlib.sha256).hexdigest()

    def _m_staged_uploads(self, v):
        inputs = self._required(v, "input", "[StagedUploadInput!]!")
        targets, errors = [], []
        for n, entry in enumerate(inputs):
            self._enum(entry.get("resource"), {"BULK_MUTATION_VARIABLES", "COLLECTION_IMAGE", "FILE", "IMAGE",
                                               "MODEL_3D", "PRODUCT_IMAGE", "RETURN_LABEL", "SHOP_IMAGE",
                                               "URL_REDIRECT_IMPORT", "VIDEO"}, "input", "[StagedUploadInput!]!")
            if not entry.get("filename") or not entry.get("mimeType"):
                raise GraphQLError("Variable $input of type [StagedUploadInput!]! was provided invalid value",
                                   "INVALID_VARIABLE")
            if entry.get("httpMethod", "PUT") not in ("POST", "PUT"):
                raise GraphQLError("Variable $input of type [StagedUploadInput!]! was provided invalid value",
                                   "INVALID_VARIABLE")
            try:
                size = int(entry.get("fileSize") or 0)
            except (TypeError, ValueError):
                errors.append({"field": ["input", str(n), "fileSize"], "message": "File size is invalid"})
                continue
            key = f"tmp/64000000/files/{uuid.uuid4()}/{entry['filename']}"
            signature = self._signature(key, entry["mimeType"], size)
            self.uploads[key] = {"filename": entry["filename"], "mimeType": entry["mimeType"], "size": size,
                                 "data": None, "signature": signature}
            url = f"{self.url}{UPLOAD_PATH}"
            now = self._now().strftime("%Y%m%dT%H%M%SZ")
            targets.append({"url": url, "resourceUrl": f"{url}/{key}", "parameters": [
                {"name": "Content-Type", "value": entry["mimeType"]},
                {"name": "success_action_status", "value": "201"},
                {"name": "acl", "value": "private"},
                {"name": "key", "value": key},
                {"name": "x-goog-date", "value": now},
                {"name": "x-goog-credential", "value": f"sandbox-uploads/{now[:8]}/auto/storage/goog4_request"},
                {"name": "x-goog-algorithm", "value": "GOOG4-RSA-SHA256"},
                {"name": "x-goog-signature", "value": signature},
                {"name": "policy", "value": base64.b64encode(json.dumps(
                    {"conditions": [["content-length-range", 0, size or MAX_UPLOAD_SIZE]]}).encode()).decode()},
            ]})
        return {"stagedUploadsCreate": {"stagedTargets": targets if not errors else None, "userErrors": errors}}

    def _upload(self, request):
        def xml_error(status, code, message):
            body = (f'<?xml version="1.0" encoding="UTF-8"?><Error><Code>{escape(code)}</Code>'
                    f"<Message>{escape(message)}</Message></Error>")
            return Response.xml(body, status=status, content_type="application/xml; charset=UTF-8")

        if request.method != "POST":
            return xml_error(405, "MethodNotAllowed", "The specified method is not allowed against this resource.")
        content_type = request.header("Content-Type") or ""
        if "multipart/form-data" not in content_type:
            return xml_error(400, "InvalidArgument", "POST requires multipart/form-data.")
        fields, file_part, after_file = {}, None, []
        for part in form_parts(request):
            if file_part is not None:
                after_file.append(part.name)
            if part.name == "file":
                file_part = part
            else:
                fields[part.name] = part.value
        if file_part is None:
            return xml_error(400, "InvalidArgument", "POST requires a file field.")
        if after_file:
            return xml_error(400, "InvalidArgument", "The file field must be the last field of the form.")
        with self.lock:
            staged = self.uploads.get(fields.get("key") or "")
            if not staged or not hmac.compare_digest(staged["signature"], fields.get("x-goog-signature") or ""):
                return xml_error(403, "SignatureDoesNotMatch", "Access denied: the request signature does not match.")
            if fields.get("Content-Type") != staged["mimeType"]:
                return xml_error(403, "AccessDenied", "Invalid according to Policy: Policy Condition failed: "
                                                      "[\"eq\", \"$Content-Type\", \"" + staged["mimeType"] + "\"]")
            data = file_part.data
            limit = staged["size"] or MAX_UPLOAD_SIZE
            if len(data) > limit:
                return xml_error(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size.")
            staged["data"] = data
            key = fields["key"]
        location = escape(f"{self.url}{UPLOAD_PATH}/{key}")
        body = (f'<?xml version="1.0" encoding="UTF-8"?><PostResponse><Location>{location}'
                f"</Location><Bucket>sandbox-uploads</Bucket><Key>{escape(key)}</Key>"
                f"<ETag>\"{hashlib.md5(data).hexdigest()}\"</ETag></PostResponse>")
        return Response.xml(body, status=201, content_type="application/xml; charset=UTF-8")

    def _m_file_create(self, v):
        files = self._required(v, "files", "[FileCreateInput!]!")
        created = []
        prefix = f"{self.url}{UPLOAD_PATH}/"
        for entry in files:
            source = entry.get("originalSource")
            if not source:
                raise GraphQLError("Variable $files of type [FileCreateInput!]! was provided invalid value",
                                   "INVALID_VARIABLE")
            if entry.get("contentType") is not None:
                self._enum(entry["contentType"], {"EXTERNAL_VIDEO", "FILE", "IMAGE", "MODEL_3D", "VIDEO"}, "files",
                           "[FileCreateInput!]!")
            staged = self.uploads.get(source[len(prefix):]) if source.startswith(prefix) else None
            gid = self._gid("GenericFile" if entry.get("contentType") in (None, "FILE") else "MediaImage")
            ok = bool(staged and staged["data"] is not None)
            self.files[gid] = {"id": gid, "fileStatus": "READY" if ok else "FAILED", "alt": entry.get("alt") or "",
                               "filename": entry.get("filename") or (staged or {}).get("filename"),
                               "data": staged["data"] if ok else None, "source": source}
            created.append({"id": gid, "fileStatus": "UPLOADED" if ok else "FAILED", "alt": entry.get("alt") or ""})
        return {"fileCreate": {"files": created, "userErrors": []}}

    def _m_metafields_set(self, v):
        entries = self._required(v, "metafields", "[MetafieldsSetInput!]!")
        if len(entries) > 25:
            return {"metafieldsSet": {"metafields": None, "userErrors": [
                {"field": ["metafields"], "message": "Exceeded the maximum metafields input limit of 25.",
                 "code": "LESS_THAN_OR_EQUAL_TO"}]}}
        errors = []
        owners = {}
        for n, entry in enumerate(entries):
            path = ["metafields", str(n)]
            owner = self.orders.get(entry.get("ownerId")) or self.products.get(entry.get("ownerId")) or \
                self.customers.get(entry.get("ownerId"))
            value = entry.get("value")
            if owner is None:
                errors.append({"field": path + ["ownerId"], "message": "Owner does not exist.", "code": "INVALID"})
            elif not _METAFIELD_KEY_RE.match(str(entry.get("key") or "")):
                errors.append({"field": path + ["key"], "message": "Key is invalid", "code": "INVALID"})
            elif not 3 <= len(str(entry.get("namespace") or "")) <= 255:
                errors.append({"field": path + ["namespace"], "message": "Namespace is too short (minimum is 3 "
                                                                         "characters)", "code": "TOO_SHORT"})
            elif entry.get("type") not in METAFIELD_TYPES:
                errors.append({"field": path + ["type"], "message": "Type is invalid", "code": "INVALID_TYPE"})
            elif not isinstance(value, str):
                errors.append({"field": path + ["value"], "message": "Value can't be blank", "code": "BLANK"})
            elif entry["type"] == "file_reference" and value not in self.files:
                errors.append({"field": path + ["value"], "message": "Value must be a file reference string.",
                               "code": "INVALID_VALUE"})
            elif entry["type"] == "single_line_text_field" and "\n" in value:
                errors.append({"field": path + ["value"], "message": "Value must be a single line text string.",
                               "code": "INVALID_VALUE"})
            else:
                owners[n] = owner
        if errors:
            return {"metafieldsSet": {"metafields": None, "userErrors": errors}}  # all or nothing
        result = []
        for n, entry in enumerate(entries):
            owner = owners[n]
            key = (entry["namespace"], entry["key"])
            existing = owner["metafields"].get(key) or {"id": self._gid("Metafield")}
            existing.update({"namespace": entry["namespace"], "key": entry["key"], "type": entry["type"],
                             "value": entry["value"]})
            owner["metafields"][key] = existing
            result.append({k: existing[k] for k in ("id", "namespace", "key", "value")})
            if owner.get("id", "").startswith("gid://shopify/Order/"):
                self._touch(owner)
        return {"metafieldsSet": {"metafields": result, "userErrors": []}}


