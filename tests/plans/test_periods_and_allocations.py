"""Issue 19 on the plan pages: a province (not the demo's) with a three-year local plan and a
supplementary plan beside its main plan, each decision shown as a dated row with its issuer;
a national plan with two allocation batches (đợt) and the projects of each; the refusals in
the services' Vietnamese words; the plan page's query count whatever its number of batches.
The same refusals through the API: tests/api/test_plan_periods.py (same texts)."""

from __future__ import annotations

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from khuyencong.accounts.models import Role
from khuyencong.places.models import AdminUnit
from khuyencong.plans.models import Allocation, Plan, PlanKind, PlanStatus
from khuyencong.projects import plan_services
from khuyencong.projects.services import SYSTEM
from tests.projects.factories import make_plan, make_project, source, user

pytestmark = pytest.mark.django_db
BACKEND = "django.contrib.auth.backends.ModelBackend"
D = datetime.date

# The services' refusals, as the form and the API both say them
PERIOD_TOO_LONG = "Thời kỳ của kế hoạch kết thúc trong năm đầu hoặc tối đa chín năm sau đó."
NOT_NATIONAL = "Chỉ kế hoạch khuyến công quốc gia mới có các đợt giao bằng công văn."
BATCH_TWICE = "Đợt 1 của kế hoạch này đã được ghi nhận."
NEGATIVE = "Số tiền không thể âm."


def second_main(province_name: str, year: int) -> str:
    return (
        f"{province_name} đã có kế hoạch chính năm {year} cho nguồn kinh phí này: hãy ghi kế "
        "hoạch này là kế hoạch bổ sung."
    )


def thai_nguyen() -> AdminUnit:
    return AdminUnit.objects.provinces().get(era="legacy", name="Tỉnh Thái Nguyên")


def login(client, role, **kwargs):
    client.force_login(user(role, **kwargs), backend=BACKEND)


def plan_data(province: AdminUnit, **extra) -> dict:
    return {
        "province": province.pk,
        "year": 2022,
        "end_year": 2024,
        "kind": "main",
        "funding_source": source("local").pk,
        "title": "Kế hoạch khuyến công địa phương giai đoạn 2022 – 2024",
        "ceiling": "4,5 tỷ",
        "approving_authority": "UBND tỉnh Thái Nguyên",
        "notes": "",
        **extra,
    }


