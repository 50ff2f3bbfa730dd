"""What is due, by whom, by when, and whether it is done: the ONE computation of obligations.

Facts are gathered per kind with one or two queries over the whole scope (national scale:
100,000 projects), never one per record; the rules (``ObligationRule``) and the public
holidays (``core.workdays.WorkCalendar``) are read once. The ``due_*`` and ``*_obligations``
functions are pure: facts and a rule in, ``Obligation`` rows out.

Kinds and their fulfilling event (``done``):

- monthly progress of every project in progress on the day: due on the rule's day of the
  month (25th); done when a progress entry dated in that month exists. The previous month's
  is listed too while it is not done.
- registration dossier (20 May) for next year's plan: each registration not withdrawn; done
  when it is submitted. Proposal to the national agency (15 June): each province with
  national-fund registrations for next year; done when the council decided on all of them.
- half-year and annual report of each province with a plan that year: done when a report of
  that period is saved (not archived, not failed) with an issue date on or before the day.
- contract to sign by the project's start date (approved or assigned projects): done when
  contracted; end of implementation (the project's end date): done when accepted.
- inspections: a planned visit not held (due on its planned date, done when held) and an open
  follow-up (due on its deadline, done when marked done).
- certificates expiring: shown ``lead_days`` (90) before their end; gone once expired.
- a project under review (adjustment or stop considered) longer than the period; a request
  (adjustment, stop) awaiting a decision longer than the period.
- advances older than the period without acceptance (done when accepted).
- complaints of a product vote: resolved within the period in working days (done when
  resolved on or before the day).

``compute(as_of, user=None)``: every obligation on ``as_of`` (``user``: those of the user's
role in the user's scope, through ``accounts.roles.scope_queryset``).
"""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Min, Q
from django.utils.translation import gettext as _

from khuyencong.accounts import roles
from khuyencong.accounts.models import Role, ScopeLevel, User
from khuyencong.contests.models import Certificate, Complaint
from khuyencong.core.workdays import WorkCalendar, add_working_days
from khuyencong.deadlines.models import DayUnit, ObligationKind, ObligationRule
from khuyencong.places.models import AdminUnit
from khuyencong.plans.models import Plan
from khuyencong.projects.models import (
    DisbursementKind,
    EventKind,
    Inspection,
    ProgressUpdate,
    ProjectEvent,
    StatePeriod,
    Status,
)
from khuyencong.projects.selectors import valid_on
from khuyencong.registrations.models import EventKind as RegEventKind
from khuyencong.registrations.models import Registration, RegistrationEvent
from khuyencong.registrations.models import Status as RegStatus
from khuyencong.reports.models import LOCKED_STATUSES, ReportState, SavedReport

K = ObligationKind
D = datetime.date
# how far back a due date may lie and still be listed (late obligations are kept a year)
LOOKBACK_DAYS = 366


@dataclass(frozen=True)
class Obligation:
    kind: str
    key: str  # stable: kind, record and period ("monthly_progress:project:12:2018-06")
    record_type: str  # "project", "registration", "province", "inspection", …
    record_id: int
    label: str  # what is due, for whom (already translated)
    due: datetime.date
    role: str
    province_id: int | None
    district_id: int | None = None
    beneficiary_id: int | None = None
    done_on: datetime.date | None = None
    as_of: datetime.date | None = None
    link_id: int | None = None  # the record the action is taken on (the project, contest…)

    @property
    def done(self) -> bool:
        return self.done_on is not None and (self.as_of is None or self.done_on <= self.as_of)

    @property
    def late_days(self) -> int:
        if self.done or self.as_of is None or self.as_of <= self.due:
            return 0
        return (self.as_of - self.due).days

    @property
    def is_late(self) -> bool:
        return self.late_days > 0

    # scope hooks read by accounts.roles.in_scope
    @property
    def scope_province_id(self) -> int | None:
        return self.province_id

    @property
    def scope_district_id(self) -> int | None:
        return self.district_id

    @property
    def scope_beneficiary_id(self) -> int | None:
        return self.beneficiary_id


