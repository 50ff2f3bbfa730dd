"""Language choice: Vietnamese unless the user picked another language with the vi/en switch.

Django's LocaleMiddleware also follows the browser's Accept-Language, so a Vietnamese officer
with an English browser would get English. Here only the switch (its cookie) counts.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.deprecation import MiddlewareMixin


class LanguageMiddleware(MiddlewareMixin):
    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


class PermissionsPolicyMiddleware:
    """Sends ``settings.PERMISSIONS_POLICY``: browser features (camera, location …) are off."""

    def __init__(self, get_response: Any):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = getattr(settings, "PERMISSIONS_POLICY", "")
        if policy:
            response.headers.setdefault("Permissions-Policy", policy)
        return response


class NoStoreMiddleware:
    """``Cache-Control: no-store`` (Django's ``never_cache`` headers) on every response a view
    makes: signed-in pages and API answers hold personal data that no browser history, disk
    cache or shared proxy may keep. Anonymous pages get it too (sign-in and two-factor forms
    carry a CSRF token; a cached certificate check would go round its rate limit). Static files
    are not concerned: WhiteNoise, above this middleware, answers them first with their own
    long-lived headers."""

    def __init__(self, get_response: Any):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        add_never_cache_headers(response)
        return response
