"""Projects: list and read on any date (the event log replayed), create, edit, archive;
lifecycle transitions are POSTed events (never a PATCH of the status); progress updates.
Everything goes through projects/services.py and projects/selectors.py, as the UI does."""

from __future__ import annotations

import datetime
from typing import Annotated, Any, Literal

from annotated_types import Ge, Le
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema, Status

from khuyencong.accounts import roles
from khuyencong.accounts.models import Organisation
from khuyencong.api.errors import ERROR_RESPONSES, WRITE_RESPONSES, ApiRefusal
from khuyencong.api.fields import Id, Money, Page, PageParams, Percent, Text, Year, paginate
from khuyencong.api.idempotency import IDEMPOTENT_RESPONSES, OPENAPI, idempotent
from khuyencong.api.plans import _no_such
from khuyencong.api.reference import require
from khuyencong.beneficiaries.models import Beneficiary
from khuyencong.catalog.models import ContentArea
from khuyencong.places.models import AdminUnit
from khuyencong.plans.models import Allocation
from khuyencong.projects import groups, services
from khuyencong.projects.models import Budget, EventKind, GroupMember, Project
from khuyencong.projects.plan_selectors import plan_list
from khuyencong.projects.selectors import ORDERINGS, annotate_as_of, project_list, state_of

router = Router(tags=["projects"])

StatusName = Literal[
    "registered",
    "appraised",
    "approved",
    "assigned",
    "contracted",
    "in_progress",
    "accepted",
    "settled",
    "adjustment_requested",
    "stop_requested",
    "stopped",
    "",
]
PhaseName = Literal[
    "proposed",
    "not_started",
    "in_progress",
    "completed",
    "adjustment_requested",
    "stop_requested",
    "stopped",
    "",
]
Ordering = Literal[tuple(o for key in ORDERINGS for o in (key, f"-{key}"))]  # type: ignore[misc]
TransitionKind = Literal[
    tuple(  # type: ignore[misc]
        kind.value  # the import baseline is the system's only
        for kind in EventKind
        if kind not in (EventKind.REGISTER, EventKind.TAKEN_OVER)
    )
]


class BudgetSchema(Schema):
    national: Money = 0
    local: Money = 0
    counterpart: Money = 0
    other: Money = 0


class StateOut(Schema):
    day: datetime.date
    status: str | None
    phase: str | None
    under_review: bool
    progress_percent: int
    advanced: int
    disbursed: int
    budget: BudgetSchema
    plan_budget: int
    allocated: int
    accepted_amount: int | None
    settled_amount: int | None


class ProjectOut(Schema):
    id: int
    version: int
    code: str
    title: str
    content_area: str
    kcqg_type: str
    kind: str
    group_size: int | None
    allocation_id: int | None
    plan_id: int | None
    implementing_unit_id: int
    beneficiary_id: int | None
    place_id: int
    province_id: int
    district_id: int | None
    budget: BudgetSchema
    start_date: datetime.date | None
    end_date: datetime.date | None
    expected_results: str
    status: str
    archived: bool
    state: StateOut


def budget_out(budget: Budget) -> dict[str, int]:
    return budget._asdict()


def project_out(row: Project, as_of: datetime.date | None) -> dict[str, Any]:
    state = state_of(row, as_of)
    return {
        "id": row.pk,
        "version": row.version,
        "code": row.code,
        "title": row.title,
        "content_area": row.content_area.code,
        "kcqg_type": row.kcqg_type,
        "kind": row.kind,
        "group_size": row.group_size,
        "allocation_id": row.allocation_id,
        "plan_id": row.plan_id,
        "implementing_unit_id": row.implementing_unit_id,
        "beneficiary_id": row.beneficiary_id,
        "place_id": row.place_id,
        "province_id": row.province_id,
        "district_id": row.district_id,
        "budget": budget_out(row.budget),
        "start_date": row.start_date,
        "end_date": row.end_date,
        "expected_results": row.expected_results,
        "status": row.status,
        "archived": row.archived_at is not None,
        "state": {
            "day": state.day,
            "status": state.status,
            "phase": state.phase,
            "under_review": state.under_review,
            "progress_percent": state.progress_percent,
            "advanced": state.advanced,
            "disbursed": state.disbursed,
            "budget": budget_out(state.budget),
            "plan_budget": state.plan_budget,
            "allocated": state.allocated,
            "accepted_amount": state.accepted_amount,
            "settled_amount": state.settled_amount,
        },
    }


