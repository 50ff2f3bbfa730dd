"""Where a request comes from: the client's IP address and browser, for the audit trail.

Behind reverse proxies set ``TRUSTED_PROXY_COUNT`` to the number of proxies that append to
``X-Forwarded-For``: the address is then read that many entries from the right (the entries
further left are supplied by the client and cannot be trusted). Without proxies it is
``REMOTE_ADDR``.
"""

from __future__ import annotations

import ipaddress
import threading
from dataclasses import dataclass
from typing import Any

from django.conf import settings


@dataclass(frozen=True)
class Origin:
    ip_address: str | None = None
    user_agent: str = ""


def _valid_ip(value: str) -> str | None:
    value = (value or "").strip()
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request: Any) -> str | None:
    meta = getattr(request, "META", None) or {}
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies > 0:
        chain = [part.strip() for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        chain = [part for part in chain if part]
        if len(chain) >= proxies:
            return _valid_ip(chain[-proxies])
    return _valid_ip(meta.get("REMOTE_ADDR", ""))


def request_origin(request: Any) -> Origin:
    """The origin of ``request`` (an empty origin for ``None``: commands, tasks)."""
    if request is None:
        return Origin()
    agent = (getattr(request, "META", None) or {}).get("HTTP_USER_AGENT", "")
    cleaned = "".join(ch for ch in agent if ch.isprintable())[:255]
    return Origin(ip_address=client_ip(request), user_agent=cleaned)


_current = threading.local()


def current_request() -> Any:
    """The request being served on this thread (``None`` in commands and tasks): the audit
    trail reads its user and origin when a save happens deep inside a service."""
    return getattr(_current, "request", None)


class CurrentRequestMiddleware:
    """Exposes the request to ``current_request`` for the time it is served."""

    def __init__(self, get_response: Any):
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        outer = current_request()
        _current.request = request
        try:
            return self.get_response(request)
        finally:
            _current.request = outer
