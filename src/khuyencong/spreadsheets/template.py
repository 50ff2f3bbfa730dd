"""Downloadable import templates: an instructions sheet, the data sheet with its header row
(frozen) and drop-down lists (data validation) fed from a hidden sheet of catalog values."""

from __future__ import annotations

import datetime
from typing import Any

from khuyencong.catalog.models import BeneficiaryKind, ContentArea, FundingSource, Industry
from khuyencong.documents import xlsx
from khuyencong.documents.xlsx_reader import Column
from khuyencong.projects.models import Status
from khuyencong.spreadsheets.pipeline import BENEFICIARY_COLUMNS
from khuyencong.spreadsheets.pipeline_plans import (
    ALLOCATION_COLUMNS,
    ALLOCATIONS_SHEET,
    PLAN_COLUMNS,
    PLANS_SHEET,
)
from khuyencong.spreadsheets.pipeline_projects import (
    IMPORTABLE,
    PARTICIPANT_COLUMNS,
    PARTICIPANTS_SHEET,
    PROGRESS_COLUMNS,
    PROJECT_COLUMNS,
)
from khuyencong.spreadsheets.pipeline_registrations import REGISTRATION_COLUMNS
from khuyencong.spreadsheets.project_steps import EVENT_COLUMNS, EVENTS_SHEET

