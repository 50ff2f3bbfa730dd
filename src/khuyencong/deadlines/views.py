"""The to-do panel (home page), the to-do page, the count in the navigation bar, the obligation
rules (national and province administrators) and the personal calendar feed (.ics)."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from khuyencong.accounts import roles
from khuyencong.accounts.models import Role
from khuyencong.core.forms import StyledForm, VersionedModelForm
from khuyencong.core.views import PermissionCreateView, VersionedUpdateView
from khuyencong.deadlines import calendar_feed, obligations
from khuyencong.deadlines.models import CalendarFeed, ObligationKind, ObligationRule
from khuyencong.places.models import AdminUnit

WEEK = datetime.timedelta(days=7)


def default_as_of() -> datetime.date:
    """The day obligations are computed for: ``KHUYENCONG_AS_OF`` (the demo's 2018 day) or
    today in Vietnam."""
    return getattr(settings, "KHUYENCONG_AS_OF", None) or timezone.localdate()


def record_url(obligation: obligations.Obligation) -> str:
    """The page where the obligation is fulfilled."""
    kind = obligation.kind
    K = ObligationKind
    if obligation.record_type in ("project", "inspection") and obligation.link_id:
        if kind == K.MONTHLY_PROGRESS:
            return reverse("projects:progress", kwargs={"pk": obligation.link_id})
        return reverse("projects:detail", kwargs={"pk": obligation.link_id})
    if obligation.record_type == "registration":
        return reverse("registrations:detail", kwargs={"pk": obligation.record_id})
    if kind == K.NATIONAL_PROPOSAL:
        return reverse("registrations:list") + f"?year={obligation.as_of.year + 1}"
    if kind in (K.HALF_YEAR_REPORT, K.ANNUAL_REPORT):
        return reverse("reports:new")
    if kind == K.COMPLAINT_RESOLUTION and obligation.link_id:
        return reverse("contests:detail", kwargs={"pk": obligation.link_id})
    if kind == K.CERTIFICATE_EXPIRY:
        return reverse("contests:certificates")
    return reverse("deadlines:todo")


def panel_rows(items: list[obligations.Obligation], as_of: datetime.date) -> dict[str, Any]:
    late = [o for o in items if o.is_late]
    week = [o for o in items if not o.is_late and o.due <= as_of + WEEK]
    later = [o for o in items if not o.is_late and o.due > as_of + WEEK]
    for item in items:
        item.__dict__["url"] = record_url(item)  # frozen dataclass: a display attribute
        item.__dict__["kind_label"] = ObligationKind(item.kind).label
    return {"late": late, "week": week, "later": later, "as_of": as_of}


def home_panel(request: HttpRequest) -> str:
    """The to-do panel on the home page: late (red, days late) and due this week."""
    user = request.user
    if not roles.allowed(user, "deadlines.view"):
        return ""
    as_of = default_as_of()
    context = panel_rows(obligations.for_user(user, as_of), as_of)
    return render_to_string("deadlines/_panel.html", context, request=request)


class AsOfForm(StyledForm):
    as_of = forms.DateField(label=gettext_lazy("As of"), required=False)


@login_required
def todo(request: HttpRequest) -> HttpResponse:
    roles.require_page(request, "deadlines.view")
    form = AsOfForm(request.GET or None)
    as_of = default_as_of()
    if form.is_bound and form.is_valid() and form.cleaned_data["as_of"]:
        as_of = form.cleaned_data["as_of"]
    context = panel_rows(obligations.for_user(request.user, as_of), as_of)
    context["form"] = form
    return render(request, "deadlines/todo.html", context)


@login_required
def todo_count(request: HttpRequest) -> HttpResponse:
    """The count in the navigation bar (loaded by htmx after the page)."""
    roles.require_page(request, "deadlines.view")
    as_of = default_as_of()
    items = obligations.for_user(request.user, as_of)
    late = sum(1 for o in items if o.is_late)
    soon = sum(1 for o in items if not o.is_late and o.due <= as_of + WEEK)
    return render(request, "deadlines/_count.html", {"late": late, "soon": soon})


# ----------------------------------------------------------------------------- rules


def visible_rules(user: Any) -> QuerySet:
    """The national rules and the provinces' own rules in the user's scope."""
    queryset = ObligationRule.objects.select_related("province")
    own = roles.scope_queryset(
        user, queryset.filter(province__isnull=False), district=None, beneficiary=None
    )
    return queryset.filter(Q(province__isnull=True) | Q(pk__in=own.values("pk")))


@login_required
def rule_list(request: HttpRequest) -> HttpResponse:
    roles.require_page(request, "deadlines.view")
    rules = visible_rules(request.user).order_by("kind", "province__name", "-valid_from")
    user = request.user
    rows = [
        {
            "rule": rule,
            "editable": roles.allowed(user, "deadlines.manage_rules", rule)
            if rule.province_id
            else roles.is_national(user) and roles.allowed(user, "deadlines.manage_rules"),
        }
        for rule in rules
    ]
    return render(
        request,
        "deadlines/rules.html",
        {"rows": rows, "can_add": roles.allowed(user, "deadlines.manage_rules")},
    )


class RuleForm(VersionedModelForm):
    class Meta:
        model = ObligationRule
        fields = [
            "kind",
            "province",
            "responsible_role",
            "due_month",
            "due_day",
            "period_days",
            "day_unit",
            "lead_days",
            "valid_from",
            "valid_to",
            "confirmed",
            "legal_basis",
            "notes",
        ]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        provinces = AdminUnit.objects.provinces().order_by("era", "name")
        if roles.is_national(user):
            self.fields["province"].queryset = provinces
        else:
            self.fields["province"].queryset = provinces.filter(pk__in=roles.province_ids(user))
            self.fields["province"].required = True
            self.fields["province"].empty_label = None
        self.fields["responsible_role"].choices = [
            (role.value, role.label) for role in Role if role != Role.SYSTEM_ADMIN
        ]

    def clean_province(self) -> Any:
        province = self.cleaned_data.get("province")
        if province is None and not roles.is_national(self.user):
            raise forms.ValidationError(_("Choose your province."))
        return province


class RuleCreateView(PermissionCreateView):
    permission = "deadlines.manage_rules"
    model = ObligationRule
    form_class = RuleForm
    template_name = "deadlines/rule_form.html"
    success_url = reverse_lazy("deadlines:rules")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}


class RuleUpdateView(VersionedUpdateView):
    permission = "deadlines.manage_rules"
    model = ObligationRule
    form_class = RuleForm
    template_name = "deadlines/rule_form.html"
    success_url = reverse_lazy("deadlines:rules")
    scope_lookups = {"province": "province", "district": None, "beneficiary": None}

    def get_queryset(self) -> QuerySet:
        if roles.is_national(self.request.user):
            return ObligationRule.objects.active()
        return super().get_queryset().filter(archived_at__isnull=True)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}


# ----------------------------------------------------------------------------- calendar


@login_required
def calendar_page(request: HttpRequest) -> HttpResponse:
    roles.require_page(request, "deadlines.view")
    feed = CalendarFeed.objects.filter(user=request.user, archived_at__isnull=True).first()
    url = (
        request.build_absolute_uri(reverse("deadlines:feed", kwargs={"secret": feed.secret}))
        if feed
        else ""
    )
    return render(request, "deadlines/calendar.html", {"feed": feed, "feed_url": url})


@login_required
@require_POST
def calendar_regenerate(request: HttpRequest) -> HttpResponse:
    """Create the feed address, or replace it (the old address stops working)."""
    roles.require_page(request, "deadlines.view")
    with transaction.atomic():
        feed = CalendarFeed.objects.select_for_update().filter(user=request.user).first()
        if feed is None:
            CalendarFeed.objects.create(user=request.user)
        else:
            feed.secret = calendar_feed.new_secret()
            feed.archived_at = None
            feed.save()
    messages.success(request, _("A new calendar address was made; the old one no longer works."))
    return redirect("deadlines:calendar")


@login_required
@require_POST
def calendar_revoke(request: HttpRequest) -> HttpResponse:
    roles.require_page(request, "deadlines.view")
    feed = CalendarFeed.objects.filter(user=request.user, archived_at__isnull=True).first()
    if feed is not None:
        feed.archive()
    messages.success(request, _("The calendar address was revoked."))
    return redirect("deadlines:calendar")


def feed(request: HttpRequest, secret: str) -> HttpResponse:
    """The user's deadlines as iCalendar; the secret in the address is the only key."""
    row = (
        CalendarFeed.objects.select_related("user")
        .filter(secret=secret, archived_at__isnull=True, user__is_active=True)
        .first()
        if len(secret) <= 64
        else None
    )
    if row is None or not roles.allowed(row.user, "deadlines.view"):
        raise Http404
    as_of = default_as_of()
    items = obligations.for_user(row.user, as_of)
    body = calendar_feed.to_ics(items, base=request.build_absolute_uri("/"), url=record_url)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="khuyencong.ics"'
    return response