# ----------------------------------------------------------------------------- rules


@dataclass(frozen=True)
class Rules:
    """The rules valid on a day: per kind, the national row and provinces' own rows."""

    by_kind: dict[str, dict[int | None, ObligationRule]]

    def for_kind(self, kind: str) -> list[ObligationRule]:
        return list(self.by_kind.get(kind, {}).values())

    def rule(self, kind: str, province_id: int | None) -> ObligationRule | None:
        rows = self.by_kind.get(kind, {})
        return rows.get(province_id) or rows.get(None)

    def kinds(self) -> set[str]:
        return set(self.by_kind)


def rules_on(day: datetime.date) -> Rules:
    by_kind: dict[str, dict[int | None, ObligationRule]] = defaultdict(dict)
    for rule in ObligationRule.objects.active().valid_on(day).order_by("valid_from", "pk"):
        by_kind[rule.kind][rule.province_id] = rule  # the latest start wins
    return Rules(dict(by_kind))


def after(start: datetime.date, rule: ObligationRule, calendar_: WorkCalendar) -> datetime.date:
    """The due date ``rule.period_days`` after ``start`` (calendar or working days)."""
    days = rule.period_days or 0
    if rule.day_unit == DayUnit.WORKING:
        return add_working_days(start, days, calendar_)
    return start + datetime.timedelta(days=days)


def day_in_month(year: int, month: int, day: int) -> datetime.date:
    return D(year, month, min(day, calendar.monthrange(year, month)[1]))


def shown(due: datetime.date, as_of: datetime.date, rule: ObligationRule) -> bool:
    """Within the window listed on ``as_of``: from ``lead_days`` before the due date to a
    year after it."""
    return (
        due - datetime.timedelta(days=rule.lead_days)
        <= as_of
        <= due + datetime.timedelta(days=LOOKBACK_DAYS)
    )


def previous_month(day: datetime.date) -> tuple[int, int]:
    return (day.year - 1, 12) if day.month == 1 else (day.year, day.month - 1)


# ----------------------------------------------------------------------------- pure rules


def monthly_due(year: int, month: int, rule: ObligationRule) -> datetime.date:
    return day_in_month(year, month, rule.due_day or 25)


def monthly_progress_obligations(
    projects: Iterable[dict[str, Any]],
    started: dict[int, datetime.date],
    months_done: dict[tuple[int, int, int], datetime.date],
    rules: Rules,
    as_of: datetime.date,
) -> Iterator[Obligation]:
    """Projects in progress on ``as_of``: this month's report and last month's if missing.
    ``months_done``: (project, year, month) -> the first progress entry's date."""
    for row in projects:
        rule = rules.rule(K.MONTHLY_PROGRESS, row["province_id"])
        if rule is None:
            continue
        start = started.get(row["project_id"])
        current = (as_of.year, as_of.month)
        for year, month in (previous_month(as_of), current):
            due = monthly_due(year, month, rule)
            if start is not None and start > due:
                continue  # not in progress yet when that report fell due
            done_on = months_done.get((row["project_id"], year, month))
            if (year, month) != current and done_on is not None:
                continue  # last month's is listed only while it is missing
            yield Obligation(
                kind=K.MONTHLY_PROGRESS,
                key=f"{K.MONTHLY_PROGRESS}:project:{row['project_id']}:{year}-{month:02d}",
                record_type="project",
                record_id=row["project_id"],
                link_id=row["project_id"],
                label=_("Progress report %(month)02d/%(year)s: %(project)s")
                % {"month": month, "year": year, "project": row["code"]},
                due=due,
                role=rule.responsible_role,
                province_id=row["province_id"],
                district_id=row["district_id"],
                done_on=done_on,
                as_of=as_of,
            )


# ----------------------------------------------------------------------------- gathering