TITLES = {
    "beneficiaries": "Mẫu nhập danh sách đơn vị thụ hưởng",
    "projects": "Mẫu nhập danh sách đề án (kèm tình trạng và tiến độ hiện tại)",
    "progress": "Mẫu nhập tiến độ thực hiện, giải ngân của đề án",
    "registrations": "Mẫu nhập đăng ký đề án (bản nháp, sau đó nộp từng hồ sơ)",
    "plans": "Mẫu nhập kế hoạch khuyến công (năm hoặc giai đoạn) và các đợt giao KCQG",
}
COLUMNS = {
    "beneficiaries": BENEFICIARY_COLUMNS,
    "projects": PROJECT_COLUMNS,
    "progress": PROGRESS_COLUMNS,
    "registrations": REGISTRATION_COLUMNS,
    "plans": PLAN_COLUMNS,
}
DATA_SHEET = "Dữ liệu"
# the main sheet's name where it is not "Dữ liệu", and the further sheets (optional in a file)
SHEET_NAMES = {"plans": PLANS_SHEET}
FURTHER = {
    "projects": [(PARTICIPANTS_SHEET, PARTICIPANT_COLUMNS), (EVENTS_SHEET, EVENT_COLUMNS)],
    "plans": [(ALLOCATIONS_SHEET, ALLOCATION_COLUMNS)],
}
# an example value per column of the issue 19 sheets, on the instructions sheet (not in the
# data sheets, where a forgotten example would be imported)
EXAMPLES = {
    "projects": {
        "code": "KCĐP-2025-03", "title": "Hỗ trợ máy chế biến miến dong", "year": "2025",
        "funding_source": "KCĐP", "plan_decision": "15/QĐ-UBND", "batch": "2 (đề án KCQG)",
        "kind": "Nhóm", "group_size": "3", "implementing_unit": "Trung tâm Khuyến công …",
        "beneficiary": "4700123452 (để trống với đề án nhóm, Trung tâm thực hiện)",
        "address": "Xã Cường Lợi, Huyện Na Rì, Tỉnh Bắc Kạn (Trung tâm thực hiện: Tỉnh Bắc Kạn)",
        "budget_local": "300000000", "registered_on": "10/01/2025",
        "status": "(để trống: theo các bước)", "status_date": "(chỉ khi không ghi bước)",
        "document_number": "(chỉ khi không ghi bước)",
        "appraise_date": "20/02/2025", "approve_date": "01/03/2025",
        "approve_number": "31/QĐ-UBND", "approve_issuer": "UBND tỉnh Bắc Kạn",
        "assign_date": "15/03/2025", "assign_number": "40/QĐ-SCT",
        "assign_issuer": "Sở Công Thương", "contract_date": "01/04/2025",
        "contract_number": "07/2025/HĐ-KC", "accept_date": "20/09/2025",
        "accept_number": "15/BB-NT", "accepted": "295000000",
    },
    EVENTS_SHEET: {
        "code": "KCĐP-2025-03", "step": "Ký hợp đồng", "date": "01/04/2025",
        "document_number": "07/2025/HĐ-KC", "issuer": "Trung tâm Khuyến công …",
        "amount": "(chỉ Nghiệm thu, Quyết toán)", "reason": "(chỉ Dừng thực hiện)",
    },
    PARTICIPANTS_SHEET: {
        "code": "KCĐP-2025-03", "beneficiary": "HTX Thành Ngân hoặc 4700123452",
        "address": "Xã Cường Lợi, Huyện Na Rì, Tỉnh Bắc Kạn", "support": "100000000",
        "decision_number": "45/QĐ-SCT", "decision_date": "15/07/2025",
        "issuer": "Sở Công Thương", "joined_on": "15/07/2025",
    },
    "plans": {
        "province": "Tỉnh Bắc Kạn", "funding_source": "KCĐP", "year": "2024",
        "end_year": "2026", "kind": "Chính / Bổ sung",
        "title": "Kế hoạch khuyến công địa phương giai đoạn 2024 – 2026",
        "ceiling": "3000000000", "decision_number": "15/QĐ-UBND",
        "decision_date": "10/01/2024", "issuer": "UBND tỉnh Bắc Kạn",
    },
    ALLOCATIONS_SHEET: {
        "plan_decision": "1234/QĐ-BCT", "province": "Tỉnh Bắc Kạn", "batch": "1",
        "document_kind": "Công văn / Quyết định", "document_number": "210/CV-CCT",
        "document_date": "05/03/2024", "issuer": "Cục Công Thương địa phương",
        "amount": "1200000000",
    },
}  # fmt: skip
# notes of one kind of file, after the common ones
KIND_NOTES = {
    "projects": [
        "Các bước của đề án (thẩm định, phê duyệt, giao nhiệm vụ, ký hợp đồng, bắt đầu thực "
        "hiện, nghiệm thu, quyết toán, dừng): ghi ngày và số văn bản của bước nào đã biết, ở "
        "các cột của bước đó hoặc ở trang “Các bước” (mỗi dòng một bước). Bước không ghi thì "
        "không được tạo ra.",
        "Nếu chỉ biết tình trạng hiện tại (hoặc bước đầu tiên đã biết là ký hợp đồng mà không "
        "biết phê duyệt), đề án được ghi một lần “Chuyển từ dữ liệu cũ”: báo cáo không lấy "
        "ngày, tháng nào từ mốc này.",
        "Nhập lại tệp đã nhập: các bước đã ghi (cùng ngày, cùng số văn bản) không thay đổi; "
        "bước mới được thêm; bước đã ghi khác ngày hoặc số văn bản được báo là xung đột, "
        "không ghi đè.",
    ],
}
DATA_ROWS = 10_000
NOTES = [
    "Điền dữ liệu vào trang “Dữ liệu”, mỗi dòng một bản ghi; không đổi tên các cột.",
    "Cột có dấu * là bắt buộc. Ngày ghi dd/mm/yyyy; số tiền ghi số nguyên (đồng).",
    "Địa chỉ ghi theo đơn vị hành chính trước 1/7/2025 (xã, huyện, tỉnh) hoặc từ 1/7/2025 "
    "(xã/phường, tỉnh); nếu địa chỉ khớp nhiều xã, hệ thống sẽ hỏi để bạn chọn.",
    "Khi tải lên, hệ thống kiểm tra toàn bộ tệp và báo lỗi theo dòng, cột; chỉ khi không còn "
    "lỗi nào thì mới nhập, và nhập tất cả hoặc không nhập gì.",
    "Trang thứ hai (nếu có) là tùy chọn; nhập lại cùng một tệp không tạo bản ghi trùng: các "
    "dòng đã nhập được báo là “không thay đổi”.",
]


def _lists(kind: str) -> dict[str, list[str]]:
    today = datetime.date.today()
    if kind == "beneficiaries":
        return {
            "kind": [k.name for k in BeneficiaryKind.objects.selectable(today)],
            "industry": [i.name for i in Industry.objects.selectable(today)],
        }
    if kind == "projects":
        return {
            "content_area": [
                a.name for a in ContentArea.objects.selectable(today).filter(parent__isnull=False)
            ],
            "funding_source": [s.short_name or s.name for s in FundingSource.objects.active()],
            "kcqg_type": ["Đề án điểm", "Đề án nhóm", "Theo đối tượng"],
            "kind": ["Một đơn vị thụ hưởng", "Nhóm", "Trung tâm thực hiện"],
            "status": [str(Status(s).label) for s in IMPORTABLE],
        }
    if kind == "plans":
        return {
            "funding_source": [s.short_name or s.name for s in FundingSource.objects.active()],
            "kind": ["Chính", "Bổ sung"],
        }
    if kind == "registrations":
        return {
            "funding_source": [s.short_name or s.name for s in FundingSource.objects.active()],
            "content_area": [
                a.name for a in ContentArea.objects.selectable(today).filter(parent__isnull=False)
            ],
            "industry": [i.name for i in Industry.objects.selectable(today)],
            "machinery_new": ["Có", "Không"],
        }
    return {"kind": ["Tạm ứng", "Thanh toán"]}