def test_a_three_year_plan_and_a_supplementary_plan_of_another_province(client):
    province = thai_nguyen()
    login(client, Role.CENTRE_STAFF, province=province)
    create = reverse("plans:create")

    too_long = client.post(create, plan_data(province, end_year=2032))
    assert too_long.context["form"].errors["end_year"] == [PERIOD_TOO_LONG]
    assert not Plan.objects.filter(province=province).exists()

    assert client.post(create, plan_data(province)).status_code == 302
    main = Plan.objects.get(province=province)
    assert (main.year, main.end_year, main.kind) == (2022, 2024, PlanKind.MAIN)
    assert main.period_text == "giai đoạn 2022 – 2024"

    again = client.post(create, plan_data(province, title="Kế hoạch thứ hai"))
    assert again.context["form"].errors["year"] == [second_main(province.name, 2022)]
    supplementary = plan_data(
        province, end_year="", kind="supplementary", title="Kế hoạch bổ sung năm 2022"
    )
    assert client.post(create, {**supplementary, "ceiling": "600 triệu"}).status_code == 302
    extra = Plan.objects.get(province=province, kind=PlanKind.SUPPLEMENTARY)
    assert (extra.year, extra.end_year) == (2022, 2022)  # one year by default

    # the approval and a later decision, each with its issuer, as dated rows
    login(client, Role.DEPARTMENT_LEADER, province=province)
    main.refresh_from_db()
    plan_services.submit_plan(plan=main, actor=SYSTEM)
    approve = {
        "decision_number": "3127/QĐ-UBND",
        "decision_date": "2021-12-24",
        "approving_authority": "UBND tỉnh Thái Nguyên",
        "ceiling": "4.500.000.000",
        "expected_version": main.version,
    }
    assert client.post(reverse("plans:approve", args=[main.pk]), approve).status_code == 302
    main.refresh_from_db()
    adjust = {
        "kind": "supplement",
        "ceiling": "5.100.000.000",
        "decision_number": "1450/QĐ-UBND",
        "decision_date": "2023-07-14",
        "issuer": "Chủ tịch UBND tỉnh Thái Nguyên",
        "reason": "Bổ sung kinh phí năm 2023",
        "expected_version": main.version,
    }
    assert client.post(reverse("plans:add_version", args=[main.pk]), adjust).status_code == 302
    page = client.get(reverse("plans:detail", args=[main.pk]))
    html = page.content.decode()
    assert "Giai đoạn 2022 – 2024" in html and "Kế hoạch chính" in html
    rows = {v.number: v for v in page.context["versions"]}
    assert (rows[1].decision_number, rows[1].decision_date, rows[1].issuer) == (
        "3127/QĐ-UBND",
        D(2021, 12, 24),
        "UBND tỉnh Thái Nguyên",
    )
    assert (rows[2].decision_number, rows[2].issuer, rows[2].ceiling) == (
        "1450/QĐ-UBND",
        "Chủ tịch UBND tỉnh Thái Nguyên",
        5_100_000_000,
    )
    for text in ("1450/QĐ-UBND", "14/07/2023", "Chủ tịch UBND tỉnh Thái Nguyên", "Bổ sung"):
        assert text in html
    assert page.context["allocations"] is None  # a local plan has no batches
    assert "allocate" not in {a.key for a in page.context["actions"]["buttons"]}

    # the list: a year inside the period finds the three-year plan, with its period and kind
    listing = client.get(reverse("plans:list"), {"year": 2023})
    assert [plan for plan, _figures in listing.context["rows"]] == [main]
    assert "2022 – 2024" in listing.content.decode()
    both = client.get(reverse("plans:list"), {"year": 2022})
    assert {plan for plan, _figures in both.context["rows"]} == {main, extra}
    assert [p for p, _f in client.get(reverse("plans:list"), {"year": 2025}).context["rows"]] == []
    kinds = client.get(reverse("plans:list"), {"year": 2022, "kind": "supplementary"})
    assert [plan for plan, _figures in kinds.context["rows"]] == [extra]
    export = client.get(reverse("plans:list"), {"year": 2023, "export": "xlsx"})
    header, *rows = load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True)
    assert header[:5] == ("Năm", "Đến năm", "Tỉnh", "Nguồn kinh phí", "Loại kế hoạch")
    assert [row[:2] + row[4:5] for row in rows] == [(2022, 2024, "Kế hoạch chính")]


def test_the_period_and_kind_are_edited_before_approval_only(client):
    province = thai_nguyen()
    login(client, Role.CENTRE_STAFF, province=province)
    client.post(reverse("plans:create"), plan_data(province, end_year=""))
    plan = Plan.objects.get(province=province)
    url = reverse("plans:edit", args=[plan.pk])
    data = {
        "title": plan.title,
        "end_year": 2023,
        "kind": "main",
        "approving_authority": "",
        "notes": "",
        "expected_version": plan.version,
    }
    assert client.post(url, data).status_code == 302
    plan.refresh_from_db()
    assert plan.end_year == 2023
    long = client.post(url, {**data, "end_year": 2035, "expected_version": plan.version})
    assert long.context["form"].errors["end_year"] == [PERIOD_TOO_LONG]
    plan_services.approve_plan(
        plan=plan, actor=SYSTEM, decision_number="1/QĐ-UBND", decision_date=D(2022, 1, 5)
    )
    plan.refresh_from_db()
    form = client.get(url).context["form"]
    assert "end_year" not in form.fields and "kind" not in form.fields
    with pytest.raises(plan_services.Refused):
        plan_services.update_plan(
            plan=plan, actor=SYSTEM, expected_version=plan.version, end_year=2024
        )


@pytest.fixture
def national_plan():
    return make_plan(source_code="national", ceiling=1_500_000_000, year=2023)


def batch_data(**extra) -> dict:
    return {
        "batch": 1,
        "document_kind": "letter",
        "document_number": "412/CCT-KCXTTM",
        "document_date": "2023-03-20",
        "issuer": "Cục Công Thương địa phương",
        "amount": "900 triệu",
        "notes": "",
        **extra,
    }


