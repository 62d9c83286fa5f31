import hashlib


def token_hash(token):
    """What is stored of a one-time token: its SHA-256."""
    return hashlib.sha256(str(token or "").encode("utf-8", "surrogateescape")).hexdigest()
