"""Project and progress imports: the rows become calls to projects/services.py, so every
lifecycle rule (dates in order, documents, plan ceilings, advance caps) applies. The check
writes in a transaction and rolls it back: the preview shows what the commit would refuse.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from khuyencong.accounts import roles
from khuyencong.accounts.models import Organisation
from khuyencong.beneficiaries import taxcode
from khuyencong.beneficiaries.models import Beneficiary
from khuyencong.catalog.models import ContentArea, FundingSource
from khuyencong.core.bounds import parse_year
from khuyencong.core.text import clean_text, compact, normalize
from khuyencong.documents.xlsx_reader import Column, as_text
from khuyencong.places.models import AdminUnit, Level
from khuyencong.plans.models import Allocation, Plan
from khuyencong.projects import groups, references, services
from khuyencong.projects.dates import DateRefused
from khuyencong.projects.lifecycle import Refused
from khuyencong.projects.models import (
    Budget,
    DisbursementKind,
    GroupMember,
    KcqgType,
    ProgressUpdate,
    Project,
    ProjectKind,
    Status,
)
from khuyencong.projects.services import SYSTEM
from khuyencong.spreadsheets.addresses import AddressMatcher, Candidate
from khuyencong.spreadsheets.pipeline import (
    ERROR,
    FUND_NAMES,
    UNCHANGED,
    WARNING,
    BeneficiaryImporter,
    FurtherSheet,
    Importer,
    PlaceMixin,
    Report,
    Rollback,
    lookup_table,
)
from khuyencong.spreadsheets.pipeline_plans import PlanImporter
from khuyencong.spreadsheets.pipeline_registrations import RegistrationImporter
from khuyencong.spreadsheets.project_steps import (
    EVENT_COLUMNS,
    EVENT_FIELDS,
    EVENTS_SHEET,
    IMPORT_NOTE,
    STEP_COLUMNS,
    STEP_NAMES,
    STEPS,
    KnownStep,
    Op,
    StepProblem,
    recorded_match,
)
from khuyencong.spreadsheets.project_steps import plan as plan_steps
from khuyencong.spreadsheets.project_steps import write as write_steps

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
        "kind",
        "Loại đề án",
        False,
        "Một đơn vị thụ hưởng / Nhóm (đề án lập theo nhóm) / Trung tâm thực hiện. Để trống: "
        "một đơn vị thụ hưởng nếu có cột Đơn vị thụ hưởng, nếu không là Trung tâm thực hiện.",
        (),
        20,
    ),
    Column(
        "group_size",
        "Số cơ sở hỗ trợ",
        False,
        "Đề án nhóm: số cơ sở dự kiến hỗ trợ (cơ sở tham gia ghi ở trang “Cơ sở tham gia”).",
        (),
        12,
    ),
    Column(
        "plan_decision",
        "Số QĐ kế hoạch",
        False,
        "Số quyết định phê duyệt kế hoạch: cần khi tỉnh có nhiều kế hoạch cùng nguồn trong năm "
        "(kế hoạch chính, kế hoạch bổ sung).",
        (),
        16,
    ),
    Column(
        "batch",
        "Đợt giao",
        False,
        "Đề án KCQG: số đợt giao (1, 2…) của kế hoạch; công văn giao đợt đó phải đã được nhập.",
        (),
        10,
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
        "address",
        "Địa điểm",
        True,
        "Xã/phường, huyện (địa chỉ cũ), tỉnh nơi thực hiện. Đề án Trung tâm thực hiện: có thể "
        "ghi huyện, tỉnh hoặc chỉ tỉnh.",
        (),
        40,
    ),
    Column("commune_code", "Mã xã", False, "Mã xã (nếu biết): được ưu tiên hơn địa điểm.", (), 10),
    Column("budget_national", "Kinh phí KCQG (đồng)", False, "Số nguyên, đơn vị đồng.", (), 16),
    Column("budget_local", "Kinh phí KCĐP (đồng)", False, "", (), 16),
    Column("budget_counterpart", "Vốn đối ứng (đồng)", False, "", (), 16),
    Column("budget_other", "Nguồn khác (đồng)", False, "", (), 16),
    Column("registered_on", "Ngày đăng ký", True, "dd/mm/yyyy", (), 12),
    Column(
        "status",
        "Tình trạng",
        False,
        "Tình trạng hiện tại. Để trống: theo các bước đã ghi (không có bước: Đã đăng ký). Chỉ "
        "ghi tình trạng mà không ghi các bước: đề án được ghi nhận “Chuyển từ dữ liệu cũ”.",
        (),
        20,
    ),
    Column(
        "status_date",
        "Ngày tình trạng",
        False,
        "Ngày đạt tình trạng hiện tại (dd/mm/yyyy); bắt buộc khi chỉ ghi tình trạng.",
        (),
        12,
    ),
    Column(
        "document_number",
        "Số văn bản",
        False,
        "Khi chỉ ghi tình trạng: số văn bản của tình trạng đó (nếu biết). Văn bản của từng "
        "bước ghi ở các cột của bước.",
        (),
        16,
    ),
    Column("progress", "Khối lượng (%)", False, "0–100.", (), 10),
    Column("disbursed", "Đã giải ngân (đồng)", False, "", (), 16),
    Column(
        "settled",
        "Giá trị quyết toán (đồng)",
        False,
        "Cho đề án đã quyết toán (cùng Ngày quyết toán, Số QĐ quyết toán).",
        (),
        16,
    ),
    *STEP_COLUMNS,
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
KCQG_NAMES = {"deandiem": "diem", "diem": "diem", "deannhom": "nhom", "nhom": "nhom"}
KCQG_NAMES |= {"theodoituong": "doi_tuong", "doituong": "doi_tuong"}
# "Loại đề án": the Vietnamese names a department writes (accents and case do not matter)
KIND_WORDS = {
    ProjectKind.SINGLE: ("Một đơn vị thụ hưởng", "Đơn vị thụ hưởng", "Một cơ sở", "Đơn lẻ"),
    ProjectKind.GROUP: ("Nhóm", "Đề án nhóm", "Đề án lập theo nhóm", "Theo nhóm"),
    ProjectKind.CENTRE: (
        "Trung tâm thực hiện", "Trung tâm", "Trung tâm tự thực hiện", "Do Trung tâm thực hiện",
    ),
}  # fmt: skip


def _kind_table() -> dict[str, str]:
    table = {}
    for kind, words in KIND_WORDS.items():
        for word in (*words, kind.value, str(kind.label)):
            table.setdefault(compact(word), kind.value)
    return table


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
    kind: str = ""
    group_size: int | None = None
    plan_decision: str = ""
    batch: int | None = None
    allocation: Any = None
    existing: Any = None  # the project already imported from this row (the same file again)
    status_given: str | None = None  # the "Tình trạng" column, None when empty
    accepted: int | None = None  # "Giá trị nghiệm thu"
    steps: dict[str, KnownStep] = field(default_factory=dict)  # step key -> what the file says
    ops: list[Op] | None = None  # the writes (``project_steps.plan``); None: not planned
    plan: Any = None
    place: Candidate | None = None
    street: str = ""
    # (name, unit type) as written, for an old name whose successor is linked (PlaceMixin)
    written_place: tuple[str, str] | None = None


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


PARTICIPANTS_SHEET = "Cơ sở tham gia"
PARTICIPANT_COLUMNS = [
    Column("code", "Mã đề án", True, "Mã của đề án nhóm (trong tệp này hoặc đã có).", (), 14),
    Column(
        "beneficiary",
        "Đơn vị thụ hưởng",
        True,
        "Mã số thuế, hoặc tên cơ sở đã có trong sổ đăng ký (cùng tên: ghi thêm địa điểm).",
        (),
        30,
    ),
    Column(
        "address",
        "Địa điểm",
        False,
        "Xã/phường, huyện, tỉnh nơi cơ sở được hỗ trợ (để trống: xã của cơ sở).",
        (),
        36,
    ),
    Column("commune_code", "Mã xã", False, "Mã xã (nếu biết): được ưu tiên hơn địa điểm.", (), 10),
    Column(
        "support",
        "Kinh phí hỗ trợ (đồng)",
        True,
        "Số tiền hỗ trợ cơ sở này, số nguyên (đồng).",
        ("Kinh phí hỗ trợ",),
        16,
    ),
    Column(
        "decision_number",
        "Số quyết định",
        True,
        "Số quyết định của Sở Công Thương đưa cơ sở vào đề án.",
        (),
        16,
    ),
    Column("decision_date", "Ngày quyết định", True, "dd/mm/yyyy", (), 12),
    Column(
        "issuer",
        "Cơ quan ban hành",
        False,
        "Cơ quan ban hành quyết định (mặc định: Sở Công Thương).",
        (),
        22,
    ),
    Column(
        "joined_on",
        "Ngày tham gia",
        False,
        "dd/mm/yyyy, từ ngày quyết định (mặc định: ngày quyết định).",
        (),
        12,
    ),
]
# the participant column a refusal of groups.add_member is reported under, by its field
PARTICIPANT_REFUSAL_COLUMNS = {
    "beneficiary": "beneficiary",
    "place": "address",
    "support_amount": "support",
    "decision": "decision_number",
    "joined_on": "joined_on",
}


@dataclass(slots=True)
class ParticipantItem:
    row: int
    code: str
    beneficiary_text: str
    address_text: str
    commune_code: str
    support: int
    decision_number: str
    decision_date: datetime.date | None
    issuer: str
    joined_on: datetime.date | None
    project: Any = None
    beneficiary: Any = None
    place: Any = None
    unchanged: bool = False


class Participants:
    """The sheet "Cơ sở tham gia" of a project file: the participants of group projects (of
    the file or already recorded), each attached by ``groups.add_member`` after the file's
    projects are written. A participant already attached by the same decision is unchanged."""

    def __init__(self, importer: ProjectImporter):
        self.importer = importer
        self.header = {column.key: column.header for column in PARTICIPANT_COLUMNS}
        self.items: list[ParticipantItem] = []

    def add(self, report: Report, row: int, key: str, message: str, level: str = ERROR) -> None:
        report.add(row, self.header[key], message, level, sheet=PARTICIPANTS_SHEET)

    def validate(self, row: int, values: dict[str, Any], report: Report) -> ParticipantItem | None:
        before = len(report.errors)
        scratch = Report()  # the importer's cell helpers, their problems moved to this sheet
        importer = self.importer
        header, importer.header = importer.header, self.header
        try:
            code = importer.text(values, "code", row, scratch, 40)
            importer.required(code, "code", row, scratch)
            beneficiary = importer.text(values, "beneficiary", row, scratch, 300)
            importer.required(beneficiary, "beneficiary", row, scratch)
            support = importer.money(values, "support", row, scratch)
            if values.get("support") in (None, ""):
                importer.required(None, "support", row, scratch)
            number = importer.text(values, "decision_number", row, scratch, 60)
            importer.required(number, "decision_number", row, scratch)
            day = importer.date(values, "decision_date", row, scratch)
            importer.required(day, "decision_date", row, scratch)
            item = ParticipantItem(
                row=row,
                code=code,
                beneficiary_text=beneficiary,
                address_text=importer.text(values, "address", row, scratch, 500),
                commune_code=as_text(values.get("commune_code")),
                support=support,
                decision_number=number,
                decision_date=day,
                issuer=importer.text(values, "issuer", row, scratch, 200),
                joined_on=importer.date(values, "joined_on", row, scratch),
            )
        finally:
            importer.header = header
        for problem in scratch.problems:
            report.add(problem["row"], problem["column"], problem["message"], problem["level"],
                       sheet=PARTICIPANTS_SHEET)  # fmt: skip
        return item if len(report.errors) == before else None

    def match(self, projects: list[ProjectItem], report: Report) -> None:
        sheet = self.importer.sheets.get("participants")
        if sheet is None:
            return
        for row, values in sheet.records():
            item = self.validate(row, values, report)
            if item is not None:
                self.items.append(item)
        # the projects this file creates; those it imported before are recorded ones
        in_file = {item.code for item in projects if item.existing is None}
        user = self.importer.user
        recorded = {
            project.code: project
            for project in roles.scope_queryset(user, Project.objects.active()).filter(
                code__in={item.code for item in self.items} - in_file
            )
        }
        beneficiaries = roles.scope_queryset(user, Beneficiary.objects.active(), beneficiary="pk")
        matcher: AddressMatcher | None = None
        seen: dict[tuple[str, int], int] = {}
        for item in self.items:
            if item.code not in in_file:
                item.project = recorded.get(item.code)
                # a project row of the file with errors: its own row says what is wrong
                if item.project is None and item.code not in self.importer.file_codes:
                    self.add(
                        report,
                        item.row,
                        "code",
                        _("No project with the code %(code)s in this file or in your area.")
                        % {"code": item.code},
                    )
            if item.address_text or item.commune_code:
                matcher = matcher or AddressMatcher()
                found = matcher.match(item.address_text, item.commune_code)
                item.place = found.unit
                if found.unit is None:
                    text = {"text": item.address_text or item.commune_code}
                    message = (
                        _(
                            "“%(text)s” matches several communes: write the district too, or "
                            "the commune code."
                        )
                        if found.ambiguous
                        else _(
                            "No commune found in “%(text)s”: write commune, district and province."
                        )
                    )
                    self.add(report, item.row, "address", message % text)
            item.beneficiary = self._beneficiary(item, beneficiaries, report)
            if item.beneficiary is None:
                continue
            key = (item.code, item.beneficiary.pk)
            if key in seen:
                self.add(
                    report,
                    item.row,
                    "beneficiary",
                    _("The same participant of the same project is also on row %(other)s.")
                    % {"other": seen[key]},
                )
                continue
            seen[key] = item.row
            if item.project is not None and self._attached(item):
                item.unchanged = True
                self.add(
                    report,
                    item.row,
                    "decision_number",
                    _("Already attached to project %(code)s by this decision: unchanged.")
                    % {"code": item.code},
                    UNCHANGED,
                )

    def _attached(self, item: ParticipantItem) -> bool:
        return (
            GroupMember.objects.active()
            .filter(
                project=item.project,
                beneficiary=item.beneficiary,
                decision_number=clean_text(item.decision_number),
            )
            .exists()
        )

    def _beneficiary(self, item: ParticipantItem, queryset: Any, report: Report) -> Any:
        """By tax code, else by name (in the row's commune when it gives one), in the user's
        area: as the project sheet's beneficiary column."""
        text = item.beneficiary_text
        try:
            found = list(queryset.filter(tax_code=taxcode.normalize(text))[:2])
        except taxcode.InvalidTaxCode:
            key = normalize(text)
            rows = queryset.filter(search_text__startswith=key)
            if item.place is not None:
                rows = rows.filter(commune_id=item.place.id)
            found = [b for b in rows[:20] if normalize(b.name) == key]
        if len(found) != 1:
            message = (
                _("No beneficiary “%(value)s” in the registry (in your area).")
                if not found
                else _("Several beneficiaries are called “%(value)s”: give the tax code.")
            )
            self.add(report, item.row, "beneficiary", message % {"value": text})
            return None
        return found[0]

    def _write(self, item: ParticipantItem, project: Project) -> None:
        place = (
            AdminUnit.objects.get(pk=item.place.id)
            if item.place is not None
            else item.beneficiary.commune
        )
        groups.add_member(
            project=project,
            actor=self.importer.user,
            beneficiary=item.beneficiary,
            place=place,
            support_amount=item.support,
            decision_number=item.decision_number,
            decision_date=item.decision_date,
            issuer=item.issuer or "Sở Công Thương",
            joined_on=item.joined_on,
        )

    def _pending(self, written: dict[str, Project]) -> Iterator[tuple[ParticipantItem, Project]]:
        for item in self.items:
            project = item.project or written.get(item.code)
            if item.unchanged or item.beneficiary is None or project is None:
                continue
            yield item, project

    def check_by_writing(self, written: dict[str, Project], report: Report) -> None:
        for item, project in self._pending(written):
            try:
                with transaction.atomic():
                    self._write(item, project)
            except Refused as refused:
                column = PARTICIPANT_REFUSAL_COLUMNS.get(refused.code, "code")
                if isinstance(refused, DateRefused) and refused.field in self.header:
                    column = refused.field
                self.add(report, item.row, column, refused.message)

    def commit(self, written: dict[str, Project]) -> int:
        count = 0
        for item, project in self._pending(written):
            self._write(item, project)
            count += 1
        return count


class ProjectImporter(PlaceMixin, Importer):
    columns = PROJECT_COLUMNS
    further = {
        "participants": FurtherSheet(PARTICIPANTS_SHEET, PARTICIPANT_COLUMNS),
        "events": FurtherSheet(EVENTS_SHEET, EVENT_COLUMNS),
    }
    permission = "imports.projects"

    def __init__(self, user: Any, **kwargs: Any):
        super().__init__(user, **kwargs)
        self.participants = Participants(self)
        self.file_codes: set[str] = set()  # every project code of the file, rows with errors too
        self.areas = lookup_table(ContentArea.objects.active(), "code", "name")
        self.sources = lookup_table(FundingSource.objects.active(), "code", "name", "short_name")
        for key, code in FUND_NAMES.items():
            self.sources.setdefault(key, FundingSource.objects.filter(code=code).first())
        self.units = lookup_table(Organisation.objects.active(), "name", "short_name")
        self.statuses = _status_table()
        self.kinds = _kind_table()

    def validate(self, row: int, values: dict[str, Any], report: Report) -> ProjectItem | None:
        before = len(report.errors)
        h = self.header
        code = self.text(values, "code", row, report, 40)
        self.file_codes.add(code)
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
        kind_text = as_text(values.get("kind"))
        kind = self.kinds.get(compact(kind_text), "") if kind_text else ""
        if kind_text and not kind:
            report.add(
                row,
                h["kind"],
                _(
                    "Unknown kind of project “%(value)s”: write “Một đơn vị thụ hưởng”, “Nhóm” "
                    "or “Trung tâm thực hiện”."
                )
                % {"value": kind_text},
            )
        group_size = self.whole(values, "group_size", row, report, 1, 10_000)
        batch = self.whole(values, "batch", row, report, 1, 99)
        if batch is not None and not year:
            report.add(row, h["batch"], _("A batch belongs to a plan: give the plan year."))
        plan_decision = self.text(values, "plan_decision", row, report, 60)
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
            kind=kind,
            group_size=group_size,
            plan_decision=plan_decision,
            batch=batch,
            status_given=status if status_text else None,
            accepted=self.money(values, "accepted", row, report)
            if values.get("accepted") not in (None, "")
            else None,
            steps=self.step_columns(values, row, report),
        )
        return item if len(report.errors) == before else None

    def step_columns(self, values: dict[str, Any], row: int, report: Report) -> dict[str, Any]:
        """The steps the row's column groups give (a group with no date: not known)."""
        steps = {}
        h = self.header
        for step in STEPS:
            day = self.date(values, step.date, row, report)
            parts = {
                "number": self.text(values, step.number, row, report, 80) if step.number else "",
                "issuer": self.text(values, step.issuer, row, report, 200) if step.issuer else "",
                "reason": self.text(values, step.reason, row, report, 2000) if step.reason else "",
            }
            amount = None
            if step.amount and values.get(step.amount) not in (None, ""):
                amount = self.money(values, step.amount, row, report)
            if day is None:
                if any(parts.values()) or (amount is not None and step.key not in AMOUNT_ALONE):
                    report.add(row, h[step.date], _step_needs_date(step.name))
                continue
            if step.needs_document and not parts["number"]:
                report.add(row, h[step.number], _step_needs_document(step.name))
                continue
            headers = {"date": h[step.date]}
            headers |= {part: h[key] for part, key in (
                ("number", step.number), ("issuer", step.issuer), ("amount", step.amount),
                ("reason", step.reason)) if key}  # fmt: skip
            steps[step.key] = KnownStep(step, day, amount=amount, row=row, headers=headers,
                                        **parts)  # fmt: skip
        return steps

    def whole(
        self, values: dict[str, Any], key: str, row: int, report: Report, low: int, high: int
    ) -> int | None:
        """A whole number from ``low`` to ``high`` (an empty cell: None)."""
        raw = values.get(key)
        if raw in (None, ""):
            return None
        try:
            number = float(raw) if isinstance(raw, int | float) else float(as_text(raw))
            if not number.is_integer() or not low <= number <= high:
                raise ValueError
        except (TypeError, ValueError, OverflowError):
            report.add(
                row,
                self.header[key],
                _("Write a whole number from %(low)s to %(high)s.") % {"low": low, "high": high},
            )
            return None
        return int(number)

    def match(self, items: list[ProjectItem], report: Report) -> None:
        # a project the centre implements itself may take place in a whole district or province
        upper = UpperPlaces()
        resolved = {
            item.row for item in items if self._centre(item) and upper.resolve(self, item, report)
        }
        self.places([item for item in items if item.row not in resolved], report, attr="place")
        h = self.header
        seen: dict[str, int] = {}
        existing = {
            project.code: project
            for project in Project.objects.filter(code__in=[i.code for i in items])
            .select_related("plan")
            .only(
                "code", "title", "province", "district", "beneficiary", "plan__year",
                "plan__end_year", "kind",
            )
        }  # fmt: skip
        beneficiaries = roles.scope_queryset(
            self.user, Beneficiary.objects.active(), beneficiary="pk"
        )
        for item in items:
            if item.code in existing:
                holder = existing[item.code]
                if self._same(item, holder):
                    item.existing = holder
                else:
                    report.add(
                        item.row,
                        h["code"],
                        services.project_code_taken(self.user, item.code, holder),
                    )
            elif item.code in seen:
                report.add(
                    item.row,
                    h["code"],
                    _("The code is also on row %(other)s of this file.")
                    % {"other": seen[item.code]},
                )
            seen.setdefault(item.code, item.row)
            if item.existing is not None:
                continue
            if item.beneficiary:
                item.beneficiary = self._beneficiary(item, beneficiaries, report)
            else:
                item.beneficiary = None
            if item.year and item.funding_source and item.place is not None:
                item.plan = self._plan(item, report)
            if item.batch is not None and item.plan is not None:
                item.allocation = (
                    Allocation.objects.active().filter(plan=item.plan, batch=item.batch).first()
                )
                if item.allocation is None:
                    report.add(
                        item.row,
                        h["batch"],
                        _(
                            "Batch %(batch)s of the plan “%(plan)s” is not recorded: import "
                            "the allocation letter first (plans import, sheet “Đợt giao”)."
                        )
                        % {"batch": item.batch, "plan": _plan_label(item.plan)},
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
        self.events_sheet(items, report)
        for item in items:
            self.plan(item, report)
        self.participants.match(items, report)

    def events_sheet(self, items: list[ProjectItem], report: Report) -> None:
        """The sheet "Các bước": one row per step of a project of this file, merged with the
        steps its row's columns give (the same step twice must agree)."""
        sheet = self.sheets.get("events")
        if sheet is None:
            return
        by_code = {item.code: item for item in items}
        header = {column.key: column.header for column in EVENT_COLUMNS}

        def add(row: int, key: str, message: str) -> None:
            report.add(row, header[key], message, sheet=EVENTS_SHEET)

        for row, values in sheet.records():
            scratch = Report()
            saved, self.header = self.header, header
            try:
                code = self.text(values, "code", row, scratch, 40)
                name = as_text(values.get("step"))
                day = self.date(values, "date", row, scratch)
                number = self.text(values, "document_number", row, scratch, 80)
                issuer = self.text(values, "issuer", row, scratch, 200)
                reason = self.text(values, "reason", row, scratch, 2000)
                raw = values.get("amount")
                amount = None if raw in (None, "") else self.money(values, "amount", row, scratch)
            finally:
                self.header = saved
            for problem in scratch.problems:
                report.add(problem["row"], problem["column"], problem["message"],
                           problem["level"], sheet=EVENTS_SHEET)  # fmt: skip
            step = STEP_NAMES.get(compact(name)) if name else None
            if not code:
                add(row, "code", _("This column is required."))
            if step is None:
                add(row, "step", _("Unknown step “%(value)s”: write one of %(steps)s.")
                    % {"value": name, "steps": ", ".join(s.name for s in STEPS)})  # fmt: skip
            if day is None and not scratch.problems:
                add(row, "date", _step_needs_date(step.name if step else name))
            if scratch.problems or step is None or day is None or not code:
                continue
            if step.needs_document and not number:
                add(row, "document_number", _step_needs_document(step.name))
                continue
            if amount is not None and not step.amount:
                add(row, "amount", _("Step “%(step)s” does not take an amount.")
                    % {"step": step.name})  # fmt: skip
                continue
            item = by_code.get(code)
            if item is None:
                if code not in self.file_codes:
                    add(row, "code", _("No project with the code %(code)s in this file.")
                        % {"code": code})  # fmt: skip
                continue
            headers = {part: header[key] for part, key in EVENT_FIELDS.items()}
            known = KnownStep(step, day, number, issuer, amount, reason, row, EVENTS_SHEET,
                              headers)  # fmt: skip
            other = item.steps.get(step.key)
            if other is None:
                item.steps[step.key] = known
            elif (other.date, compact(other.number)) != (day, compact(number)) or (
                amount is not None and other.amount not in (None, amount)
            ):
                add(row, "step", _("Step “%(step)s” of project %(code)s is also given, "
                    "differently, on row %(other)s of the sheet “%(sheet)s”.")
                    % {"step": step.name, "code": code, "other": other.row,
                       "sheet": other.sheet or DATA_SHEET_NAME})  # fmt: skip

    def plan(self, item: ProjectItem, report: Report) -> None:
        """The item's writes; for a project already imported, those not recorded yet (a
        step recorded differently is a conflict, never overwritten)."""
        try:
            ops = plan_steps(item, self.header)
        except StepProblem as problem:
            row, column, sheet = problem.where
            report.add(row, column, problem.message, sheet=sheet)
            return
        if item.existing is None:
            item.ops = ops
            return
        new, conflicts = recorded_match(item.existing, ops)
        for conflict in conflicts:
            row, column, sheet = conflict.where
            report.add(row, column, conflict.message, sheet=sheet)
        if conflicts:
            return
        item.ops = new
        if not new:
            report.add(
                item.row,
                self.header["code"],
                _("Project %(code)s was already imported: unchanged.") % {"code": item.code},
                UNCHANGED,
            )

    @staticmethod
    def _centre(item: ProjectItem) -> bool:
        """Whether the row is a project the centre implements itself (said, or inferred)."""
        if item.kind:
            return item.kind == ProjectKind.CENTRE
        return not item.beneficiary and item.kcqg_type != KcqgType.GROUP

    def _same(self, item: ProjectItem, holder: Project) -> bool:
        """The row is the project already imported (the same file again): the same code and
        title, in the user's area. Anything else with its code is a clash."""
        return compact(holder.title) == compact(item.title) and roles.in_scope(self.user, holder)

    def _plan(self, item: ProjectItem, report: Report) -> Any:
        """The plan of the row's source whose period includes its year, in its province; of
        several (the main plan, supplementary plans), the one "Số QĐ kế hoạch" names."""
        h = self.header
        family = AdminUnit.province_family_ids(item.place.province_id)
        plans = list(
            Plan.objects.active()
            .for_year(item.year)
            .filter(funding_source=item.funding_source, province_id__in=family)
            .select_related("funding_source")
            .order_by("year", "kind", "pk")
        )
        if not plans:
            report.add(
                item.row,
                h["year"],
                _("No %(year)s plan of this funding source in the project's province.")
                % {"year": item.year},
            )
            return None
        if item.plan_decision:
            named = [p for p in plans if compact(p.decision_number) == compact(item.plan_decision)]
            if len(named) == 1:
                return named[0]
            report.add(
                item.row,
                h["plan_decision"],
                _("No %(year)s plan of this source approved by decision %(number)s; the plans: "
                  "%(plans)s.")
                % {
                    "year": item.year,
                    "number": item.plan_decision,
                    "plans": "; ".join(_plan_label(p) for p in plans),
                },
            )  # fmt: skip
            return None
        if len(plans) > 1:
            report.add(
                item.row,
                h["plan_decision"],
                _(
                    "Several %(year)s plans of this source: write the number of the plan's "
                    "approving decision (%(plans)s)."
                )
                % {"year": item.year, "plans": "; ".join(_plan_label(p) for p in plans)},
            )
            return None
        return plans[0]

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
                written = {}
                for item in items:
                    if item.ops is None:
                        continue  # its problems are reported
                    try:
                        with transaction.atomic():
                            written[item.code] = self.write(item)
                    except StepProblem as problem:
                        row, column, sheet = problem.where
                        report.add(row, column, problem.message, sheet=sheet)
                    except Refused as refused:
                        column = REFUSAL_COLUMNS.get(refused.code, "status")
                        if isinstance(refused, DateRefused):
                            # the registration's date, else a step's: the status date
                            column = (
                                "registered_on"
                                if refused.field == "registered_on"
                                else "status_date"
                            )
                        report.add(item.row, self.header[column], refused.message)
                self.participants.check_by_writing(written, report)
                raise Rollback
        except Rollback:
            pass

    def commit(self, items: list[ProjectItem]) -> int:
        written = {}
        changed = 0
        for item in items:
            if item.existing is not None and not item.ops:
                written[item.code] = item.existing
                continue
            written[item.code] = self.write(item)
            changed += 1
        added = self.participants.commit(written)
        return changed + added

    def write(self, item: ProjectItem) -> Project:
        if item.existing is not None:  # the steps the file adds to a project imported before
            write_steps(item.existing, item.ops or [])
            return item.existing
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
            kind=item.kind,
            group_size=item.group_size,
            allocation=item.allocation,
            budget=item.budget,
            reason=IMPORT_NOTE,
            written_place=item.written_place,
        )
        write_steps(project, item.ops or [])
        return project


