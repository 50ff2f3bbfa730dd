"""Audit pages: the filterable audit log, one record's history, and two-factor sign-in."""

from __future__ import annotations

import base64
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from khuyencong.accounts import roles
from khuyencong.core.views import FilteredListView
from khuyencong.trust import twofactor
from khuyencong.trust.access import may_see_history
from khuyencong.trust.display import rows_for
from khuyencong.trust.filters import AuditFilter
from khuyencong.trust.forms import TokenForm
from khuyencong.trust.models import AuditAction, AuditEntry
from khuyencong.trust.recording import record

AUDIT_SCOPE = {"province": "province", "district": "district", "beneficiary": "beneficiary"}


class AuditLogView(FilteredListView):
    """Read-only. Department leaders see the changes to records of their province."""

    model = AuditEntry
    permission = "audit.view_log"
    scope_lookups = AUDIT_SCOPE
    filterset_class = AuditFilter
    template_name = "trust/audit_log.html"
    paginate_by = 50

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().select_related("content_type", "user").order_by("-at", "-id")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["rows"] = rows_for(list(context["object_list"]))
        return context


def _record(content_type_id: int, pk: str) -> Any:
    try:
        content_type = ContentType.objects.get_for_id(content_type_id)
    except ContentType.DoesNotExist as missing:
        raise Http404 from missing
    model = content_type.model_class()
    if model is None:
        raise Http404
    try:
        return model._base_manager.get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError) as missing:
        raise Http404 from missing


@login_required
def record_history(request: HttpRequest, content_type_id: int, pk: str) -> HttpResponse:
    """Every recorded change of one record, newest first. Out of scope: 404."""
    obj = _record(content_type_id, pk)
    decision = may_see_history(request.user, obj)
    if not decision:
        if not roles.has_permission(request.user, "audit.view_history"):
            raise PermissionDenied(decision.reason)
        raise Http404
    entries = (
        AuditEntry.objects.for_object(obj)
        .select_related("content_type", "user")
        .order_by("-at", "-id")
    )
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "trust/record_history.html",
        {
            "record": obj,
            "page_obj": page,
            "rows": rows_for(list(page.object_list)),
            "show_origin": roles.has_permission(request.user, "audit.view_log"),
            "query_string": "",
        },
    )


# --------------------------------------------------------------------------- two-factor


def _qr_svg(url: str) -> str:
    import segno

    svg = segno.make(url, error="m").svg_inline(scale=4, dark="#000", light="#fff")
    return base64.b64encode(svg.encode()).decode()


@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """Switch two-factor sign-in on (scan, then confirm a code) or off (with a code)."""
    user = request.user
    device = twofactor.confirmed_device(user)
    pending = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    form = TokenForm(request.POST or None)
    action = request.POST.get("action", "")
    if request.method == "POST" and action == "start" and device is None:
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        TOTPDevice.objects.create(user=user, name="default", confirmed=False)
        return redirect("trust:two_factor")
    if request.method == "POST" and action in ("confirm", "disable") and form.is_valid():
        target = pending if action == "confirm" else device
        if target is not None and target.verify_token(form.cleaned_data["token"]):
            if action == "confirm":
                target.confirmed = True
                target.save()
                otp_login(request, target)
                twofactor.finish(request)
                record(user, AuditAction.UPDATE, reason="two-factor sign-in switched on")
                messages.success(request, _("Two-factor sign-in is on."))
            elif twofactor.required_for(user):
                messages.error(request, _("Your role requires two-factor sign-in."))
            else:
                target.delete()
                record(user, AuditAction.UPDATE, reason="two-factor sign-in switched off")
                messages.success(request, _("Two-factor sign-in is off."))
            return redirect("trust:two_factor")
        form.add_error("token", _("The code is wrong or has expired. Try the next one."))
    context = {
        "device": device,
        "pending": pending if device is None else None,
        "form": form,
        "required": twofactor.required_for(user),
    }
    if context["pending"] is not None:
        context["qr_svg_base64"] = _qr_svg(pending.config_url)
        context["secret"] = base64.b32encode(pending.bin_key).decode().rstrip("=")
    return render(request, "trust/two_factor.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the authenticator app."""
    device = twofactor.confirmed_device(request.user)
    if device is None:
        twofactor.finish(request)
        return redirect("home")
    form = TokenForm(request.POST or None)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = ""
    if request.method == "POST" and form.is_valid():
        if device.verify_is_allowed()[0] and device.verify_token(form.cleaned_data["token"]):
            otp_login(request, device)
            twofactor.finish(request)
            return redirect(next_url or "home")
        form.add_error("token", _("The code is wrong or has expired. Try the next one."))
    return render(request, "trust/two_factor_verify.html", {"form": form, "next": next_url})
