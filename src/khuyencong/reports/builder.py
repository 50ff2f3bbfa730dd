"""The report builder: plans and project events of a scope and year -> ``ReportData``.

``build_report(user=…, province=…, year=…, period=…, as_of=…)`` reads every project of the
year's plans in the scope (a province, or the whole country for national users) with its
state on the as-of date (the period's last day unless given), rebuilt from the event log by
``projects.selectors.annotate_as_of``, and states it the way the seed report does. The
wording is ``compose``'s; this module only decides *what* is said.

Rules chosen (tests/reports/test_builder.py):

Which projects: those of the plans in force in the year in the scope (one-year plans of the
year and multi-year plans covering it, main and supplementary: ``Plan.objects.for_year``),
registered by the as-of date and already approved then (a project still registered or
appraised is a proposal, not part of the plan being carried out); and, carried over, the
projects of plans whose period ended before the year with an acceptance, a settlement, a stop
or a progress/payment update dated in the report's period (``scope_projects``). One section
per funding source with a plan or a project, in the catalog's order. Each section cites the
decisions of its plans and the national allocation batches that exist on the as-of date
(``source_citations``); a group project lists its participants on that date
(``participants_on``). What the data cannot support goes to ``ReportData.warnings``
(``report_warnings``): a year without a plan is produced with a warning, never refused.

Status on the date (``report_status``), from the lifecycle state:
  * accepted or settled -> completed ("đã hoàn thành");
  * an adjustment or a stop being considered (the ``under_review`` note is the latest event)
    -> under review, with what is being studied from the note ("đang nghiên cứu … để xem xét");
  * contracted or in progress: all the work done -> completed; at least ``PERCENT_STATED_FROM``
    (half) done -> in progress with its percentage ("đã hoàn thành được 50% khối lượng công
    việc"); less -> contract signed ("đã triển khai ký kết hợp đồng và thực hiện theo kế
    hoạch"). The seed states 50 % for four KCĐP projects and, for Tân Thành (contract signed
    in May, 40 % of the work and a first advance by June), the contract: a share below half is
    the start of the work, not yet a milestone a report cites;
  * approved or assigned with no contract -> not started ("chưa thực hiện");
  * adjustment requested / stop requested / stopped -> the same, with the reason of the
    request when it gives one (a reason that only repeats "xin dừng" or "xin điều chỉnh" says
    nothing the status does not, and is left out).

Who assigned and when: the earliest assignment (giao nhiệm vụ) of the section's projects gives
the month. The national fund's projects are assigned by the national agency, named as it was
called on that day (``Organisation.name_on``: "Cục Công Thương địa phương" in 2018; the seed
writes "Cục Công thương địa phương", a capitalisation slip: the system writes the agency's
registered name). Other sources are assigned by the reporting department itself, which the
report does not state.

Money: each project's budget in the section's source as of the date (the budget snapshot of its
approval or latest adjustment) and the money disbursed by then. Section totals are sums of the
lines (``SourceSection.total_budget``), so text and annex agree.

Names: the implementing unit and the department are written without their province when the
report is the province's own ("Trung tâm Khuyến công và Xúc tiến thương mại", "Sở Công
Thương"); places from the commune up to the district (province reports) or the province
(national reports).

Defaults the data cannot give (signer, recipients, the local programme, next year's focus) come
from the scope's ``ReportSettings``; the narrative parts stay ``None`` (compose's default text)
until ``edits.ReportEdits`` fills them.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from khuyencong.accounts import roles
from khuyencong.accounts.models import Organisation, OrganisationKind
from khuyencong.catalog.models import FundingSource, LegalBasis
from khuyencong.core.text import normalize
from khuyencong.documents import wording
from khuyencong.events import selectors as event_selectors
from khuyencong.events.models import Event, EventStatus, Participant, ParticipantKind
from khuyencong.events.models import EventKind as Kind
from khuyencong.places.models import AdminUnit, Level
from khuyencong.plans.models import Allocation, AllocationDocument, Plan, PlanKind, covering
from khuyencong.plans.models import PlanVersionKind as VersionKind
from khuyencong.projects.models import (
    EventKind,
    GroupMember,
    ProgressUpdate,
    Project,
    ProjectEvent,
    ProjectKind,
    Status,
)
from khuyencong.projects.selectors import ProjectState, annotate_as_of, state_of
from khuyencong.reports.data import (
    Authority,
    EventFigures,
    NextYearPlan,
    Period,
    PlaceUnit,
    ProjectLine,
    ReportData,
    ReportStatus,
    Signer,
    SourceSection,
    default_issued_on,
    make_period,
)
from khuyencong.reports.models import ReportSettings
from khuyencong.reports.next_year import next_year_plan

PERCENT_STATED_FROM = 50
NOT_IN_PLAN = frozenset({Status.REGISTERED, Status.APPRAISED})
REQUEST_WORDS = ("xin dừng", "xin điều chỉnh")
NATIONAL_SYMBOL = "BC-CTĐP"
PROVINCE_SYMBOL = "BC-SCT"

Progress = Callable[[int, str], None]  # (percent done, what is being done)


class ReportRefused(Exception):
    """The user may not build this report; ``message`` says why (translated)."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


