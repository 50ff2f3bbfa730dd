"""The property of issue 19: every count and sum the report text states equals the database's.

For any province drawn by ``strategies.provinces()`` (1–3 funding sources; plans for one year or
a period, main and supplementary; 1–20 projects over 1–6 content areas, for one beneficiary, a
group or the centre itself, walked to any status), the report of its year and period is built
and composed as ``manage.py report`` does; the counts and money it states per funding source
(and per status group) are read back from the text with regular expressions on the documented
sentence shapes (docs/reports.md) and ``wording.parse_money``, and compared with the same
figures computed here directly from the database rows:

* the projects: those of the plans in force in the report year (one-year plans of the year
  and periods covering it, main and supplementary), approved by the report date (an approval
  event on or before it), not archived;
* their money: each project's budget in the plan's source from its latest approval or approved
  adjustment on or before the report date (the budget snapshot that event recorded);
* their status on the report date: the last lifecycle event on or before it, and for work under
  way the latest progress update then (the report's rule: all the work done is completed, half
  or more is stated with its percentage, less is "contract signed").

The same test runs on SQLite and PostgreSQL (CI runs the suite on both).
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from dataclasses import dataclass, field

import pytest
from django.db import transaction
from hypothesis import HealthCheck, Phase, given, settings

from khuyencong.documents import wording
from khuyencong.places.models import AdminUnit
from khuyencong.plans.models import Plan
from khuyencong.projects.models import EventKind, ProgressUpdate, Project, ProjectEvent, Status
from khuyencong.reports.builder import build_report
from khuyencong.reports.compose import compose
from khuyencong.reports.edits import starting_edits

from . import strategies

# --------------------------------------------------------------------------------------------
# What the text states


@dataclass
class Stated:
    """What a report states for one funding source."""

    count: int = 0
    money: int = 0
    statuses: Counter[str] = field(default_factory=Counter)  # status phrase -> projects


MONEY = r"\d[\d.]*(?:,\d+)?(?: (?:tỷ|triệu|nghìn))? đồng"
INTRO = re.compile(
    r"^Đối với (?P<label>[^:]+): Năm \d{4}, .+? (?:"
    r"được giao thực hiện (?P<count>\d+) đề án.*? từ nguồn [^,]+, kinh phí (?P<money>"
    + MONEY
    + r")\.|không được giao thực hiện đề án nào)"
)
BULLET = "– "
GROUP_LINE = re.compile(r"^(?P<count>\d+)/(?P<total>\d+) đề án (?P<phrase>.+?)(?: gồm: | là | \()")


def _line_phrases() -> re.Pattern[str]:
    """Any status phrase after one named project, at the end of its line (with the reason a
    request gives after "do")."""
    phrases = []
    for key, template in wording.STATUS_LINE.items():
        if key == "in_progress":
            phrases.append(re.escape(template).replace(re.escape("{percent}"), r"\d+(?:,\d+)?%"))
        elif key == "under_review":
            phrases.append(re.escape(template).replace(re.escape("{note}"), r".+?"))
        else:
            phrases.append(re.escape(template))
    phrases.sort(key=len, reverse=True)
    return re.compile(r"(?P<phrase>" + "|".join(phrases) + r")(?: do .+)?[;.]$")


LINE_PHRASE = _line_phrases()
# the one-project form of each count form (per-project lines -> status-group phrases)
LINE_TO_GROUP = {
    wording.STATUS_LINE[key]: wording.STATUS_GROUP[key]
    for key in wording.STATUS_LINE
    if key not in ("in_progress", "under_review")
}


def _group_phrase(line_phrase: str) -> str:
    if line_phrase in LINE_TO_GROUP:
        return LINE_TO_GROUP[line_phrase]
    if line_phrase.startswith("đã hoàn thành được "):
        return line_phrase  # the same words in both forms
    return wording.STATUS_GROUP["under_review"]


def parse(paragraphs: list[str]) -> dict[str, Stated]:
    """Per source label, the count, money and status groups the text states."""
    stated: dict[str, Stated] = {}
    current: Stated | None = None
    for text in paragraphs:
        intro = INTRO.match(text)
        if intro:
            current = stated.setdefault(intro["label"], Stated())
            if intro["count"]:
                current.count = int(intro["count"])
                current.money = wording.parse_money(intro["money"])
            continue
        if current is None or not text.startswith(BULLET):
            current = None if not text.startswith(BULLET) else current
            continue
        body = text.removeprefix(BULLET)
        group = GROUP_LINE.match(body)
        if group and not body.startswith("Đề án "):
            assert int(group["total"]) == current.count, text
            current.statuses[group["phrase"]] += int(group["count"])
            continue
        line = LINE_PHRASE.search(body)
        assert line is not None, f"no status read in {text!r}"
        current.statuses[_group_phrase(line["phrase"])] += 1
    return stated


# --------------------------------------------------------------------------------------------
# What the database holds (computed here, not by the builder's queries)


def status_phrase(project: Project, as_of: datetime.date) -> str:
    last = (
        ProjectEvent.objects.filter(project=project, effective_date__lte=as_of)
        .order_by("-effective_date", "-sequence")
        .first()
    )
    status = last.to_status if last is not None else Status.REGISTERED
    done = (
        ProgressUpdate.objects.filter(project=project, date__lte=as_of)
        .order_by("-date", "-pk")
        .values_list("progress_percent", flat=True)
        .first()
    ) or 0
    if status in (Status.ACCEPTED, Status.SETTLED):
        return wording.status_group("completed")
    if status in (Status.ADJUSTMENT_REQUESTED, Status.STOP_REQUESTED, Status.STOPPED):
        return wording.status_group(status)
    if status in (Status.CONTRACTED, Status.IN_PROGRESS):
        if done >= 100:
            return wording.status_group("completed")
        if done >= 50:
            return wording.status_group("in_progress", done)
        return wording.status_group("contract_signed")
    return wording.status_group("not_started")


def budget_on(project: Project, code: str, as_of: datetime.date) -> int:
    snapshot = (
        ProjectEvent.objects.filter(
            project=project,
            effective_date__lte=as_of,
            kind__in=[EventKind.APPROVE, EventKind.APPROVE_ADJUSTMENT],
        )
        .order_by("-effective_date", "-sequence")
        .first()
    )
    assert snapshot is not None
    return getattr(snapshot, f"budget_{code}")


def in_database(province: AdminUnit, year: int, as_of: datetime.date) -> dict[str, Stated]:
    family = AdminUnit.province_family_ids(province.pk)
    plans = Plan.objects.active().for_year(year).filter(province_id__in=family)
    expected: dict[str, Stated] = {}
    for plan in plans.select_related("funding_source"):
        expected.setdefault(plan.funding_source.name, Stated())
    projects = (
        Project.objects.active()
        .filter(plan__in=plans)
        .select_related("plan__funding_source")
        .order_by("pk")
    )
    for project in projects:
        approved = project.events.filter(kind=EventKind.APPROVE, effective_date__lte=as_of)
        if not approved.exists():
            continue  # a proposal on the report date, not yet part of the plan carried out
        source = project.plan.funding_source
        figures = expected[source.name]
        figures.count += 1
        figures.money += budget_on(project, source.code, as_of)
        figures.statuses[status_phrase(project, as_of)] += 1
    return expected


# --------------------------------------------------------------------------------------------


def report_paragraphs(province: AdminUnit, year: int, period: str) -> list[str]:
    """The report's body as ``manage.py report`` makes it (builder, starting edits, compose)."""
    data = build_report(
        user=None,
        province=province,
        year=year,
        period=period,
        issued_on=datetime.date(year, 12, 31),
    )
    data = starting_edits(data).apply(data)
    return [paragraph.text for paragraph in compose(data)]


def check(drawn: strategies.Province) -> None:
    with transaction.atomic():
        built = strategies.build(drawn)
        paragraphs = report_paragraphs(built.province, drawn.year, drawn.period)
        stated = parse(paragraphs)
        expected = in_database(built.province, drawn.year, drawn.as_of)
        assert stated == expected, "\n\n".join(p for p in paragraphs if not p.startswith("Thứ"))
        for figures in stated.values():
            assert sum(figures.statuses.values()) == figures.count
        transaction.set_rollback(True)


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    # no shrinking: each example builds a province through the services (seconds), and the
    # drawn example printed on failure is readable as it is
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(drawn=strategies.provinces())
def test_every_count_and_sum_the_report_states_is_the_databases(drawn):
    check(drawn)
