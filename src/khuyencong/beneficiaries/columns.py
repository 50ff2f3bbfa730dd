"""The beneficiary list's Excel export (Vietnamese headers: a file format, like the report
annex). ``BeneficiaryListView.export_columns`` names it."""

from __future__ import annotations

from khuyencong.documents.export import ExportColumn as C
from khuyencong.documents.export import ExportColumns, local_date

BENEFICIARY_EXPORT = ExportColumns(
    [
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
)