class ProjectFilters(PageParams):
    q: Text(100) = ""  # type: ignore[valid-type]
    year: Year | None = None
    province: Id | None = None
    district: Id | None = None
    plan: Id | None = None
    content_area: Text(40) = ""  # type: ignore[valid-type]
    funding_source: Literal["national", "local", "other", ""] = ""
    beneficiary_kind: Text(40) = ""  # type: ignore[valid-type]
    status: StatusName = ""
    phase: PhaseName = ""
    as_of: datetime.date | None = None
    ordering: Ordering = "code"  # type: ignore[valid-type]


def project_filters(filters: ProjectFilters) -> dict[str, Any]:
    values: dict[str, Any] = {
        name: getattr(filters, name)
        for name in (
            "q",
            "year",
            "province",
            "district",
            "plan",
            "funding_source",
            "beneficiary_kind",
            "status",
            "phase",
        )
    }
    if filters.content_area:
        area = ContentArea.objects.filter(code=filters.content_area).first()
        values["content_area"] = area.pk if area else -1
    return values


@router.get(
    "/projects",
    response={200: Page[ProjectOut], **ERROR_RESPONSES},
    summary="List projects with their state on a date (as_of; default: every record)",
)
def list_projects(request: HttpRequest, filters: Query[ProjectFilters]) -> dict:
    require(request, "projects.view")
    rows = project_list(
        user=request.user,
        filters=project_filters(filters),
        as_of=filters.as_of,
        order=filters.ordering,
    ).select_related("content_area")
    return paginate(rows, filters, lambda row: project_out(row, filters.as_of))


def scoped_project(request: HttpRequest, project_id: int) -> Project:
    return roles.scope_queryset(request.user, Project.objects.active()).get(pk=project_id)


def read_project(request: HttpRequest, project_id: int, as_of: datetime.date | None = None):
    rows = roles.scope_queryset(request.user, Project.objects.active()).select_related(
        "plan__funding_source", "content_area"
    )
    return project_out(annotate_as_of(rows, as_of).get(pk=project_id), as_of)


class AsOf(Schema):
    as_of: datetime.date | None = None


@router.get(
    "/projects/{project_id}",
    response={200: ProjectOut, **ERROR_RESPONSES},
    summary="One project and its state on a date",
)
def get_project(request: HttpRequest, project_id: Path[Id], params: Query[AsOf]) -> dict:
    require(request, "projects.view")
    return read_project(request, project_id, params.as_of)


def _lookup(model: Any, pk: int | None, what: str, field: str, queryset: Any = None) -> Any:
    if pk is None:
        return None
    rows = queryset if queryset is not None else model.objects.all()
    found = rows.filter(pk=pk).first()
    if found is None:
        message = _("No such allocation batch in your area.") if what == "allocation" else None
        raise ApiRefusal(400, message or _no_such(what), loc=["body", field], type="invalid_choice")
    return found


def _content_area(code: str | None) -> ContentArea | None:
    if code is None:
        return None
    found = ContentArea.objects.active().filter(code=code).first()
    if found is None:
        raise ApiRefusal(
            400, _no_such("content_area"), loc=["body", "content_area"], type="invalid_choice"
        )
    return found


KcqgType = Literal["diem", "nhom", "doi_tuong", ""]
# "": inferred by the service (a KCQG group project, else from the beneficiary)
KindName = Literal["single", "group", "centre", ""]
GroupSize = Annotated[int, Ge(1), Le(10_000)]