def test_a_national_plan_with_two_batches(client, national_plan):
    plan = national_plan
    login(client, Role.DEPARTMENT_LEADER)
    page = client.get(reverse("plans:detail", args=[plan.pk]))
    [allocate] = [a for a in page.context["actions"]["buttons"] if a.key == "allocate"]
    assert not allocate.decision.allowed  # the national agency records the batches
    assert "Cán bộ Cục (trung ương)" in allocate.decision.reason
    assert allocate.decision.reason in page.content.decode()
    assert client.get(reverse("plans:allocate", args=[plan.pk])).status_code == 403

    login(client, Role.NATIONAL_AGENCY)
    url = reverse("plans:allocate", args=[plan.pk])
    assert client.get(url).context["form"]["batch"].value() == 1
    assert client.post(url, batch_data()).status_code == 302
    twice = client.post(url, batch_data(document_number="413/CCT-KCXTTM"))
    assert twice.context["form"].errors["batch"] == [BATCH_TWICE]
    negative = client.post(url, batch_data(batch=2, amount="-5.000.000"))
    assert negative.context["form"].errors["amount"] == [NEGATIVE]
    assert client.get(url).context["form"]["batch"].value() == 2
    second = batch_data(
        batch=2,
        document_kind="decision",
        document_number="1023/QĐ-BCT",
        document_date="2023-08-02",
        issuer="Bộ Công Thương",
        amount="600.000.000",
    )
    assert client.post(url, second).status_code == 302
    first, last = plan.allocations.order_by("batch")
    assert (first.amount, last.amount, last.document_kind) == (
        900_000_000,
        600_000_000,
        "decision",
    )

    for budget in (300_000_000, 250_000_000):
        make_project(plan, budget=budget, allocation=first, registered_on=D(2023, 3, 25))
    make_project(plan, budget=400_000_000, allocation=last, registered_on=D(2023, 8, 5))
    page = client.get(reverse("plans:detail", args=[plan.pk]))
    rows = [
        (r.allocation.batch, r.project_count, r.project_money) for r in page.context["allocations"]
    ]
    assert rows == [(1, 2, 550_000_000), (2, 1, 400_000_000)]
    html = page.content.decode()
    for text in ("Đợt 1", "412/CCT-KCXTTM", "20/03/2023", "Cục Công Thương địa phương"):
        assert text in html
    assert "1023/QĐ-BCT" in html and "550.000.000 đ" in html


def test_a_local_plan_takes_no_batch(client):
    plan = make_plan(source_code="local", year=2023)
    login(client, Role.DEPARTMENT_LEADER)
    url = reverse("plans:allocate", args=[plan.pk])
    page = client.get(url)
    assert page.context["problem"] == NOT_NATIONAL and NOT_NATIONAL in page.content.decode()
    response = client.post(url, batch_data())
    assert response.context["form"].non_field_errors() == [NOT_NATIONAL]
    assert not Allocation.objects.filter(plan=plan).exists()


def test_the_plan_page_reads_its_batches_in_constant_queries(client, national_plan):
    plan = national_plan
    login(client, Role.NATIONAL_AGENCY)
    url = reverse("plans:detail", args=[plan.pk])

    def add_batch(number: int) -> None:
        allocation = plan_services.record_allocation(
            plan=plan,
            actor=SYSTEM,
            batch=number,
            document_number=f"{number}/CCT",
            document_date=D(2023, 2, number),
            issuer="Cục Công Thương địa phương",
            amount=100_000_000,
        )
        make_project(plan, budget=50_000_000, allocation=allocation, registered_on=D(2023, 3, 1))

    add_batch(1)
    client.get(url)  # warm the caches (session, site, catalogs)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for number in range(2, 6):
        add_batch(number)
    with CaptureQueriesContext(connection) as five:
        page = client.get(url)
    assert len(page.context["allocations"]) == 5
    assert len(five) == len(one), [q["sql"] for q in five.captured_queries]


def test_the_admin_shows_plans_and_batches_read_only(admin_client, national_plan):
    allocation = plan_services.record_allocation(
        plan=national_plan,
        actor=SYSTEM,
        batch=1,
        document_number="9/CCT",
        document_date=D(2023, 2, 1),
        issuer="Cục Công Thương địa phương",
        amount=100_000_000,
    )
    listing = admin_client.get(reverse("admin:plans_plan_changelist"))
    assert listing.status_code == 200
    assert "end_year" in listing.context["cl"].list_display
    assert "kind" in listing.context["cl"].list_display
    assert admin_client.get(reverse("admin:plans_allocation_add")).status_code == 403
    url = reverse("admin:plans_allocation_change", args=[allocation.pk])
    admin_client.post(url, {"amount": "1", "batch": "7", "_save": "Save"})
    allocation.refresh_from_db()
    assert (allocation.amount, allocation.batch) == (100_000_000, 1)
    change = reverse("admin:plans_plan_change", args=[national_plan.pk])
    assert admin_client.get(change).status_code == 200
    assert national_plan.status == PlanStatus.APPROVED
