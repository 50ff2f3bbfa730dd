"""What a report says, as plain data: the interface between the report builder and the
renderers.

The builder (to come with the projects domain) reads plans and project events as of a date
and fills a ``ReportData``; ``compose`` turns it into paragraphs and ``render`` into DOCX,
HTML, PDF and XLSX. Nothing here touches the database, so every renderer is tested on a
hand-made ``ReportData`` (``samples.seed_report_2018`` is the seed report's).

Totals and counts are derived from the project lines (``SourceSection.total_budget``,
``project_count``), never stored beside them: the text, the annex and its SUM formulas
cannot disagree.

Editable narrative parts (solutions, orientation, the next-year paragraph, the narrative of a
source section) are ``None`` until someone edits them; ``compose`` then writes the default
text modelled on the seed report. A saved report will store the edited text.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from khuyencong.documents import wording


class ReportStatus(StrEnum):
    """A project's state as a report states it on its date. The builder maps lifecycle
    states onto these; the order here is the order of the status groups in a report."""

    COMPLETED = "completed"  # finished (accepted or settled included)
    IN_PROGRESS = "in_progress"  # part of the work done: needs progress_percent
    CONTRACT_SIGNED = "contract_signed"  # contract signed, carried out as planned
    UNDER_REVIEW = "under_review"  # studying whether to ask for an adjustment or to stop
    ADJUSTMENT_REQUESTED = "adjustment_requested"
    STOP_REQUESTED = "stop_requested"
    STOPPED = "stopped"
    NOT_STARTED = "not_started"


class NextYearOutcome(StrEnum):
    NO_REGISTRATIONS = "no_registrations"
    NO_NATIONAL_SOURCE = "no_national_source"  # registrations came, none fit the national fund
    NATIONAL_SOURCE = "national_source"


@dataclass(frozen=True, kw_only=True)
class PlaceUnit:
    """One administrative unit as the report names it (AdminUnit.unit_type, short_name)."""

    unit_type: str  # "Xã", "Thị trấn", "Huyện", "Thành phố"
    name: str  # "Nông Thượng"


@dataclass(frozen=True, kw_only=True)
class ProjectLine:
    title: str
    status: ReportStatus
    progress_percent: int | Decimal | None = None  # work done, for IN_PROGRESS
    status_note: str = ""  # reason ("do …") or, for UNDER_REVIEW, what is being studied
    beneficiary: str = ""  # name as registered; reports abbreviate "Hợp tác xã" -> "HTX"
    place: tuple[PlaceUnit, ...] = ()  # smallest unit first; empty for province-wide work
    content_area: str = ""  # ContentArea name, for the annex
    budget: int = 0  # VND from the section's funding source
    disbursed: int | None = None  # VND paid out by the report date; None if not known
    reference: str = ""  # the project's code, to trace a line back to its record
    project_id: int | None = None  # the project's record (None in hand-made data)
    kind: str = "single"  # projects.ProjectKind: "single", "group" (đề án nhóm), "centre"
    group_size: int | None = None  # a group project: the units its approval plans to support
    participants: tuple[str, ...] = ()  # a group project: its participants on the report date
    content_group: str = ""  # the content area's group (ContentArea parent), for the groups
    carried_over_from: str = ""  # "năm 2023": the earlier plan of a carried-over project
    # The budget per source for the annex (national, local, counterpart, other), as of the
    # report date; None in hand-made data: the annex then shows ``budget`` under the
    # section's source only.
    budget_split: tuple[int, int, int, int] | None = None
    # the project's history starts from an import baseline (its status taken over from earlier
    # records): the report says so and states no date the baseline would seem to give
    taken_over: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "status", ReportStatus(self.status))
        in_progress = self.status == ReportStatus.IN_PROGRESS
        if in_progress and (self.progress_percent is None or not 0 < self.progress_percent < 100):
            raise ValueError(f"{self.title!r}: work done must be between 0 and 100 %")
        object.__setattr__(self, "participants", tuple(self.participants))
        if self.budget_split is not None:  # JSON (the snapshot) gives a list back
            object.__setattr__(self, "budget_split", tuple(self.budget_split))
        for amount in (self.budget, self.disbursed, *(self.budget_split or ())):
            if amount is not None and (not isinstance(amount, int) or amount < 0):
                raise ValueError(f"{self.title!r}: money is a non-negative integer of VND")

    @property
    def place_label(self) -> str:
        return wording.place_label((unit.unit_type, unit.name) for unit in self.place)

    @property
    def beneficiary_label(self) -> str:
        return wording.establishment_name(self.beneficiary) if self.beneficiary else ""

    @property
    def status_line(self) -> str:
        return wording.status_line(self.status, self.progress_percent, self.status_note)

    @property
    def status_group(self) -> str:
        return wording.status_group(self.status, self.progress_percent)

    @property
    def is_group(self) -> bool:
        return self.kind == GROUP_PROJECT

    @property
    def carried_over(self) -> bool:
        return bool(self.carried_over_from)


GROUP_PROJECT = "group"  # projects.ProjectKind.GROUP (this module does not import projects)


@dataclass(frozen=True)
class ContentGroup:
    """The plan projects of a section in one content-area group: what the report states."""

    name: str
    count: int
    budget: int


@dataclass(frozen=True, kw_only=True)
class SourceSection:
    """The projects of one funding source in the reported plan year."""

    source_code: str  # catalog FundingSource.code: "national", "local", "other"
    label: str  # "Khuyến công quốc gia"
    short_label: str  # "KCQG" (annex column headings)
    year: int
    implementer: str  # "Trung tâm Khuyến công và Xúc tiến thương mại"
    implementer_short: str = "Trung tâm"
    content_summary: str = ""  # "hỗ trợ ứng dụng máy móc thiết bị" when all share one
    assigned_by: str = ""  # "Cục Công thương địa phương" (national projects are assigned)
    assigned_on: datetime.date | None = None  # the month is what the report states
    narrative: str | None = None  # None: compose.default_source_narrative
    layout: str = "auto"  # "auto" | "per_project" | "by_status"
    projects: tuple[ProjectLine, ...] = ()
    # the plans and allocations grounding the section, each worded in full ("Quyết định số …
    # ngày … của … phê duyệt kế hoạch …"; "Công văn số … ngày … của … (đợt 1, …)")
    citations: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.layout not in {"auto", "per_project", "by_status"}:
            raise ValueError(f"unknown layout {self.layout!r}")
        object.__setattr__(self, "citations", tuple(self.citations))

    @property
    def project_count(self) -> int:
        """Every line of the section (the annex): plan projects and carried-over ones."""
        return len(self.projects)

    @property
    def total_budget(self) -> int:
        return sum(project.budget for project in self.projects)

    @property
    def total_disbursed(self) -> int:
        return sum(project.disbursed or 0 for project in self.projects)

    @property
    def plan_projects(self) -> tuple[ProjectLine, ...]:
        """The projects of the plans in force in the report's year (what the intro counts)."""
        return tuple(project for project in self.projects if not project.carried_over)

    @property
    def carried_projects(self) -> tuple[ProjectLine, ...]:
        """Projects of earlier plans with work recorded in the period (carried over)."""
        return tuple(project for project in self.projects if project.carried_over)

    @property
    def plan_count(self) -> int:
        return len(self.plan_projects)

    @property
    def plan_budget(self) -> int:
        return sum(project.budget for project in self.plan_projects)

    @property
    def plan_disbursed(self) -> int:
        return sum(project.disbursed or 0 for project in self.plan_projects)

    @property
    def disbursement_known(self) -> bool:
        return any(project.disbursed is not None for project in self.plan_projects)

    @property
    def disbursement_rate(self) -> Decimal | None:
        """Disbursed / the plan projects' budget in the source in force on the date, in %,
        to one decimal (half up); None when that budget is nil."""
        if not self.plan_budget:
            return None
        rate = Decimal(self.plan_disbursed * 100) / Decimal(self.plan_budget)
        return rate.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def content_groups(self) -> tuple[ContentGroup, ...]:
        """Count and money of the plan projects per content-area group, groups in the order
        of their first project ("" for lines whose group is not known, as in hand-made data);
        the groups' counts and money add up to the section's."""
        counts: dict[str, list[int]] = {}
        for project in self.plan_projects:
            row = counts.setdefault(project.content_group, [0, 0])
            row[0] += 1
            row[1] += project.budget
        return tuple(ContentGroup(name, count, budget) for name, (count, budget) in counts.items())

    @property
    def source_phrase(self) -> str:
        """ "nguồn khuyến công quốc gia"."""
        return f"nguồn {wording.lower_first(self.label)}"


