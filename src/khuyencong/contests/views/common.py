"""Shared pieces of the contest views: loading a contest or entry the user may see, and
turning service refusals into messages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect

from khuyencong.accounts import roles
from khuyencong.contests import selectors
from khuyencong.contests.models import Contest, Entry
from khuyencong.contests.services import ContestError


def visible_contest(request: HttpRequest, pk: int) -> Contest:
    """The contest if the user may see it (404 otherwise: out-of-scope records are not shown)."""
    if not roles.allowed(request.user, "contests.view") and not roles.allowed(
        request.user, "contests.register_entry"
    ):
        raise PermissionDenied(roles.check(request.user, "contests.view").reason)
    return get_object_or_404(selectors.contest_list(request.user), pk=pk)


def visible_entry(request: HttpRequest, pk: int) -> Entry:
    entry = get_object_or_404(
        Entry.objects.select_related("contest", "beneficiary", "product_group"), pk=pk
    )
    user = request.user
    if roles.allowed(user, "contests.register_entry", entry) or roles.allowed(
        user, "contests.view", entry
    ):
        return entry
    if selectors.contest_list(user).filter(pk=entry.contest_id).exists() and roles.allowed(
        user, "contests.score"
    ):
        return entry  # a judge of this contest
    raise Http404


def require(request: HttpRequest, permission: str, obj: Any = None) -> None:
    decision = roles.check(request.user, permission, obj)
    if not decision:
        raise PermissionDenied(decision.reason)


def attempt(
    request: HttpRequest, action: Callable[[], Any], success: str, redirect_to: str, *args: Any
) -> HttpResponse:
    """Run a service call; a refusal becomes an error message, success a success message."""
    try:
        action()
    except (ContestError, ValidationError) as error:
        messages.error(request, " ".join(_messages(error)))
    else:
        messages.success(request, success)
    return redirect(redirect_to, *args)


def _messages(error: Exception) -> list[str]:
    if isinstance(error, ValidationError):
        return list(error.messages)
    return [str(error)]


def error_text(error: Exception) -> str:
    return " ".join(_messages(error))
