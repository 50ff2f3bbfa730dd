"""Project and progress imports: the rows become calls to projects/services.py, so every
lifecycle rule (dates in order, documents, plan ceilings, advance caps) applies. The check
writes in a transaction and rolls it back: the preview shows what the commit would refuse.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from khuyencong.accounts import roles
from khuyencong.accounts.models import Organisation
from khuyencong.beneficiaries import taxcode
from khuyencong.beneficiaries.models import Beneficiary
from khuyencong.catalog.models import ContentArea, FundingSource
from khuyencong.core.bounds import parse_year
from khuyencong.core.text import compact, normalize
from khuyencong.documents.xlsx_reader import Column, as_text
from khuyencong.places.models import AdminUnit
from khuyencong.plans.models import Plan
from khuyencong.projects import references, services
from khuyencong.projects.lifecycle import Refused
from khuyencong.projects.models import (
    Budget,
    DisbursementKind,
    EventKind,
    KcqgType,
    ProgressUpdate,
    Project,
    Status,
)
from khuyencong.projects.services import SYSTEM
from khuyencong.spreadsheets.addresses import Candidate
from khuyencong.spreadsheets.pipeline import (
    FUND_NAMES,
    WARNING,
    BeneficiaryImporter,
    Importer,
    PlaceMixin,
    Report,
    Rollback,
    lookup_table,
)
from khuyencong.spreadsheets.pipeline_registrations import RegistrationImporter

IMPORT_NOTE = "Nhập từ tệp Excel"

PROJECT_COLUMNS = [
    Column("code", "Mã đề án", True, "Mã duy nhất của đề án.", (), 14),
    Column("title", "Tên đề án", True, "", (), 40),
    Column(
        "content_area",
        "Nội dung hoạt động",
        True,
        "Chọn trong danh sách nội dung (Điều 4 NĐ 45/2012).",
        (),
        30,
    ),
    Column(
        "year",
        "Năm kế hoạch",
        False,
        "Năm của kế hoạch khuyến công chứa đề án (để trống nếu chưa vào kế hoạch).",
        (),
        10,
    ),
    Column(
        "funding_source",
        "Nguồn kinh phí",
        False,
        "KCQG, KCĐP hoặc Khác (bắt buộc khi có năm kế hoạch).",
        (),
        12,
    ),
    Column(
        "kcqg_type",
        "Loại đề án KCQG",
        False,
        "Đề án điểm / Đề án nhóm / Theo đối tượng (chỉ đề án KCQG).",
        (),
        16,
    ),
    Column(
        "implementing_unit",
        "Đơn vị thực hiện",
        True,
        "Tên đơn vị thực hiện (ví dụ Trung tâm Khuyến công …).",
        (),
        30,
    ),
    Column(
        "beneficiary",
        "Đơn vị thụ hưởng",
        False,
        "Mã số thuế hoặc tên đơn vị thụ hưởng đã có trong sổ đăng ký.",
        (),
        30,
    ),
    Column(
        "address", "Địa điểm", True, "Xã/phường, huyện (địa chỉ cũ), tỉnh nơi thực hiện.", (), 40
    ),
    Column("commune_code", "Mã xã", False, "Mã xã (nếu biết): được ưu tiên hơn địa điểm.", (), 10),
    Column("budget_national", "Kinh phí KCQG (đồng)", False, "Số nguyên, đơn vị đồng.", (), 16),
    Column("budget_local", "Kinh phí KCĐP (đồng)", False, "", (), 16),
    Column("budget_counterpart", "Vốn đối ứng (đồng)", False, "", (), 16),
    Column("budget_other", "Nguồn khác (đồng)", False, "", (), 16),
    Column("registered_on", "Ngày đăng ký", True, "dd/mm/yyyy", (), 12),
    Column("status", "Tình trạng", False, "Tình trạng hiện tại (mặc định: Đã đăng ký).", (), 20),
    Column(
        "status_date",
        "Ngày tình trạng",
        False,
        "Ngày đạt tình trạng hiện tại (dd/mm/yyyy).",
        (),
        12,
    ),
    Column(
        "document_number",
        "Số văn bản",
        False,
        "Số quyết định/hợp đồng/biên bản của bước gần nhất.",
        (),
        16,
    ),
    Column("progress", "Khối lượng (%)", False, "0–100.", (), 10),
    Column("disbursed", "Đã giải ngân (đồng)", False, "", (), 16),
    Column("settled", "Giá trị quyết toán (đồng)", False, "Cho đề án đã quyết toán.", (), 16),
]

# Statuses an imported project may be in, and the steps that reach each from "registered".
IMPORTABLE = [
    Status.REGISTERED,
    Status.APPRAISED,
    Status.APPROVED,
    Status.ASSIGNED,
    Status.CONTRACTED,
    Status.IN_PROGRESS,
    Status.ACCEPTED,
    Status.SETTLED,
    Status.STOPPED,
]
MAIN = [Status.APPRAISED, Status.APPROVED, Status.ASSIGNED, Status.CONTRACTED, Status.IN_PROGRESS]
STEP_OF = {
    Status.APPRAISED: EventKind.APPRAISE,
    Status.APPROVED: EventKind.APPROVE,
    Status.ASSIGNED: EventKind.ASSIGN,
    Status.CONTRACTED: EventKind.CONTRACT,
}
KCQG_NAMES = {"deandiem": "diem", "diem": "diem", "deannhom": "nhom", "nhom": "nhom"}
KCQG_NAMES |= {"theodoituong": "doi_tuong", "doituong": "doi_tuong"}


@dataclass(slots=True)
class ProjectItem:
    row: int
    code: str
    title: str
    content_area: Any
    year: int | None
    funding_source: Any
    kcqg_type: str
    implementing_unit: Any
    beneficiary: Any
    address_text: str
    commune_code: str
    budget: Budget
    registered_on: datetime.date | None
    status: str
    status_date: datetime.date | None
    document_number: str
    progress: int | None
    disbursed: int
    settled: int
    plan: Any = None
    place: Candidate | None = None
    street: str = ""


# the column a project's reference comes from (the plan: from the year and funding source)
REFERENCE_COLUMNS = {
    "implementing_unit": "implementing_unit",
    "beneficiary": "beneficiary",
    "plan": "year",
}


def _status_table() -> dict[str, str]:
    table = {}
    for status in IMPORTABLE:
        table[compact(status.value)] = status.value
        table[compact(str(status.label))] = status.value
    return table


class ProjectImporter(PlaceMixin, Importer):
    columns = PROJECT_COLUMNS
    permission = "imports.projects"

    def __init__(self, user: Any, **kwargs: Any):
        super().__init__(user, **kwargs)
        self.areas = lookup_table(ContentArea.objects.active(), "code", "name")
        self.sources = lookup_table(FundingSource.objects.active(), "code", "name", "short_name")
        for key, code in FUND_NAMES.items():
            self.sources.setdefault(key, FundingSource.objects.filter(code=code).first())
        self.units = lookup_table(Organisation.objects.active(), "name", "short_name")
        self.statuses = _status_table()

    def validate(self, row: int, values: dict[str, Any], report: Report) -> ProjectItem | None:
        before = len(report.errors)
        h = self.header
        code = self.text(values, "code", row, report, 40)
        title = self.text(values, "title", row, report, 500)
        self.required(code, "code", row, report)
        self.required(title, "title", row, report)
        area_text = as_text(values.get("content_area"))
        area = self.areas.get(compact(area_text))
        if self.required(area_text, "content_area", row, report) and area is None:
            report.add(
                row,
                h["content_area"],
                _("Unknown content area “%(value)s”.") % {"value": area_text},
            )
        year = None
        year_text = as_text(values.get("year"))
        if year_text:
            year = parse_year(year_text)
            if year is None:
                report.add(row, h["year"], _("Write the plan year, e.g. 2025."))
        source_text = as_text(values.get("funding_source"))
        source = self.sources.get(compact(source_text)) if source_text else None
        if source_text and source is None:
            report.add(
                row,
                h["funding_source"],
                _("Unknown funding source “%(value)s”.") % {"value": source_text},
            )
        if year and not source_text:
            report.add(row, h["funding_source"], _("Give the plan's funding source."))
        kcqg_text = compact(as_text(values.get("kcqg_type")))
        kcqg = KCQG_NAMES.get(kcqg_text, kcqg_text if kcqg_text in KcqgType.values else None)
        if kcqg_text and kcqg is None:
            report.add(row, h["kcqg_type"], _("Unknown KCQG project type."))
        unit_text = as_text(values.get("implementing_unit"))
        unit = self.units.get(compact(unit_text))
        if self.required(unit_text, "implementing_unit", row, report) and unit is None:
            report.add(
                row,
                h["implementing_unit"],
                _("Unknown organisation “%(value)s”.") % {"value": unit_text},
            )
        budget = Budget(
            national=self.money(values, "budget_national", row, report),
            local=self.money(values, "budget_local", row, report),
            counterpart=self.money(values, "budget_counterpart", row, report),
            other=self.money(values, "budget_other", row, report),
        )
        registered_on = self.date(values, "registered_on", row, report)
        self.required(registered_on, "registered_on", row, report)
        status_text = as_text(values.get("status"))
        status = self.statuses.get(compact(status_text)) if status_text else Status.REGISTERED
        if status is None:
            report.add(
                row,
                h["status"],
                _("Unknown or not importable status “%(value)s”.") % {"value": status_text},
            )
        status_date = self.date(values, "status_date", row, report)
        if status not in (None, Status.REGISTERED) and status_date is None:
            report.add(row, h["status_date"], _("Give the date the project reached this status."))
        if status_date and registered_on and status_date < registered_on:
            report.add(row, h["status_date"], _("The status date is before the registration date."))
        progress = None
        progress_raw = values.get("progress")
        if progress_raw not in (None, ""):
            try:
                progress = int(float(progress_raw))
                if not 0 <= progress <= 100:
                    raise ValueError
            except (TypeError, ValueError, OverflowError):  # OverflowError: "inf"
                report.add(row, h["progress"], _("Work done is a percentage between 0 and 100."))
        if status == Status.IN_PROGRESS and not progress:
            report.add(row, h["progress"], _("A project in progress needs its work done (%)."))
        address = self.text(values, "address", row, report, 500)
        commune_code = as_text(values.get("commune_code"))
        if not address and not commune_code:
            report.add(row, h["address"], _("This column is required."))
        item = ProjectItem(
            row=row,
            code=code,
            title=title,
            content_area=area,
            year=year,
            funding_source=source,
            kcqg_type=kcqg or "",
            implementing_unit=unit,
            beneficiary=as_text(values.get("beneficiary")),
            address_text=address,
            commune_code=commune_code,
            budget=budget,
            registered_on=registered_on,
            status=status or Status.REGISTERED,
            status_date=status_date,
            document_number=self.text(values, "document_number", row, report, 80),
            progress=progress,
            disbursed=self.money(values, "disbursed", row, report),
            settled=self.money(values, "settled", row, report),
        )
        return item if len(report.errors) == before else None

    def match(self, items: list[ProjectItem], report: Report) -> None:
        self.places(items, report, attr="place")
        h = self.header
        seen: dict[str, int] = {}
        existing = {
            project.code: project
            for project in Project.objects.filter(code__in=[i.code for i in items]).only(
                "code", "province", "district", "beneficiary"
            )
        }
        beneficiaries = roles.scope_queryset(
            self.user, Beneficiary.objects.active(), beneficiary="pk"
        )
        for item in items:
            if item.code in existing:
                report.add(
                    item.row,
                    h["code"],
                    services.project_code_taken(self.user, item.code, existing[item.code]),
                )
            elif item.code in seen:
                report.add(
                    item.row,
                    h["code"],
                    _("The code is also on row %(other)s of this file.")
                    % {"other": seen[item.code]},
                )
            seen.setdefault(item.code, item.row)
            if item.beneficiary:
                item.beneficiary = self._beneficiary(item, beneficiaries, report)
            else:
                item.beneficiary = None
            if item.year and item.funding_source and item.place is not None:
                family = AdminUnit.province_family_ids(item.place.province_id)
                plans = Plan.objects.active().filter(
                    year=item.year, funding_source=item.funding_source, province_id__in=family
                )
                item.plan = plans.first()
                if item.plan is None:
                    report.add(
                        item.row,
                        h["year"],
                        _("No %(year)s plan of this funding source in the project's province.")
                        % {"year": item.year},
                    )
            # The rows are written by the system actor (the walk to their status): their
            # references are checked against the importing user's choices, as on the form.
            try:
                references.check_project(
                    self.user,
                    implementing_unit=item.implementing_unit,
                    beneficiary=item.beneficiary,
                    plan=item.plan,
                )
            except references.OutOfArea as refused:
                report.add(item.row, h[REFERENCE_COLUMNS[refused.field]], refused.message)

    def _beneficiary(self, item: ProjectItem, queryset: Any, report: Report) -> Any:
        text = item.beneficiary
        try:
            found = list(queryset.filter(tax_code=taxcode.normalize(text))[:2])
        except taxcode.InvalidTaxCode:
            key = normalize(text)
            found = [
                b
                for b in queryset.filter(search_text__startswith=key)[:20]
                if normalize(b.name) == key
            ]
        if len(found) != 1:
            message = (
                _("No beneficiary “%(value)s” in the registry (in your area).")
                if not found
                else _("Several beneficiaries are called “%(value)s”: give the tax code.")
            )
            report.add(item.row, self.header["beneficiary"], message % {"value": text})
            return None
        return found[0]

    def check_by_writing(self, items: list[ProjectItem], report: Report) -> None:
        try:
            with transaction.atomic():
                for item in items:
                    try:
                        with transaction.atomic():
                            self.write(item)
                    except Refused as refused:
                        report.add(item.row, self.header["status"], refused.message)
                raise Rollback
        except Rollback:
            pass

    def commit(self, items: list[ProjectItem]) -> int:
        for item in items:
            self.write(item)
        return len(items)

    def write(self, item: ProjectItem) -> Project:
        place = AdminUnit.objects.get(pk=item.place.id)
        project = services.create_project(
            actor=SYSTEM,
            code=item.code,
            title=item.title,
            content_area=item.content_area,
            implementing_unit=item.implementing_unit,
            place=place,
            registered_on=item.registered_on,
            plan=item.plan,
            beneficiary=item.beneficiary,
            kcqg_type=item.kcqg_type,
            budget=item.budget,
            reason=IMPORT_NOTE,
        )
        walk(project, item)
        return project


def walk(project: Project, item: ProjectItem) -> None:
    """Record the steps from "registered" to the row's status, all on the status date."""
    target, day, doc = item.status, item.status_date, item.document_number
    if target == Status.REGISTERED:
        return

    def step(kind: str, **kwargs: Any) -> None:
        services.project_transition(
            project=project, kind=kind, effective_date=day, actor=SYSTEM, document_number=doc,
            reason=IMPORT_NOTE, **kwargs,
        )  # fmt: skip

    def progress(percent: int, amount: int = 0, kind: str = DisbursementKind.ADVANCE) -> None:
        services.record_progress(
            project=project, actor=SYSTEM, date=day, progress_percent=percent,
            disbursed_amount=amount, disbursement_kind=kind, note=IMPORT_NOTE,
        )  # fmt: skip

    if target == Status.STOPPED:
        for status in (Status.APPRAISED, Status.APPROVED):
            step(STEP_OF[status])
        step(EventKind.REQUEST_STOP)
        step(EventKind.APPROVE_STOP)
        return
    for status in MAIN:
        if status == Status.IN_PROGRESS:
            break
        step(STEP_OF[status])
        if status == target:
            if item.progress and status == Status.CONTRACTED:
                progress(item.progress, item.disbursed)
            return
    if target == Status.IN_PROGRESS:
        progress(item.progress or 0, item.disbursed)
        return
    progress(100)
    step(EventKind.ACCEPT)
    if item.disbursed:
        progress(100, item.disbursed, DisbursementKind.PAYMENT)
    if target == Status.SETTLED:
        step(EventKind.SETTLE, amount=item.settled or item.disbursed)


