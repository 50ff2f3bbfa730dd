"""The project and plan lists' Excel exports (Vietnamese headers: a file format, like the
report annex). The list views name them in ``export_columns``."""

from __future__ import annotations

from khuyencong.documents.export import ExportColumn as C
from khuyencong.documents.export import ExportColumns, choice_label
from khuyencong.plans.models import PlanKind, PlanStatus
from khuyencong.projects.kinds import export_supported
from khuyencong.projects.models import ProjectKind, Status

# Rows come from projects.selectors.project_list: the as_of_* annotations hold the state on
# the list's date (budget after adjustments, progress, money disbursed); member_count the
# group projects' participants on that date (kinds.with_member_count).
PROJECT_EXPORT = ExportColumns(
    [
        C("Mã đề án", "code", width=14),
        C("Tên đề án", "title", width=48),
        C("Nội dung hoạt động", "content_area__name", width=28),
        C("Nguồn kinh phí", "plan__funding_source__name", width=16),
        C("Năm kế hoạch", "plan__year", "number", width=10),
        C("Đơn vị thực hiện", "implementing_unit__name", width=30),
        C("Loại đề án", choice_label(ProjectKind, "kind"), width=22, needs=("kind",)),
        # a group project's participants (on the list's date), never an invented beneficiary
        C(
            "Đơn vị thụ hưởng",
            export_supported,
            width=30,
            needs=("kind", "member_count", "beneficiary__name"),
        ),
        C("Địa điểm", "place__name", width=22),
        C("Huyện", "district__name", width=20),
        C("Tỉnh", "province__name", width=18),
        C("Kinh phí KCQG (đồng)", "as_of_budget_national", "money"),
        C("Kinh phí KCĐP (đồng)", "as_of_budget_local", "money"),
        C("Vốn đối ứng (đồng)", "as_of_budget_counterpart", "money"),
        C("Nguồn khác (đồng)", "as_of_budget_other", "money"),
        C(
            "Tình trạng",
            choice_label(Status, "as_of_status"),
            width=20,
            needs=("as_of_status",),
        ),
        C("Khối lượng (%)", "as_of_progress", "percent", width=10),
        C("Đã giải ngân (đồng)", "as_of_disbursed", "money"),
        C("Ngày bắt đầu", "start_date", "date", width=12),
        C("Ngày kết thúc", "end_date", "date", width=12),
    ]
)

PLAN_EXPORT = ExportColumns(
    [
        C("Năm", "year", "number", width=8),
        C("Đến năm", "end_year", "number", width=8),
        C("Tỉnh", "province__name", width=20),
        C("Nguồn kinh phí", "funding_source__name", width=22),
        C("Loại kế hoạch", choice_label(PlanKind, "kind"), width=18, needs=("kind",)),
        C("Tên kế hoạch", "title", width=48),
        C("Cơ quan phê duyệt", "approving_authority", width=24),
        C("Số quyết định", "decision_number", width=16),
        C("Ngày quyết định", "decision_date", "date", width=12),
        C("Trạng thái", choice_label(PlanStatus, "status"), width=14, needs=("status",)),
    ]
)