# --------------------------------------------------------------------------------------------
# Scope


def check_scope(user: Any, province: AdminUnit | None) -> None:
    """Refuse a report outside the user's scope. ``user=None`` is a trusted caller (the
    ``report`` command, the benchmark), which may report on any scope."""
    if user is None:
        return
    decision = roles.check(user, "reports.view")
    if not decision:
        raise ReportRefused(decision.reason)
    if province is None:
        if not roles.is_national(user):
            raise ReportRefused(_("Only national users can report on the whole country."))
        return
    if province.level != Level.PROVINCE:
        raise ReportRefused(_("Choose a province."))
    if not roles.in_scope(user, province):
        raise ReportRefused(_("This province is outside your area of responsibility."))


def province_family(province: AdminUnit) -> set[int]:
    return AdminUnit.province_family_ids(province.pk)


def event_figures(province: AdminUnit | None, year: int, as_of: datetime.date) -> EventFigures:
    """The year's training conferences and trade fairs in the scope (None: the whole
    country), held by ``as_of`` or still planned, with the officers trained per district
    (three queries)."""
    from django.db.models import Count, Q, Sum

    events = Event.objects.active().filter(start_date__year=year)
    if province is not None:
        events = events.filter(province_id__in=province_family(province))
    held = Q(status=EventStatus.HELD, end_date__lte=as_of)  # EventQuerySet.held_by
    counts = events.aggregate(
        trainings=Count("pk", filter=Q(kind=Kind.TRAINING)),
        trainings_held=Count("pk", filter=Q(kind=Kind.TRAINING) & held),
        fairs=Count("pk", filter=Q(kind=Kind.TRADE_FAIR)),
        fairs_held=Count("pk", filter=Q(kind=Kind.TRADE_FAIR) & held),
        booths=Sum("booths_supported", filter=Q(kind=Kind.TRADE_FAIR) & held),
    )
    fairs = events.filter(kind=Kind.TRADE_FAIR).held_by(as_of)
    establishments = (
        Participant.objects.active()
        .filter(event__in=fairs, kind=ParticipantKind.ESTABLISHMENT)
        .count()
    )
    trained = event_selectors.officers_trained(events, as_of)
    return EventFigures(
        trainings_held=counts["trainings_held"],
        trainings_planned=counts["trainings"] - counts["trainings_held"],
        officers_trained=tuple(
            (row["district"] or "không rõ huyện", row["officers"]) for row in trained
        ),
        fairs_held=counts["fairs_held"],
        fairs_planned=counts["fairs"] - counts["fairs_held"],
        establishments_at_fairs=establishments,
        booths=counts["booths"] or 0,
    )


# --------------------------------------------------------------------------------------------
# Status


@dataclass(frozen=True)
class LineStatus:
    status: ReportStatus
    progress_percent: int | None = None


def report_status(state: ProjectState) -> LineStatus | None:
    """How a report states a project's state on its date; None: not part of the plan yet."""
    status = state.status
    if status is None or status in NOT_IN_PLAN:
        return None
    if status in (Status.ACCEPTED, Status.SETTLED):
        return LineStatus(ReportStatus.COMPLETED)
    if status == Status.ADJUSTMENT_REQUESTED:
        return LineStatus(ReportStatus.ADJUSTMENT_REQUESTED)
    if status == Status.STOP_REQUESTED:
        return LineStatus(ReportStatus.STOP_REQUESTED)
    if status == Status.STOPPED:
        return LineStatus(ReportStatus.STOPPED)
    if state.under_review:
        return LineStatus(ReportStatus.UNDER_REVIEW)
    if status in (Status.CONTRACTED, Status.IN_PROGRESS):
        percent = state.progress_percent
        if percent >= 100:
            return LineStatus(ReportStatus.COMPLETED)
        if percent >= PERCENT_STATED_FROM:
            return LineStatus(ReportStatus.IN_PROGRESS, percent)
        return LineStatus(ReportStatus.CONTRACT_SIGNED)
    return LineStatus(ReportStatus.NOT_STARTED)  # approved or assigned, no contract yet


