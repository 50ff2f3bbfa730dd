"""Demo: Bắc Kạn's report settings as the seed report shows them (its signer, Nông Thị Thảo,
signing for the director; the provincial programme 2016–2020; the 2019 focus). The signer's
capacity and position and the recipients are INVENTED (the seed names only the signer).

``load_bac_kan_report_settings()`` is an idempotent step of ``manage.py load_demo``: it
creates the row when missing and never overwrites an edited one.
"""

from __future__ import annotations

from khuyencong.places.models import AdminUnit, Era, Level
from khuyencong.reports.models import ReportSettings

BAC_KAN_CODE = "06"
RECIPIENTS = (
    "Cục Công Thương địa phương (b/c)",
    "UBND tỉnh Bắc Kạn (b/c)",
    "Lãnh đạo Sở",
    "Trung tâm Khuyến công và XTTM",
    "Lưu: VT, QLCN",
)
FOCUS_AREAS = (
    "Hỗ trợ xây dựng mô hình trình diễn kỹ thuật để phổ biến công nghệ mới, sản xuất sản phẩm mới",
    "Hỗ trợ ứng dụng máy móc thiết bị, chuyển giao công nghệ tiên tiến vào sản xuất công nghiệp "
    "– tiểu thủ công nghiệp",
    "Hỗ trợ xây dựng và đăng ký thương hiệu, nhãn hiệu đối với các sản phẩm công nghiệp nông thôn",
)


def load_bac_kan_report_settings() -> dict[str, int]:
    province = AdminUnit.objects.get(era=Era.LEGACY, level=Level.PROVINCE, code=BAC_KAN_CODE)
    if ReportSettings.objects.active().filter(province=province).exists():
        return {"report_settings_created": 0}
    ReportSettings(
        province=province,
        symbol="BC-SCT",
        signer_capacity="KT. GIÁM ĐỐC",
        signer_position="PHÓ GIÁM ĐỐC",
        signer_name="Nông Thị Thảo",
        recipients="\n".join(RECIPIENTS),
        local_programme="Chương trình khuyến công tỉnh Bắc Kạn giai đoạn 2016 – 2020",
        focus_areas="\n".join(FOCUS_AREAS),
    ).save()
    return {"report_settings_created": 1}
