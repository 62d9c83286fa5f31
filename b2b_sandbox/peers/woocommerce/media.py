"""The WordPress media library of the sandbox WooCommerce (``/wp/v2/media``, ``/wp-content/uploads/``)."""

import re

from ..server import Response
from .store import WooCommerceStore, WooError, _wp_date


class WooCommerceMedia(WooCommerceStore):
    """Uploads (the invoice PDFs) and the files they are served as."""

    # ------------------------------------------------------------------ media
    def _upload(self, request):
        disposition = request.header("Content-Disposition") or ""
        match = re.search(r'filename\*?=(?:UTF-8\'\')?"?([^";]+)"?', disposition)
        if not disposition or not match:
            raise WooError("rest_upload_no_content_disposition", "No Content-Disposition supplied.", 400)
        if not request.body:
            raise WooError("rest_upload_no_data", "No data supplied.", 400)
        filename = re.sub(r"[^A-Za-z0-9._-]+", "-", match.group(1)).strip("-")
        types = {".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}
        extension = filename[filename.rfind("."):].lower() if "." in filename else ""
        if extension not in types:
            raise WooError("rest_upload_sideload_error", "Sorry, you are not allowed to upload this file type.", 500)
        if extension == ".pdf" and not request.body.startswith(b"%PDF"):
            raise WooError("rest_upload_sideload_error",
                           "Sorry, the file could not be uploaded: its content does not match its extension.", 500)
        now = self.now()
        taken = {m["filename"] for m in self.media.values()}
        base, n = filename, 1
        while filename in taken:
            n += 1
            filename = f"{base[:len(base) - len(extension)]}-{n}{extension}"
        mid = self._new_id()
        self.media[mid] = {"id": mid, "filename": filename, "mime_type": types[extension], "data": request.body,
                           "source_url": f"{self.url}/wp-content/uploads/{now:%Y/%m}/{filename}",
                           "date_gmt": _wp_date(now)}
        return Response.json(self._media_view(self.media[mid]), status=201,
                             headers={"Location": f"{self.url}/wp-json/wp/v2/media/{mid}"})

    def _media_view(self, media):
        return {"id": media["id"], "date_gmt": media["date_gmt"], "slug": media["filename"].rsplit(".", 1)[0],
                "status": "inherit", "type": "attachment", "link": f"{self.url}/?attachment_id={media['id']}",
                "title": {"rendered": media["filename"].rsplit(".", 1)[0]}, "author": 1,
                "media_type": "image" if media["mime_type"].startswith("image/") else "file",
                "mime_type": media["mime_type"], "source_url": media["source_url"],
                "media_details": {"filesize": len(media["data"])}}

    def _serve_upload(self, path):
        for media in self.media.values():
            if media["source_url"].endswith(path):
                return Response(200, media["data"], {"Content-Type": media["mime_type"]})
        return Response.text("Not Found", status=404)