_REVIEW_SUBJECT = re.compile(
    r"^\s*đang nghiên cứu\s+(?P<subject>.+?)\s+để\s+(?:xem xét|quyết định)"
)


def review_subject(note: str) -> str:
    """What a project under review is studying, from its note: "Đang nghiên cứu thị trường máy
    móc thiết bị để xem xét …" -> "thị trường máy móc thiết bị"; "" when the note does not say
    (compose then writes its default)."""
    match = _REVIEW_SUBJECT.match(note.strip().lower())
    if not match:
        return ""
    start = note.lower().index(match["subject"])
    return note[start : start + len(match["subject"])].strip()


def stated_reason(reason: str) -> str:
    """A request's reason as the report cites it after "do": "Đơn vị gặp khó khăn về thị
    trường tiêu thụ." -> "đơn vị gặp khó khăn về thị trường tiêu thụ"; "" for a reason that
    only repeats the request."""
    text = " ".join(reason.split()).rstrip(" .;")
    if not text or any(words in text.lower() for words in REQUEST_WORDS):
        return ""
    return wording.lower_first(text)


# --------------------------------------------------------------------------------------------
# Names and places


def _without_province(name: str, province: AdminUnit | None) -> str:
    """ "Trung tâm … tỉnh Bắc Kạn" -> "Trung tâm …" in Bắc Kạn's own report."""
    if province is None:
        return name
    for suffix in (province.name, f"{province.unit_type} {province.short_name}"):
        suffix = f" {suffix}"
        if normalize(name).endswith(normalize(suffix)):
            return name[: len(name) - len(suffix)].rstrip(" ,")
    return name


def place_units(
    place: AdminUnit, *, with_province: bool, written: tuple[str, str] = ("", "")
) -> tuple[PlaceUnit, ...]:
    """The project's place from the smallest unit up to the district (or the province).
    ``written`` (name, unit type): the place as the record wrote it on its date, printed for
    the smallest unit (an old name whose successor is linked is printed as it was)."""
    units = []
    unit: AdminUnit | None = place
    while unit is not None:
        if unit.level == Level.PROVINCE and not with_province:
            break
        units.append(PlaceUnit(unit_type=unit.unit_type, name=unit.short_name))
        unit = unit.parent
    name, unit_type = written
    if units and name:
        units[0] = PlaceUnit(unit_type=unit_type, name=name)
    return tuple(units)


def legal_basis_citation(day: datetime.date) -> str:
    """The khuyến công decree in force on ``day``, as a report cites it (from the catalog)."""
    bases = {basis.code: basis for basis in LegalBasis.objects.filter(code__in=_DECREES)}

    def cite(basis: LegalBasis) -> str:
        subject = wording.lower_first(basis.title.removeprefix("Về ").removeprefix("về "))
        return wording.legal_citation(
            basis.doc_type, basis.number, basis.issued_on, basis.issuer, subject
        )

    nd45 = bases.get("nd45_2012")
    if nd45 is None:
        return "Nghị định số 45/2012/NĐ-CP ngày 21/5/2012 của Chính phủ về khuyến công"
    text = cite(nd45)
    nd235 = bases.get("nd235_2025")
    if nd235 is not None and nd235.valid_from and nd235.valid_from <= day:
        text += (
            f", được sửa đổi, bổ sung bởi {nd235.doc_type} số {nd235.number} ngày "
            f"{wording.date_short(nd235.issued_on)} của {nd235.issuer}"
        )
    return text


_DECREES = ("nd45_2012", "nd235_2025")


# --------------------------------------------------------------------------------------------
# Authority and settings


def _department(province: AdminUnit) -> Organisation | None:
    return (
        Organisation.objects.active()
        .filter(kind=OrganisationKind.DEPARTMENT, province_id__in=province_family(province))
        .order_by("pk")
        .first()
    )


