"""Who is calling: an API token (machines) or the browser session (with its CSRF check)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from khuyencong.api.errors import ApiRefusal
from khuyencong.api.models import ApiToken


class TokenAuth(HttpBearer):
    """``Authorization: Bearer kc_<prefix>_<secret>`` (tokens from the "API tokens" page)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = ApiToken.matching(token)
        if found is None:
            return None
        # the token is the caller's own (its secret matched): say why it is refused
        refusal = found.refusal
        if refusal:
            raise ApiRefusal(401, refusal, loc=["header"], type="auth")
        if not found.allows(request.method or ""):
            raise ApiRefusal(
                403,
                _("This API token is read-only: it may read (GET) but not change data."),
                loc=["header"],
                type="read_only_token",
            )
        found.touch()
        request.user = found.user
        request.api_token = found
        return found.user


class SessionAuth(APIKeyCookie):
    """The signed-in browser session; writes need the CSRF token (as in the UI)."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if check_csrf(request) is not None:
            raise HttpError(403, _("The CSRF check failed: reload the page and try again."))
        return user


AUTH = [TokenAuth(), SessionAuth()]


def docs_access(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The OpenAPI schema and the interactive docs (ninja's ``docs_decorator``): open to anyone
    when ``settings.API_DOCS_PUBLIC`` (the default only with DEBUG on), otherwise to signed-in
    users and token holders; the schema maps every route and parameter of the API."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if (
            settings.API_DOCS_PUBLIC
            or request.user.is_authenticated
            or TokenAuth()(request) is not None
        ):
            return view(request, *args, **kwargs)
        match = request.resolver_match
        if match is not None and match.url_name == "openapi-json":
            # the API's own 401 (errors.py), as any other route without credentials
            message = _("Sign in, or send a valid API token (Authorization: Bearer …).")
            item = {"loc": ["header"], "msg": message, "type": "auth"}
            return JsonResponse({"detail": [item]}, status=401)
        return redirect_to_login(request.get_full_path())

    return wrapper
