"""The registration list's Excel export (Vietnamese headers: a file format, like the report
annex). ``RegistrationListView.export_columns`` names it."""

from __future__ import annotations

from khuyencong.documents.export import ExportColumn as C
from khuyencong.documents.export import ExportColumns, choice_label
from khuyencong.registrations.models import Outcome, Status

REGISTRATION_EXPORT = ExportColumns(
    [
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
            choice_label(Outcome, "screening_outcome"),
            width=14,
            needs=("screening_outcome",),
        ),
        C("Trạng thái", choice_label(Status, "status"), width=18, needs=("status",)),
    ]
)
