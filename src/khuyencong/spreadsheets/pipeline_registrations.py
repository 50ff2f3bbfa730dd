"""Registration import (đăng ký đề án): each row becomes a draft registration through
registrations/services.create_registration (same rules as the form: place in the
beneficiary's province, content not a group, support requested from the chosen source,
the eligibility input rules). The check creates them in a transaction and rolls it back."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from khuyencong.accounts import roles
from khuyencong.accounts.models import Organisation
from khuyencong.beneficiaries import taxcode
from khuyencong.beneficiaries.models import Beneficiary
from khuyencong.catalog.models import ContentArea, FundingSource, Industry
from khuyencong.core.text import compact, normalize
from khuyencong.documents.xlsx_reader import Column, as_text
from khuyencong.places.models import AdminUnit
from khuyencong.projects.lifecycle import Refused
from khuyencong.spreadsheets.addresses import Candidate
from khuyencong.spreadsheets.pipeline import Importer, PlaceMixin, Report, Rollback, lookup_table
from khuyencong.spreadsheets.pipeline_projects import FUND_NAMES

YES = {"co", "x", "yes", "true", "1", "dung"}
NO = {"khong", "no", "false", "0", "sai"}

REGISTRATION_COLUMNS = [
    Column("target_year", "Năm kế hoạch", True, "Năm thực hiện đề án, ví dụ 2026.", (), 10),
    Column("funding_source", "Nguồn kinh phí", True, "KCQG, KCĐP hoặc Khác.", (), 12),
    Column("content_area", "Nội dung hoạt động", True, "Chọn trong danh sách.", (), 30),
    Column("title", "Tên đề án", True, "", (), 40),
    Column(
        "beneficiary",
        "Đơn vị thụ hưởng",
        True,
        "Mã số thuế hoặc tên đơn vị thụ hưởng đã có trong sổ đăng ký.",
        (),
        30,
    ),
    Column("implementing_unit", "Đơn vị thực hiện", False, "Tên đơn vị thực hiện.", (), 30),
    Column(
        "address",
        "Địa điểm",
        False,
        "Xã, huyện (địa chỉ cũ), tỉnh; để trống: xã của đơn vị thụ hưởng.",
        (),
        36,
    ),
    Column("commune_code", "Mã xã", False, "Mã xã (nếu biết).", (), 10),
    Column("industry", "Ngành nghề", False, "Để trống: ngành nghề của đơn vị thụ hưởng.", (), 24),
    Column("product", "Sản phẩm, công nghệ", False, "", (), 24),
    Column("description", "Mô tả", False, "Nội dung đề án (cần có trước khi nộp).", (), 36),
    Column("registered_on", "Ngày đăng ký", True, "dd/mm/yyyy", (), 12),
    Column("planned_start", "Bắt đầu dự kiến", False, "dd/mm/yyyy", (), 12),
    Column("planned_end", "Kết thúc dự kiến", False, "dd/mm/yyyy", (), 12),
    Column("total_investment", "Tổng vốn đầu tư (đồng)", False, "", (), 16),
    Column("requested_national", "Đề nghị hỗ trợ KCQG (đồng)", False, "", (), 16),
    Column("requested_local", "Đề nghị hỗ trợ KCĐP (đồng)", False, "", (), 16),
    Column("requested_other", "Đề nghị hỗ trợ nguồn khác (đồng)", False, "", (), 16),
    Column("counterpart", "Vốn đối ứng (đồng)", False, "", (), 16),
    Column("workforce", "Số lao động", False, "", (), 10),
    Column("machinery_new", "Máy móc mới", False, "Có / Không (đề án ứng dụng máy móc).", (), 10),
]
FIELD_COLUMNS = {
    "place": "address",
    "beneficiary": "beneficiary",
    "content_area": "content_area",
    "implementing_unit": "implementing_unit",
}
MONEY = ("total_investment", "requested_national", "requested_local", "requested_other")


@dataclass(slots=True)
class RegistrationItem:
    row: int
    fields: dict[str, Any]
    beneficiary_text: str
    address_text: str
    commune_code: str
    place: Candidate | None = None
    street: str = ""


class RegistrationImporter(PlaceMixin, Importer):
    columns = REGISTRATION_COLUMNS
    permission = "imports.registrations"

    def __init__(self, user: Any, **kwargs: Any):
        super().__init__(user, **kwargs)
        self.areas = lookup_table(ContentArea.objects.active(), "code", "name")
        self.sources = lookup_table(FundingSource.objects.active(), "code", "name", "short_name")
        for key, code in FUND_NAMES.items():
            self.sources.setdefault(key, FundingSource.objects.filter(code=code).first())
        self.industries = lookup_table(Industry.objects.active(), "code", "name")
        self.units = lookup_table(Organisation.objects.active(), "name", "short_name")

    def validate(self, row: int, values: dict[str, Any], report: Report) -> Any:
        before = len(report.errors)
        h = self.header
        fields: dict[str, Any] = {}
        year = as_text(values.get("target_year"))
        if self.required(year, "target_year", row, report):
            if year.isdigit() and 2000 <= int(year) <= 2100:
                fields["target_year"] = int(year)
            else:
                report.add(row, h["target_year"], _("Write the plan year, e.g. 2025."))
        for key, table in (("funding_source", self.sources), ("content_area", self.areas)):
            text = as_text(values.get(key))
            found = table.get(compact(text))
            if self.required(text, key, row, report) and found is None:
                report.add(row, h[key], _("Unknown value “%(value)s”.") % {"value": text})
            fields[key] = found
        fields["title"] = self.text(values, "title", row, report, 500)
        self.required(fields["title"], "title", row, report)
        unit_text = as_text(values.get("implementing_unit"))
        if unit_text:
            fields["implementing_unit"] = self.units.get(compact(unit_text))
            if fields["implementing_unit"] is None:
                report.add(
                    row,
                    h["implementing_unit"],
                    _("Unknown organisation “%(value)s”.") % {"value": unit_text},
                )
        industry_text = as_text(values.get("industry"))
        if industry_text:
            fields["industry"] = self.industries.get(compact(industry_text))
            if fields["industry"] is None:
                report.add(
                    row,
                    h["industry"],
                    _("Unknown industry “%(value)s”.") % {"value": industry_text},
                )
        fields["product"] = self.text(values, "product", row, report, 500)
        fields["description"] = self.text(values, "description", row, report, 5000)
        for key in ("registered_on", "planned_start", "planned_end"):
            fields[key] = self.date(values, key, row, report)
        self.required(fields["registered_on"], "registered_on", row, report)
        for key in (*MONEY, "counterpart"):
            fields[key] = self.money(values, key, row, report)
        workforce = values.get("workforce")
        if workforce not in (None, ""):
            try:
                fields["workforce"] = int(float(workforce))
                if fields["workforce"] < 0:
                    raise ValueError
            except (TypeError, ValueError):
                report.add(row, h["workforce"], _("Enter a whole number."))
        machinery = compact(as_text(values.get("machinery_new")))
        if machinery:
            if machinery in YES or machinery in NO:
                fields["machinery_new"] = machinery in YES
            else:
                report.add(row, h["machinery_new"], _("Write “Có” or “Không”."))
        beneficiary = as_text(values.get("beneficiary"))
        self.required(beneficiary, "beneficiary", row, report)
        if len(report.errors) != before:
            return None
        return RegistrationItem(
            row=row,
            fields=fields,
            beneficiary_text=beneficiary,
            address_text=self.text(values, "address", row, report, 500),
            commune_code=as_text(values.get("commune_code")),
        )

    def match(self, items: list[RegistrationItem], report: Report) -> None:
        beneficiaries = roles.scope_queryset(
            self.user, Beneficiary.objects.active(), beneficiary="pk"
        ).select_related("commune")
        for item in items:
            found = self._beneficiary(item.beneficiary_text, beneficiaries)
            if len(found) != 1:
                message = (
                    _("No beneficiary “%(value)s” in the registry (in your area).")
                    if not found
                    else _("Several beneficiaries are called “%(value)s”: give the tax code.")
                )
                report.add(
                    item.row, self.header["beneficiary"], message % {"value": item.beneficiary_text}
                )
                continue
            item.fields["beneficiary"] = found[0]
        with_address = [i for i in items if i.address_text or i.commune_code]
        self.places(with_address, report, attr="place")

    @staticmethod
    def _beneficiary(text: str, queryset: Any) -> list[Beneficiary]:
        try:
            return list(queryset.filter(tax_code=taxcode.normalize(text))[:2])
        except taxcode.InvalidTaxCode:
            key = normalize(text)
            rows = queryset.filter(search_text__startswith=key)[:20]
            return [b for b in rows if normalize(b.name) == key]

    def _service_fields(self, item: RegistrationItem) -> dict[str, Any]:
        fields = {k: v for k, v in item.fields.items() if v is not None}
        if item.place is not None:
            fields["place"] = AdminUnit.objects.get(pk=item.place.id)
        else:
            fields["place"] = fields["beneficiary"].commune
        return fields

    def check_by_writing(self, items: list[RegistrationItem], report: Report) -> None:
        try:
            with transaction.atomic():
                for item in items:
                    try:
                        with transaction.atomic():
                            self.write(item)
                    except Refused as refused:
                        problems = getattr(refused, "problems", None) or []
                        if not problems:
                            report.add(item.row, self.header["title"], refused.message)
                        for problem in problems:
                            key = FIELD_COLUMNS.get(problem.field, problem.field)
                            column = self.header.get(key, self.header["title"])
                            report.add(item.row, column, str(problem.message))
                raise Rollback
        except Rollback:
            pass

    def commit(self, items: list[RegistrationItem]) -> int:
        for item in items:
            self.write(item)
        return len(items)

    def write(self, item: RegistrationItem) -> None:
        from khuyencong.registrations import services

        services.create_registration(actor=self.user, **self._service_fields(item))
