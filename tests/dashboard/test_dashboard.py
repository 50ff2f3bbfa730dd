"""The dashboard: figures aggregated in the database agree with the projects domain's own
rules, every figure drills down to the same projects in the project list, and the page runs a
fixed number of queries."""

from __future__ import annotations

import datetime
import re
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from khuyencong.dashboard import figures
from khuyencong.dashboard.maps import map_svg
from khuyencong.plans.models import Plan
from khuyencong.projects import services as project_services
from khuyencong.projects.models import Budget, Project
from khuyencong.projects.plan_selectors import plan_figures
from khuyencong.projects.selectors import annotate_as_of, state_of
from tests.reports.conftest import login

DATES = [
    datetime.date(2017, 12, 31),
    datetime.date(2018, 3, 31),
    datetime.date(2018, 6, 30),
    datetime.date(2018, 9, 30),
    datetime.date(2018, 12, 31),
    None,
]


@pytest.mark.parametrize("day", DATES)
def test_the_stored_phase_and_allocated_agree_with_the_lifecycle_rules(demo, day):
    scope = figures.Scope(user=demo.users["canbo"], year=2018, as_of=day)
    in_sql = {row.code: (row.phase, row.allocated) for row in figures.scoped_projects(scope)}
    rows = annotate_as_of(Project.objects.select_related("plan__funding_source"), day).filter(
        as_of_status__isnull=False
    )
    in_python = {row.code: (state_of(row, day).phase, state_of(row, day).allocated) for row in rows}
    assert in_sql == in_python


@pytest.mark.parametrize("day", DATES[1:])
def test_money_by_source_agrees_with_the_plan_figures(demo, day):
    scope = figures.Scope(user=demo.users["canbo"], year=2018, as_of=day)
    money = {row.code: row for row in figures.money_by_source(scope)}
    for plan in Plan.objects.filter(year=2018).select_related("funding_source"):
        expected = plan_figures(plan, day)
        row = money[plan.funding_source.code]
        assert (row.ceiling, row.allocated, row.disbursed) == (
            expected.ceiling,
            expected.allocated,
            expected.disbursed,
        )


def test_disbursement_rate_at_mid_year(demo):
    scope = figures.Scope(user=demo.users["canbo"], year=2018, as_of=datetime.date(2018, 6, 30))
    national, local = figures.money_by_source(scope)
    assert (national.ceiling, national.allocated, national.disbursed) == (
        600_000_000,
        600_000_000,
        100_000_000,
    )
    assert str(national.rate) == "16.7"
    assert local.projects == 10


def test_every_kpi_and_bar_drills_down_to_the_same_projects(client, demo):
    login(client, demo.users["canbo"])
    response = client.get(reverse("dashboard:index"), {"year": 2018, "as_of": "2018-06-30"})
    assert response.status_code == 200
    page = response.content.decode()
    for row, url in response.context["phases"]:
        listed = client.get(url.replace("&amp;", "&"))
        assert listed.context["paginator"].count == row.count, url
    assert response.context["total_projects"] == 13
    links = re.findall(r'<a href="(/projects/\?[^"]+)"', page)
    assert any("district=" in link for link in links)
    assert any("content_area=" in link for link in links)
    district_chart = next(c for c in response.context["charts"] if c["key"] == "district")
    first_link = re.search(r'<a href="([^"]+)"', str(district_chart["svg"])).group(1)
    listed = client.get(first_link.replace("&amp;", "&"))
    assert listed.context["paginator"].count == 3  # Huyện Na Rì: three projects


def _add_project(code, title, budget):
    """A registered local-fund project in the plan of a demo project, at its place."""
    template = Project.objects.get(code="BK-KCDP-2018-10")
    return project_services.create_project(
        actor=project_services.SYSTEM,
        code=code,
        title=title,
        content_area=template.content_area,
        implementing_unit=template.implementing_unit,
        place=template.place,
        registered_on=datetime.date(2018, 1, 5),
        plan=template.plan,
        budget=Budget(local=budget),
    )


def test_the_page_runs_a_fixed_number_of_queries(client, demo, django_assert_num_queries):
    login(client, demo.users["canbo"])
    url = reverse("dashboard:index")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        client.get(url, {"year": 2018})
    for number in range(5):
        _add_project(f"BK-KCDP-2018-X{number}", f"Đề án thêm {number}", 1_000_000)
    with django_assert_num_queries(len(before.captured_queries)):
        client.get(url, {"year": 2018})


