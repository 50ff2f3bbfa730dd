"""Project pages: the list with filters, search, sorting, pagination and an as-of date; the
project page with its state on a date, its timeline, the steps the user may take (or why
not), inspections and documents; document download."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import connections
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from khuyencong.accounts import roles
from khuyencong.core.uploads import download_response
from khuyencong.core.views import FilteredListView, ScopedDetailView
from khuyencong.places.models import AdminUnit
from khuyencong.projects import lifecycle, procedure
from khuyencong.projects.columns import PROJECT_EXPORT
from khuyencong.projects.forms import AsOfForm, ProjectFilter
from khuyencong.projects.forms.steps import day_in_plan
from khuyencong.projects.kinds import (
    allocation_text,
    attach_member_counts,
    supported_text,
    with_member_count,
)
from khuyencong.projects.models import (
    Annulment,
    Budget,
    EventKind,
    GroupMember,
    Inspection,
    ProgressUpdate,
    Project,
    ProjectDocument,
    ProjectEvent,
    ProjectKind,
)
from khuyencong.projects.plan_selectors import plan_figures
from khuyencong.projects.selectors import (
    attach_states,
    project_list,
    state_from_records,
    state_of,
)
from khuyencong.projects.services import may_download, record_label
from khuyencong.projects.views.common import PROJECT_SCOPE, as_of_from, with_reasons

# What a row of the list needs: the table's cells and ``state_of`` (budget, funding source).
LIST_COLUMNS = (
    "code",
    "title",
    "status",
    *(f"budget_{name}" for name in Budget._fields),
    "beneficiary__name",
    "kind",
    "place",
    "place_name",
    "place_type",
    "plan__funding_source",
)


# What the project page reads of the joined records (their full rows cost the compile and
# the transfer of every column of nine tables). The place's units come by a query of their own
# and the allocation batch only when there is one: every table joined to one query multiplies
# PostgreSQL's join planning, which cost more than the project page's whole execution
# (docs/performance.md, session 10).
DETAIL_COLUMNS = (
    *(field.name for field in Project._meta.concrete_fields),
    "plan__title",
    "plan__year",
    "plan__end_year",
    "plan__province",
    "plan__status",
    "plan__funding_source__code",
    "plan__funding_source__name",
    "beneficiary__name",
    "beneficiary__province",
    "beneficiary__district",
    "implementing_unit__name",
    "content_area__name",
)
DETAIL_PLACE = Prefetch(
    "place",
    queryset=AdminUnit.objects.select_related("parent__parent").only(
        *(f"{'parent__' * depth}{name}" for depth in range(3) for name in ("name", "parent")),
        "short_name",  # the place as written is compared with the unit's own name
        "unit_type",
    ),
)


class ProjectListView(FilteredListView):
    model = Project
    permission = "projects.view"
    filterset_class = ProjectFilter
    template_name = "projects/project_list.html"
    paginate_by = 25
    export_columns = PROJECT_EXPORT
    export_filename = "de-an"

    def get_queryset(self, state: bool = False) -> QuerySet:
        self.filterset = ProjectFilter(
            self.request.GET or None, queryset=Project.objects.none(), request=self.request
        )
        arguments = self.filterset.selector_arguments()
        arguments["filters"]["q"] = self.request.GET.get("q")
        self.as_of = arguments["as_of"]
        overdue = Inspection.objects.active().overdue(datetime.date.today())
        return (
            project_list(user=self.request.user, state=state, **arguments)
            .select_related(None)  # what the export shows (the page: ``paginate_queryset``)
            .select_related("plan__funding_source", "beneficiary", "place")
            .annotate(has_overdue_inspection=Exists(overdue.filter(project=OuterRef("pk"))))
        )

    def get_export_queryset(self) -> QuerySet:
        # the export's columns: every ``as_of_*``, and the group projects' participants
        return with_member_count(self.get_queryset(state=True), self.as_of)

    def paginate_queryset(self, queryset: QuerySet, page_size: int) -> Any:
        # The page reads only what the table shows (the export reads whole rows): on
        # PostgreSQL the joined tables' full rows added to the planning.
        queryset = queryset.select_related(None).select_related(
            "plan__funding_source", "beneficiary", "place"
        )
        queryset = queryset.only(*LIST_COLUMNS)
        paginator, page, rows, is_paginated = super().paginate_queryset(queryset, page_size)
        if isinstance(rows, QuerySet) and connections[rows.db].vendor == "postgresql":
            # The page's ids first, in the list's order, then those rows with what the table
            # joins: sorting a whole province-year joined to the beneficiary, the place, the
            # funding source and the overdue-inspection check, to keep 25, cost PostgreSQL
            # more than the two queries. SQLite sorts the joined rows faster than it runs a
            # second query: one query there (docs/performance.md).
            ids = list(rows.values_list("pk", flat=True))
            found = queryset.in_bulk(ids)
            page.object_list = rows = [found[pk] for pk in ids]
        else:
            page.object_list = rows = list(rows)
        attach_states(rows, self.as_of)
        attach_member_counts(rows, self.as_of)
        return paginator, page, rows, is_paginated

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["as_of"] = self.as_of
        context["rows"] = [
            (project, state_of(project, self.as_of)) for project in context["object_list"]
        ]
        context["can_register"] = roles.check(self.request.user, "projects.register")
        return context


def _correction_label(annulment: Annulment | None) -> str:
    if annulment is None or annulment.replacement_id is None:
        return ""
    return record_label(annulment.replacement)


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
    event_kind: str = ""
    files: tuple[ProjectDocument, ...] = field(default=())
    pk: int = 0
    annulment: Annulment | None = None  # shown struck through, with who, when and why
    corrected_by: str = ""  # the correction recorded in its place


def timeline(
    project: Project,
    events: list[ProjectEvent],
    progress: list[ProgressUpdate],
    documents: list[ProjectDocument],
    as_of: datetime.date | None,
) -> list[TimelineEntry]:
    """Events and progress updates in date order, each with its attached files (no query)."""
    entries = []
    by_event: dict[int, list[ProjectDocument]] = {}
    by_progress: dict[int, list[ProjectDocument]] = {}
    for document in documents:
        if document.event_id:
            by_event.setdefault(document.event_id, []).append(document)
        if document.progress_update_id:
            by_progress.setdefault(document.progress_update_id, []).append(document)
    for event in events:
        document = ", ".join(filter(None, [event.document_number, event.issuer]))
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
                event_kind=event.kind,
                files=tuple(by_event.get(event.pk, ())),
                pk=event.pk,
                annulment=event.annulled,
                corrected_by=_correction_label(event.annulled),
            )
        )
    for row in progress:
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
                files=tuple(by_progress.get(row.pk, ())),
                pk=row.pk,
                annulment=row.annulled,
            )
        )
    return sorted(entries, key=lambda entry: (entry.day, entry.kind == "progress"))


@dataclass(frozen=True)
class Action:
    """A button on the project page: a link when allowed, else disabled with the reason."""

    key: str
    label: str
    url: str
    decision: roles.Decision
    primary: bool = False
    reason_id: str = ""  # the element saying why a disabled button is off


def project_actions(user: Any, project: Project, state: Any = None) -> dict[str, Any]:
    """The steps the table allows from the current status (``lifecycle.available``), and the
    other forms, each with the user's permission decision on this project: for a step, the
    one the services apply (``procedure.check``, the province's rule on the day its form
    offers)."""
    day = day_in_plan(project, state if state is not None else state_of(project))
    rules = (
        procedure.procedure_on(project.province_id, day) if procedure.applies_to(project) else None
    )
    steps = [
        Action(
            key=row.kind,
            label=str(EventKind(row.kind).label),
            url=reverse("projects:step", args=[project.pk, row.kind]),
            decision=procedure.check(user, project, row.kind, day, rules),
            primary=row.target not in (lifecycle.RESUME, lifecycle.SAME)
            and row.kind not in lifecycle.REQUESTS,
        )
        for row in lifecycle.available(project.status)
    ]
    records = []
    if project.status in lifecycle.PROGRESS_STATUSES | lifecycle.PAYMENT_STATUSES:
        records.append(
            Action(
                key="progress",
                label=str(_("Record progress or a payment")),
                url=reverse("projects:progress", args=[project.pk]),
                decision=procedure.check(user, project, procedure.PROGRESS, day, rules),
                primary=True,
            )
        )
    records += [
        Action(
            key="edit",
            label=str(_("Edit details")),
            url=reverse("projects:edit", args=[project.pk]),
            decision=roles.check(user, "projects.edit", project),
        ),
        Action(
            key="inspection",
            label=str(_("Add an inspection")),
            url=reverse("projects:inspection_create", args=[project.pk]),
            decision=roles.check(user, "projects.inspect", project),
        ),
        Action(
            key="document",
            label=str(_("Attach a document")),
            url=reverse("projects:document_create", args=[project.pk]),
            decision=roles.check(user, "projects.documents", project),
        ),
    ]
    (steps, records), reasons = with_reasons(steps, records)
    return {"steps": steps, "records": records, "reasons": reasons}


@dataclass(frozen=True)
class Participant:
    member: GroupMember
    left: bool  # left on or before the date shown (kept, shown as left)


@dataclass(frozen=True)
class Participants:
    """A group project's participants card on the page's date."""

    rows: list[Participant]
    current: int  # taking part on the date
    planned: int | None  # the approval's number of units (group_size)
    support: int  # the current participants' support
    project_support: int  # the project's support (every source but the counterpart)
    add: Action
    may_end: roles.Decision


def participants(user: Any, project: Project, as_of: datetime.date | None) -> Participants | None:
    """Who joined a group project by ``as_of`` (every one today), those who left shown as
    left (never hidden), with the totals against the project's support: one query."""
    if project.kind != ProjectKind.GROUP:
        return None
    members = project.members.active().select_related("beneficiary", "place__parent__parent")
    if as_of is not None:
        members = members.filter(joined_on__lte=as_of)
    rows = [
        Participant(member, bool(member.left_on and (as_of is None or member.left_on <= as_of)))
        for member in members.order_by("joined_on", "id")
    ]
    current = [row.member for row in rows if not row.left]
    decision = roles.check(user, "projects.group_members", project)
    add = Action(
        key="member_add",
        label=str(_("Add a participating establishment")),
        url=reverse("projects:member_add", args=[project.pk]),
        decision=decision,
        primary=True,
    )
    return Participants(
        rows=rows,
        current=len(current),
        planned=project.group_size,
        support=sum(member.support_amount for member in current),
        project_support=project.budget.support,
        add=add,
        may_end=decision,
    )


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
                "plan__funding_source", "beneficiary", "implementing_unit", "content_area"
            )
            .only(*DETAIL_COLUMNS)
            .prefetch_related(DETAIL_PLACE)
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        project = self.object
        as_of = as_of_from(self.request)
        today = datetime.date.today()
        user = self.request.user
        inspections = [
            (inspection, inspection.is_overdue(today))
            for inspection in project.inspections.active().order_by("planned_date")
        ]
        events = list(
            project.events.select_related(
                "actor", "annulment__actor", "annulment__replacement"
            ).order_by("sequence")
        )
        progress = list(
            project.progress_updates.select_related("actor", "annulment__actor").order_by(
                "date", "id"
            )
        )
        documents = list(project.documents.active().select_related("event").order_by("date", "id"))
        # the plan's sums cover every project in it: shown only to whoever may see the plan
        # (not to a beneficiary user, who sees its own project's figures only)
        can_see_plan = bool(project.plan_id) and roles.allowed(user, "plans.view", project.plan)
        group = participants(user, project, as_of)
        state = state_from_records(project, as_of, events, progress)
        context.update(
            as_of=as_of,
            as_of_form=AsOfForm(self.request.GET or None),
            state=state,
            timeline=timeline(project, events, progress, documents, as_of),
            can_see_plan=can_see_plan,
            plan_figures=plan_figures(project.plan, as_of) if can_see_plan else None,
            inspections=inspections,
            overdue_count=sum(1 for _inspection, overdue in inspections if overdue),
            can_inspect=roles.check(user, "projects.inspect", project),
            documents=documents,
            actions=project_actions(user, project, None if as_of else state),
            can_annul=roles.allowed(user, lifecycle.ANNUL_PERMISSION, project),
            allocation_text=allocation_text(project.allocation if project.allocation_id else None),
            participants=group,
            supported=supported_text(project, group.current if group else None),
        )
        return context


@login_required
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    """Whoever may see the project may download its documents; others get a 404."""
    document = get_object_or_404(ProjectDocument.objects.active().select_related("project"), pk=pk)
    if not may_download(request.user, document):
        raise Http404
    return download_response(
        document.file.open("rb"),
        filename=document.original_name or document.file.name.rsplit("/", 1)[-1],
        content_type=document.content_type,
    )
