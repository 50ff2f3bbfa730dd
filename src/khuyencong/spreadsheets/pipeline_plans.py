"""Plans import: sheet "Kế hoạch" (a plan for a year or a period, main or supplementary, with
its approving decision) and sheet "Đợt giao" (the national agency's letters or decisions
assigning a national plan's projects, batch by batch). The rows become calls to
``projects.plan_services`` (create_plan, approve_plan, record_allocation): the rules are
theirs. The same file again changes nothing: a plan is the one of its province, source, first
year and decision number; a batch the one of its plan and number.

The rows record documents already issued (by the People's Committee, the Ministry or the
national agency), so they are written by the system actor, as the project history is, once
the importing user's area is checked.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from khuyencong.accounts import roles
from khuyencong.catalog.models import FundingSource
from khuyencong.core.bounds import parse_year
from khuyencong.core.text import compact
from khuyencong.core.workflow import Refused
from khuyencong.documents.xlsx_reader import Column, as_text
from khuyencong.places.models import AdminUnit
from khuyencong.plans.models import Allocation, AllocationDocument, Plan, PlanKind
from khuyencong.projects import plan_services
from khuyencong.projects.services import SYSTEM
from khuyencong.spreadsheets.pipeline import (
    FUND_NAMES,
    UNCHANGED,
    FurtherSheet,
    Importer,
    Report,
    Rollback,
    lookup_table,
)

PLANS_SHEET, ALLOCATIONS_SHEET = "Kế hoạch", "Đợt giao"

PLAN_COLUMNS = [
    Column("province", "Tỉnh", True, "Tên tỉnh, ví dụ Tỉnh Bắc Kạn.", ("Tỉnh/thành phố",), 18),
    Column("funding_source", "Nguồn kinh phí", True, "KCQG, KCĐP hoặc Khác.", (), 12),
    Column(
        "year",
        "Năm bắt đầu",
        True,
        "Năm đầu của kế hoạch (kế hoạch một năm: năm đó).",
        ("Năm kế hoạch", "Từ năm"),
        10,
    ),
    Column(
        "end_year",
        "Năm kết thúc",
        False,
        "Năm cuối của kế hoạch giai đoạn (để trống: kế hoạch một năm).",
        ("Đến năm",),
        10,
    ),
    Column(
        "kind",
        "Loại kế hoạch",
        False,
        "Chính (mỗi tỉnh, nguồn, năm một kế hoạch) hoặc Bổ sung; mặc định: Chính.",
        (),
        14,
    ),
    Column("title", "Tên kế hoạch", True, "", (), 40),
    Column(
        "ceiling", "Kinh phí (đồng)", True, "Tổng kinh phí được duyệt, số nguyên (đồng).", (), 16
    ),
    Column("decision_number", "Số quyết định", True, "Số quyết định phê duyệt kế hoạch.", (), 16),
    Column("decision_date", "Ngày quyết định", True, "dd/mm/yyyy", (), 12),
    Column(
        "issuer",
        "Cơ quan ban hành",
        False,
        "Cơ quan phê duyệt, ví dụ UBND tỉnh Bắc Kạn, Bộ Công Thương.",
        ("Cơ quan phê duyệt",),
        24,
    ),
]
ALLOCATION_COLUMNS = [
    Column(
        "plan_decision",
        "Số QĐ kế hoạch",
        True,
        "Số quyết định phê duyệt kế hoạch KCQG (ở trang “Kế hoạch” hoặc đã có).",
        (),
        16,
    ),
    Column("province", "Tỉnh", False, "Cần khi hai tỉnh có kế hoạch cùng số quyết định.", (), 18),
    Column("batch", "Đợt", True, "Số đợt giao: 1, 2…", ("Đợt giao",), 8),
    Column(
        "document_kind",
        "Loại văn bản",
        False,
        "Công văn hoặc Quyết định (mặc định: Công văn).",
        (),
        14,
    ),
    Column("document_number", "Số văn bản", True, "Số công văn/quyết định giao đợt.", (), 16),
    Column("document_date", "Ngày văn bản", True, "dd/mm/yyyy", (), 12),
    Column(
        "issuer",
        "Cơ quan ban hành",
        True,
        "Ví dụ Cục Công Thương địa phương.",
        (),
        26,
    ),
    Column("amount", "Số tiền (đồng)", True, "Kinh phí giao trong đợt, số nguyên (đồng).", (), 16),
    Column("notes", "Ghi chú", False, "", (), 24),
]
KIND_NAMES = {
    "chinh": PlanKind.MAIN, "kehoachchinh": PlanKind.MAIN, "main": PlanKind.MAIN,
    "bosung": PlanKind.SUPPLEMENTARY, "kehoachbosung": PlanKind.SUPPLEMENTARY,
    "supplementary": PlanKind.SUPPLEMENTARY,
}  # fmt: skip
DOCUMENT_NAMES = {
    "congvan": AllocationDocument.LETTER, "cv": AllocationDocument.LETTER,
    "letter": AllocationDocument.LETTER, "quyetdinh": AllocationDocument.DECISION,
    "qd": AllocationDocument.DECISION, "decision": AllocationDocument.DECISION,
}  # fmt: skip
# the column a refusal of the services is reported under, by its field
PLAN_REFUSAL_COLUMNS = {
    "end_year": "end_year", "kind": "kind", "title": "title", "ceiling": "ceiling",
    "duplicate": "kind", "date": "decision_date", "decision": "decision_number",
    "province": "province",
}  # fmt: skip
ALLOCATION_REFUSAL_COLUMNS = {
    "plan": "plan_decision", "batch": "batch", "document_number": "document_number",
    "issuer": "issuer", "document_kind": "document_kind", "amount": "amount",
    "document_date": "document_date",
}  # fmt: skip


@dataclass(slots=True)
class PlanItem:
    row: int
    province: Any
    funding_source: Any
    year: int | None
    end_year: int | None
    kind: str
    title: str
    ceiling: int
    decision_number: str
    decision_date: datetime.date | None
    issuer: str
    existing: Any = None


@dataclass(slots=True)
class AllocationItem:
    row: int
    plan_decision: str
    province: Any
    batch: int | None
    document_kind: str
    document_number: str
    document_date: datetime.date | None
    issuer: str
    amount: int
    notes: str
    plan: Any = None  # a plan already recorded
    plan_row: PlanItem | None = None  # a plan of this file
    unchanged: bool = False


class Provinces:
    """Provinces by name ("Tỉnh Bắc Kạn", "Bắc Kạn"), the unit valid in the plan's year."""

    def __init__(self) -> None:
        self.by_name: dict[str, list[AdminUnit]] = {}
        for unit in AdminUnit.objects.provinces():
            for name in {compact(unit.name), compact(unit.short_name)} - {""}:
                self.by_name.setdefault(name, []).append(unit)

    def find(self, text: str, year: int | None) -> AdminUnit | None:
        units = self.by_name.get(compact(text), [])
        if len(units) > 1 and year:
            units = [u for u in units if u.is_valid_on(datetime.date(year, 1, 1))] or units
        return units[0] if len(units) == 1 else None