def national_agency() -> Organisation | None:
    return (
        Organisation.objects.active()
        .filter(kind=OrganisationKind.NATIONAL_AGENCY)
        .order_by("pk")
        .first()
    )


def authority_for(province: AdminUnit | None, day: datetime.date) -> Authority:
    if province is None:
        agency = national_agency()
        name = agency.name_on(day) if agency else "Cục Công Thương địa phương"
        return Authority(
            parent="BỘ CÔNG THƯƠNG", name=name.upper(), name_in_text=name, short_in_text="Cục"
        )
    department = _department(province)
    name = _without_province(department.name, province) if department else "Sở Công Thương"
    return Authority(
        parent=f"UBND {province.name}".upper(),
        name=name.upper(),
        name_in_text=name,
        short_in_text="Sở",
    )


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


@dataclass(frozen=True)
class Defaults:
    """What a scope's reports start from (``ReportSettings``, or these when none is set)."""

    symbol: str
    signer: Signer
    recipients: tuple[str, ...]
    local_programme: str
    focus_areas: tuple[str, ...]


def scope_defaults(province: AdminUnit | None) -> Defaults:
    settings_row = ReportSettings.for_scope(province)
    national = province is None
    if settings_row is None:
        upper = "CỤC TRƯỞNG" if national else "GIÁM ĐỐC"
        return Defaults(
            symbol=NATIONAL_SYMBOL if national else PROVINCE_SYMBOL,
            signer=Signer(capacity="", position=upper, name=""),
            recipients=("Lưu: VT",),
            local_programme="",
            focus_areas=(),
        )
    return Defaults(
        symbol=settings_row.symbol,
        signer=Signer(
            capacity=settings_row.signer_capacity,
            position=settings_row.signer_position,
            name=settings_row.signer_name,
        ),
        recipients=_lines(settings_row.recipients),
        local_programme=settings_row.local_programme,
        focus_areas=_lines(settings_row.focus_areas),
    )


# --------------------------------------------------------------------------------------------
# Projects


@dataclass(frozen=True)
class EventNotes:
    """The events of a project the report cites, as of the date."""

    first_assigned: datetime.date | None = None
    assign_issuer: str = ""
    review_note: str = ""
    request_reason: str = ""
    taken_over: bool = False  # the history starts from an import baseline (no date from it)


def _event_notes(projects: Any, as_of: datetime.date) -> dict[int, EventNotes]:
    """Only the steps recorded as such: an import baseline (``TAKEN_OVER``) gives no
    assignment month, issuer or reason, only the mention that it was taken over."""
    kinds = [
        EventKind.TAKEN_OVER,
        EventKind.ASSIGN,
        EventKind.UNDER_REVIEW,
        EventKind.REQUEST_STOP,
        EventKind.REQUEST_ADJUSTMENT,
    ]
    rows = (
        ProjectEvent.objects.effective()
        .filter(project__in=projects.values("pk"), effective_date__lte=as_of, kind__in=kinds)
        .order_by("project_id", "sequence")
        .values_list("project_id", "kind", "effective_date", "issuer", "reason")
    )
    found: dict[int, dict[str, Any]] = defaultdict(dict)
    for project_id, kind, day, issuer, reason in rows:
        notes = found[project_id]
        if kind == EventKind.TAKEN_OVER:
            notes["taken_over"] = True
        elif kind == EventKind.ASSIGN:
            notes.setdefault("first_assigned", day)
            notes.setdefault("assign_issuer", issuer)
        elif kind == EventKind.UNDER_REVIEW:
            notes["review_note"] = reason
        else:
            notes["request_reason"] = reason
    return {project_id: EventNotes(**notes) for project_id, notes in found.items()}


def _status_note(line: LineStatus, notes: EventNotes) -> str:
    if line.status == ReportStatus.UNDER_REVIEW:
        return review_subject(notes.review_note)
    if line.status in (
        ReportStatus.ADJUSTMENT_REQUESTED,
        ReportStatus.STOP_REQUESTED,
        ReportStatus.STOPPED,
    ):
        return stated_reason(notes.request_reason)
    return ""


# What carries an earlier plan's project into a later report: work recorded in the period.
CARRY_EVENTS = (EventKind.ACCEPT, EventKind.SETTLE, EventKind.APPROVE_STOP)