class ProjectIn(Schema):
    code: Text(40)  # type: ignore[valid-type]
    title: Text(500)  # type: ignore[valid-type]
    content_area: Text(40)  # type: ignore[valid-type]
    implementing_unit_id: Id
    place_id: Id
    registered_on: datetime.date
    plan_id: Id | None = None
    beneficiary_id: Id | None = None
    kcqg_type: KcqgType = ""
    kind: KindName = ""
    group_size: GroupSize | None = None
    allocation_id: Id | None = None
    budget: BudgetSchema = BudgetSchema()
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None
    expected_results: Text(5000) = ""  # type: ignore[valid-type]
    document_number: Text(80) = ""  # type: ignore[valid-type]
    reason: Text(5000) = ""  # type: ignore[valid-type]


def _related(request: HttpRequest, payload: Any) -> dict[str, Any]:
    values = payload.dict(exclude_unset=True)
    related: dict[str, Any] = {}
    if "plan_id" in values:
        related["plan"] = _lookup(
            None, values["plan_id"], "plan", "plan_id", plan_list(user=request.user)
        )
    if "beneficiary_id" in values:
        related["beneficiary"] = _lookup(
            None,
            values["beneficiary_id"],
            "beneficiary",
            "beneficiary_id",
            roles.scope_queryset(
                request.user,
                Beneficiary.objects.active(),
                province="province",
                district="district",
                beneficiary="pk",
            ),
        )
    if "allocation_id" in values:
        related["allocation"] = _lookup(
            None,
            values["allocation_id"],
            "allocation",
            "allocation_id",
            Allocation.objects.filter(plan__in=plan_list(user=request.user)),
        )
    if values.get("place_id") is not None:
        related["place"] = _lookup(AdminUnit, values["place_id"], "place", "place_id")
    if values.get("implementing_unit_id") is not None:
        related["implementing_unit"] = _lookup(
            None,
            values["implementing_unit_id"],
            "organisation",
            "implementing_unit_id",
            Organisation.objects.active(),
        )
    if values.get("content_area") is not None:
        related["content_area"] = _content_area(values["content_area"])
    return related


@router.post(
    "/projects", response={201: ProjectOut, **WRITE_RESPONSES}, summary="Register a project"
)
def create_project(request: HttpRequest, payload: ProjectIn) -> Status:
    require(request, "projects.register")
    related = _related(request, payload)
    project = services.create_project(
        actor=request.user,
        code=payload.code,
        title=payload.title,
        content_area=related["content_area"],
        implementing_unit=related["implementing_unit"],
        place=related["place"],
        registered_on=payload.registered_on,
        plan=related.get("plan"),
        beneficiary=related.get("beneficiary"),
        kcqg_type=payload.kcqg_type,
        kind=payload.kind,
        group_size=payload.group_size,
        allocation=related.get("allocation"),
        budget=Budget(**payload.budget.dict()),
        start_date=payload.start_date,
        end_date=payload.end_date,
        expected_results=payload.expected_results,
        document_number=payload.document_number,
        reason=payload.reason,
    )
    return Status(201, read_project(request, project.pk))


class ProjectPatch(Schema):
    version: Id
    code: Text(40) | None = None  # type: ignore[valid-type]
    title: Text(500) | None = None  # type: ignore[valid-type]
    content_area: Text(40) | None = None  # type: ignore[valid-type]
    kcqg_type: KcqgType | None = None
    kind: KindName | None = None
    group_size: GroupSize | None = None
    allocation_id: Id | None = None
    plan_id: Id | None = None
    implementing_unit_id: Id | None = None
    beneficiary_id: Id | None = None
    place_id: Id | None = None
    budget: BudgetSchema | None = None
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None
    expected_results: Text(5000) | None = None  # type: ignore[valid-type]