class Gatherer:
    """The facts of one scope (``user`` None: the whole country) on ``as_of``, a few queries
    per kind."""

    def __init__(self, as_of: datetime.date, user: Any = None, rules: Rules | None = None):
        self.as_of = as_of
        self.user = user
        self.rules = rules or rules_on(as_of)
        self._calendar: WorkCalendar | None = None

    @property
    def calendar(self) -> WorkCalendar:
        if self._calendar is None:
            self._calendar = WorkCalendar.from_database()
        return self._calendar

    def scoped(self, queryset: Any, **lookups: str | None) -> Any:
        if self.user is None:
            return queryset
        return roles.scope_queryset(self.user, queryset, **lookups)

    def window(self) -> tuple[datetime.date, datetime.date]:
        return (self.as_of - datetime.timedelta(days=LOOKBACK_DAYS), self.as_of)

    # --- projects --------------------------------------------------------------------------

    def project_states(self, statuses: Iterable[str], **filters: Any) -> list[dict[str, Any]]:
        """The projects whose state on ``as_of`` has one of ``statuses`` (one query)."""
        queryset = StatePeriod.objects.filter(
            valid_on(self.as_of), status__in=list(statuses), project__archived_at__isnull=True
        ).filter(**filters)
        queryset = self.scoped(
            queryset,
            province="project__province",
            district="project__district",
            beneficiary="project__beneficiary",
        )
        return list(
            queryset.values(
                "project_id",
                "status",
                "under_review",
                "advanced",
                "accepted",
                "valid_from",
                code=F("project__code"),
                province_id=F("project__province_id"),
                district_id=F("project__district_id"),
                beneficiary_id=F("project__beneficiary_id"),
                start_date=F("project__start_date"),
                end_date=F("project__end_date"),
                national=F("project__budget_national"),
            )
        )

    def last_event_dates(self, kinds: Iterable[str], project_ids: set[int]) -> dict[int, Any]:
        """Per project, the latest effective event of ``kinds`` on or before ``as_of``."""
        if not project_ids:
            return {}
        rows = (
            ProjectEvent.objects.effective()
            .filter(kind__in=list(kinds), effective_date__lte=self.as_of)
            .values_list("project_id", "effective_date")
        )
        if len(project_ids) < 500:
            rows = rows.filter(project_id__in=project_ids)
        latest: dict[int, Any] = {}
        for project_id, day in rows:
            if project_id in project_ids and (project_id not in latest or day > latest[project_id]):
                latest[project_id] = day
        return latest

    def monthly_progress(self) -> Iterator[Obligation]:
        projects = self.project_states([Status.IN_PROGRESS])
        ids = {row["project_id"] for row in projects}
        started = self.last_event_dates([EventKind.START], ids)
        year, month = previous_month(self.as_of)
        progress = ProgressUpdate.objects.effective().filter(
            date__gte=D(year, month, 1), date__lte=self.as_of
        )
        if len(ids) < 500:
            progress = progress.filter(project_id__in=ids)
        done: dict[tuple[int, int, int], datetime.date] = {}
        for project_id, day in progress.values_list("project_id", "date"):
            key = (project_id, day.year, day.month)
            if project_id in ids and (key not in done or day < done[key]):
                done[key] = day
        yield from monthly_progress_obligations(projects, started, done, self.rules, self.as_of)

    def contract_signing(self) -> Iterator[Obligation]:
        rows = self.project_states(
            [Status.APPROVED, Status.ASSIGNED], project__start_date__isnull=False
        )
        for row in rows:
            rule = self.rules.rule(K.CONTRACT_SIGNING, row["province_id"])
            if rule is None:
                continue
            # by the start date, and never before the project was assigned to its unit
            due = after(max(row["start_date"], row["valid_from"]), rule, self.calendar)
            if shown(due, self.as_of, rule):
                yield self._project(K.CONTRACT_SIGNING, rule, row, due, _("Sign the contract"))

    def implementation_end(self) -> Iterator[Obligation]:
        low, _high = self.window()
        rows = self.project_states(
            [Status.CONTRACTED, Status.IN_PROGRESS, Status.ACCEPTED, Status.SETTLED],
            project__end_date__gte=low,
        )
        for row in rows:
            rule = self.rules.rule(K.IMPLEMENTATION_END, row["province_id"])
            if rule is None:
                continue
            due = after(row["end_date"], rule, self.calendar)
            if not shown(due, self.as_of, rule):
                continue
            finished = row["status"] in (Status.ACCEPTED, Status.SETTLED)
            yield self._project(
                K.IMPLEMENTATION_END,
                rule,
                row,
                due,
                _("Finish the work and hold the acceptance"),
                done_on=row["valid_from"] if finished else None,
            )

    def under_review(self) -> Iterator[Obligation]:
        rows = [row for row in self.project_states(WORKING) if row["under_review"]]
        since = self.last_event_dates([EventKind.UNDER_REVIEW], {r["project_id"] for r in rows})
        for row in rows:
            rule = self.rules.rule(K.UNDER_REVIEW, row["province_id"])
            start = since.get(row["project_id"])
            if rule is None or start is None:
                continue
            due = after(start, rule, self.calendar)
            if shown(due, self.as_of, rule):
                yield self._project(
                    K.UNDER_REVIEW, rule, row, due, _("Ask for an adjustment or a stop, or resume")
                )

    def request_decision(self) -> Iterator[Obligation]:
        rows = self.project_states([Status.ADJUSTMENT_REQUESTED, Status.STOP_REQUESTED])
        since = self.last_event_dates(
            [EventKind.REQUEST_ADJUSTMENT, EventKind.REQUEST_STOP],
            {row["project_id"] for row in rows},
        )
        for row in rows:
            rule = self.rules.rule(K.REQUEST_DECISION, row["province_id"])
            start = since.get(row["project_id"])
            if rule is None or start is None:
                continue
            due = after(start, rule, self.calendar)
            if not shown(due, self.as_of, rule):
                continue
            text = (
                _("Decide on the stop request")
                if row["status"] == Status.STOP_REQUESTED
                else _("Decide on the adjustment request")
            )
            yield self._project(K.REQUEST_DECISION, rule, row, due, text)

    def advance_unaccepted(self) -> Iterator[Obligation]:
        rows = [
            row for row in self.project_states(WORKING, advanced__gt=0) if row["accepted"] is None
        ]
        ids = {row["project_id"] for row in rows}
        first = ProgressUpdate.objects.effective().filter(
            disbursement_kind=DisbursementKind.ADVANCE,
            disbursed_amount__gt=0,
            date__lte=self.as_of,
        )
        if len(ids) < 500:
            first = first.filter(project_id__in=ids)
        first_advance = dict(
            first.values("project_id")
            .annotate(first=Min("date"))
            .values_list("project_id", "first")
        )
        for row in rows:
            rule = self.rules.rule(K.ADVANCE_UNACCEPTED, row["province_id"])
            start = first_advance.get(row["project_id"])
            if rule is None or start is None:
                continue
            due = after(start, rule, self.calendar)
            if shown(due, self.as_of, rule):
                yield self._project(
                    K.ADVANCE_UNACCEPTED, rule, row, due, _("Accept the work advanced on")
                )

    def _project(
        self,
        kind: str,
        rule: ObligationRule,
        row: dict[str, Any],
        due: datetime.date,
        action: str,
        done_on: datetime.date | None = None,
    ) -> Obligation:
        return Obligation(
            kind=kind,
            key=f"{kind}:project:{row['project_id']}:{due.isoformat()}",
            record_type="project",
            record_id=row["project_id"],
            link_id=row["project_id"],
            label=f"{action}: {row['code']}",
            due=due,
            role=rule.responsible_role,
            province_id=row["province_id"],
            district_id=row["district_id"],
            beneficiary_id=row["beneficiary_id"],
            done_on=done_on,
            as_of=self.as_of,
        )

    # --- inspections -------------------------------------------------------------------

    def inspections(self) -> Iterator[Obligation]:
        low, _high = self.window()
        queryset = self.scoped(
            Inspection.objects.active().filter(
                Q(held_date__isnull=True, planned_date__gte=low)
                | Q(held_date__gt=self.as_of, planned_date__gte=low)
                | Q(follow_up_deadline__gte=low, follow_up_status__in=["open", "done"])
            ),
            province="project__province",
            district="project__district",
            beneficiary="project__beneficiary",
        ).values(
            "pk",
            "project_id",
            "planned_date",
            "held_date",
            "follow_up_deadline",
            "follow_up_status",
            "updated_at",
            code=F("project__code"),
            province_id=F("project__province_id"),
            district_id=F("project__district_id"),
        )
        for row in queryset:
            rule = self.rules.rule(K.INSPECTION, row["province_id"])
            if rule is None:
                continue
            common = {
                "kind": K.INSPECTION,
                "record_type": "inspection",
                "record_id": row["pk"],
                "link_id": row["project_id"],
                "role": rule.responsible_role,
                "province_id": row["province_id"],
                "district_id": row["district_id"],
                "as_of": self.as_of,
            }
            held = row["held_date"]
            if held is None or held > self.as_of:
                due = after(row["planned_date"], rule, self.calendar)
                if shown(due, self.as_of, rule):
                    yield Obligation(
                        key=f"{K.INSPECTION}:visit:{row['pk']}",
                        label=_("Hold the inspection: %(project)s") % {"project": row["code"]},
                        due=due,
                        **common,
                    )
            elif row["follow_up_deadline"] is not None:
                due = row["follow_up_deadline"]
                done = row["follow_up_status"] == "done"
                if shown(due, self.as_of, rule):
                    yield Obligation(
                        key=f"{K.INSPECTION}:follow_up:{row['pk']}",
                        label=_("Follow up the inspection: %(project)s") % {"project": row["code"]},
                        due=due,
                        # the follow-up's state is current (no date is kept for it)
                        done_on=min(row["updated_at"].date(), self.as_of) if done else None,
                        **common,
                    )

    # --- registrations -----------------------------------------------------------------

    def registrations(self, target_year: int, **filters: Any) -> list[dict[str, Any]]:
        queryset = self.scoped(
            Registration.objects.active()
            .filter(target_year=target_year, **filters)
            .exclude(status=RegStatus.WITHDRAWN)
        )
        return list(
            queryset.values("pk", "code", "province_id", "district_id", "beneficiary_id", "status")
        )

    def first_events(self, kinds: Iterable[str], target_year: int) -> dict[int, datetime.date]:
        rows = (
            RegistrationEvent.objects.filter(
                kind__in=list(kinds),
                registration__target_year=target_year,
                date__lte=self.as_of,
            )
            .values("registration_id")
            .annotate(first=Min("date"))
            .values_list("registration_id", "first")
        )
        return dict(rows)

    def registration_dossier(self) -> Iterator[Obligation]:
        target = self.as_of.year + 1
        rows = self.registrations(target)
        submitted = self.first_events([RegEventKind.SUBMIT], target) if rows else {}
        for row in rows:
            rule = self.rules.rule(K.REGISTRATION_DOSSIER, row["province_id"])
            if rule is None:
                continue
            due = day_in_month(self.as_of.year, rule.due_month or 5, rule.due_day or 20)
            if not shown(due, self.as_of, rule):
                continue
            yield Obligation(
                kind=K.REGISTRATION_DOSSIER,
                key=f"{K.REGISTRATION_DOSSIER}:registration:{row['pk']}",
                record_type="registration",
                record_id=row["pk"],
                link_id=row["pk"],
                label=_("Submit the registration dossier: %(code)s") % {"code": row["code"]},
                due=due,
                role=rule.responsible_role,
                province_id=row["province_id"],
                district_id=row["district_id"],
                beneficiary_id=row["beneficiary_id"],
                done_on=submitted.get(row["pk"]),
                as_of=self.as_of,
            )

    def national_proposal(self) -> Iterator[Obligation]:
        target = self.as_of.year + 1
        rows = [
            row
            for row in self.registrations(target, funding_source__code="national")
            if row["status"] not in (RegStatus.DRAFT, RegStatus.RETURNED)
        ]
        decided = (
            self.first_events(
                [RegEventKind.ACCEPT, RegEventKind.REDUCE, RegEventKind.REJECT], target
            )
            if rows
            else {}
        )
        by_province: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for row in rows:
            by_province[row["province_id"]].append(row)
        for province_id, members in by_province.items():
            rule = self.rules.rule(K.NATIONAL_PROPOSAL, province_id)
            if rule is None:
                continue
            due = day_in_month(self.as_of.year, rule.due_month or 6, rule.due_day or 15)
            if not shown(due, self.as_of, rule):
                continue
            days = [decided.get(row["pk"]) for row in members]
            done_on = None if None in days else max(d for d in days if d is not None)
            yield Obligation(
                kind=K.NATIONAL_PROPOSAL,
                key=f"{K.NATIONAL_PROPOSAL}:province:{province_id}:{target}",
                record_type="province",
                record_id=province_id,
                label=_("Send the %(year)s registrations to the national agency (%(count)s)")
                % {"year": target, "count": len(members)},
                due=due,
                role=rule.responsible_role,
                province_id=province_id,
                done_on=done_on,
                as_of=self.as_of,
            )

    # --- reports -----------------------------------------------------------------------

    def reports(self) -> Iterator[Obligation]:
        wanted = []  # (kind, period, year, due month-day from the rule)
        for year in (self.as_of.year - 1, self.as_of.year):
            wanted.append((K.HALF_YEAR_REPORT, "H1", year))
            wanted.append((K.ANNUAL_REPORT, "Y", year))
        years = sorted({year for _k, _p, year in wanted})
        plans = self.scoped(
            Plan.objects.filter(year__lte=years[-1], archived_at__isnull=True).filter(
                Q(end_year__gte=years[0]) | Q(end_year__isnull=True, year__gte=years[0])
            ),
            district=None,
            beneficiary=None,
        ).values_list("province_id", "year", "end_year")
        provinces_by_year: dict[int, set[int]] = defaultdict(set)
        for province_id, first, last in plans:
            for year in years:
                if first <= year <= (last or first):
                    provinces_by_year[year].add(province_id)
        saved = self.scoped(
            SavedReport.objects.filter(
                archived_at__isnull=True,
                year__in=years,
                period__in=["H1", "Y"],
                status__in=LOCKED_STATUSES,  # a draft or one awaiting signature is not the report
            ).exclude(state=ReportState.FAILED),
            district=None,
            beneficiary=None,
        ).values_list("province_id", "year", "period", "issued_on")
        issued: dict[tuple[int, int, str], datetime.date] = {}
        for province_id, year, period, day in saved:
            key = (province_id, year, period)
            if key not in issued or day < issued[key]:
                issued[key] = day
        for kind, period, year in wanted:
            for province_id in sorted(provinces_by_year.get(year, ())):
                rule = self.rules.rule(kind, province_id)
                if rule is None:
                    continue
                due = day_in_month(year, rule.due_month or 7, rule.due_day or 15)
                if not shown(due, self.as_of, rule):
                    continue
                label = (
                    _("Half-year report %(year)s")
                    if kind == K.HALF_YEAR_REPORT
                    else _("Annual report %(year)s")
                )
                yield Obligation(
                    kind=kind,
                    key=f"{kind}:province:{province_id}:{year}",
                    record_type="province",
                    record_id=province_id,
                    label=label % {"year": year},
                    due=due,
                    role=rule.responsible_role,
                    province_id=province_id,
                    done_on=issued.get((province_id, year, period)),
                    as_of=self.as_of,
                    link_id=year,
                )

    # --- product vote ------------------------------------------------------------------

    def certificates(self) -> Iterator[Obligation]:
        rules = self.rules.for_kind(K.CERTIFICATE_EXPIRY)
        if not rules:
            return
        horizon = self.as_of + datetime.timedelta(days=max(rule.lead_days for rule in rules))
        queryset = self.scoped(
            Certificate.objects.active().filter(
                revoked_on__isnull=True,
                issued_on__lte=self.as_of,
                valid_until__gte=self.as_of,
                valid_until__lte=horizon,
            ),
            province="beneficiary__province",
            district="beneficiary__district",
            beneficiary="beneficiary",
        ).values(
            "pk",
            "number",
            "product_name",
            "valid_until",
            "beneficiary_id",
            province_id=F("beneficiary__province_id"),
            district_id=F("beneficiary__district_id"),
        )
        for row in queryset:
            rule = self.rules.rule(K.CERTIFICATE_EXPIRY, row["province_id"])
            if rule is None or not shown(row["valid_until"], self.as_of, rule):
                continue
            yield Obligation(
                kind=K.CERTIFICATE_EXPIRY,
                key=f"{K.CERTIFICATE_EXPIRY}:certificate:{row['pk']}",
                record_type="certificate",
                record_id=row["pk"],
                label=_("Certificate %(number)s (%(product)s) expires")
                % {"number": row["number"], "product": row["product_name"]},
                due=row["valid_until"],
                role=rule.responsible_role,
                province_id=row["province_id"],
                district_id=row["district_id"],
                beneficiary_id=row["beneficiary_id"],
                as_of=self.as_of,
            )

    def complaints(self) -> Iterator[Obligation]:
        low, _high = self.window()
        queryset = self.scoped(
            Complaint.objects.active()
            .filter(received_on__lte=self.as_of, received_on__gte=low)
            .filter(Q(resolved_on__isnull=True) | Q(resolved_on__gte=low)),
            province="contest__province",
            district=None,
            beneficiary="entry__beneficiary",
        ).values(
            "pk",
            "contest_id",
            "complainant",
            "received_on",
            "resolved_on",
            province_id=F("contest__province_id"),
        )
        for row in queryset:
            rule = self.rules.rule(K.COMPLAINT_RESOLUTION, row["province_id"])
            if rule is None:
                continue
            due = after(row["received_on"], rule, self.calendar)
            if not shown(due, self.as_of, rule):
                continue
            yield Obligation(
                kind=K.COMPLAINT_RESOLUTION,
                key=f"{K.COMPLAINT_RESOLUTION}:complaint:{row['pk']}",
                record_type="complaint",
                record_id=row["pk"],
                link_id=row["contest_id"],
                label=_("Resolve the complaint of %(who)s") % {"who": row["complainant"]},
                due=due,
                role=rule.responsible_role,
                province_id=row["province_id"],
                done_on=row["resolved_on"],
                as_of=self.as_of,
            )


