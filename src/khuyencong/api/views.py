"""The "API tokens" page: each user creates (shown once) and revokes their own tokens."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from khuyencong.accounts import roles
from khuyencong.api.models import ApiToken, TokenScope
from khuyencong.core.forms import StyledForm
from khuyencong.trust import twofactor

MAX_ACTIVE_TOKENS = 20


class TokenForm(StyledForm):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("What the token is for, e.g. “import script of the centre”."),
    )
    scope = forms.ChoiceField(
        label=gettext_lazy("Access"),
        choices=TokenScope.choices,
        initial=TokenScope.READ,
        required=False,
        help_text=gettext_lazy("A read-only token can read data but not change it."),
    )

    def clean_scope(self) -> str:
        return self.cleaned_data.get("scope") or TokenScope.READ  # the least access unless asked


# The new token waits in the (server-side) session between the POST and the page it is
# shown on, once: the form follows post/redirect/get like every other form.
NEW_TOKEN_KEY = "api_new_token"


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    roles.require_page(request, "api.tokens")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not twofactor.passed(request):
            form.add_error(
                None,
                _(
                    "Your account uses two-factor sign-in: sign in again with your code "
                    "before creating a token."
                ),
            )
        elif request.user.api_tokens.usable().count() >= MAX_ACTIVE_TOKENS:
            form.add_error(
                None,
                _("You already have %(n)s active tokens: revoke one first.")
                % {"n": MAX_ACTIVE_TOKENS},
            )
        else:
            _token, raw = ApiToken.issue(
                user=request.user,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
            )
            request.session[NEW_TOKEN_KEY] = raw
            return redirect("api:tokens")
    context = {
        "form": form,
        # the full token: shown in this response only, never again
        "created": request.session.pop(NEW_TOKEN_KEY, None) if request.method == "GET" else None,
        "tokens": request.user.api_tokens.all(),
        "lifetime_days": settings.API_TOKEN_LIFETIME_DAYS,
    }
    response = render(request, "api/tokens.html", context)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    roles.require_page(request, "api.tokens")
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    token.revoke()
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("api:tokens")
