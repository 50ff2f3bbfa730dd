"""Downloadable import templates: an instructions sheet, the data sheet with its header row
(frozen) and drop-down lists (data validation) fed from a hidden sheet of catalog values."""

from __future__ import annotations

import datetime

from khuyencong.catalog.models import BeneficiaryKind, ContentArea, FundingSource, Industry
from khuyencong.documents import xlsx
from khuyencong.projects.models import Status
from khuyencong.spreadsheets.pipeline import BENEFICIARY_COLUMNS
from khuyencong.spreadsheets.pipeline_projects import IMPORTABLE, PROGRESS_COLUMNS, PROJECT_COLUMNS
from khuyencong.spreadsheets.pipeline_registrations import REGISTRATION_COLUMNS

TITLES = {
    "beneficiaries": "Mẫu nhập danh sách đơn vị thụ hưởng",
    "projects": "Mẫu nhập danh sách đề án (kèm tình trạng và tiến độ hiện tại)",
    "progress": "Mẫu nhập tiến độ thực hiện, giải ngân của đề án",
    "registrations": "Mẫu nhập đăng ký đề án (bản nháp, sau đó nộp từng hồ sơ)",
}
COLUMNS = {
    "beneficiaries": BENEFICIARY_COLUMNS,
    "projects": PROJECT_COLUMNS,
    "progress": PROGRESS_COLUMNS,
    "registrations": REGISTRATION_COLUMNS,
}
DATA_ROWS = 10_000
NOTES = [
    "Điền dữ liệu vào trang “Dữ liệu”, mỗi dòng một bản ghi; không đổi tên các cột.",
    "Cột có dấu * là bắt buộc. Ngày ghi dd/mm/yyyy; số tiền ghi số nguyên (đồng).",
    "Địa chỉ ghi theo đơn vị hành chính trước 1/7/2025 (xã, huyện, tỉnh) hoặc từ 1/7/2025 "
    "(xã/phường, tỉnh); nếu địa chỉ khớp nhiều xã, hệ thống sẽ hỏi để bạn chọn.",
    "Khi tải lên, hệ thống kiểm tra toàn bộ tệp và báo lỗi theo dòng, cột; chỉ khi không còn "
    "lỗi nào thì mới nhập, và nhập tất cả hoặc không nhập gì.",
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
            "status": [str(Status(s).label) for s in IMPORTABLE],
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
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    columns = COLUMNS[kind]
    workbook = xlsx.new_workbook()
    guide = workbook.active
    guide.title = "Hướng dẫn"
    xlsx.put(guide, 1, 1, TITLES[kind]).font = Font(bold=True, size=14)
    for offset, note in enumerate(NOTES, start=3):
        xlsx.put(guide, offset, 1, f"• {note}")
    start = len(NOTES) + 4
    for index, heading in enumerate(("Cột", "Bắt buộc", "Hướng dẫn"), start=1):
        xlsx.put(guide, start, index, heading).font = Font(bold=True)
    for offset, column in enumerate(columns, start=start + 1):
        xlsx.put(guide, offset, 1, column.header)
        xlsx.put(guide, offset, 2, "Có" if column.required else "")
        xlsx.put(guide, offset, 3, column.help)
    guide.column_dimensions["A"].width = 28
    guide.column_dimensions["B"].width = 10
    guide.column_dimensions["C"].width = 100

    sheet = workbook.create_sheet("Dữ liệu")
    lists = workbook.create_sheet("Danh mục")
    fill = PatternFill("solid", fgColor="D9E1F2")
    for index, column in enumerate(columns, start=1):
        cell = xlsx.put(sheet, 1, index, column.header)
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    positions = {column.key: index for index, column in enumerate(columns, start=1)}
    for list_index, (key, values) in enumerate(_lists(kind).items(), start=1):
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
    lists.sheet_state = "hidden"
    workbook.active = 1
    return xlsx.save_workbook(workbook)