def test_roles_and_scope(client, demo):
    login(client, demo.users["giamkhao"])
    assert client.get(reverse("dashboard:index")).status_code == 403
    login(client, demo.users["htx"])
    assert client.get(reverse("dashboard:index")).status_code == 403
    login(client, demo.users["huyen"])  # a district officer sees their district's projects
    response = client.get(reverse("dashboard:index"), {"year": 2018})
    assert response.context["year"] == 2018 and not response.context["form"].errors
    assert response.context["total_projects"] == 3
    login(client, demo.users["quocgia"])
    response = client.get(reverse("dashboard:index"), {"year": 2018})
    assert "province" in response.context["form"].fields
    assert [c["key"] for c in response.context["charts"]][-1] == "province"
    narrowed = client.get(reverse("dashboard:index"), {"year": 2018, "province": demo.province.pk})
    assert narrowed.context["total_projects"] == 13


def test_map_draws_one_linked_circle_per_place(demo):
    scope = figures.Scope(user=demo.users["canbo"], year=2018)
    points = figures.map_points(scope)
    assert sum(point.count for point in points) == 13
    svg = map_svg(points, lambda point: f"/projects/?district={point.district_id}&x=1", "Bản đồ")
    root = ElementTree.fromstring(svg)
    circles = root.findall(".//{http://www.w3.org/2000/svg}circle")
    assert len(circles) == len(points) == 7
    assert "&amp;x=1" in svg
    for circle in circles:
        assert 0 <= float(circle.get("cx")) <= 640 and 0 <= float(circle.get("cy")) <= 420
    assert map_svg([], str, "Trống").count("<circle") == 0


def test_the_national_map_draws_one_circle_per_province_linked_to_its_list(client, demo):
    scope = figures.Scope(user=demo.users["quocgia"], year=2018)
    points = figures.map_points(scope, by_province=True)
    assert [(p.place_id, p.name, p.count) for p in points] == [
        (demo.province.pk, demo.province.name, 13)
    ]
    assert (points[0].latitude, points[0].longitude) == (
        demo.province.latitude,
        demo.province.longitude,
    )
    login(client, demo.users["quocgia"])
    page = client.get(reverse("dashboard:index"), {"year": 2018}).content.decode()
    drawn = page[page.index('id="project-map"') :]
    assert drawn.count("<circle") == 1
    assert f"province={demo.province.pk}" in drawn.split("<circle")[0]
    narrowed = client.get(reverse("dashboard:index"), {"year": 2018, "province": demo.province.pk})
    assert narrowed.content.decode().count("<circle") >= 7  # a province: its communes again


def test_events_panel_counts_what_was_held_by_the_date_in_scope(client, demo):
    from khuyencong.demo import events as event_demo
    from khuyencong.places.models import AdminUnit, Era, Level

    login(client, demo.users["canbo"])
    mid_year = client.get(reverse("dashboard:index"), {"year": 2018, "as_of": "2018-06-30"})
    events = mid_year.context["events"]
    assert events["per_kind"]["training"] == {
        "label": events["per_kind"]["training"]["label"],
        "held": 0,
        "planned": 1,
    }
    assert events["per_kind"]["trade_fair"]["held"] == 1
    assert events["booths"] == event_demo.FAIRS[0]["booths"]
    assert events["officers_by_district"] == []
    assert "Chưa có hội nghị tập huấn nào được tổ chức." in mid_year.content.decode()

    year_end = client.get(reverse("dashboard:index"), {"year": 2018, "as_of": "2018-12-31"})
    trained = {
        row["district"]: row["officers"]
        for row in year_end.context["events"]["officers_by_district"]
    }
    expected = {
        AdminUnit.objects.get(era=Era.LEGACY, level=Level.DISTRICT, code=code).name: len(people)
        for code, people in event_demo.OFFICERS.items()
    }
    assert trained == expected
    page = year_end.content.decode()
    assert 'id="officers-by-district"' in page and "/events/?year=2018" in page

    login(client, demo.users["huyen"])  # a district officer: their district's events only
    district = client.get(reverse("dashboard:index"), {"year": 2018, "as_of": "2018-12-31"})
    officers = district.context["events"]["officers_by_district"]
    assert len(officers) <= 1 and all(row["officers"] <= max(expected.values()) for row in officers)


# --------------------------------------------------------------------------------------------
# The "by plan year" chart reads the plan tallies (projects.PlanTally) for every record


def _by_year(scope):
    return [(b.key, b.count, b.allocated, b.disbursed) for b in figures.by_year(scope)]


def _grouped_by_year(scope):
    """The same chart grouped over the projects, without the tallies."""
    rows = figures._grouped(figures.scoped_projects(scope, all_years=True), "plan__year")
    return [
        (row["plan__year"], row["n"], row["allocated_total"] or 0, row["disbursed_total"] or 0)
        for row in rows.order_by("plan__year")
    ]


@pytest.mark.parametrize("who", ["canbo", "quocgia", "huyen"])
def test_by_year_from_the_tallies_equals_the_projects_grouped(demo, who):
    for scope in (
        figures.Scope(user=demo.users[who], year=2018),
        figures.Scope(user=demo.users[who], year=2018, province=demo.province),
    ):
        assert _by_year(scope) == _grouped_by_year(scope)
        assert _by_year(scope)[0][1] > 0


