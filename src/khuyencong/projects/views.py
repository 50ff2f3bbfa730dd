"""Project pages (read-only): the list with filters, search, sorting, pagination and an
as-of date; the project page with its state on a date and its timeline; document download.

Views only parse input, call selectors and render; the forms for each transition come later
(they call ``services.project_transition``)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404

from khuyencong.accounts import roles
from khuyencong.core.views import FilteredListView, ScopedDetailView
from khuyencong.plans.selectors import plan_figures
from khuyencong.projects import lifecycle
from khuyencong.projects.forms import AsOfForm, ProjectFilter
from khuyencong.projects.models import EventKind, Project, ProjectDocument
from khuyencong.projects.selectors import project_list, state_of, status_as_of
from khuyencong.projects.services import may_download
from khuyencong.spreadsheets.columns import PROJECT_EXPORT

PROJECT_SCOPE = {"province": "province", "district": "district", "beneficiary": "beneficiary"}


def as_of_from(request: HttpRequest) -> datetime.date | None:
    form = AsOfForm(request.GET)
    return form.cleaned_data.get("as_of") if form.is_valid() else None


class ProjectListView(FilteredListView):
    model = Project
    permission = "projects.view"
    filterset_class = ProjectFilter
    template_name = "projects/project_list.html"
    paginate_by = 25
    export_columns = PROJECT_EXPORT
    export_filename = "de-an"

    def get_queryset(self) -> QuerySet:
        self.filterset = ProjectFilter(
            self.request.GET or None, queryset=Project.objects.none(), request=self.request
        )
        arguments = self.filterset.selector_arguments()
        arguments["filters"]["q"] = self.request.GET.get("q")
        self.as_of = arguments["as_of"]
        return project_list(user=self.request.user, **arguments)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["as_of"] = self.as_of
        context["rows"] = [
            (project, state_of(project, self.as_of)) for project in context["object_list"]
        ]
        return context


@dataclass(frozen=True)
class TimelineEntry:
    day: datetime.date
    kind: str  # "event" or "progress"
    title: str
    detail: str
    document: str
    amount: int | None
    actor: str
    later: bool  # after the as-of date


def timeline(project: Project, as_of: datetime.date | None) -> list[TimelineEntry]:
    entries = []
    for event in project.events.select_related("actor").order_by("sequence"):
        document = " ".join(filter(None, [event.document_number, event.issuer]))
        entries.append(
            TimelineEntry(
                day=event.effective_date,
                kind="event",
                title=event.get_kind_display(),
                detail=event.reason,
                document=document,
                amount=event.amount,
                actor=str(event.actor or ""),
                later=bool(as_of and event.effective_date > as_of),
            )
        )
    for row in project.progress_updates.select_related("actor").order_by("date", "id"):
        entries.append(
            TimelineEntry(
                day=row.date,
                kind="progress",
                title=f"{row.progress_percent} %",
                detail=row.note,
                document=row.get_disbursement_kind_display() if row.disbursed_amount else "",
                amount=row.disbursed_amount or None,
                actor=str(row.actor or ""),
                later=bool(as_of and row.date > as_of),
            )
        )
    return sorted(entries, key=lambda entry: (entry.day, entry.kind == "progress"))


class ProjectDetailView(ScopedDetailView):
    model = Project
    permission = "projects.view"
    scope_lookups = PROJECT_SCOPE
    template_name = "projects/project_detail.html"

    def get_queryset(self) -> QuerySet:
        return (
            super()
            .get_queryset()
            .active()
            .select_related(
                "plan__funding_source",
                "plan__province",
                "content_area",
                "beneficiary__kind",
                "implementing_unit",
                "place__parent__parent",
            )
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        project = self.object
        as_of = as_of_from(self.request)
        today = as_of or datetime.date.today()
        user = self.request.user
        context.update(
            as_of=as_of,
            as_of_form=AsOfForm(self.request.GET or None),
            state=status_as_of(project, as_of),
            timeline=timeline(project, as_of),
            plan_figures=plan_figures(project.plan, as_of) if project.plan_id else None,
            inspections=[
                (inspection, inspection.is_overdue(today))
                for inspection in project.inspections.active().order_by("planned_date")
            ],
            documents=project.documents.active().order_by("date", "id"),
            next_steps=[
                (
                    EventKind(row.kind).label,
                    row.kind,
                    roles.check(user, row.permission_for(project.fund), project),
                )
                for row in lifecycle.available(project.status)
            ],
        )
        return context


@login_required
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    """Whoever may see the project may download its documents; others get a 404."""
    document = get_object_or_404(ProjectDocument.objects.active().select_related("project"), pk=pk)
    if not may_download(request.user, document):
        raise Http404
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name or document.file.name.rsplit("/", 1)[-1],
        content_type=document.content_type,
    )
