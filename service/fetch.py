"""Fetching an article page from a user-supplied URL: a security boundary.

Every hop (the first request and each redirect) is checked before it is requested: only
http(s), the host must resolve, and no resolved address may be loopback, private, link-local
(which includes the 169.254.169.254 cloud metadata service), multicast, reserved or
unspecified, unless ``FETCH_ALLOW_PRIVATE`` is set. Responses must be HTML (or plain text),
no larger than ``FETCH_MAX_BYTES``, and arrive within ``FETCH_TIMEOUT`` seconds.

A hostile DNS server could answer differently at check time and at connect time; deployments
that need to close that gap should also route egress through a filtering proxy.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests

ALLOWED_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
Resolver = Callable[[str, int], list[str]]


class FetchError(Exception):
    """A URL that may not or could not be fetched; ``status`` is the HTTP status to answer with."""

    def __init__(self, status: int, detail: str, field: str = "fetch_url") -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.field = field


@dataclass(frozen=True, slots=True)
class FetchedPage:
    """A fetched page: final URL after redirects, decoded body and its media type."""

    url: str
    body: str
    content_type: str


def resolve_host(host: str, port: int) -> list[str]:
    """All addresses ``host`` resolves to."""
    infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    return sorted({str(info[4][0]) for info in infos})


def is_public_address(address: str) -> bool:
    """True when ``address`` is a globally routable unicast address."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )


def check_url(url: str, *, allow_private: bool, resolve: Resolver = resolve_host) -> None:
    """Raise ``FetchError`` unless ``url`` is an http(s) URL whose host resolves to public addresses only."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise FetchError(422, f"Only http and https URLs with a host can be fetched: {url!r}.")
    if allow_private:
        return
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        addresses = resolve(parts.hostname, port)
    except (OSError, UnicodeError) as exc:
        raise FetchError(422, f"The host {parts.hostname!r} could not be resolved.") from exc
    if not addresses:
        raise FetchError(422, f"The host {parts.hostname!r} could not be resolved.")
    blocked = [a for a in addresses if not is_public_address(a)]
    if blocked:
        raise FetchError(
            422, f"Refusing to fetch {parts.hostname!r}: it resolves to a non-public address ({blocked[0]})."
        )


def fetch_page(
    url: str, config: Mapping[str, Any], *, resolve: Resolver = resolve_host, http: requests.Session | None = None
) -> FetchedPage:
    """Fetch ``url`` under the limits in ``config`` (``FETCH_*`` keys), following safe redirects by hand."""
    timeout = float(config.get("FETCH_TIMEOUT", 10.0))
    max_bytes = int(config.get("FETCH_MAX_BYTES", 5 * 1024 * 1024))
    max_redirects = int(config.get("FETCH_MAX_REDIRECTS", 5))
    allow_private = bool(config.get("FETCH_ALLOW_PRIVATE", False))
    headers = {
        "User-Agent": str(config.get("FETCH_USER_AGENT", "provenance-service")),
        "Accept": "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.5",
    }
    client = http or requests.Session()
    current = url
    for _hop in range(max_redirects + 1):
        check_url(current, allow_private=allow_private, resolve=resolve)
        try:
            response = client.get(current, headers=headers, timeout=timeout, allow_redirects=False, stream=True)
        except requests.Timeout as exc:
            raise FetchError(504, f"Fetching {current!r} timed out after {timeout:g} s.") from exc
        except requests.RequestException as exc:
            raise FetchError(502, f"Fetching {current!r} failed: {type(exc).__name__}.") from exc
        with response:
            if response.is_redirect or response.status_code in (301, 302, 303, 307, 308):
                location = response.headers.get("Location")
                if not location:
                    raise FetchError(502, f"{current!r} redirected without a Location header.")
                current = urljoin(current, location)
                continue
            if response.status_code >= 400:
                raise FetchError(502, f"Fetching {current!r} returned HTTP {response.status_code}.")
            media_type = response.headers.get("Content-Type", "").split(";", 1)[0].strip().lower()
            if media_type not in ALLOWED_TYPES:
                raise FetchError(415, f"{current!r} is {media_type or 'of unknown type'}, not an HTML page.")
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise FetchError(413, f"{current!r} is larger than the {max_bytes}-byte limit.")
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_content(chunk_size=65536):
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError(413, f"{current!r} is larger than the {max_bytes}-byte limit.")
                chunks.append(chunk)
            raw = b"".join(chunks)
            encoding = response.encoding or response.apparent_encoding or "utf-8"
            return FetchedPage(url=current, body=raw.decode(encoding, errors="replace"), content_type=media_type)
    raise FetchError(502, f"Too many redirects (more than {max_redirects}) fetching {url!r}.")
