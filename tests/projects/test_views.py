"""Read-only pages: plan list/detail and project list/detail, as of a date; downloads."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from khuyencong.accounts.models import Role
from khuyencong.demo.projects import load_bac_kan_2018_projects
from khuyencong.plans.models import Plan
from khuyencong.projects import services
from khuyencong.projects.models import Project, Status

from .factories import make_plan, make_project, user, walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    load_bac_kan_2018_projects()


@pytest.fixture
def centre_client(client):
    client.force_login(user(Role.CENTRE_STAFF), backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_pages_need_a_login(client):
    assert client.get(reverse("projects:list")).status_code == 302
    assert client.get(reverse("plans:list")).status_code == 302


def test_project_list_as_of_30_june_shows_the_seed_statuses(demo, centre_client):
    response = centre_client.get(reverse("projects:list"), {"year": 2018, "as_of": "2018-06-30"})
    assert response.status_code == 200
    rows = {project.code: state for project, state in response.context["rows"]}
    assert len(rows) == 13
    assert rows["BK-KCQG-2018-03"].status == Status.STOP_REQUESTED
    assert rows["BK-KCDP-2018-06"].progress_percent == 50
    html = response.content.decode()
    assert 'data-status="stop_requested"' in html and "BK-KCDP-2018-10" in html


def test_project_list_filters_search_sort_and_htmx_partial(demo, centre_client):
    url = reverse("projects:list")
    response = centre_client.get(url, {"q": "bao bi", "as_of": "2018-06-30"})
    assert [p.code for p, _s in response.context["rows"]] == ["BK-KCDP-2018-05"]
    response = centre_client.get(url, {"phase": "not_started", "as_of": "2018-06-30"})
    assert {p.code for p, _s in response.context["rows"]} == {
        "BK-KCDP-2018-09",
        "BK-KCDP-2018-10",
        "BK-KCQG-2018-02",
    }
    response = centre_client.get(url, {"funding_source": "national", "order": "-budget"})
    assert response.context["rows"][0][0].code == "BK-KCQG-2018-01"
    partial = centre_client.get(url, {"q": "tre"}, headers={"HX-Request": "true"})
    body = partial.content.decode()
    assert "BK-KCQG-2018-03" in body and "<html" not in body
    bad = centre_client.get(url, {"as_of": "not-a-date"})
    assert bad.status_code == 200  # an invalid filter is ignored, with its error shown


def test_project_list_queries_do_not_grow_with_rows(centre_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small, large = make_plan(ceiling=10**12), make_plan(ceiling=10**12)
    for _ in range(5):
        make_project(small, budget=1_000_000)
    for _ in range(50):
        make_project(large, budget=1_000_000)
    centre_client.get(reverse("projects:list"))  # the filter's choice lists kept (core.choices)
    counts = []
    for plan in (small, large):
        with CaptureQueriesContext(connection) as captured:
            response = centre_client.get(reverse("projects:list"), {"year": plan.year})
        assert response.status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
    assert len(response.context["rows"]) == 25  # paginated on the database


def test_project_page_shows_state_timeline_and_plan_money_as_of(demo, centre_client):
    project = Project.objects.get(code="BK-KCQG-2018-01")
    url = reverse("projects:detail", args=[project.pk])
    june = centre_client.get(url, {"as_of": "2018-06-30"})
    assert june.context["state"].status == Status.IN_PROGRESS
    assert june.context["plan_figures"].allocated == 600_000_000
    later = [entry for entry in june.context["timeline"] if entry.later]
    assert later and all(entry.day > datetime.date(2018, 6, 30) for entry in later)
    now = centre_client.get(url)
    assert now.context["state"].status == Status.SETTLED
    assert "250.000.000 đ" in now.content.decode()


def test_project_page_is_404_outside_the_user_scope(demo, client):
    project = Project.objects.get(code="BK-KCDP-2018-08")
    own = project.beneficiary
    client.force_login(user(Role.BENEFICIARY, beneficiary=own))
    assert client.get(reverse("projects:detail", args=[project.pk])).status_code == 200
    other = Project.objects.get(code="BK-KCDP-2018-06")
    assert client.get(reverse("projects:detail", args=[other.pk])).status_code == 404


def test_plan_list_and_detail_as_of(demo, centre_client):
    response = centre_client.get(reverse("plans:list"), {"year": 2018})
    assert len(response.context["rows"]) == 2
    national = Plan.objects.get(year=2018, funding_source__code="national")
    detail = centre_client.get(reverse("plans:detail", args=[national.pk]), {"as_of": "2018-06-30"})
    figures = detail.context["figures"]
    assert (figures.ceiling, figures.allocated, figures.free) == (600_000_000, 600_000_000, 0)
    html = detail.content.decode()
    assert 'data-figure="ceiling">600.000.000 đ' in html
    year_end = centre_client.get(reverse("plans:detail", args=[national.pk]))
    assert year_end.context["figures"].free == 150_000_000


def test_documents_download_for_those_who_see_the_project(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    project = make_project()
    walk(project, Status.APPROVED)
    document = services.add_document(
        project=project,
        actor=services.SYSTEM,
        doc_type="decision",
        title="Quyết định phê duyệt",
        file=SimpleUploadedFile("Quyết định.pdf", b"%PDF-1.4 test"),
    )
    url = reverse("projects:document_download", args=[document.pk])
    client.force_login(user(Role.CENTRE_STAFF))
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"
    assert "attachment" in response["Content-Disposition"]
    client.force_login(user(Role.BENEFICIARY))
    assert client.get(url).status_code == 404


def test_project_list_filters_by_district_content_group_kind_and_status_as_of(demo, centre_client):
    from khuyencong.catalog.models import ContentArea
    from khuyencong.demo.projects import ensure_admin_units

    url = reverse("projects:list")
    na_ri = ensure_admin_units()["066"]
    rows = centre_client.get(url, {"district": na_ri.pk}).context["rows"]
    assert {p.code for p, _s in rows} == {"BK-KCQG-2018-02", "BK-KCDP-2018-06", "BK-KCDP-2018-08"}
    group = ContentArea.objects.get(code="art4_9")  # a group finds its items
    rows = centre_client.get(url, {"content_area": group.pk}).context["rows"]
    assert {p.code for p, _s in rows} == {"BK-KCDP-2018-02", "BK-KCDP-2018-09", "BK-KCDP-2018-10"}
    rows = centre_client.get(url, {"beneficiary_kind": "household"}).context["rows"]
    assert {p.code for p, _s in rows} == {"BK-KCDP-2018-06", "BK-KCDP-2018-08"}
    june = {"status": "stop_requested", "as_of": "2018-06-30"}
    rows = centre_client.get(url, june).context["rows"]
    assert {p.code for p, _s in rows} == {"BK-KCQG-2018-03", "BK-KCDP-2018-07", "BK-KCDP-2018-08"}
    rows = centre_client.get(url, {"status": "stop_requested"}).context["rows"]
    assert {p.code for p, _s in rows} == {"BK-KCDP-2018-08"}  # today the others are stopped
    rows = centre_client.get(url, {"order": "-progress", "as_of": "2018-06-30"}).context["rows"]
    assert [s.progress_percent for _p, s in rows] == sorted(
        (s.progress_percent for _p, s in rows), reverse=True
    )


def test_project_list_paginates_on_the_database_with_a_constant_query_count(
    centre_client, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from khuyencong.beneficiaries.models import Beneficiary
    from khuyencong.catalog.models import BeneficiaryKind

    from .factories import units

    kind = BeneficiaryKind.objects.get(code="household")
    plan = make_plan(ceiling=10**12)

    def add(count):
        for index in range(count):
            owner = Beneficiary.objects.create(
                kind=kind, name=f"HKD {index}", commune=units()["02152"]
            )
            project = make_project(plan, budget=1_000_000, beneficiary=owner)
            if index % 2:
                walk(project, Status.IN_PROGRESS)
            if index % 3 == 0:
                services.create_inspection(
                    project=project,
                    actor=services.SYSTEM,
                    planned_date=datetime.date(plan.year, 3, 1),
                    follow_up_status="open",
                    follow_up_deadline=datetime.date(plan.year, 4, 1),
                )

    url = reverse("projects:list")
    # the filter's choice lists kept (core.choices): their key is the query's pickled state,
    # which changes once when Django first compiles a query sharing its parts, so a fresh
    # process reads each list twice before it keeps it
    centre_client.get(url)
    centre_client.get(url)
    counts = []
    for count in (3, 40):
        add(count)
        with CaptureQueriesContext(connection) as first:
            centre_client.get(url, {"year": plan.year, "order": "-budget"})
        with CaptureQueriesContext(connection) as captured:
            response = centre_client.get(url, {"year": plan.year, "order": "-budget"})
        assert len(first) == len(captured)  # the rows' places and sources joined, not kept
        counts.append(len(captured))
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(counts[1]):
        page2 = centre_client.get(url, {"year": plan.year, "page": 2})
    assert len(response.context["rows"]) == 25
    assert len(page2.context["rows"]) == 18  # 43 in all
    assert response.context["paginator"].count == 43
    # session, user, province family, count, page, then one per filter choice list
    assert counts[1] <= 11
    national = user(Role.NATIONAL_AGENCY)
    centre_client.force_login(national, backend="django.contrib.auth.backends.ModelBackend")
    with django_assert_max_num_queries(11):  # every district in the country in the filter
        response = centre_client.get(url, {"year": plan.year})
    assert len(response.context["filter"].form.fields["district"].queryset) > 600


def test_project_and_plan_pages_run_the_same_queries_whatever_the_history(
    centre_client, settings, tmp_path
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.MEDIA_ROOT = tmp_path
    plan = make_plan(ceiling=10**12)

    def history(length):
        project = make_project(plan, budget=100_000_000)
        day = walk(project, Status.IN_PROGRESS)
        for percent in range(31, 31 + length):
            day += datetime.timedelta(days=1)
            update = services.record_progress(
                project=project, actor=services.SYSTEM, date=day, progress_percent=percent
            )
            services.add_document(
                project=project,
                actor=services.SYSTEM,
                doc_type="other",
                title=f"Ảnh {percent}",
                file=SimpleUploadedFile("anh.pdf", b"%PDF-1.4"),
                progress_update=update,
            )
            services.create_inspection(
                project=project, actor=services.SYSTEM, planned_date=day, team="Đoàn"
            )
        return project

    counts = {}
    for length in (1, 12):
        project = history(length)
        url = reverse("projects:detail", args=[project.pk])
        with CaptureQueriesContext(connection) as first:
            centre_client.get(url)
        with CaptureQueriesContext(connection) as project_page:
            response = centre_client.get(url)
        assert len(first) == len(project_page)  # reference records joined, never kept
        assert len(response.context["timeline"]) == 7 + length  # 6 events, 30 %, the updates
        with CaptureQueriesContext(connection) as plan_page:
            centre_client.get(reverse("plans:detail", args=[plan.pk]))
        counts[length] = (len(project_page), len(plan_page))
    assert counts[1] == counts[12]
    # session, user, the user's province family, the project, its place's units (a query of
    # their own: fewer tables joined to plan), inspections, events, progress (its state on the
    # day replayed from them: no query of its own), documents, the plan's ceiling and tallies,
    # the province's procedure in force (who may record the next steps: projects.procedure)
    assert counts[12][0] <= 13 and counts[12][1] <= 9


@pytest.mark.parametrize("order", ["code", "title", "status", "-progress", "-budget", "place"])
def test_project_list_pages_keep_the_list_order(centre_client, order):
    """The page reads its rows' ids in the list's order, then those rows (``paginate_queryset``):
    every page shows the rows the ordered list has there, in that order, each once."""
    from khuyencong.projects.selectors import project_list

    plan = make_plan(ceiling=10**12)
    for index in range(30):
        project = make_project(
            plan, budget=1_000_000 * (index % 7 + 1), title=f"Đề án {(index * 11) % 30:02d}"
        )
        if index % 3 == 0:
            walk(project, Status.IN_PROGRESS)
    expected = [
        p.code
        for p in project_list(user=user(Role.NATIONAL_AGENCY), filters={"year": plan.year},
                              order=order)
    ]  # fmt: skip
    shown = []
    for page in (1, 2):
        response = centre_client.get(
            reverse("projects:list"), {"year": plan.year, "order": order, "page": page}
        )
        shown += [p.code for p, _state in response.context["rows"]]
    assert shown == expected and len(shown) == 30