@dataclass(frozen=True, kw_only=True)
class Period:
    """Q1…Q4, H1, 9M, Y of ``year``; or ``TO_DATE`` ("D"): the year up to ``until``."""

    kind: str  # wording.PERIOD_KINDS: Q1…Q4, H1, 9M, Y; or wording.TO_DATE with ``until``
    year: int
    until: datetime.date | None = None

    def __post_init__(self) -> None:
        if self.kind == wording.TO_DATE:
            if self.until is None or self.until.year != self.year:
                raise ValueError("a report to a date needs that date, in the report's year")
        else:
            wording.period_name(self.kind)  # validates
            if self.until is not None:
                raise ValueError(f"period {self.kind} ends on its own date")

    @property
    def label(self) -> str:
        if self.until is not None:
            return wording.period_to_date_label(self.until)
        return wording.period_label(self.kind, self.year)

    @property
    def start(self) -> datetime.date:
        return (
            datetime.date(self.year, 1, 1)
            if self.until
            else wording.period_start(self.kind, self.year)
        )

    @property
    def end(self) -> datetime.date:
        return self.until or wording.period_end(self.kind, self.year)

    @property
    def remainder_label(self) -> str | None:
        if self.until is not None:
            return wording.period_to_date_remainder(self.until)
        return wording.period_remainder_label(self.kind, self.year)