@router.patch(
    "/projects/{project_id}",
    response={200: ProjectOut, **WRITE_RESPONSES},
    summary="Edit a project's details (plan and budget only until approved)",
)
def update_project(request: HttpRequest, project_id: Path[Id], payload: ProjectPatch) -> dict:
    require(request, "projects.edit")
    project = scoped_project(request, project_id)
    sent = payload.dict(exclude_unset=True)
    changes: dict[str, Any] = {}
    names = ("code", "title", "kcqg_type", "kind", "group_size", "start_date", "end_date")
    for name in (*names, "expected_results"):
        # null clears a date or the group size (a project that stops being a group project)
        nullable = name in ("start_date", "end_date", "group_size")
        if name in sent and (sent[name] is not None or nullable):
            changes[name] = sent[name]
    changes.update(_related(request, payload))
    if sent.get("budget") is not None:
        changes.update(Budget(**sent["budget"]).as_fields())
    services.update_project(
        project=project, actor=request.user, expected_version=payload.version, **changes
    )
    return read_project(request, project_id)


class VersionIn(Schema):
    version: Id


@router.post(
    "/projects/{project_id}/archive",
    response={200: dict[str, bool], **WRITE_RESPONSES},
    summary="Archive a project that holds no money",
)
def archive_project(request: HttpRequest, project_id: Path[Id], payload: VersionIn) -> dict:
    require(request, "projects.edit")
    project = scoped_project(request, project_id)
    services.archive_project(project=project, actor=request.user, expected_version=payload.version)
    return {"archived": True}


class EventOut(Schema):
    id: int
    sequence: int
    kind: str
    effective_date: datetime.date
    document_number: str
    document_date: datetime.date | None
    issuer: str
    reason: str
    from_status: str
    to_status: str
    amount: int | None
    recorded_at: datetime.datetime
    annulled: bool
    corrects_sequence: int | None


def event_out(event: Any) -> dict[str, Any]:
    return {
        "id": event.pk,
        "sequence": event.sequence,
        "kind": event.kind,
        "effective_date": event.effective_date,
        "document_number": event.document_number,
        "document_date": event.document_date,
        "issuer": event.issuer,
        "reason": event.reason,
        "from_status": event.from_status,
        "to_status": event.to_status,
        "amount": event.amount,
        "recorded_at": event.recorded_at,
        "annulled": event.annulled is not None,
        "corrects_sequence": event.corrects_sequence,
    }


@router.get(
    "/projects/{project_id}/events",
    response={200: list[EventOut], **ERROR_RESPONSES},
    summary="The project's lifecycle events, in order (annulled ones flagged)",
)
def list_events(request: HttpRequest, project_id: Path[Id]) -> list[dict]:
    require(request, "projects.view")
    project = scoped_project(request, project_id)
    return [event_out(e) for e in project.events.select_related("annulment").order_by("sequence")]


class TransitionIn(Schema):
    """One lifecycle step (see the transition table in projects/lifecycle.py)."""

    version: Id
    kind: TransitionKind  # type: ignore[valid-type]
    effective_date: datetime.date
    document_number: Text(80) = ""  # type: ignore[valid-type]
    document_date: datetime.date | None = None
    issuer: Text(200) = ""  # type: ignore[valid-type]
    reason: Text(5000) = ""  # type: ignore[valid-type]
    amount: Money | None = None
    new_budget: BudgetSchema | None = None


class TransitionOut(Schema):
    event: EventOut
    project: ProjectOut


@router.post(
    "/projects/{project_id}/events",
    response={201: TransitionOut, **IDEMPOTENT_RESPONSES},
    summary="Record a lifecycle step (a transition is an event, never a status edit)",
    openapi_extra=OPENAPI,
)
@idempotent  # approvals, acceptances and settlements carry money
def create_event(request: HttpRequest, project_id: Path[Id], payload: TransitionIn) -> Status:
    require(request, "projects.view")
    project = scoped_project(request, project_id)
    event = services.project_transition(
        project=project,
        kind=payload.kind,
        effective_date=payload.effective_date,
        actor=request.user,
        document_number=payload.document_number,
        document_date=payload.document_date,
        issuer=payload.issuer,
        reason=payload.reason,
        amount=payload.amount,
        new_budget=Budget(**payload.new_budget.dict()) if payload.new_budget else None,
        expected_version=payload.version,
    )
    return Status(201, {"event": event_out(event), "project": read_project(request, project_id)})


