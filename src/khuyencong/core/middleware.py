"""Language choice: Vietnamese unless the user picked another language with the vi/en switch.

Django's LocaleMiddleware also follows the browser's Accept-Language, so a Vietnamese officer
with an English browser would get English. Here only the switch (its cookie) counts.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.deprecation import MiddlewareMixin

from khuyencong.core.text import without_control


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


class QueryParametersMiddleware:
    """Control characters (NUL…) out of every query parameter, before any view reads it.

    No one types them; PostgreSQL refuses NUL in text ("text fields cannot contain NUL"), so a
    ``?q=%00`` would reach a search, a lookup by code or an export as a 500. Forms clean their
    text the same way (``core.forms.StyledFormMixin``); the API's text type too.
    """

    def __init__(self, get_response: Any):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if any(
            without_control(key) != key or any(without_control(v) != v for v in values)
            for key, values in request.GET.lists()
        ):
            cleaned = QueryDict(mutable=True)
            for key, values in request.GET.lists():
                cleaned.setlist(without_control(key), [without_control(v) for v in values])
            cleaned._mutable = False
            request.GET = cleaned  # type: ignore[assignment]  # immutable, as Django makes it
        return self.get_response(request)
