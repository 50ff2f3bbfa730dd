"""Column specs of the exported lists (Vietnamese headers: a file format, like the report
annex). A list page names its spec in ``FilteredListView.export_columns``."""

from __future__ import annotations

from khuyencong.plans.models import PlanStatus
from khuyencong.projects.models import Status
from khuyencong.registrations.models import Outcome
from khuyencong.registrations.models import Status as RegistrationStatus
from khuyencong.spreadsheets.export import ExportColumn as C
from khuyencong.spreadsheets.export import local_date

BENEFICIARY_EXPORT = [
    C("Tên cơ sở", "name", width=36),
    C("Loại hình", "kind__name", width=24),
    C("Mã số thuế", "tax_code", width=16),
    C("Người đại diện", "representative", width=22),
    C("Địa chỉ", "address", width=30),
    C("Xã/phường", "commune__name", width=22),
    C("Mã xã", "commune__code", width=10),
    C("Huyện", "district__name", width=22),
    C("Tỉnh", "province__name", width=20),
    C("Ngành nghề", "industry__name", width=30),
    C("Điện thoại", "phone", width=14),
    C("Email", "email", width=22),
    C("Ngày tạo", lambda r: local_date(r["created_at"]), "date", 12, ("created_at",)),
]


def _status_label(row: dict) -> str:
    status = row["as_of_status"]
    return str(Status(status).label) if status else ""


# Rows come from projects.selectors.project_list: the as_of_* annotations hold the state on
# the list's date (budget after adjustments, progress, money disbursed).
PROJECT_EXPORT = [
    C("Mã đề án", "code", width=14),
    C("Tên đề án", "title", width=48),
    C("Nội dung hoạt động", "content_area__name", width=28),
    C("Nguồn kinh phí", "plan__funding_source__name", width=16),
    C("Năm kế hoạch", "plan__year", "number", width=10),
    C("Đơn vị thực hiện", "implementing_unit__name", width=30),
    C("Đơn vị thụ hưởng", "beneficiary__name", width=30),
    C("Địa điểm", "place__name", width=22),
    C("Huyện", "district__name", width=20),
    C("Tỉnh", "province__name", width=18),
    C("Kinh phí KCQG (đồng)", "as_of_budget_national", "money"),
    C("Kinh phí KCĐP (đồng)", "as_of_budget_local", "money"),
    C("Vốn đối ứng (đồng)", "as_of_budget_counterpart", "money"),
    C("Nguồn khác (đồng)", "as_of_budget_other", "money"),
    C("Tình trạng", _status_label, width=20, needs=("as_of_status",)),
    C("Khối lượng (%)", "as_of_progress", "percent", width=10),
    C("Đã giải ngân (đồng)", "as_of_disbursed", "money"),
    C("Ngày bắt đầu", "start_date", "date", width=12),
    C("Ngày kết thúc", "end_date", "date", width=12),
]

PLAN_EXPORT = [
    C("Năm", "year", "number", width=8),
    C("Tỉnh", "province__name", width=20),
    C("Nguồn kinh phí", "funding_source__name", width=22),
    C("Tên kế hoạch", "title", width=48),
    C("Cơ quan phê duyệt", "approving_authority", width=24),
    C("Số quyết định", "decision_number", width=16),
    C("Ngày quyết định", "decision_date", "date", width=12),
    C(
        "Trạng thái",
        lambda r: str(PlanStatus(r["status"]).label),
        width=14,
        needs=("status",),
    ),
]


def _choice_label(choices: type, key: str) -> object:
    def label(row: dict) -> str:
        value = row[key]
        return str(choices(value).label) if value else ""

    return label


REGISTRATION_EXPORT = [
    C("Mã đăng ký", "code", width=18),
    C("Năm kế hoạch", "target_year", "number", width=10),
    C("Nguồn kinh phí", "funding_source__name", width=16),
    C("Nội dung hoạt động", "content_area__name", width=28),
    C("Tên đề án", "title", width=44),
    C("Đơn vị thụ hưởng", "beneficiary__name", width=30),
    C("Mã số thuế", "beneficiary__tax_code", width=16),
    C("Địa điểm", "place__name", width=22),
    C("Tỉnh", "province__name", width=18),
    C("Ngày đăng ký", "registered_on", "date", width=12),
    C("Tổng vốn đầu tư (đồng)", "total_investment", "money"),
    C("Đề nghị KCQG (đồng)", "requested_national", "money"),
    C("Đề nghị KCĐP (đồng)", "requested_local", "money"),
    C("Đề nghị nguồn khác (đồng)", "requested_other", "money"),
    C("Vốn đối ứng (đồng)", "counterpart", "money"),
    C(
        "Sàng lọc",
        _choice_label(Outcome, "screening_outcome"),
        width=14,
        needs=("screening_outcome",),
    ),
    C("Trạng thái", _choice_label(RegistrationStatus, "status"), width=18, needs=("status",)),
]