# the working statuses in which a project can be under review or hold advances
WORKING = [
    Status.APPROVED,
    Status.ASSIGNED,
    Status.CONTRACTED,
    Status.IN_PROGRESS,
    Status.ADJUSTMENT_REQUESTED,
    Status.STOP_REQUESTED,
]

# kind -> the Gatherer method computing it (reports: both report kinds at once)
COMPUTERS: dict[str, str] = {
    K.MONTHLY_PROGRESS: "monthly_progress",
    K.REGISTRATION_DOSSIER: "registration_dossier",
    K.NATIONAL_PROPOSAL: "national_proposal",
    K.HALF_YEAR_REPORT: "reports",
    K.ANNUAL_REPORT: "reports",
    K.CONTRACT_SIGNING: "contract_signing",
    K.IMPLEMENTATION_END: "implementation_end",
    K.INSPECTION: "inspections",
    K.CERTIFICATE_EXPIRY: "certificates",
    K.UNDER_REVIEW: "under_review",
    K.REQUEST_DECISION: "request_decision",
    K.ADVANCE_UNACCEPTED: "advance_unaccepted",
    K.COMPLAINT_RESOLUTION: "complaints",
}


def compute(
    as_of: datetime.date, user: Any = None, kinds: Iterable[str] | None = None
) -> list[Obligation]:
    """Every obligation on ``as_of`` (done ones included), by due date. With ``user``: only
    the kinds whose rule names the user's role, in the user's scope."""
    gatherer = Gatherer(as_of, user)
    wanted = set(kinds) if kinds is not None else gatherer.rules.kinds()
    if user is not None:
        role = roles.role_of(user)
        wanted = {
            kind
            for kind in wanted
            if any(rule.responsible_role == role for rule in gatherer.rules.for_kind(kind))
        }
    result: list[Obligation] = []
    for method in dict.fromkeys(COMPUTERS[kind] for kind in COMPUTERS if kind in wanted):
        result.extend(
            obligation
            for obligation in getattr(gatherer, method)()
            if obligation.kind in wanted
            and (user is None or obligation.role == roles.role_of(user))
        )
    result.sort(key=lambda o: (o.due, o.kind, o.key))
    return result


