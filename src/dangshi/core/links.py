"""Links people type in (a learning item's media link): only http(s) to a named host, so that
a `javascript:` or `data:` URL never becomes an href a member taps."""

from urllib.parse import urlsplit


def is_web_link(url: str) -> bool:
    """True for an absolute http:// or https:// URL with a host (and no control characters,
    which browsers strip before reading the scheme)."""
    if not url or any(ord(ch) < 32 or ord(ch) == 127 for ch in url):
        return False
    parts = urlsplit(url.strip())
    return parts.scheme.lower() in {"http", "https"} and bool(parts.hostname)
