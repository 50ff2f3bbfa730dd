"""Per-address rate limits on the pages that take a guess: sign-in, the two-factor code and the
public certificate check (``settings.RATE_LIMITS``: URL name → method and rate).

Counted with django-ratelimit in the configured cache (Redis in production, so the count is
shared by every worker; each process counts alone with the local-memory cache), per client
address as the rest of the app reads it (``core.origin.client_ip``, through the trusted
proxies; IPv6 per /64). Over the limit the page answers 429 with a Vietnamese explanation
and a ``Retry-After`` header; the view does not run. The lockout of a username and address
after failed passwords (django-axes) is separate and still applies.
"""

from __future__ import annotations

import math
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django_ratelimit.core import get_usage

from khuyencong.core.origin import client_ip


def address(request: HttpRequest) -> str:
    """The client's address for the count (``RATELIMIT_IP_META_KEY``); a request whose address
    cannot be read is counted under the unspecified address rather than refused."""
    return client_ip(request) or "0.0.0.0"


def _counted(request: HttpRequest, method: str) -> bool:
    # A GET counts only when it asks something (a query string): opening the empty form of
    # the certificate check is not a try.
    if request.method != method:
        return False
    return method != "GET" or bool(request.GET)


def too_many_requests(request: HttpRequest, seconds: int) -> HttpResponse:
    minutes = max(1, math.ceil(seconds / 60))
    content = render_to_string("core/too_many_requests.html", {"minutes": minutes}, request)
    response = HttpResponse(content, status=429)
    response["Retry-After"] = str(max(1, seconds))
    return response


class RateLimitMiddleware:
    """Counts the requests to the URL names of ``settings.RATE_LIMITS`` and answers 429 over
    the limit (``RATELIMIT_ENABLE = False`` switches every limit off)."""

    def __init__(self, get_response: Any):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        name = request.resolver_match.view_name if request.resolver_match else ""
        limit = getattr(settings, "RATE_LIMITS", {}).get(name)
        if not limit:
            return None
        method, rate = limit
        if not rate or not _counted(request, method):
            return None
        usage = get_usage(
            request,
            group=f"khuyencong:{name}",
            key="ip",
            rate=rate,
            method=method,
            increment=True,
        )
        if usage and usage["should_limit"]:
            return too_many_requests(request, usage["time_left"])
        return None