class ProgressOut(Schema):
    id: int
    date: datetime.date
    progress_percent: int
    disbursed_amount: int
    disbursement_kind: str
    note: str
    recorded_at: datetime.datetime
    annulled: bool


def progress_out(row: Any) -> dict[str, Any]:
    return {
        "id": row.pk,
        "date": row.date,
        "progress_percent": row.progress_percent,
        "disbursed_amount": row.disbursed_amount,
        "disbursement_kind": row.disbursement_kind,
        "note": row.note,
        "recorded_at": row.recorded_at,
        "annulled": row.annulled is not None,
    }


@router.get(
    "/projects/{project_id}/progress",
    response={200: list[ProgressOut], **ERROR_RESPONSES},
    summary="The project's progress updates (work done, money disbursed)",
)
def list_progress(request: HttpRequest, project_id: Path[Id]) -> list[dict]:
    require(request, "projects.view")
    project = scoped_project(request, project_id)
    rows = project.progress_updates.select_related("annulment").order_by("date", "id")
    return [progress_out(r) for r in rows]


class ProgressIn(Schema):
    version: Id
    date: datetime.date
    progress_percent: Percent
    disbursed_amount: Money = 0
    disbursement_kind: Literal["advance", "payment"] = "advance"
    note: Text(5000) = ""  # type: ignore[valid-type]


class ProgressCreated(Schema):
    progress: ProgressOut
    project: ProjectOut


@router.post(
    "/projects/{project_id}/progress",
    response={201: ProgressCreated, **IDEMPOTENT_RESPONSES},
    summary="Record work done and money disbursed",
    openapi_extra=OPENAPI,
)
@idempotent
def create_progress(request: HttpRequest, project_id: Path[Id], payload: ProgressIn) -> Status:
    require(request, "projects.view")
    project = scoped_project(request, project_id)
    row = services.record_progress(
        project=project,
        actor=request.user,
        date=payload.date,
        progress_percent=payload.progress_percent,
        disbursed_amount=payload.disbursed_amount,
        disbursement_kind=payload.disbursement_kind,
        note=payload.note,
        expected_version=payload.version,
    )
    return Status(
        201, {"progress": progress_out(row), "project": read_project(request, project_id)}
    )


class AnnulIn(Schema):
    version: Id
    reason: Text(5000)  # type: ignore[valid-type]


class AnnulmentOut(Schema):
    id: int
    reason: str
    recorded_at: datetime.datetime
    project: ProjectOut


def annulment_out(request: HttpRequest, annulment: Any, project_id: int) -> dict[str, Any]:
    return {
        "id": annulment.pk,
        "reason": annulment.reason,
        "recorded_at": annulment.recorded_at,
        "project": read_project(request, project_id),
    }


@router.post(
    "/projects/{project_id}/events/{event_id}/annul",
    response={200: AnnulmentOut, **WRITE_RESPONSES},
    summary="Annul a recorded event (it stays in the log, flagged, and no longer counts)",
)
def annul_event(
    request: HttpRequest, project_id: Path[Id], event_id: Path[Id], payload: AnnulIn
) -> dict:
    require(request, "projects.view")
    project = scoped_project(request, project_id)
    event = project.events.get(pk=event_id)
    annulment = services.annul_event(
        project=project,
        event=event,
        actor=request.user,
        reason=payload.reason,
        expected_version=payload.version,
    )
    return annulment_out(request, annulment, project_id)


@router.post(
    "/projects/{project_id}/progress/{progress_id}/annul",
    response={200: AnnulmentOut, **WRITE_RESPONSES},
    summary="Annul a recorded progress entry (a duplicate payment, a wrong date)",
)
def annul_progress(
    request: HttpRequest, project_id: Path[Id], progress_id: Path[Id], payload: AnnulIn
) -> dict:
    require(request, "projects.view")
    project = scoped_project(request, project_id)
    row = project.progress_updates.get(pk=progress_id)
    annulment = services.annul_progress(
        project=project,
        progress_update=row,
        actor=request.user,
        reason=payload.reason,
        expected_version=payload.version,
    )
    return annulment_out(request, annulment, project_id)