# the amounts a status-only row may give for its baseline, without the step's date
AMOUNT_ALONE = frozenset({"accept", "settle"})


def _step_needs_date(name: str) -> str:
    return _("Step “%(step)s” needs its date.") % {"step": name}


def _step_needs_document(name: str) -> str:
    return _("Step “%(step)s” needs the number of its document.") % {"step": name}


DATA_SHEET_NAME = "Dữ liệu"

# the column a refusal of the services is reported under (by its field; else "Tình trạng")
REFUSAL_COLUMNS = {
    "kind": "kind",
    "beneficiary": "beneficiary",
    "group_size": "group_size",
    "allocation": "batch",
    "place": "address",
    "kcqg_type": "kcqg_type",
}


def _plan_label(plan: Plan) -> str:
    """A plan as a row error names it: its title and approving decision."""
    if plan.decision_number:
        return _("%(title)s, decision %(number)s") % {
            "title": plan.title,
            "number": plan.decision_number,
        }
    return _("%(title)s, not approved yet") % {"title": plan.title}


# the kind of a province or district written before its name, often abbreviated
UNIT_PREFIX = re.compile(
    r"^(tỉnh|t\.|thành phố|tp\.?|huyện|h\.|quận|q\.|thị xã|tx\.?)\s*", re.IGNORECASE
)


