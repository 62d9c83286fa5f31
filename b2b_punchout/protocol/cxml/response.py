"""The cXML Response we answer every request with (a Status; for a setup, the StartPage)."""

from .document import element, new_document, serialize


def build_response(status_code=200, text="OK", message="", start_url=None):
    """A cXML Response (status, optionally with a PunchOutSetupResponse StartPage), serialised."""
    root = new_document()
    response = element(root, "Response")
    element(response, "Status", message or None, code=status_code, text=text)
    if start_url:
        element(element(element(response, "PunchOutSetupResponse"), "StartPage"), "URL", start_url)
    return serialize(root)