def scope_projects(
    *,
    user: Any,
    province: AdminUnit | None,
    year: int,
    start: datetime.date | None = None,
    as_of: datetime.date | None = None,
) -> Any:
    """The active projects the report states, in the scope the user may see: those of the
    plans in force in ``year`` (one-year plans of the year, multi-year plans covering it,
    main and supplementary) and, given the period (``start``–``as_of``), the carried-over
    projects of plans that ended before ``year`` with an acceptance, a settlement, a stop or
    a progress/payment update recorded in the period."""
    wanted = covering(year, "plan__")
    if start is not None and as_of is not None:
        events = (
            ProjectEvent.objects.effective()
            .filter(kind__in=CARRY_EVENTS, effective_date__gte=start, effective_date__lte=as_of)
            .values("project_id")
        )
        updates = (
            ProgressUpdate.objects.effective()
            .filter(date__gte=start, date__lte=as_of)
            .values("project_id")
        )
        wanted |= Q(plan__end_year__lt=year) & (Q(pk__in=events) | Q(pk__in=updates))
    queryset = Project.objects.active().filter(wanted)
    if province is not None:
        queryset = queryset.filter(province_id__in=province_family(province))
    if user is not None:
        queryset = roles.scope_queryset(user, queryset)
    return queryset


def project_rows(
    *,
    user: Any,
    province: AdminUnit | None,
    year: int,
    as_of: datetime.date,
    start: datetime.date | None = None,
) -> list[tuple[Project, ProjectState]]:
    """The report's projects in the scope with their state on ``as_of`` (one query)."""
    queryset = scope_projects(user=user, province=province, year=year, start=start, as_of=as_of)
    rows = annotate_as_of(
        queryset.select_related(
            "plan__funding_source",
            "content_area__parent",
            "beneficiary",
            "implementing_unit",
            "place__parent__parent",
            "province",
        ),
        as_of,
    ).filter(as_of_status__isnull=False)
    rows = rows.order_by("plan__funding_source__sort_order", "province__name", "code")
    return [(row, state_of(row, as_of)) for row in rows.only(*PROJECT_ROW_FIELDS)]


_UNIT = ("level", "unit_type", "short_name", "parent_id")
# What a report reads of a project and its related rows (the rest of their columns, a few
# thousand values a report, were fetched and converted for nothing).
PROJECT_ROW_FIELDS = (
    "title",
    "code",
    "plan_id",
    "kind",
    "group_size",
    "plan__year",
    "plan__end_year",
    "plan__funding_source__code",
    "content_area__code",
    "content_area__name",
    "content_area__parent__name",
    "beneficiary__name",
    "implementing_unit__name",
    "implementing_unit__kind",
    *(f"place__{field}" for field in _UNIT),
    *(f"place__parent__{field}" for field in _UNIT),
    *(f"place__parent__parent__{field}" for field in _UNIT),
    "province__name",
    "place_name",
    "place_type",
)


def _implementer(units: list[Organisation], province: AdminUnit | None) -> tuple[str, str]:
    """(name, short name) of the section's implementing unit, or of "the units"."""
    distinct = {unit.pk: unit for unit in units}
    if len(distinct) != 1:
        return "các đơn vị thực hiện", "các đơn vị"
    unit = next(iter(distinct.values()))
    short = {
        OrganisationKind.CENTRE: "Trung tâm",
        OrganisationKind.DEPARTMENT: "Sở",
        OrganisationKind.DISTRICT_OFFICE: "Phòng",
    }.get(unit.kind, "đơn vị")
    return _without_province(unit.name, province), short


def _content_summary(projects: list[Project]) -> str:
    codes = {project.content_area.code for project in projects}
    return wording.CONTENT_PHRASES.get(codes.pop(), "") if len(codes) == 1 else ""


def _assigned_by(
    source_code: str,
    notes: Iterable[EventNotes],
    authority: Authority,
    national: bool,
) -> tuple[str, datetime.date | None]:
    assigned = [n for n in notes if n.first_assigned is not None]
    if not assigned:
        return "", None
    first = min(n.first_assigned for n in assigned)
    if source_code == "national":
        if national:  # the agency's own report does not say it assigned its projects
            return "", first
        agency = national_agency()
        name = agency.name_on(first) if agency else ""
        return name, first
    issuers = {normalize(n.assign_issuer) for n in assigned if n.assign_issuer}
    if len(issuers) == 1:
        issuer = next(n.assign_issuer for n in assigned if n.assign_issuer)
        own = normalize(authority.name_in_text)
        if own not in normalize(issuer):
            return issuer, first
    return "", first


