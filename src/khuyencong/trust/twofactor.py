"""Optional two-factor sign-in (TOTP, django-otp) for staff.

A user who switched it on enters a 6-digit code from their authenticator app after their
password; until then every page but the code page (and log out) redirects to it. Nobody
must use it by default; ``TWO_FACTOR_REQUIRED_ROLES`` (a list of roles, e.g. system
administrators) makes it compulsory for those roles: they are sent to set it up first.

What each session still needs is decided once, at sign-in, and kept in the session, so pages
pay no query for it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_otp.plugins.otp_totp.models import TOTPDevice

SESSION_KEY = "trust_two_factor"
VERIFY = "verify"
ENROL = "enrol"


def confirmed_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def required_for(user: Any) -> bool:
    return getattr(user, "role", None) in set(getattr(settings, "TWO_FACTOR_REQUIRED_ROLES", []))


def pending_step(user: Any) -> str:
    """What a freshly signed-in user still has to do: verify a code, set up, or nothing."""
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return VERIFY
    if required_for(user):
        return ENROL
    return ""


@receiver(user_logged_in)
def _after_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    step = pending_step(user)
    if step:
        request.session[SESSION_KEY] = step
    else:
        request.session.pop(SESSION_KEY, None)


# Pages a user may open before finishing the second step.
OPEN_URL_NAMES = ("trust:two_factor_verify", "trust:two_factor", "logout", "set_language")


class TwoFactorMiddleware:
    """After django_otp's OTPMiddleware: holds back a session whose second step is pending."""

    def __init__(self, get_response: Any):
        self.get_response = get_response
        self._open_paths: tuple[str, ...] | None = None

    def open_paths(self) -> tuple[str, ...]:
        if self._open_paths is None:
            self._open_paths = (
                *(reverse(name) for name in OPEN_URL_NAMES),
                settings.STATIC_URL,
            )
        return self._open_paths

    def __call__(self, request: HttpRequest) -> HttpResponse:
        step = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
        if (
            step
            and request.user.is_authenticated
            and not request.path.startswith(self.open_paths())
        ):
            if step == VERIFY and not request.user.is_verified():
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse('trust:two_factor_verify')}?{query}")
            if step == ENROL:
                return redirect("trust:two_factor")
        return self.get_response(request)


def finish(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)


def passed(request: HttpRequest) -> bool:
    """Whether the session passed the second step its user has (or must have): a sensitive
    action (creating an API token) asks this of sessions opened before the user switched
    two-factor sign-in on, which the middleware lets through."""
    user = request.user
    if confirmed_device(user) is None and not required_for(user):
        return True
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified is not None and is_verified())
