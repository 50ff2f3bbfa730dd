"""Demo: the registrations Bắc Kạn received in 2018 for the 2019 plan (the seed's last part).

The seed report ends: the department "đã nhận được nội dung đăng ký thực hiện kế hoạch khuyến
công năm 2019 của các cơ sở công nghiệp nông thôn … Tuy nhiên qua xem xét, chưa có Đề án nào
đáp ứng được yêu cầu, mục tiêu của đề án khuyến công Quốc gia, do đó … chưa có “Nguồn” để xây
dựng kế hoạch kinh phí khuyến công Quốc gia năm 2019."

``load_bac_kan_2019_registrations()`` (a step of ``manage.py load_demo``, idempotent) files
eight registrations from the six seed establishments through the real services, submitted in
May 2018 (before the 20 May deadline of TT 36/2013) and screened: the five asking the
national fund each fail with their reasons; the three asking the local fund pass.

INVENTED (the seed names no registration): every title, amount, date and answer below; that
the places are upland areas (Bắc Kạn is a mountainous province). The establishments, their
communes and industries are the seed's (``demo.loader.BENEFICIARIES``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from khuyencong.catalog.models import ContentArea, FundingSource
from khuyencong.demo import loader
from khuyencong.projects.services import SYSTEM
from khuyencong.registrations import selectors, services
from khuyencong.registrations.models import Registration, Status
from khuyencong.registrations.seed import seed_rules

D = datetime.date
YEAR = 2019
M = 1_000_000


@dataclass(frozen=True)
class DemoRegistration:
    beneficiary: str  # name, as in demo.loader.BENEFICIARIES
    source: str  # FundingSource.code
    content_area: str
    title: str
    product: str
    description: str
    registered_on: datetime.date
    total: int
    requested: int
    counterpart: int
    why: str  # what the screening finds (for the reader of this file)
    extra: dict[str, Any] = field(default_factory=dict)


UPLAND = {"area_upland_border_ethnic": True}

REGISTRATIONS: tuple[DemoRegistration, ...] = (
    DemoRegistration(
        "HKD Sằm Văn Thường",
        "national",
        "machinery",
        "Hỗ trợ ứng dụng máy móc thiết bị trong sản xuất gạch đất sét nung",
        "Gạch đất sét nung bằng lò vòng",
        "Đầu tư máy nhào đùn ép liên hợp và cải tạo lò vòng nung gạch đất sét, công suất 3 "
        "triệu viên/năm.",
        D(2018, 5, 14),
        900 * M,
        400 * M,
        500 * M,
        "fail: fired-clay brick in a ring kiln is excluded (TT 46/2012 Art. 5); also above the "
        "300 M cap (unconfirmed row: needs review)",
        {"machinery_new": True, "workforce": 12, "local_raw_material_percent": 90, **UPLAND},
    ),
    DemoRegistration(
        "HTX Thành Ngân",
        "national",
        "machinery",
        "Hỗ trợ ứng dụng máy móc thiết bị trong gia công cơ khí, sản xuất phụ tùng",
        "Phụ tùng cơ khí nông nghiệp; máy tiện, máy phay đã qua sử dụng",
        "Mua máy tiện CNC và máy phay đã qua sử dụng (nhập khẩu tân trang) để gia công phụ tùng "
        "máy nông nghiệp.",
        D(2018, 5, 15),
        700 * M,
        300 * M,
        400 * M,
        "fail: the machinery is second-hand (TT 46/2012 Art. 4: new equipment only)",
        {"machinery_new": False, "workforce": 18, **UPLAND},
    ),
    DemoRegistration(
        "HTX Nông nghiệp Tân Thành",
        "national",
        "demo_model",
        "Xây dựng mô hình trình diễn kỹ thuật chế biến miến dong",
        "Miến dong; dây chuyền tráng, sấy miến bán tự động",
        "Mô hình trình diễn dây chuyền tráng và sấy miến dong bán tự động tại xã Nông Thượng.",
        D(2018, 5, 16),
        1200 * M,
        480 * M,
        720 * M,
        "fail: the technology already exists in the district (TT 46/2012 Art. 4), and 480 M is "
        "above 30 % of the cost (360 M, TT 28/2018)",
        {"technology_new_in_district": False, "workforce": 25, "local_raw_material_percent": 80},
    ),
    DemoRegistration(
        "Công ty TNHH Đinh Lâm",
        "national",
        "machinery",
        "Hỗ trợ ứng dụng máy móc thiết bị trong sản xuất đũa, tăm tre xuất khẩu",
        "Đũa tre, tăm tre",
        "Đầu tư dây chuyền chẻ, vót, sấy và đóng gói đũa tre.",
        D(2018, 5, 17),
        800 * M,
        450 * M,
        200 * M,
        "fail: support and counterpart (650 M) do not cover the 800 M cost (TTLT 26/2014 Art. "
        "7); also above 50 % / 300 M (unconfirmed row: needs review)",
        {"machinery_new": True, "workforce": 30, "export_contract": True, **UPLAND},
    ),
    DemoRegistration(
        "HTX Thành Long",
        "national",
        "trade_fair",
        "Hỗ trợ tham gia hội chợ triển lãm quốc tế tại Nam Ninh, Trung Quốc",
        "Đồ mộc dân dụng",
        "Thuê gian hàng và vận chuyển sản phẩm đồ mộc tham gia hội chợ ASEAN – Trung Quốc.",
        D(2018, 5, 18),
        120 * M,
        80 * M,
        40 * M,
        "fail: already two fairs abroad supported in 2019 (TT 46/2012 Art. 4: at most 2 a year)",
        {"fairs_abroad_count": 2, "workforce": 9, **UPLAND},
    ),
    DemoRegistration(
        "HKD Lại Văn Tú",
        "local",
        "machinery",
        "Hỗ trợ ứng dụng máy móc thiết bị trong sản xuất đồ mộc dân dụng",
        "Đồ mộc dân dụng; máy bào, máy cưa, máy chà nhám mới",
        "Mua máy bào cuốn, máy cưa đa năng và máy chà nhám mới.",
        D(2018, 5, 14),
        160 * M,
        70 * M,
        90 * M,
        "pass",
        {"machinery_new": True, "workforce": 6, "local_raw_material_percent": 70, **UPLAND},
    ),
    DemoRegistration(
        "HTX Thành Long",
        "local",
        "design_packaging",
        "Hỗ trợ thiết kế mẫu mã, bao bì sản phẩm đồ mộc",
        "Đồ mộc dân dụng",
        "Thiết kế bộ nhận diện, mẫu mã và bao bì cho sản phẩm đồ mộc của hợp tác xã.",
        D(2018, 5, 15),
        40 * M,
        20 * M,
        20 * M,
        "pass",
        {"workforce": 9, **UPLAND},
    ),
    DemoRegistration(
        "HTX Nông nghiệp Tân Thành",
        "local",
        "brand",
        "Hỗ trợ xây dựng và đăng ký nhãn hiệu miến dong Tân Thành",
        "Miến dong",
        "Xây dựng, đăng ký nhãn hiệu và quảng bá sản phẩm miến dong.",
        D(2018, 5, 16),
        60 * M,
        30 * M,
        30 * M,
        "pass",
        {"workforce": 25, "local_raw_material_percent": 80},
    ),
)


def load_bac_kan_2019_registrations() -> dict[str, int]:
    """Idempotent: creates the missing demo registrations, submits and screens them."""
    loader.ensure_catalogs()
    seed_rules()
    loader.load_organisations()
    loader.load_beneficiaries()
    centre = loader.centre()
    rules = selectors.rules_bundle()
    created = 0
    for spec in REGISTRATIONS:
        beneficiary = loader.beneficiary(spec.beneficiary)
        exists = Registration.objects.filter(
            beneficiary=beneficiary, target_year=YEAR, title=spec.title
        ).exists()
        if exists:
            continue
        with transaction.atomic():
            registration = services.create_registration(
                actor=SYSTEM,
                target_year=YEAR,
                funding_source=FundingSource.objects.get(code=spec.source),
                content_area=ContentArea.objects.get(code=spec.content_area),
                title=spec.title,
                beneficiary=beneficiary,
                implementing_unit=centre,
                place=beneficiary.commune,
                product=spec.product,
                description=spec.description,
                registered_on=spec.registered_on,
                planned_start=D(YEAR, 3, 1),
                planned_end=D(YEAR, 11, 30),
                total_investment=spec.total,
                counterpart=spec.counterpart,
                **{f"requested_{spec.source}": spec.requested},
                **spec.extra,
            )
            services.submit_registration(
                registration=registration, actor=SYSTEM, on=spec.registered_on, rules=rules
            )
        created += 1
    received = Registration.objects.filter(
        province=loader.bac_kan(), target_year=YEAR, status=Status.SUBMITTED
    ).count()
    return {"registrations_created": created, "registrations_2019": received}
