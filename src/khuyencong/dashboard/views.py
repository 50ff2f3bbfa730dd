"""The dashboard: key figures, charts and a map of the user's scope for a plan year and an
as-of date; every figure links to the project list filtered the same way (drill-down)."""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from khuyencong.accounts import roles
from khuyencong.core.forms import StyledForm
from khuyencong.dashboard import figures
from khuyencong.dashboard.maps import map_svg
from khuyencong.documents import charts
from khuyencong.events import selectors as event_selectors
from khuyencong.places.models import AdminUnit


class DashboardForm(StyledForm):
    year = forms.TypedChoiceField(label=gettext_lazy("Plan year"), coerce=int, required=False)
    province = forms.ModelChoiceField(
        label=gettext_lazy("Province"), queryset=AdminUnit.objects.none(), required=False
    )
    as_of = forms.DateField(label=gettext_lazy("As of"), required=False)

    def __init__(self, *args: Any, user: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, str(year)) for year in years]
        if roles.is_national(user):
            self.fields["province"].queryset = AdminUnit.objects.provinces().order_by("era", "name")
            self.fields["province"].empty_label = _("Whole country")
        else:
            del self.fields["province"]


def _project_list(scope: figures.Scope, **filters: Any) -> str:
    query = {"year": scope.year} if scope.year else {}
    if scope.province is not None:
        query["province"] = scope.province.pk
    if scope.as_of:
        query["as_of"] = scope.as_of.isoformat()
    query.update({key: value for key, value in filters.items() if value not in (None, "")})
    return f"{reverse('projects:list')}?{urlencode(query)}"


def _place_link(scope: figures.Scope, key: int | None, national: bool) -> str:
    """The list of a province (national view) or a district; province-wide projects (no
    district) have no list filter of their own, so their bar links nowhere."""
    if national:
        return _project_list(scope, province=key)
    return _project_list(scope, district=key) if key else ""


def _svg(chart: charts.BarChart) -> str:
    return mark_safe(charts.to_svg(chart, links=True))  # built from escaped values


def build_charts(
    scope: figures.Scope, national: bool, phases: list[figures.PhaseCount]
) -> list[dict[str, Any]]:
    """The four charts (status from the page's ``phases``, year, content area, district or
    province): the same ``documents.charts.BarChart`` definitions the reports print."""
    years = figures.by_year(scope)
    groups = figures.by_content_group(scope)
    places = figures.by_province(scope) if national else figures.by_district(scope)
    definitions = [
        charts.BarChart(
            key="status",
            title=_("Projects by status"),
            categories=tuple(row.label for row in phases),
            series=(charts.Series(_("Projects"), tuple(row.count for row in phases)),),
            links=tuple(_project_list(scope, phase=row.phase) for row in phases),
        ),
        charts.BarChart(
            key="year",
            title=_("Money allocated and disbursed by plan year"),
            categories=tuple(row.label for row in years),
            series=(
                charts.Series(_("Allocated"), tuple(row.allocated for row in years)),
                charts.Series(_("Disbursed"), tuple(row.disbursed for row in years)),
            ),
            unit=charts.MONEY,
            links=tuple(
                _project_list(figures.Scope(scope.user, row.key, scope.province, scope.as_of))
                for row in years
            ),
        ),
        charts.BarChart(
            key="content_area",
            title=_("Projects by content area"),
            categories=tuple(row.label for row in groups),
            series=(charts.Series(_("Projects"), tuple(row.count for row in groups)),),
            links=tuple(_project_list(scope, content_area=row.key) for row in groups),
        ),
        charts.BarChart(
            key="province" if national else "district",
            title=_("Projects by province") if national else _("Projects by district"),
            categories=tuple(row.label for row in places),
            series=(charts.Series(_("Projects"), tuple(row.count for row in places)),),
            links=tuple(_place_link(scope, row.key, national) for row in places),
        ),
    ]
    return [
        {"key": chart.key, "title": chart.title, "svg": _svg(chart), "empty": chart.is_empty}
        for chart in definitions
    ]


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    decision = roles.check(request.user, "dashboard.view")
    if not decision:
        raise PermissionDenied(decision.reason)
    user = request.user
    years = figures.plan_years(user)
    today = timezone.localdate()
    default_year = next((year for year in years if year <= today.year), years[0] if years else None)
    form = DashboardForm(request.GET or None, user=user, years=years)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    year = data.get("year") or default_year
    province = data.get("province")
    if province is not None and not roles.in_scope(user, province):
        raise PermissionDenied(_("This province is outside your area of responsibility."))
    as_of: datetime.date | None = data.get("as_of")
    scope = figures.Scope(user=user, year=year, province=province, as_of=as_of)
    national = roles.is_national(user) and province is None
    if not form.is_bound:
        form = DashboardForm(initial={"year": year}, user=user, years=years)
    money = figures.money_by_source(scope)
    phases = figures.phase_counts(scope)
    points = figures.map_points(scope, by_province=national)

    links: dict[int | None, str] = {}  # thousands of points, one list per province/district

    def place_link(point: figures.MapPoint) -> str:
        key = point.province_id if national else point.district_id
        if key not in links:
            links[key] = _place_link(scope, key, national)
        return links[key]

    context = {
        "form": form,
        "scope": scope,
        "year": year,
        "as_of": as_of,
        "phases": [(row, _project_list(scope, phase=row.phase)) for row in phases],
        "total_projects": sum(row.count for row in phases),
        "all_projects_url": _project_list(scope),
        "money": money,
        "money_total": figures.SourceMoney(
            code="",
            name=_("Total"),
            short_name=_("Total"),
            ceiling=sum(row.ceiling for row in money),
            allocated=sum(row.allocated for row in money),
            disbursed=sum(row.disbursed for row in money),
            projects=sum(row.projects for row in money),
        ),
        "charts": build_charts(scope, national, phases),
        "map": mark_safe(map_svg(points, place_link, _("Projects by place"))) if points else "",
    }
    if year is not None and roles.check(user, "events.view"):
        context["events"] = event_selectors.dashboard_figures(
            user,
            year=year,
            as_of=as_of or today,
            province_ids=scope.province_ids,
        )
        context["events_url"] = f"{reverse('events:list')}?year={year}"
    return render(request, "dashboard/dashboard.html", context)