class UpperPlaces:
    """A province or a district named alone ("Tỉnh Bắc Kạn", "Huyện Na Rì, Tỉnh Bắc Kạn"):
    the place of a project the centre implements itself, which need not be a commune."""

    def __init__(self) -> None:
        self.provinces: dict[str, list[AdminUnit]] = {}
        self.districts: dict[tuple[int, str], list[AdminUnit]] = {}
        levels = (Level.PROVINCE, Level.DISTRICT)
        for unit in AdminUnit.objects.filter(level__in=levels).only(
            "pk", "era", "level", "name", "short_name", "parent", "province", "valid_from",
            "valid_to",
        ):  # fmt: skip
            for name in {compact(unit.name), compact(unit.short_name)} - {""}:
                if unit.level == Level.PROVINCE:
                    self.provinces.setdefault(name, []).append(unit)
                else:
                    self.districts.setdefault((unit.province_id, name), []).append(unit)

    def resolve(self, importer: Importer, item: Any, report: Report) -> bool:
        """Set ``item.place`` when its address is a province or a district of one; False
        when it is not (a commune address: the usual matching)."""
        if item.commune_code:
            return False
        parts = [part.strip() for part in item.address_text.split(",") if part.strip()]
        if not 1 <= len(parts) <= 2:
            return False
        day = item.registered_on
        provinces = self._valid(self._named(self.provinces, parts[-1], lambda name: name), day)
        if len(provinces) != 1:
            return False
        unit = provinces[0]
        if len(parts) == 2:
            districts = self._named(self.districts, parts[0], lambda name: (unit.pk, name))
            districts = self._valid(districts, day)
            if len(districts) != 1:
                return False
            label = f"{districts[0].name}, {unit.name}"
            unit = districts[0]
        else:
            label = unit.name
        province_id = unit.province_id or unit.pk
        district_id = unit.pk if unit.level == Level.DISTRICT else None
        area = SimpleNamespace(scope_province_id=province_id, scope_district_id=district_id)
        if not roles.in_scope(importer.user, area):
            report.add(
                item.row,
                importer.header["address"],
                _("%(place)s is outside your area of responsibility.") % {"place": label},
            )
            return True
        item.place = Candidate(unit.pk, unit.era, label, province_id, unit.parent_id)
        return True

    @staticmethod
    def _named(table: dict[Any, list[AdminUnit]], text: str, key: Any) -> list[AdminUnit]:
        """The units ``text`` names: as written, or without its abbreviated kind ("TP. Lạng
        Sơn", "TX Hoàng Mai", "T. Nghệ An" name the short name)."""
        found = table.get(key(compact(text)))
        if found:
            return found
        bare = UNIT_PREFIX.sub("", text.strip())
        return table.get(key(compact(bare)), []) if bare != text.strip() else []

    @staticmethod
    def _valid(units: list[AdminUnit], day: datetime.date | None) -> list[AdminUnit]:
        if day is None or len(units) < 2:
            return units
        return [unit for unit in units if unit.is_valid_on(day)] or units


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
            ProgressUpdate.objects.effective()
            .filter(project_id__in={item.project.pk for item in items}, disbursed_amount__gt=0)
            .values_list(
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
                        column = "date" if isinstance(refused, DateRefused) else "progress"
                        report.add(item.row, self.header[column], refused.message)
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
        "plans": PlanImporter,
    }[kind]