@dataclass(frozen=True, kw_only=True)
class Authority:
    parent: str  # "UBND TỈNH BẮC KẠN" (the body above the issuer, upper case)
    name: str  # "SỞ CÔNG THƯƠNG"
    name_in_text: str  # "Sở Công Thương"
    short_in_text: str = "Sở"


@dataclass(frozen=True, kw_only=True)
class Signer:
    capacity: str = ""  # "KT. GIÁM ĐỐC" when signing on behalf of the head
    position: str  # "PHÓ GIÁM ĐỐC"
    name: str


@dataclass(frozen=True, kw_only=True)
class NextYearPlan:
    """Where the plan for the following year stands on the report date."""

    year: int
    registrations_received: bool = True
    registration_count: int | None = None  # None: received, count not stated
    national_qualified: int = 0  # registrations that meet the national fund's requirements
    national_budget: int = 0
    # the registration period is recorded as closed: only then may "none received" be said
    registration_closed: bool = False
    text: str | None = None  # None: compose.default_next_year_text

    @property
    def outcome(self) -> NextYearOutcome:
        if not self.registrations_received:
            return NextYearOutcome.NO_REGISTRATIONS
        if self.national_qualified == 0:
            return NextYearOutcome.NO_NATIONAL_SOURCE
        return NextYearOutcome.NATIONAL_SOURCE


@dataclass(frozen=True, kw_only=True)
class EventFigures:
    """Training conferences and trade fairs of the report's year, as of its date (events app):
    held (and finished) by then, or still planned."""

    trainings_held: int = 0
    trainings_planned: int = 0
    officers_trained: tuple[tuple[str, int], ...] = ()  # (district, officers), districts by name
    fairs_held: int = 0
    fairs_planned: int = 0
    establishments_at_fairs: int = 0
    booths: int = 0

    @property
    def officers_total(self) -> int:
        return sum(count for _district, count in self.officers_trained)

    @property
    def empty(self) -> bool:
        return not (
            self.trainings_held or self.trainings_planned or self.fairs_held or self.fairs_planned
        )


@dataclass(frozen=True, kw_only=True)
class ReportData:
    authority: Authority
    number: str = ""  # blank until the document is registered: "Số:      /BC-SCT"
    symbol: str = "BC-SCT"
    place_name: str  # "Bắc Kạn" (place-and-date line)
    issued_on: datetime.date
    as_of: datetime.date  # the date the statuses and money are stated at
    title: str  # the summary line (trích yếu), without the document type
    period: Period
    scope_label: str  # "tỉnh Bắc Kạn"
    sections: tuple[SourceSection, ...]
    legal_basis: str  # citation of the khuyến công decree in force
    local_programme: str = ""  # "Chương trình khuyến công tỉnh Bắc Kạn giai đoạn 2016 – 2020"
    focus_areas: tuple[str, ...] = ()  # next year's priority contents
    solutions: tuple[str, ...] | None = None  # None: compose.default_solutions
    orientation: tuple[str, ...] | None = None  # None: compose.default_orientation
    next_year: NextYearPlan | None = None
    events: EventFigures | None = None
    recipients: tuple[str, ...] = ()
    signer: Signer
    document_type: str = "BÁO CÁO"
    annex_title: str = "Danh mục đề án khuyến công"
    # What the user should know before issuing the report (a section without data, a year
    # without a plan…), in Vietnamese: shown on the preview and the report's page, and in
    # the API's answer; never printed in the document.
    warnings: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "warnings", tuple(self.warnings))

    @property
    def number_symbol(self) -> str:
        """ "125/BC-SCT", or "      /BC-SCT" (room to write the number) before it is given."""
        number = self.number.strip() or "\u00a0" * 6
        return f"{number}/{self.symbol}"

    @property
    def number_line(self) -> str:
        """ "Số: 125/BC-SCT" (Decree 30: "Số", a colon, the number, a slash, the symbol)."""
        return f"Số: {self.number_symbol}"

    @property
    def place_date_line(self) -> str:
        return wording.document_date(self.place_name, self.issued_on)

    @property
    def projects(self) -> list[tuple[SourceSection, ProjectLine]]:
        return [(section, project) for section in self.sections for project in section.projects]

    @property
    def total_budget(self) -> int:
        return sum(section.total_budget for section in self.sections)


def default_issued_on(period: Period, as_of: datetime.date | None = None) -> datetime.date:
    """The document's date unless the user gives one: the period's last day (for a report
    "to a date", that date), or the status date when it is later (a report stating its
    projects after the period ended cannot be dated before that). Never today's date: a
    report built in March for last year's H1 is dated 30/6, and stays so when rebuilt."""
    return max(period.end, as_of) if as_of else period.end


def make_period(kind: str, year: int, as_of: datetime.date | None = None) -> Period:
    """A period from its kind; ``wording.TO_DATE`` takes ``as_of`` as its last day."""
    if kind == wording.TO_DATE:
        return Period(kind=kind, year=year, until=as_of)
    return Period(kind=kind, year=year)
