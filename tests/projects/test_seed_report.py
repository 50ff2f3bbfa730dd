"""The demo data reproduces the seed report AS OF 30/06/2018.

The test PARSES the seed text (shared/seed/report-2018-bac-kan.txt, see tests/seed_report.py;
CI clones the repository with shared/ beside it) for its counts, totals and named projects,
and checks them against the selectors over the demo data: the seed is the oracle, not the
fixture.
"""

from __future__ import annotations

import datetime
import re

import pytest

from khuyencong.core.text import normalize
from khuyencong.demo.projects import load_bac_kan_2018_projects
from khuyencong.plans.models import Plan
from khuyencong.projects.models import EventKind, Status
from khuyencong.projects.plan_selectors import plan_figures
from khuyencong.projects.selectors import Phase, phase_counts, plan_states
from tests.seed_report import seed_path

pytestmark = pytest.mark.django_db
AS_OF = datetime.date(2018, 6, 30)


@pytest.fixture(scope="module")
def seed() -> str:
    return seed_path().read_text(encoding="utf-8")


@pytest.fixture
def demo():
    load_bac_kan_2018_projects()
    plans = {p.funding_source.code: p for p in Plan.objects.filter(year=2018)}
    return plans


def section(seed: str, start: str, end: str) -> str:
    return seed[seed.index(start) : seed.index(end)]


def million(text: str) -> int:
    return int(text) * 1_000_000


def titles_in(bullet: str) -> list[dict[str, str]]:
    """The projects a bullet names after "gồm:": title (up to its closing quote) and, when
    given, commune, district and beneficiary."""
    found = []
    for piece in re.split(r"(?:gồm:|;|\svà)\s*đề án\s+", bullet)[1:]:
        title = piece.split("”", 1)[0].lstrip("“").strip()
        item = {"title": title}
        place = re.search(
            r"tại (?:xã|thị trấn) (.+?), huyện (.+?) \(đơn vị thụ hưởng là (.+?)\)", piece
        )
        if place:
            item.update(commune=place[1], district=place[2], beneficiary=place[3])
        found.append(item)
    return found


def matches(project, item) -> bool:
    if normalize(item["title"]) not in normalize(project.title):
        return False
    if "beneficiary" in item:
        return (
            project.beneficiary is not None
            and normalize(project.beneficiary.name) == normalize(item["beneficiary"])
            and normalize(project.place.short_name) == normalize(item["commune"])
            and normalize(project.district.short_name) == normalize(item["district"])
        )
    return True


def test_national_fund_as_in_the_seed(seed, demo):
    text = section(seed, "Đối với Khuyến công quốc gia", "Đối với Khuyến công địa phương")
    count, amount = re.search(
        r"thực hiện (\d+) đề án hỗ trợ ứng dụng máy móc thiết bị từ nguồn khuyến công quốc gia, "
        r"kinh phí (\d+) triệu đồng",
        text,
    ).groups()
    month, year = map(int, re.search(r"giao nhiệm vụ từ tháng (\d+)/(\d{4})", text).groups())
    plan = demo["national"]
    states = plan_states(plan, AS_OF)
    figures = plan_figures(plan, AS_OF)
    assert len(states) == int(count) == 3
    assert figures.ceiling == figures.allocated == million(amount) == 600_000_000
    assert sum(state.plan_budget for _p, state in states) == million(amount)
    for project, _state in states:
        assert project.content_area.code == "machinery"
        assign = project.events.get(kind=EventKind.ASSIGN)
        assert (assign.effective_date.month, assign.effective_date.year) == (month, year)
        assert normalize("Cục Công thương địa phương") in normalize(assign.issuer)

    # the three named projects and what the seed says of each
    bullets = re.findall(r"– Đề án “(.+?)”,?\s*đơn vị thụ hưởng là (.+?), (.+?);?\n", text)
    assert len(bullets) == 3
    by_beneficiary = {normalize(p.beneficiary.name): (p, s) for p, s in states}
    for title, beneficiary, rest in bullets:
        project, state = by_beneficiary[normalize(beneficiary)]
        assert project.title == title
        assert normalize(project.place.short_name) in normalize(rest)
        assert normalize(project.district.short_name) in normalize(rest)
        if "ký kết hợp đồng và thực hiện" in rest:
            assert state.status == Status.IN_PROGRESS and state.progress_percent > 0
        elif "xin điều chỉnh nội dung hỗ trợ hoặc xin dừng" in rest:
            assert state.status == Status.ASSIGNED and state.under_review
            note = project.events.get(kind=EventKind.UNDER_REVIEW).reason
            assert "nghiên cứu thị trường máy móc thiết bị" in note
        elif "đã có văn bản xin dừng" in rest:
            assert state.status == Status.STOP_REQUESTED
            reason = re.search(r"do (.+?)\.?$", rest)[1].removeprefix("đơn vị gặp ")
            assert reason in project.events.get(kind=EventKind.REQUEST_STOP).reason
        else:
            pytest.fail(f"unexpected seed wording: {rest}")