def open_obligations(obligations: Iterable[Obligation]) -> list[Obligation]:
    return [obligation for obligation in obligations if not obligation.done]


def for_user(user: Any, as_of: datetime.date) -> list[Obligation]:
    """The user's open obligations on ``as_of`` (their role's kinds, their scope)."""
    if roles.role_of(user) is None:
        return []
    return open_obligations(compute(as_of, user))


# ----------------------------------------------------------------------------- users


class Responsible:
    """Who answers for an obligation: the active users of its role whose scope covers its
    record (national users: all; province users: their province and the legacy provinces
    merged into it; district officers: their district; beneficiary users: their own).
    Built with two queries for the whole country."""

    def __init__(self, role_names: Iterable[str]):
        users = list(
            User.objects.filter(is_active=True, role__in=list(role_names)).order_by("username")
        )
        self.national: dict[str, list[User]] = defaultdict(list)
        self.province: dict[tuple[str, int], list[User]] = defaultdict(list)
        self.district: dict[tuple[str, int], list[User]] = defaultdict(list)
        self.beneficiary: dict[tuple[str, int], list[User]] = defaultdict(list)
        families = province_families({u.province_id for u in users if u.province_id})
        for user in users:
            role = roles.role_of(user)
            if role is None:
                continue
            if role == Role.BENEFICIARY:
                if user.beneficiary_id:
                    self.beneficiary[(role, user.beneficiary_id)].append(user)
            elif roles.is_national(user):
                self.national[role].append(user)
            elif role == Role.DISTRICT_OFFICER or user.scope_level == ScopeLevel.DISTRICT:
                if user.district_id:
                    self.district[(role, user.district_id)].append(user)
            elif user.province_id:
                for province_id in families.get(user.province_id, {user.province_id}):
                    self.province[(role, province_id)].append(user)

    def users(self, obligation: Obligation) -> list[User]:
        role = obligation.role
        found = list(self.national.get(role, ()))
        if obligation.province_id is not None:
            found += self.province.get((role, obligation.province_id), [])
        if obligation.district_id is not None:
            found += self.district.get((role, obligation.district_id), [])
        if obligation.beneficiary_id is not None:
            found += self.beneficiary.get((role, obligation.beneficiary_id), [])
        return found


def province_families(province_ids: set[int]) -> dict[int, set[int]]:
    return {pid: set(AdminUnit.province_family_ids(pid)) for pid in province_ids}