# --------------------------------------------------------------------------- progress updates

PROGRESS_COLUMNS = [
    Column("code", "Mã đề án", True, "Mã của đề án đã có trong hệ thống.", (), 14),
    Column("date", "Ngày", True, "dd/mm/yyyy", ("Ngày cập nhật",), 12),
    Column(
        "progress",
        "Khối lượng (%)",
        True,
        "Khối lượng công việc đã thực hiện, cộng dồn (0–100).",
        (),
        12,
    ),
    Column(
        "amount",
        "Số tiền giải ngân (đồng)",
        False,
        "Số tiền giải ngân trong lần này.",
        ("Giải ngân",),
        18,
    ),
    Column(
        "kind",
        "Loại giải ngân",
        False,
        "Tạm ứng (trước nghiệm thu) hoặc Thanh toán (sau nghiệm thu).",
        (),
        14,
    ),
    Column("note", "Ghi chú", False, "", (), 30),
]
KIND_NAMES = {
    "tamung": DisbursementKind.ADVANCE,
    "advance": DisbursementKind.ADVANCE,
    "thanhtoan": DisbursementKind.PAYMENT,
    "payment": DisbursementKind.PAYMENT,
}


@dataclass(slots=True)
class ProgressItem:
    row: int
    code: str
    date: datetime.date | None
    progress: int
    amount: int
    kind: str
    note: str
    project: Any = None