def participants_on(
    project_ids: Iterable[int], as_of: datetime.date, *, with_province: bool
) -> dict[int, tuple[str, ...]]:
    """Each group project's participants on the report date, "HTX A, xã B, huyện C", in the
    order they joined (one query): a group project never shows an invented beneficiary."""
    project_ids = list(project_ids)
    rows = (
        GroupMember.objects.on(as_of)
        .filter(project_id__in=project_ids)
        .select_related("beneficiary", "place__parent__parent")
        .order_by("joined_on", "id")
    )
    found: dict[int, list[str]] = defaultdict(list)
    if not project_ids:
        return {}
    for member in rows:
        label = wording.establishment_name(member.beneficiary.name)
        units = place_units(
            member.place,
            with_province=with_province,
            written=(member.place_name, member.place_type),
        )
        place = wording.place_label((unit.unit_type, unit.name) for unit in units)
        found[member.project_id].append(f"{label}, {place}" if place else label)
    return {project_id: tuple(labels) for project_id, labels in found.items()}


_VERSION_VERB = {VersionKind.ADJUSTMENT: "được điều chỉnh", VersionKind.SUPPLEMENT: "được bổ sung"}


def plan_citation(plan: Plan, versions: list[Any]) -> str:
    """ "Quyết định số 123/QĐ-UBND ngày 15/1/2024 của UBND tỉnh … phê duyệt kế hoạch giai
    đoạn 2024 – 2026, được điều chỉnh tại Quyết định số … ngày … của …": the approving
    decision and each later decision as recorded (``versions`` in order); "" when no
    decision of the plan has a number, a date or an issuer."""
    what = "kế hoạch bổ sung" if plan.kind == PlanKind.SUPPLEMENTARY else "kế hoạch"
    what += f" {plan.period_text}"
    parts = []
    original, later = (versions[0], versions[1:]) if versions else (None, [])
    head = (
        wording.document_citation(
            "Quyết định", original.decision_number, original.decision_date, original.issuer
        )
        if original is not None and original.decision_number
        else ""
    )
    for version in later:
        cited = wording.document_citation(
            "Quyết định", version.decision_number, version.decision_date, version.issuer
        )
        if cited:
            parts.append(f"{_VERSION_VERB.get(version.kind, 'được sửa đổi')} tại {cited}")
    if head:
        return ", ".join([f"{head} phê duyệt {what}", *parts])
    if parts:
        return ", ".join([wording.capitalize_first(what), *parts])
    return ""


def allocation_citation(allocation: Allocation) -> str:
    """ "Công văn số 45/CTĐP-KC ngày 20/3/2024 của Cục Công Thương địa phương (đợt 1, 600
    triệu đồng)"."""
    kind = "Quyết định" if allocation.document_kind == AllocationDocument.DECISION else "Công văn"
    cited = wording.document_citation(
        kind, allocation.document_number, allocation.document_date, allocation.issuer
    )
    return f"{cited} (đợt {allocation.batch}, {wording.money_short(allocation.amount)})"


def source_citations(plans: list[Plan], as_of: datetime.date) -> dict[int, tuple[str, ...]]:
    """Per funding source, the decisions and letters grounding it that exist on ``as_of``:
    the main plan's, then the supplementary plans', then the national allocation batches
    (two queries)."""
    from khuyencong.plans.models import PlanVersion

    ordered = sorted(
        plans, key=lambda plan: (plan.kind != PlanKind.MAIN, plan.year, plan.end_year, plan.pk)
    )
    versions: dict[int, list[Any]] = defaultdict(list)
    for version in PlanVersion.objects.filter(
        plan__in=[plan.pk for plan in plans], effective_date__lte=as_of
    ).order_by("plan_id", "number"):
        if version.decision_date is None or version.decision_date <= as_of:
            versions[version.plan_id].append(version)
    allocations: dict[int, list[Allocation]] = defaultdict(list)
    for allocation in (
        Allocation.objects.active()
        .filter(plan__in=[plan.pk for plan in plans], document_date__lte=as_of)
        .order_by("plan_id", "batch")
    ):
        allocations[allocation.plan_id].append(allocation)
    found: dict[int, list[str]] = defaultdict(list)
    for plan in ordered:
        cited = plan_citation(plan, versions.get(plan.pk, []))
        if cited:
            found[plan.funding_source_id].append(cited)
    for plan in ordered:
        for allocation in allocations.get(plan.pk, []):
            found[plan.funding_source_id].append(allocation_citation(allocation))
    return {source_id: tuple(items) for source_id, items in found.items()}


