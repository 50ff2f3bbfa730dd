"""The one export path: the page's filters and scope, Vietnamese headers, VND numbers,
dates as dates, frozen header, autofilter."""

from __future__ import annotations

import datetime
import io

from openpyxl import load_workbook

from khuyencong.accounts.models import Role
from khuyencong.beneficiaries.models import Beneficiary
from khuyencong.catalog.models import BeneficiaryKind
from khuyencong.documents.export import export_queryset
from khuyencong.documents.xlsx import VND_FORMAT
from khuyencong.projects.columns import PROJECT_EXPORT
from khuyencong.projects.kinds import with_member_count
from khuyencong.projects.models import Status
from khuyencong.projects.selectors import project_list
from tests.beneficiaries.factories import CommuneFactory
from tests.projects import factories as pf

LOGIN = "django.contrib.auth.backends.ModelBackend"


def test_the_beneficiary_list_exports_what_the_page_filters(client, staff, units):
    household = BeneficiaryKind.objects.get(code="household")
    coop = BeneficiaryKind.objects.get(code="cooperative")
    Beneficiary.objects.create(kind=household, name="Hộ A", commune=units["02152"])
    Beneficiary.objects.create(
        kind=coop, name="HTX B", tax_code="4700123452", commune=units["02152"]
    )
    Beneficiary.objects.create(kind=household, name="Hộ ngoài tỉnh", commune=CommuneFactory())
    client.force_login(staff, backend=LOGIN)
    page = client.get("/beneficiaries/", {"kind": household.pk}).content.decode()
    assert "export=xlsx" in page and "Xuất Excel" in page
    response = client.get("/beneficiaries/", {"kind": household.pk, "export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Tên cơ sở", "Loại hình", "Mã số thuế")
    assert [row[0] for row in rows[1:]] == ["Hộ A"]  # filtered and scoped
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:M2"
    assert isinstance(rows[1][-1], datetime.datetime)  # a date cell, not text


def test_project_export_has_money_as_vnd_numbers(db):
    plan = pf.make_plan(source_code="local", ceiling=500_000_000, year=2018)
    project = pf.make_project(plan, budget=120_000_000)
    pf.walk(project, Status.IN_PROGRESS, datetime.date(2018, 1, 10))
    admin = pf.user(Role.SYSTEM_ADMIN)
    rows = with_member_count(project_list(user=admin, filters={"year": 2018}), None)
    data = export_queryset(rows, PROJECT_EXPORT, title="Đề án")
    sheet = load_workbook(io.BytesIO(data)).active
    header = [cell.value for cell in sheet[1]]
    assert header[0] == "Mã đề án" and "Kinh phí KCĐP (đồng)" in header
    money = sheet.cell(row=2, column=header.index("Kinh phí KCĐP (đồng)") + 1)
    assert money.value == 120_000_000 and money.number_format == VND_FORMAT
    assert sheet.cell(row=2, column=header.index("Tình trạng") + 1).value == "Đang thực hiện"
    assert sheet.cell(row=1, column=1).font.bold


def test_the_project_and_plan_lists_export_their_filtered_rows(client, db):
    plan = pf.make_plan(source_code="local", ceiling=500_000_000, year=2018)
    pf.make_project(plan, code="X-1", budget=10_000_000)
    pf.make_project(plan, code="X-2", budget=20_000_000)
    client.force_login(pf.user(Role.SYSTEM_ADMIN), backend=LOGIN)
    page = client.get("/projects/", {"q": "X-2"}).content.decode()
    assert "export=xlsx" in page
    response = client.get("/projects/", {"q": "X-2", "export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == ["X-2"]
    plans = client.get("/plans/", {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(plans.content)).active
    assert sheet.cell(row=1, column=1).value == "Năm"
    assert sheet.max_row >= 2


def test_the_registration_list_exports_its_rows(client, db):
    from tests.registrations import factories as rf

    made = rf.registration()
    client.force_login(rf.user(Role.CENTRE_STAFF), backend=LOGIN)
    assert "export=xlsx" in client.get("/registrations/").content.decode()
    response = client.get("/registrations/", {"export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "Mã đăng ký"
    assert [row[0] for row in rows[1:]] == [made.code]
    from django.utils import translation

    from khuyencong.registrations.models import Status as RegistrationStatus

    with translation.override("vi"):
        assert rows[1][-1] == str(RegistrationStatus.DRAFT.label)
