"""Event pages: list, detail with participants and counts per district, create and edit,
add a participant, import participants from Excel, and the yearly attendance summary."""

from __future__ import annotations

import datetime
from typing import Any

import django_filters
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from khuyencong.accounts import roles
from khuyencong.catalog.filters import ArchivedFilterSet
from khuyencong.core.bounds import YearFilter, parse_year
from khuyencong.core.uploads import check_upload
from khuyencong.core.views import (
    FilteredListView,
    PermissionCreateView,
    ScopedDetailView,
    VersionedUpdateView,
)
from khuyencong.events import imports, selectors
from khuyencong.events.forms import EventForm, ImportForm, ParticipantForm
from khuyencong.events.models import Event, EventKind, EventStatus


class EventFilterSet(ArchivedFilterSet):
    kind = django_filters.ChoiceFilter(
        label=gettext_lazy("Kind"), choices=EventKind.choices, empty_label=gettext_lazy("All")
    )
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"), choices=EventStatus.choices, empty_label=gettext_lazy("All")
    )
    year = YearFilter(label=gettext_lazy("Year"), field_name="start_date", lookup_expr="year")

    class Meta:
        model = Event
        fields: list[str] = []


class EventListView(FilteredListView):
    model = Event
    permission = "events.view"
    scope_lookups = selectors.SCOPE
    filterset_class = EventFilterSet
    template_name = "events/list.html"

    def get_queryset(self) -> QuerySet:
        return (
            super()
            .get_queryset()
            .select_related("project", "place")
            .annotate(
                participant_count=Count(
                    "participants", filter=Q(participants__archived_at__isnull=True)
                )
            )
            .order_by("-start_date", "title", "pk")  # Meta.ordering is dropped with GROUP BY
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_manage"] = roles.allowed(self.request.user, "events.manage")
        return context


class EventDetailView(ScopedDetailView):
    model = Event
    permission = "events.view"
    scope_lookups = selectors.SCOPE
    template_name = "events/detail.html"

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().select_related("project", "place", "organiser")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        event = self.object
        context["participants"] = event.participants.active().select_related(
            "district", "beneficiary"
        )
        context["by_district"] = selectors.attendance_by_district(Event.objects.filter(pk=event.pk))
        context["can_manage"] = roles.allowed(self.request.user, "events.manage", event)
        context["status_today"] = event.status_on(timezone.localdate())
        return context


class EventCreateView(PermissionCreateView):
    model = Event
    form_class = EventForm
    permission = "events.manage"
    template_name = "events/form.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form: EventForm) -> HttpResponse:
        form.instance.locate()
        decision = roles.check(self.request.user, self.permission, form.instance)
        if not decision:
            raise PermissionDenied(decision.reason)
        return super().form_valid(form)

    def get_success_url(self) -> str:
        return reverse("events:detail", args=[self.object.pk])


class EventUpdateView(VersionedUpdateView):
    model = Event
    form_class = EventForm
    permission = "events.manage"
    scope_lookups = selectors.SCOPE
    template_name = "events/form.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_success_url(self) -> str:
        return reverse("events:detail", args=[self.object.pk])


def _managed_event(request: HttpRequest, pk: int) -> Event:
    event = get_object_or_404(selectors.event_list(request.user), pk=pk)
    decision = roles.check(request.user, "events.manage", event)
    if not decision:
        raise PermissionDenied(decision.reason)
    return event


@login_required
def participant_add(request: HttpRequest, pk: int) -> HttpResponse:
    event = _managed_event(request, pk)
    form = ParticipantForm(request.POST or None, event=event, user=request.user)
    form.instance.event = event
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Participant added."))
        return redirect("events:detail", event.pk)
    return render(request, "events/form.html", {"form": form, "event": event})


@login_required
def participant_import(request: HttpRequest, pk: int) -> HttpResponse:
    event = _managed_event(request, pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            sniffed = check_upload(upload)
            if sniffed.extension != "xlsx":
                raise imports.ImportFileError(_("The file is not an Excel workbook (.xlsx)."))
            result = imports.import_participants(event, upload, user=request.user)
        except (ValidationError, imports.ImportFileError) as error:
            errors = list(error.messages) if isinstance(error, ValidationError) else [str(error)]
        else:
            if result.ok:
                messages.success(
                    request,
                    _("%(count)d participants imported.") % {"count": len(result.rows)},
                )
                return redirect("events:detail", event.pk)
            errors = [_("Nothing was imported: correct these rows and try again."), *result.errors]
    context = {"form": form, "event": event, "errors": errors}
    return render(request, "events/import.html", context)


@login_required
def attendance(request: HttpRequest) -> HttpResponse:
    """Per year: events held and planned, participants, booths, cost; officers trained and
    establishments per district."""
    if not roles.allowed(request.user, "events.view"):
        raise PermissionDenied
    today = timezone.localdate()
    year = parse_year(request.GET.get("year")) or today.year
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    as_of = min(end, today) if year == today.year else end
    events = selectors.event_list(request.user).filter(start_date__range=(start, end))
    held = events.active().held_by(as_of)
    context = {
        "year": year,
        "as_of": as_of,
        "summary": selectors.summary(events, as_of),
        "training": selectors.attendance_by_district(held.filter(kind=EventKind.TRAINING)),
        "fairs": selectors.attendance_by_district(held.filter(kind=EventKind.TRADE_FAIR)),
        "years": sorted(
            {d.year for d in selectors.event_list(request.user).dates("start_date", "year")}
        ),
    }
    return render(request, "events/attendance.html", context)