class ProgressImporter(Importer):
    columns = PROGRESS_COLUMNS
    permission = "imports.progress"

    def validate(self, row: int, values: dict[str, Any], report: Report) -> ProgressItem | None:
        before = len(report.errors)
        code = self.text(values, "code", row, report, 40)
        self.required(code, "code", row, report)
        day = self.date(values, "date", row, report)
        self.required(day, "date", row, report)
        percent = 0
        try:
            percent = int(float(values.get("progress")))
            if not 0 <= percent <= 100:
                raise ValueError
        except (TypeError, ValueError, OverflowError):  # OverflowError: "inf"
            report.add(
                row, self.header["progress"], _("Work done is a percentage between 0 and 100.")
            )
        kind_text = compact(as_text(values.get("kind")))
        kind = KIND_NAMES.get(kind_text, DisbursementKind.ADVANCE if not kind_text else None)
        if kind is None:
            report.add(row, self.header["kind"], _("Write “Tạm ứng” or “Thanh toán”."))
        item = ProgressItem(
            row=row,
            code=code,
            date=day,
            progress=percent,
            amount=self.money(values, "amount", row, report),
            kind=kind or DisbursementKind.ADVANCE,
            note=self.text(values, "note", row, report, 5000),
        )
        return item if len(report.errors) == before else None

    def match(self, items: list[ProgressItem], report: Report) -> None:
        projects = roles.scope_queryset(self.user, Project.objects.active())
        found = {p.code: p for p in projects.filter(code__in={i.code for i in items})}
        for item in items:
            item.project = found.get(item.code)
            if item.project is None:
                report.add(
                    item.row,
                    self.header["code"],
                    _("No project with the code %(code)s in your area.") % {"code": item.code},
                )
        self.duplicates([item for item in items if item.project is not None], report)

    def duplicates(self, items: list[ProgressItem], report: Report) -> None:
        """A row that repeats a recorded update (or an earlier row) with money in it: the same
        file imported twice would pay twice, so the user confirms it is meant."""
        recorded = set(
            ProgressUpdate.objects.filter(
                project_id__in={item.project.pk for item in items}, disbursed_amount__gt=0
            ).values_list(
                "project_id", "date", "progress_percent", "disbursed_amount", "disbursement_kind"
            )
        )
        seen: dict[tuple, int] = {}
        for item in items:
            if not item.amount:
                continue
            key = (item.project.pk, item.date, item.progress, item.amount, item.kind)
            if key in recorded:
                message = _(
                    "Possible duplicate: project %(code)s already has this disbursement "
                    "recorded on this date (same work done, same amount). Was this file "
                    "imported before?"
                ) % {"code": item.code}
            elif key in seen:
                message = _(
                    "Possible duplicate of row %(other)s (same project, date and amount)."
                ) % {"other": seen[key]}
            else:
                seen[key] = item.row
                continue
            report.add(item.row, self.header["amount"], message, WARNING)

    def check_by_writing(self, items: list[ProgressItem], report: Report) -> None:
        try:
            with transaction.atomic():
                for item in items:
                    try:
                        with transaction.atomic():
                            self.write(item)
                    except Refused as refused:
                        report.add(item.row, self.header["progress"], refused.message)
                raise Rollback
        except Rollback:
            pass

    def commit(self, items: list[ProgressItem]) -> int:
        for item in items:
            self.write(item)
        return len(items)

    def write(self, item: ProgressItem) -> None:
        services.record_progress(
            project=item.project,
            actor=self.user,
            date=item.date,
            progress_percent=item.progress,
            disbursed_amount=item.amount,
            disbursement_kind=item.kind,
            note=item.note,
        )


def importer_class(kind: str) -> type[Importer]:
    return {
        "beneficiaries": BeneficiaryImporter,
        "registrations": RegistrationImporter,
        "projects": ProjectImporter,
        "progress": ProgressImporter,
    }[kind]