class MemberOut(Schema):
    """A group project's participant (``projects.groups``)."""

    id: int
    version: int
    beneficiary_id: int
    beneficiary_name: str
    place_id: int
    support_amount: int
    decision_number: str
    decision_date: datetime.date
    issuer: str
    joined_on: datetime.date
    left_on: datetime.date | None
    leave_decision_number: str
    leave_reason: str
    taking_part: bool  # on the date asked (today's without one)


def member_out(row: GroupMember, as_of: datetime.date | None = None) -> dict[str, Any]:
    return {
        "id": row.pk,
        "version": row.version,
        "beneficiary_id": row.beneficiary_id,
        "beneficiary_name": row.beneficiary.name,
        "place_id": row.place_id,
        "support_amount": row.support_amount,
        "decision_number": row.decision_number,
        "decision_date": row.decision_date,
        "issuer": row.issuer,
        "joined_on": row.joined_on,
        "left_on": row.left_on,
        "leave_decision_number": row.leave_decision_number,
        "leave_reason": row.leave_reason,
        "taking_part": row.left_on is None or (as_of is not None and row.left_on > as_of),
    }


@router.get(
    "/projects/{project_id}/members",
    response={200: list[MemberOut], **ERROR_RESPONSES},
    summary="A group project's participants who joined by a date (those who left included)",
)
def list_members(request: HttpRequest, project_id: Path[Id], params: Query[AsOf]) -> list[dict]:
    require(request, "projects.view")
    project = scoped_project(request, project_id)
    rows = project.members.active().select_related("beneficiary")
    if params.as_of is not None:
        rows = rows.filter(joined_on__lte=params.as_of)
    return [member_out(row, params.as_of) for row in rows.order_by("joined_on", "id")]


class MemberIn(Schema):
    version: Id  # the project's
    beneficiary_id: Id
    place_id: Id
    support_amount: Money
    decision_number: Text(80)  # type: ignore[valid-type]
    decision_date: datetime.date
    issuer: Text(200) = "Sở Công Thương"  # type: ignore[valid-type]
    joined_on: datetime.date | None = None


@router.post(
    "/projects/{project_id}/members",
    response={201: MemberOut, **IDEMPOTENT_RESPONSES},
    summary="Attach a participant to an approved group project by the department's decision",
    openapi_extra=OPENAPI,
)
@idempotent  # a participant carries support money
def add_member(request: HttpRequest, project_id: Path[Id], payload: MemberIn) -> Status:
    require(request, "projects.view")
    project = scoped_project(request, project_id)
    related = _related(request, payload)
    member = groups.add_member(
        project=project,
        actor=request.user,
        beneficiary=related["beneficiary"],
        place=related["place"],
        support_amount=payload.support_amount,
        decision_number=payload.decision_number,
        decision_date=payload.decision_date,
        issuer=payload.issuer,
        joined_on=payload.joined_on,
        expected_version=payload.version,
    )
    return Status(201, member_out(member))


class MemberEndIn(Schema):
    version: Id  # the participant's
    left_on: datetime.date
    decision_number: Text(80)  # type: ignore[valid-type]
    reason: Text(5000)  # type: ignore[valid-type]


@router.post(
    "/projects/{project_id}/members/{member_id}/end",
    response={200: MemberOut, **IDEMPOTENT_RESPONSES},
    summary="A participant leaves the group project by the department's decision (kept)",
    openapi_extra=OPENAPI,
)
@idempotent
def end_member(
    request: HttpRequest, project_id: Path[Id], member_id: Path[Id], payload: MemberEndIn
) -> dict:
    require(request, "projects.view")
    project = scoped_project(request, project_id)
    member = project.members.active().select_related("beneficiary").get(pk=member_id)
    groups.end_membership(
        member=member,
        actor=request.user,
        left_on=payload.left_on,
        decision_number=payload.decision_number,
        reason=payload.reason,
        expected_version=payload.version,
    )
    return member_out(member)