class PlanImporter(Importer):
    columns = PLAN_COLUMNS
    further = {"allocations": FurtherSheet(ALLOCATIONS_SHEET, ALLOCATION_COLUMNS)}
    permission = "imports.plans"

    def __init__(self, user: Any, **kwargs: Any):
        super().__init__(user, **kwargs)
        self.sources = lookup_table(FundingSource.objects.active(), "code", "name", "short_name")
        for key, code in FUND_NAMES.items():
            self.sources.setdefault(key, FundingSource.objects.filter(code=code).first())
        self.provinces = Provinces()
        self.allocations: list[AllocationItem] = []
        self.allocation_header = {column.key: column.header for column in ALLOCATION_COLUMNS}
        self.file_decisions: set[str] = set()  # of every plan row, rows with errors too

    # ---------------------------------------------------------------- sheet "Kế hoạch"
    def _province(self, text: str, year: int | None, row: int, column: str, report: Report,
                  sheet: str = "") -> Any:  # fmt: skip
        province = self.provinces.find(text, year)
        if province is None:
            report.add(row, column, _("Unknown province “%(value)s”.") % {"value": text},
                       sheet=sheet)  # fmt: skip
            return None
        area = SimpleNamespace(scope_province_id=province.pk, scope_district_id=None)
        if not roles.in_scope(self.user, area):
            report.add(
                row,
                column,
                _("%(place)s is outside your area of responsibility.") % {"place": province.name},
                sheet=sheet,
            )
            return None
        return province

    def _year(self, values: dict[str, Any], key: str, row: int, report: Report) -> int | None:
        text = as_text(values.get(key))
        if not text:
            return None
        year = parse_year(text)
        if year is None:
            report.add(row, self.header[key], _("Write the plan year, e.g. 2025."))
        return year

    def validate(self, row: int, values: dict[str, Any], report: Report) -> PlanItem | None:
        before = len(report.errors)
        h = self.header
        year = self._year(values, "year", row, report)
        self.required(as_text(values.get("year")), "year", row, report)
        end_year = self._year(values, "end_year", row, report)
        province_text = as_text(values.get("province"))
        province = None
        if self.required(province_text, "province", row, report):
            province = self._province(province_text, year, row, h["province"], report)
        source_text = as_text(values.get("funding_source"))
        source = self.sources.get(compact(source_text)) if source_text else None
        if self.required(source_text, "funding_source", row, report) and source is None:
            report.add(
                row,
                h["funding_source"],
                _("Unknown funding source “%(value)s”.") % {"value": source_text},
            )
        kind_text = compact(as_text(values.get("kind")))
        kind = KIND_NAMES.get(kind_text, PlanKind.MAIN if not kind_text else None)
        if kind is None:
            report.add(row, h["kind"], _("Write “Chính” or “Bổ sung”."))
        title = self.text(values, "title", row, report, 300)
        self.required(title, "title", row, report)
        if values.get("ceiling") in (None, ""):
            self.required(None, "ceiling", row, report)
        ceiling = self.money(values, "ceiling", row, report)
        number = self.text(values, "decision_number", row, report, 60)
        self.required(number, "decision_number", row, report)
        self.file_decisions.add(compact(number))
        day = self.date(values, "decision_date", row, report)
        self.required(day, "decision_date", row, report)
        item = PlanItem(
            row=row,
            province=province,
            funding_source=source,
            year=year,
            end_year=end_year,
            kind=kind or PlanKind.MAIN,
            title=title,
            ceiling=ceiling,
            decision_number=number,
            decision_date=day,
            issuer=self.text(values, "issuer", row, report, 200),
        )
        return item if len(report.errors) == before else None

    def match(self, items: list[PlanItem], report: Report) -> None:
        seen: dict[tuple, int] = {}
        for item in items:
            key = (item.province.pk, item.funding_source.pk, item.year,
                   compact(item.decision_number))  # fmt: skip
            if key in seen:
                report.add(
                    item.row,
                    self.header["decision_number"],
                    _("The same plan is also on row %(other)s of this file.")
                    % {"other": seen[key]},
                )
                continue
            seen[key] = item.row
            item.existing = _recorded_plan(item)
            if item.existing is not None:
                report.add(
                    item.row,
                    self.header["decision_number"],
                    _("The plan approved by decision %(number)s is already recorded: unchanged.")
                    % {"number": item.decision_number},
                    UNCHANGED,
                )
        self._match_allocations(items, report)

    # ---------------------------------------------------------------- sheet "Đợt giao"
    def _add(self, report: Report, row: int, key: str, message: str, level: str = "error"):
        report.add(row, self.allocation_header[key], message, level, sheet=ALLOCATIONS_SHEET)

    def _validate_allocation(self, row: int, values: dict[str, Any], report: Report) -> Any:
        scratch = Report()
        header, self.header = self.header, self.allocation_header
        try:
            plan_decision = self.text(values, "plan_decision", row, scratch, 60)
            self.required(plan_decision, "plan_decision", row, scratch)
            batch = None
            raw = values.get("batch")
            try:
                number = float(raw) if isinstance(raw, int | float) else float(as_text(raw))
                if not number.is_integer() or not 1 <= number <= 99:
                    raise ValueError
                batch = int(number)
            except (TypeError, ValueError, OverflowError):
                scratch.add(row, self.header["batch"], _("The batch is a number from 1 to 99."))
            kind_text = compact(as_text(values.get("document_kind")))
            kind = DOCUMENT_NAMES.get(kind_text, AllocationDocument.LETTER if not kind_text else "")
            if not kind:
                scratch.add(
                    row, self.header["document_kind"], _("Write “Công văn” or “Quyết định”.")
                )
            document_number = self.text(values, "document_number", row, scratch, 60)
            self.required(document_number, "document_number", row, scratch)
            day = self.date(values, "document_date", row, scratch)
            self.required(day, "document_date", row, scratch)
            issuer = self.text(values, "issuer", row, scratch, 200)
            self.required(issuer, "issuer", row, scratch)
            if values.get("amount") in (None, ""):
                self.required(None, "amount", row, scratch)
            amount = self.money(values, "amount", row, scratch)
            province_text = as_text(values.get("province"))
            province = None
            if province_text:
                year = day.year if day else None
                province = self._province(province_text, year, row, self.header["province"],
                                          scratch)  # fmt: skip
            item = AllocationItem(
                row=row, plan_decision=plan_decision, province=province, batch=batch,
                document_kind=kind, document_number=document_number, document_date=day,
                issuer=issuer, amount=amount, notes=self.text(values, "notes", row, scratch, 2000),
            )  # fmt: skip
        finally:
            self.header = header
        for problem in scratch.problems:
            report.add(problem["row"], problem["column"], problem["message"], problem["level"],
                       sheet=ALLOCATIONS_SHEET)  # fmt: skip
        return None if scratch.errors else item

    def _match_allocations(self, plans: list[PlanItem], report: Report) -> None:
        sheet = self.sheets.get("allocations")
        if sheet is None:
            return
        for row, values in sheet.records():
            item = self._validate_allocation(row, values, report)
            if item is not None:
                self.allocations.append(item)
        recorded = roles.scope_queryset(self.user, Plan.objects.active())
        seen: dict[tuple, int] = {}
        for item in self.allocations:
            key = compact(item.plan_decision)
            in_file = [
                p for p in plans
                if compact(p.decision_number) == key
                and (item.province is None or p.province.pk == item.province.pk)
            ]  # fmt: skip
            found = [
                p for p in recorded.filter(decision_number__iexact=item.plan_decision)
                if item.province is None or p.province_id == item.province.pk
            ]  # fmt: skip
            found = [p for p in found if not any(i.existing == p for i in in_file)]
            if not in_file and not found and key in self.file_decisions:
                continue  # its plan's row has errors, which that row lists
            if len(in_file) + len(found) != 1:
                self._add(
                    report,
                    item.row,
                    "plan_decision",
                    _("No plan approved by decision %(number)s (in this file or in your area).")
                    % {"number": item.plan_decision}
                    if not in_file and not found
                    else _("Several plans are approved by decision %(number)s: write the province.")
                    % {"number": item.plan_decision},
                )
                continue
            item.plan_row = in_file[0] if in_file else None
            item.plan = found[0] if found else (item.plan_row.existing if in_file else None)
            ident = (item.plan.pk if item.plan else id(item.plan_row), item.batch)
            if ident in seen:
                self._add(
                    report,
                    item.row,
                    "batch",
                    _("The same batch is also on row %(other)s.") % {"other": seen[ident]},
                )
                continue  # fmt: skip
            seen[ident] = item.row
            if item.plan is None:
                continue
            held = Allocation.objects.active().filter(plan=item.plan, batch=item.batch).first()
            if held is None:
                continue
            if compact(held.document_number) == compact(item.document_number):
                item.unchanged = True
                self._add(
                    report,
                    item.row,
                    "batch",
                    _("Batch %(batch)s is already recorded: unchanged.") % {"batch": item.batch},
                    UNCHANGED,
                )
            else:
                self._add(
                    report,
                    item.row,
                    "batch",
                    _("Batch %(batch)s of this plan is already recorded by %(number)s.")
                    % {"batch": item.batch, "number": held.document_number},
                )

    # ---------------------------------------------------------------- writes
    def check_by_writing(self, items: list[PlanItem], report: Report) -> None:
        try:
            with transaction.atomic():
                written = {}
                for item in items:
                    try:
                        with transaction.atomic():
                            written[item.row] = item.existing or self.write(item)
                    except Refused as refused:
                        column = PLAN_REFUSAL_COLUMNS.get(refused.code, "decision_number")
                        report.add(item.row, self.header[column], refused.message)
                for allocation, plan in self._pending(written):
                    try:
                        with transaction.atomic():
                            self.write_allocation(allocation, plan)
                    except Refused as refused:
                        column = ALLOCATION_REFUSAL_COLUMNS.get(refused.code, "batch")
                        self._add(report, allocation.row, column, refused.message)
                raise Rollback
        except Rollback:
            pass

    def _pending(self, written: dict[int, Plan]) -> list[tuple[AllocationItem, Plan]]:
        pending = []
        for item in self.allocations:
            plan = item.plan or (written.get(item.plan_row.row) if item.plan_row else None)
            if plan is not None and not item.unchanged:
                pending.append((item, plan))
        return pending

    def commit(self, items: list[PlanItem]) -> int:
        written = {}
        for item in items:
            written[item.row] = item.existing or self.write(item)
        pending = self._pending(written)
        for allocation, plan in pending:
            self.write_allocation(allocation, plan)
        return len([item for item in items if item.existing is None]) + len(pending)

    def write(self, item: PlanItem) -> Plan:
        plan = plan_services.create_plan(
            actor=SYSTEM,
            province=item.province,
            year=item.year,
            end_year=item.end_year,
            kind=item.kind,
            funding_source=item.funding_source,
            title=item.title,
            ceiling=item.ceiling,
            approving_authority=item.issuer,
        )
        return plan_services.approve_plan(
            plan=plan,
            actor=SYSTEM,
            decision_number=item.decision_number,
            decision_date=item.decision_date,
            approving_authority=item.issuer,
        )

    def write_allocation(self, item: AllocationItem, plan: Plan) -> Allocation:
        return plan_services.record_allocation(
            plan=plan,
            actor=SYSTEM,
            batch=item.batch,
            document_kind=item.document_kind,
            document_number=item.document_number,
            document_date=item.document_date,
            issuer=item.issuer,
            amount=item.amount,
            notes=item.notes,
        )


def _recorded_plan(item: PlanItem) -> Plan | None:
    """The plan of the row's province, source and first year approved by its decision."""
    for plan in Plan.objects.active().filter(
        province=item.province, funding_source=item.funding_source, year=item.year
    ):
        if compact(plan.decision_number) == compact(item.decision_number):
            return plan
    return None