def _section(
    source: FundingSource,
    rows: list[tuple[Project, ProjectState, LineStatus]],
    notes: dict[int, EventNotes],
    *,
    year: int,
    province: AdminUnit | None,
    authority: Authority,
    default_implementer: tuple[str, str],
    citations: tuple[str, ...] = (),
    participants: dict[int, tuple[str, ...]] | None = None,
) -> SourceSection:
    national_scope = province is None
    participants = participants or {}
    lines = []
    for project, state, line in rows:
        project_notes = notes.get(project.pk, EventNotes())
        area = project.content_area
        carried = project.plan.end_year < year
        lines.append(
            ProjectLine(
                title=project.title,
                status=line.status,
                progress_percent=line.progress_percent,
                status_note=_status_note(line, project_notes),
                taken_over=project_notes.taken_over,
                beneficiary=project.beneficiary.name if project.beneficiary_id else "",
                place=place_units(
                    project.place,
                    with_province=national_scope,
                    written=(project.place_name, project.place_type),
                ),
                content_area=project.content_area.name,
                budget=state.budget.in_source(source.code),
                disbursed=state.disbursed,
                reference=project.code,
                project_id=project.pk,
                kind=project.kind,
                group_size=project.group_size,
                participants=participants.get(project.pk, ()),
                content_group=area.parent.name if area.parent_id else area.name,
                carried_over_from=project.plan.period_text if carried else "",
                budget_split=(
                    state.budget.national,
                    state.budget.local,
                    state.budget.counterpart,
                    state.budget.other,
                ),
            )
        )
    projects = [project for project, _state, _line in rows]
    planned = [project for project in projects if project.plan.end_year >= year]
    if projects:
        implementer, short = _implementer(
            [project.implementing_unit for project in projects], province
        )
    else:
        implementer, short = default_implementer
    assigned_by, assigned_on = _assigned_by(
        source.code,
        [notes.get(project.pk, EventNotes()) for project in planned],
        authority,
        national_scope,
    )
    return SourceSection(
        source_code=source.code,
        label=source.name,
        short_label=source.short_name or source.name,
        year=year,
        implementer=implementer,
        implementer_short=short,
        content_summary=_content_summary(planned),
        assigned_by=assigned_by,
        assigned_on=assigned_on if assigned_by else None,
        projects=tuple(lines),
        citations=citations,
    )


def report_warnings(
    *,
    year: int,
    scope_label: str,
    plans: list[Plan],
    sections: tuple[SourceSection, ...],
    cite_plans: bool,
    next_year: NextYearPlan | None,
    events: EventFigures,
) -> tuple[str, ...]:
    """What the data cannot support, said to the person preparing the report: the report
    then states it neutrally or leaves it out (a year without a plan is produced, with the
    first warning, never refused)."""
    warnings = []
    if not plans:
        warnings.append(
            _(
                "No khuyến công plan in force in %(year)s is recorded for %(scope)s: the "
                "report states only the carried-over work, if any."
            )
            % {"year": year, "scope": scope_label}
        )
    if cite_plans:
        for plan in plans:
            if not plan.decision_number:  # set when the plan is approved (approve_plan)
                warnings.append(
                    _(
                        "The plan “%(plan)s” has no decision number recorded: the report does "
                        "not cite it."
                    )
                    % {"plan": plan.title}
                )
    for section in sections:
        for line in section.projects:
            if line.is_group and not line.participants:
                warnings.append(
                    _("The group project “%(title)s” has no participant yet: the report says so.")
                    % {"title": line.title}
                )
    if (
        next_year is not None
        and not next_year.registrations_received
        and not next_year.registration_closed
    ):
        warnings.append(
            _(
                "No registration for %(year)s is recorded and the registration period is not "
                "recorded as closed: the report does not say that none was received."
            )
            % {"year": next_year.year}
        )
    if events.empty:
        warnings.append(
            _(
                "No training conference or trade fair is recorded for %(year)s: the report "
                "leaves that paragraph out."
            )
            % {"year": year}
        )
    return tuple(warnings)


