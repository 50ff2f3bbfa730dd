"""The beneficiary page's support history (dashboard/support_history.py, a panel of the
beneficiary page): registrations, projects by year and funding source with amounts,
certificates, events attended, and the double-support warning (projects/support.py)."""

from __future__ import annotations

import datetime

import lxml.html
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from khuyencong.accounts.models import Role
from khuyencong.events.models import Participant, ParticipantKind
from khuyencong.projects import support
from khuyencong.projects.models import Project
from tests.events.factories import event
from tests.projects.factories import content_area, make_plan, make_project
from tests.registrations import factories as reg

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def establishment():
    return reg.beneficiary(name="HTX Cơ khí Thử Hai Nguồn")


def project_for(owner, *, source_code, year, area="machinery", budget=100_000_000, code=None):
    plan = make_plan(source_code=source_code, year=year, ceiling=10**10)
    return make_project(
        plan,
        beneficiary=owner,
        place=owner.commune,
        content_area=content_area(area),
        budget=budget,
        code=code or f"TH-{source_code}-{year}-{area}",
    )


def page(client, viewer, owner):
    client.force_login(viewer, backend="django.contrib.auth.backends.ModelBackend")
    client.cookies["django_language"] = "vi"
    response = client.get(reverse("beneficiaries:detail", args=[owner.pk]))
    assert response.status_code == 200
    return response, lxml.html.fromstring(response.content)


def test_national_and_local_support_of_the_same_content_in_the_same_year_is_warned(establishment):
    national = project_for(establishment, source_code="national", year=2019)
    local = project_for(establishment, source_code="local", year=2019, budget=50_000_000)
    items = support.beneficiary_supports(establishment)
    assert {item.project.pk for item in items} == {national.pk, local.pk}
    assert sorted(item.amount for item in items) == [50_000_000, 100_000_000]
    warnings = support.double_supports(items)
    assert len(warnings) == 1
    assert {warnings[0].first.project.pk, warnings[0].second.project.pk} == {national.pk, local.pk}
    assert "national" in warnings[0].message and not warnings[0].confirmed


def test_other_content_or_other_years_are_not_double_support(establishment):
    project_for(establishment, source_code="local", year=2019)
    project_for(establishment, source_code="local", year=2016)  # years apart
    project_for(establishment, source_code="national", year=2019, area="trade_fair")
    assert support.double_supports(support.beneficiary_supports(establishment)) == []


def test_a_stopped_or_archived_project_is_not_counted(establishment):
    project_for(establishment, source_code="local", year=2019)
    second = project_for(establishment, source_code="national", year=2019)
    Project.objects.filter(pk=second.pk).update(status="stopped")
    assert support.double_supports(support.beneficiary_supports(establishment)) == []
    Project.objects.filter(pk=second.pk).update(
        status="registered", archived_at=datetime.datetime(2019, 5, 1, tzinfo=datetime.UTC)
    )
    assert len(support.beneficiary_supports(establishment)) == 1


def test_the_page_lists_the_whole_history_and_warns(
    client, establishment, django_assert_max_num_queries
):
    project_for(establishment, source_code="national", year=2019, code="TH-QG-2019")
    project_for(establishment, source_code="local", year=2019, code="TH-DP-2019")
    registration = reg.registration(beneficiary=establishment)
    fair = event(
        kind="trade_fair",
        title="Hội chợ hàng CNNT Thử 2019",
        start_date=D(2019, 10, 2),
        end_date=D(2019, 10, 5),
    )
    Participant.objects.create(
        event=fair,
        kind=ParticipantKind.ESTABLISHMENT,
        beneficiary=establishment,
        name=establishment.name,
        has_booth=True,
    )
    staff = reg.user(Role.CENTRE_STAFF)
    client.force_login(staff, backend="django.contrib.auth.backends.ModelBackend")
    client.get(reverse("beneficiaries:detail", args=[establishment.pk]))  # warm the caches
    with django_assert_max_num_queries(30):
        _response, html = page(client, staff, establishment)
    rows = html.xpath("//table[@id='support-projects']/tbody/tr")
    assert [row.get("data-project") for row in rows] == ["TH-DP-2019", "TH-QG-2019"]
    assert "2019" in rows[0].text_content()
    total = html.xpath("//table[@id='support-projects']/tfoot")[0].text_content()
    assert "200.000.000" in total
    warnings = html.xpath("//div[contains(@class, 'double-support')]")
    assert len(warnings) == 1
    assert "TH-QG-2019" in warnings[0].text_content() and "TH-DP-2019" in warnings[0].text_content()
    registrations = html.xpath("//ul[@id='support-registrations']")[0].text_content()
    assert registration.code in registrations
    assert "năm kế hoạch 2019" in registrations  # a year, not a number grouped "2.019"
    attended = html.xpath("//ul[@id='support-events']")[0].text_content()
    assert "Hội chợ hàng CNNT Thử 2019" in attended and "02/10/2019" in attended


def test_the_query_count_does_not_grow_with_the_history(client, establishment):
    staff = reg.user(Role.CENTRE_STAFF)
    project_for(establishment, source_code="local", year=2015, code="TH-2015")
    page(client, staff, establishment)
    with CaptureQueriesContext(connection) as one:
        page(client, staff, establishment)
    for year in range(2016, 2021):
        project_for(establishment, source_code="local", year=year, code=f"TH-{year}")
    page(client, staff, establishment)
    with CaptureQueriesContext(connection) as six:
        _response, html = page(client, staff, establishment)
    assert len(html.xpath("//table[@id='support-projects']/tbody/tr")) == 6
    assert len(six.captured_queries) == len(one.captured_queries)


def test_the_establishment_sees_its_projects_but_not_the_events_part(client, establishment):
    project_for(establishment, source_code="local", year=2019, code="TH-OWN")
    fair = event(kind="trade_fair", title="Hội chợ Thử Riêng")
    Participant.objects.create(
        event=fair, kind=ParticipantKind.ESTABLISHMENT, beneficiary=establishment, name="x"
    )
    own = reg.user(Role.BENEFICIARY, beneficiary=establishment)
    _response, html = page(client, own, establishment)
    assert html.xpath("//tr[@data-project='TH-OWN']")
    assert not html.xpath("//ul[@id='support-events']")  # events are the staff's


def test_nothing_recorded_says_so(client, establishment):
    _response, html = page(client, reg.user(Role.CENTRE_STAFF), establishment)
    assert html.xpath("//p[@id='support-history-empty']")
