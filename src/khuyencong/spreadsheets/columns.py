"""Column specs of the exported lists (Vietnamese headers: a file format, like the report
annex). A list page names its spec in ``FilteredListView.export_columns``."""

from __future__ import annotations

from typing import Any

from khuyencong.projects.selectors import state_of
from khuyencong.spreadsheets.export import ExportColumn as C


def _district(row: Any) -> str:
    return row.district.name if row.district_id else ""


BENEFICIARY_EXPORT = [
    C("Tên cơ sở", lambda b: b.name, width=36),
    C("Loại hình", lambda b: b.kind.name, width=24),
    C("Mã số thuế", lambda b: b.tax_code, width=16),
    C("Người đại diện", lambda b: b.representative, width=22),
    C("Địa chỉ", lambda b: b.address, width=30),
    C("Xã/phường", lambda b: b.commune.name, width=22),
    C("Mã xã", lambda b: b.commune.code, width=10),
    C("Huyện", _district, width=22),
    C("Tỉnh", lambda b: b.province.name, width=20),
    C("Ngành nghề", lambda b: b.industry.name if b.industry_id else "", width=30),
    C("Điện thoại", lambda b: b.phone, width=14),
    C("Email", lambda b: b.email, width=22),
    C("Ngày tạo", lambda b: b.created_at, "date", width=12),
]


def _state(row: Any) -> Any:
    """The project's state on the list's date, computed once per row (rows come from
    ``project_list``, whose annotations already hold the as-of values)."""
    state = getattr(row, "_export_state", None)
    if state is None:
        state = row._export_state = state_of(row)
    return state


PROJECT_EXPORT = [
    C("Mã đề án", lambda p: p.code, width=14),
    C("Tên đề án", lambda p: p.title, width=48),
    C("Nội dung hoạt động", lambda p: p.content_area.name, width=28),
    C("Nguồn kinh phí", lambda p: p.plan.funding_source.name if p.plan_id else "", width=16),
    C("Năm kế hoạch", lambda p: p.plan.year if p.plan_id else None, "number", width=10),
    C("Đơn vị thực hiện", lambda p: p.implementing_unit.name, width=30),
    C("Đơn vị thụ hưởng", lambda p: p.beneficiary.name if p.beneficiary_id else "", width=30),
    C("Địa điểm", lambda p: p.place.name, width=22),
    C("Huyện", _district, width=20),
    C("Tỉnh", lambda p: p.province.name, width=18),
    C("Kinh phí KCQG (đồng)", lambda p: _state(p).budget.national, "money"),
    C("Kinh phí KCĐP (đồng)", lambda p: _state(p).budget.local, "money"),
    C("Vốn đối ứng (đồng)", lambda p: _state(p).budget.counterpart, "money"),
    C("Nguồn khác (đồng)", lambda p: _state(p).budget.other, "money"),
    C("Tình trạng", lambda p: _state(p).status_label, width=20),
    C("Khối lượng (%)", lambda p: _state(p).progress_percent, "percent", width=10),
    C("Đã giải ngân (đồng)", lambda p: _state(p).disbursed, "money"),
    C("Ngày bắt đầu", lambda p: p.start_date, "date", width=12),
    C("Ngày kết thúc", lambda p: p.end_date, "date", width=12),
]


PLAN_EXPORT = [
    C("Năm", lambda p: p.year, "number", width=8),
    C("Tỉnh", lambda p: p.province.name, width=20),
    C("Nguồn kinh phí", lambda p: p.funding_source.name, width=22),
    C("Tên kế hoạch", lambda p: p.title, width=48),
    C("Cơ quan phê duyệt", lambda p: p.approving_authority, width=24),
    C("Số quyết định", lambda p: p.decision_number, width=16),
    C("Ngày quyết định", lambda p: p.decision_date, "date", width=12),
    C("Trạng thái", lambda p: p.get_status_display(), width=14),
]