def _tallied_figures(scope):
    """The figures the tallies answer where they can (money by source, provinces, the
    national map's circles), comparable as plain values."""
    return (
        figures.money_by_source(scope),
        sorted(figures.by_province(scope), key=lambda bucket: bucket.key),
        sorted(figures.map_points(scope, by_province=True), key=lambda point: point.place_id),
    )


@pytest.mark.parametrize("who", ["canbo", "quocgia", "huyen"])
def test_figures_from_the_tallies_equal_the_projects_grouped(demo, who, monkeypatch):
    from tests.projects.factories import make_plan

    # a second year and a stopped project, so that the year filter and the retained money
    # show in the sums
    _add_project("BK-KCDP-2018-T2", "Đề án thêm", 9_000_000)
    later = make_plan(year=2021, unit=demo.province)
    project = _add_project("BK-KCDP-2018-T3", "Đề án năm sau", 4_000_000)
    project_services.update_project(
        project=project, actor=project_services.SYSTEM, expected_version=project.version,
        plan=later,
    )  # fmt: skip
    scopes = [
        figures.Scope(user=demo.users[who], year=year, province=province)
        for year in (2018, 2021, None)
        for province in (None, demo.province)
    ]
    tallied = [_tallied_figures(scope) for scope in scopes]
    monkeypatch.setattr(figures, "_tallies", lambda scope: None)
    grouped = [_tallied_figures(scope) for scope in scopes]
    assert tallied == grouped
    assert any(money for money, _provinces, _points in tallied)


def test_the_chart_reads_the_tallies_where_they_answer(demo):
    """A tally changed behind the services' back shows for province and national users (so
    the tallies are read), not for a district officer or on a date (grouped live)."""
    from django.db.models import F

    from khuyencong.projects.models import PlanTally

    national = figures.Scope(user=demo.users["quocgia"], year=2018)
    district = figures.Scope(user=demo.users["huyen"], year=2018)
    dated = figures.Scope(user=demo.users["canbo"], year=2018, as_of=datetime.date(2018, 12, 31))
    before = {scope: _by_year(scope) for scope in (national, district, dated)}
    PlanTally.objects.filter(projects__gt=0).update(projects=F("projects") + 1)
    tallied = PlanTally.objects.filter(projects__gt=0).count()
    assert _by_year(national)[0][1] == before[national][0][1] + tallied
    assert _by_year(district) == before[district]
    assert _by_year(dated) == before[dated]
    project_services.refresh_all_tallies()  # what every migrate does: the tallies heal
    assert _by_year(national) == before[national]


def test_the_tallies_follow_a_new_project_a_move_to_another_plan_and_archiving(demo):
    from tests.projects.factories import make_plan

    canbo = demo.users["canbo"]
    scope = figures.Scope(user=canbo, year=2018)
    project = _add_project("BK-KCDP-2018-T1", "Đề án thử", 7_000_000)
    assert _by_year(scope) == _grouped_by_year(scope)
    later = make_plan(year=2021, unit=demo.province)
    project_services.update_project(
        project=project, actor=project_services.SYSTEM, expected_version=project.version,
        plan=later,
    )  # fmt: skip
    years = _by_year(scope)
    assert years == _grouped_by_year(scope)
    assert [year for year, *_rest in years] == [2018, 2021]
    project.refresh_from_db()
    project_services.archive_project(
        project=project, actor=project_services.SYSTEM, expected_version=project.version
    )
    assert _by_year(scope) == _grouped_by_year(scope)
    assert [year for year, *_rest in _by_year(scope)] == [2018]


def test_states_and_tallies_rewritten_in_chunks_equal_the_whole(demo, monkeypatch):
    """Large loads go through ``refresh_states`` a chunk at a time (SQLite takes at most
    32,766 query parameters; a national data set must fit in memory): chunk by chunk, the
    projects' states and the plans' tallies come out the same."""
    from khuyencong.projects import states
    from khuyencong.projects.models import PlanTally, StatePeriod

    def tallies():
        return sorted(PlanTally.objects.values_list("plan_id", "province_id", "projects",
                                                    "allocated", "disbursed"))  # fmt: skip

    def periods():
        return sorted(StatePeriod.objects.values_list("project_id", "valid_from", "valid_to",
                                                      "status", "phase", "allocated"))  # fmt: skip

    whole, written = tallies(), periods()
    PlanTally.objects.update(projects=0, allocated=0, disbursed=0)
    StatePeriod.objects.all().delete()
    monkeypatch.setattr(states, "CHUNK", 2)
    monkeypatch.setattr(project_services, "TALLY_CHUNK", 2)
    ids = list(Project.objects.values_list("pk", flat=True))
    assert project_services.refresh_states(ids) == len(ids) == 13
    assert tallies() == whole and whole[0][2] > 0
    assert periods() == written
