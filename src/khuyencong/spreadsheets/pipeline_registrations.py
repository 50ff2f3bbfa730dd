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
from khuyencong.core.text import clean_text, compact, normalize
from khuyencong.documents.xlsx_reader import Column, as_text
from khuyencong.projects.lifecycle import Refused
from khuyencong.registrations import services
from khuyencong.registrations.forms import RegistrationForm
from khuyencong.spreadsheets.addresses import Candidate
from khuyencong.spreadsheets.pipeline import (
    FUND_NAMES,
    Importer,
    PlaceMixin,
    Report,
    Rollback,
    lookup_table,
)

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
    data: dict[str, Any]  # the row as the registration form's input
    beneficiary_text: str
    address_text: str
    commune_code: str
    fields: dict[str, Any] | None = None  # the form's cleaned values, for the service
    place: Candidate | None = None
    street: str = ""
    written_place: tuple[str, str] | None = None  # a former name the row wrote (PlaceMixin)


class RegistrationImporter(PlaceMixin, Importer):
    """Each row is checked by the registration form of the web pages (its choices, lengths,
    required fields, money rules, the beneficiaries and centres in the user's area), once
    its texts are resolved: catalog names and codes to entries, the beneficiary's tax code or
    name and the address to records. Then ``check_by_writing`` runs the service's rules."""

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
        # What the page fills in before the user types (the model's defaults), for the
        # form's fields the file leaves empty or has no column for.
        blank = RegistrationForm(user=user)
        self.initial = {
            name: blank.get_initial_for_field(field, name) for name, field in blank.fields.items()
        }
        self.labels = {name: field.label for name, field in blank.fields.items()}

    def validate(self, row: int, values: dict[str, Any], report: Report) -> Any:
        before = len(report.errors)
        h = self.header
        # an unticked box and an empty input send nothing (0 is a value: "is", not "in")
        data: dict[str, Any] = {
            k: v for k, v in self.initial.items() if v is not None and v is not False and v != ""
        }
        lookups = (
            ("funding_source", self.sources),
            ("content_area", self.areas),
            ("implementing_unit", self.units),
            ("industry", self.industries),
        )
        for key, table in lookups:
            text = as_text(values.get(key))
            if not text:
                continue
            found = table.get(compact(text))
            if found is None:
                report.add(row, h[key], _("Unknown value “%(value)s”.") % {"value": text})
            else:
                data[key] = found.pk
        for key in ("target_year", "title", "product", "description", "workforce"):
            text = clean_text(as_text(values.get(key)))
            if text:
                data[key] = text
        for key in ("registered_on", "planned_start", "planned_end"):
            day = self.date(values, key, row, report)
            if day is not None:
                data[key] = day
        for key in (*MONEY, "counterpart"):
            text = as_text(values.get(key))
            if text:
                data[key] = text
        machinery = compact(as_text(values.get("machinery_new")))
        if machinery:
            if machinery in YES or machinery in NO:
                data["machinery_new"] = "true" if machinery in YES else "false"
            else:
                report.add(row, h["machinery_new"], _("Write “Có” or “Không”."))
        beneficiary = as_text(values.get("beneficiary"))
        self.required(beneficiary, "beneficiary", row, report)
        if len(report.errors) != before:
            return None
        return RegistrationItem(
            row=row,
            data=data,
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
            item.data["beneficiary"] = found[0].pk
        with_address = [i for i in items if i.address_text or i.commune_code]
        self.places(with_address, report, attr="place")
        failed = {problem["row"] for problem in report.errors}
        for item in items:
            if item.row not in failed:
                self._check_with_form(item, report)

    def _check_with_form(self, item: RegistrationItem, report: Report) -> None:
        data = {**item.data, "place": item.place.id if item.place is not None else ""}
        form = RegistrationForm(data=data, user=self.user)
        if form.is_valid():
            item.fields = form.changes()
            return
        for field, messages in form.errors.items():
            key = FIELD_COLUMNS.get(field, field)
            for message in messages:
                if key in self.header:
                    report.add(item.row, self.header[key], message)
                else:  # a rule of the whole form, or a field the template has no column for
                    label = self.labels.get(field)
                    text = f"{label}: {message}" if label else message
                    report.add(item.row, self.header["title"], text)

    @staticmethod
    def _beneficiary(text: str, queryset: Any) -> list[Beneficiary]:
        try:
            return list(queryset.filter(tax_code=taxcode.normalize(text))[:2])
        except taxcode.InvalidTaxCode:
            key = normalize(text)
            rows = queryset.filter(search_text__startswith=key)[:20]
            return [b for b in rows if normalize(b.name) == key]

    def _service_fields(self, item: RegistrationItem) -> dict[str, Any]:
        return {k: v for k, v in (item.fields or {}).items() if v is not None}

    def check_by_writing(self, items: list[RegistrationItem], report: Report) -> None:
        try:
            with transaction.atomic():
                for item in items:
                    try:
                        with transaction.atomic():
                            self.write(item)
                    except Refused as refused:
                        problems = getattr(refused, "problems", None) or []
                        if not problems:  # references.OutOfArea names its field
                            key = FIELD_COLUMNS.get(getattr(refused, "field", ""), "title")
                            column = self.header.get(key, self.header["title"])
                            report.add(item.row, column, refused.message)
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
        services.create_registration(actor=self.user, **self._service_fields(item))