def build_template(kind: str) -> bytes:
    from openpyxl.styles import Font

    columns = COLUMNS[kind]
    workbook = xlsx.new_workbook()
    guide = workbook.active
    guide.title = "Hướng dẫn"
    xlsx.put(guide, 1, 1, TITLES[kind]).font = Font(bold=True, size=14)
    notes = NOTES + KIND_NOTES.get(kind, [])
    for offset, note in enumerate(notes, start=3):
        xlsx.put(guide, offset, 1, f"• {note}")
    start = len(notes) + 4
    sheets = [(SHEET_NAMES.get(kind, DATA_SHEET), kind, columns)]
    sheets += [(name, name, further) for name, further in FURTHER.get(kind, [])]
    for name, example_key, sheet_columns in sheets:
        if len(sheets) > 1:
            xlsx.put(guide, start, 1, f"Trang “{name}”").font = Font(bold=True, size=12)
            start += 1
        start = _guide(guide, start, sheet_columns, EXAMPLES.get(example_key, {})) + 1
    guide.column_dimensions["A"].width = 28
    guide.column_dimensions["B"].width = 10
    guide.column_dimensions["C"].width = 100
    guide.column_dimensions["D"].width = 40
    lists = workbook.create_sheet("Danh mục")
    for name, _key, sheet_columns in sheets:
        sheet = workbook.create_sheet(name, index=len(workbook.sheetnames) - 1)
        _data_sheet(sheet, sheet_columns)
        if sheet_columns is columns:
            _validations(sheet, lists, columns, _lists(kind))
    lists.sheet_state = "hidden"
    workbook.active = 1
    return xlsx.save_workbook(workbook)


def _guide(guide: Any, start: int, columns: list[Column], examples: dict[str, str]) -> int:
    """The table of a sheet's columns on the instructions sheet; returns the next free row."""
    from openpyxl.styles import Font

    headings = ("Cột", "Bắt buộc", "Hướng dẫn", "Ví dụ") if examples else ("Cột", "Bắt buộc",
                                                                          "Hướng dẫn")  # fmt: skip
    for index, heading in enumerate(headings, start=1):
        xlsx.put(guide, start, index, heading).font = Font(bold=True)
    for offset, column in enumerate(columns, start=start + 1):
        xlsx.put(guide, offset, 1, column.header)
        xlsx.put(guide, offset, 2, "Có" if column.required else "")
        xlsx.put(guide, offset, 3, column.help)
        if column.key in examples:
            xlsx.put(guide, offset, 4, examples[column.key])
    return start + len(columns) + 2


def _data_sheet(sheet: Any, columns: list[Column]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    fill = PatternFill("solid", fgColor="D9E1F2")
    for index, column in enumerate(columns, start=1):
        cell = xlsx.put(sheet, 1, index, column.header)
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"


def _validations(
    sheet: Any, lists: Any, columns: list[Column], values_by_key: dict[str, list[str]]
) -> None:
    """Drop-down lists on the data sheet, fed from the hidden sheet of catalog values."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    positions = {column.key: index for index, column in enumerate(columns, start=1)}
    for list_index, (key, values) in enumerate(values_by_key.items(), start=1):
        letter = get_column_letter(list_index)
        xlsx.put(lists, 1, list_index, key)
        for row, value in enumerate(values, start=2):
            xlsx.put(lists, row, list_index, value)  # catalog names: text, never formulas
        if key not in positions or not values:
            continue
        target = get_column_letter(positions[key])
        validation = DataValidation(
            type="list",
            formula1=f"='Danh mục'!${letter}$2:${letter}${len(values) + 1}",
            allow_blank=True,
            showErrorMessage=False,  # codes typed by hand are accepted too
        )
        validation.add(f"{target}2:{target}{DATA_ROWS + 1}")
        sheet.add_data_validation(validation)