def _default_implementer(province: AdminUnit | None) -> tuple[str, str]:
    if province is None:
        return "các đơn vị thực hiện", "các đơn vị"
    centre = (
        Organisation.objects.active()
        .filter(kind=OrganisationKind.CENTRE, province_id__in=province_family(province))
        .order_by("pk")
        .first()
    )
    if centre is None:
        return "Trung tâm Khuyến công", "Trung tâm"
    return _without_province(centre.name, province), "Trung tâm"


# --------------------------------------------------------------------------------------------


def build_report(
    *,
    user: Any,
    province: AdminUnit | None,
    year: int,
    period: str | Period,
    as_of: datetime.date | None = None,
    issued_on: datetime.date | None = None,
    progress: Progress | None = None,
) -> ReportData:
    """The report of ``province`` (None: the whole country) on ``year``'s plans for ``period``
    ("Q1"…"Q4", "H1", "9M", "Y", or "D" with ``as_of``), stating each project as of ``as_of``
    (default: the period's last day). Raises ``ReportRefused`` outside the user's scope."""
    check_scope(user, province)
    if not isinstance(period, Period):
        period = make_period(period, year, as_of)
    as_of = as_of or period.end
    issued_on = issued_on or default_issued_on(period, as_of)
    report = progress or (lambda _percent, _step: None)

    report(5, "projects")
    authority = authority_for(province, issued_on)
    start = period.start
    rows = project_rows(user=user, province=province, year=year, as_of=as_of, start=start)
    report(30, "events")
    scoped = scope_projects(user=user, province=province, year=year, start=start, as_of=as_of)
    notes = _event_notes(scoped, as_of) if rows else {}

    by_source: dict[int, list[tuple[Project, ProjectState, LineStatus]]] = defaultdict(list)
    for project, state in rows:
        line = report_status(state)
        if line is not None:
            by_source[project.plan.funding_source_id].append((project, state, line))
    plans = Plan.objects.active().for_year(year)
    if province is not None:
        plans = plans.filter(province_id__in=province_family(province))
    plan_list = list(plans)
    # a national report would cite every province's decisions: the annex names the plans
    citations = source_citations(plan_list, as_of) if province is not None else {}
    groups = [
        project.pk
        for project_rows_ in by_source.values()
        for project, _state, _line in project_rows_
        if project.kind == ProjectKind.GROUP
    ]
    participants = participants_on(groups, as_of, with_province=province is None)
    source_ids = set(by_source) | {plan.funding_source_id for plan in plan_list}
    sources = FundingSource.objects.filter(pk__in=source_ids).order_by("sort_order", "code")
    default_implementer = _default_implementer(province)
    sections = tuple(
        _section(
            source,
            by_source.get(source.pk, []),
            notes,
            year=year,
            province=province,
            authority=authority,
            default_implementer=default_implementer,
            citations=citations.get(source.pk, ()),
            participants=participants,
        )
        for source in sources
    )
    report(45, "texts")
    defaults = scope_defaults(province)
    place_name = province.short_name if province is not None else "Hà Nội"
    scope_label = wording.lower_first(province.name) if province is not None else "cả nước"
    next_year = next_year_plan(province, year + 1, as_of)
    events = event_figures(province, year, as_of)
    warnings = report_warnings(
        year=year,
        scope_label=scope_label,
        plans=plan_list,
        sections=sections,
        cite_plans=province is not None,
        next_year=next_year,
        events=events,
    )
    return ReportData(
        authority=authority,
        symbol=defaults.symbol,
        place_name=place_name,
        issued_on=issued_on,
        as_of=as_of,
        title=(
            f"Kết quả thực hiện kế hoạch khuyến công năm {year} và mục tiêu, định hướng kế "
            f"hoạch khuyến công năm {year + 1}"
        ),
        period=period,
        scope_label=scope_label,
        sections=sections,
        legal_basis=legal_basis_citation(as_of),
        local_programme=defaults.local_programme,
        focus_areas=defaults.focus_areas,
        next_year=next_year,
        events=events,
        recipients=defaults.recipients,
        signer=defaults.signer,
        warnings=warnings,
    )