def test_local_fund_as_in_the_seed(seed, demo):
    text = section(seed, "Đối với Khuyến công địa phương", "Thứ hai,")
    count, amount = re.search(
        r"thực hiện (\d+) đề án từ nguồn khuyến công địa phương, kinh phí là (\d+) triệu đồng",
        text,
    ).groups()
    plan = demo["local"]
    states = plan_states(plan, AS_OF)
    figures = plan_figures(plan, AS_OF)
    assert len(states) == int(count) == 10
    assert figures.ceiling == figures.allocated == million(amount) == 529_000_000
    assert sum(state.plan_budget for _p, state in states) == million(amount)

    bullets = [line for line in text.splitlines() if re.match(r"– \d+/\d+ đề án", line)]
    categories = {
        "đã hoàn thành gồm": Phase.COMPLETED,
        "đã hoàn thành được": Phase.IN_PROGRESS,
        "xin dừng thực hiện": Phase.STOP_REQUESTED,
        "chưa thực hiện": Phase.NOT_STARTED,
    }
    counts = phase_counts(state for _p, state in states)
    seen = 0
    for bullet in bullets:
        part, whole = map(int, re.match(r"– (\d+)/(\d+)", bullet).groups())
        phase = next(p for words, p in categories.items() if words in bullet)
        assert whole == len(states)
        assert counts[phase] == part, bullet
        in_phase = [(p, s) for p, s in states if s.phase == phase]
        named = titles_in(bullet)
        assert len(named) == part
        for item in named:
            hits = [p for p, _s in in_phase if matches(p, item)]
            assert len(hits) == 1, item
        percent = re.search(r"được (\d+)% khối lượng", bullet)
        if percent:
            assert {s.progress_percent for _p, s in in_phase} == {int(percent[1])}
        seen += part
    assert seen == len(states) == sum(counts.values())
    assert len(bullets) == 4


def test_completed_means_accepted_and_not_started_means_no_work(demo):
    states = plan_states(demo["local"], AS_OF)
    for project, state in states:
        if state.phase == Phase.COMPLETED:
            assert state.status == Status.ACCEPTED and state.progress_percent == 100
        if state.phase == Phase.NOT_STARTED:
            assert state.status in (Status.APPROVED, Status.ASSIGNED, Status.CONTRACTED)
            assert not project.progress_updates.filter(date__lte=AS_OF).exists()


def test_the_demo_step_is_idempotent_and_later_events_change_later_views(demo):
    again = load_bac_kan_2018_projects()
    assert again["projects_created"] == 0
    assert Plan.objects.filter(year=2018).count() == 2
    year_end = plan_figures(demo["national"], datetime.date(2018, 12, 31))
    assert year_end.allocated < 600_000_000  # the stop decided in August freed money
    assert plan_figures(demo["national"], AS_OF).allocated == 600_000_000
