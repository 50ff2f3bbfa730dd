"""Demo data = the seed: Bắc Kạn's 2018 khuyến công plans and their 13 projects.

``load_bac_kan_2018_projects()`` is one idempotent step of ``manage.py load_demo``. It finds
(or creates, if the other demo steps have not run) the administrative units, catalog rows,
organisations and the six seed beneficiaries by code or name, then the two 2018 plans and
their projects, each walked through the real lifecycle services (``services.SYSTEM`` actor),
so the seed data obeys every rule.

As of 30/06/2018 the data states exactly what /work/shared/seed/report-2018-bac-kan.txt says:
- KCQG: 3 machinery projects, 600 triệu đồng, assigned by Cục Công Thương địa phương in
  May 2018; Tân Thành contracted and in progress; Thành Ngân assigned, under review
  (adjustment or stop considered); Đinh Lâm asked to stop (khó khăn về thị trường tiêu thụ).
- KCĐP: 10 projects, 529 triệu đồng: 2 accepted, 4 at 50 % of the work, 2 asked to stop,
  2 not started.
Later 2018 events (progress, acceptances, stop decisions, settlements) show the as-of views.

INVENTED (the seed gives no such figures): every decision/contract/minutes number and date,
each project's budget split (the totals are the seed's), the counterpart amounts, the
advances and payments, the reasons of the two KCĐP stop requests, the project codes and
everything dated after 30/06/2018.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from khuyencong.accounts.models import Organisation
from khuyencong.beneficiaries.models import Beneficiary
from khuyencong.catalog.models import BeneficiaryKind, ContentArea, FundingSource
from khuyencong.core.text import normalize
from khuyencong.places.models import AdminUnit
from khuyencong.plans.models import Plan, PlanStatus
from khuyencong.projects import plan_services, services
from khuyencong.projects.models import Budget, DisbursementKind, EventKind, Project
from khuyencong.projects.services import SYSTEM

D = datetime.date
YEAR = 2018
LEGACY_END = D(2025, 6, 30)
AS_OF = D(2018, 6, 30)

# ----------------------------------------------------------------------------- places
# Legacy (pre-2025) units with their official codes, as the places loader stores them.
PROVINCE = ("06", "Tỉnh", "Tỉnh Bắc Kạn", "Bắc Kạn", "tinhbackan")
DISTRICTS = {
    "058": ("Thành phố", "Thành phố Bắc Kạn", "Bắc Kạn", "thanhphobackan"),
    "061": ("Huyện", "Huyện Ba Bể", "Ba Bể", "huyenbabe"),
    "065": ("Huyện", "Huyện Chợ Mới", "Chợ Mới", "huyenchomoi"),
    "066": ("Huyện", "Huyện Na Rì", "Na Rì", "huyennari"),
}
COMMUNES = {  # code: (district code, type, name, short name, key)
    "01852": ("058", "Xã", "Xã Nông Thượng", "Nông Thượng", "xanongthuong"),
    "01888": ("061", "Thị trấn", "Thị trấn Chợ Rã", "Chợ Rã", "thitranchora"),
    "02116": ("065", "Xã", "Xã Yên Hân", "Yên Hân", "xayenhan"),
    "02152": ("066", "Xã", "Xã Cường Lợi", "Cường Lợi", "xacuongloi"),
    "02173": ("066", "Xã", "Xã Côn Minh", "Côn Minh", "xaconminh"),
    "02185": ("066", "Xã", "Xã Quang Phong", "Quang Phong", "xaquangphong"),
}


def _unit(level: str, code: str, defaults: dict[str, Any]) -> Any:
    unit, created = AdminUnit.objects.get_or_create(
        era="legacy",
        level=level,
        code=code,
        defaults={**defaults, "valid_to": LEGACY_END, "search_text": normalize(defaults["name"])},
    )
    if created and level == "province":
        unit.province = unit
        unit.save(update_fields=["province"])
    return unit


def ensure_admin_units() -> dict[str, Any]:
    """The Bắc Kạn units the seed needs (the places loader makes them all; this is the
    fallback when it has not run). Returns units by code."""
    code, unit_type, name, short, key = PROVINCE
    province = _unit(
        "province",
        code,
        {"unit_type": unit_type, "name": name, "short_name": short, "key": key},
    )
    units = {code: province}
    for code, (unit_type, name, short, key) in DISTRICTS.items():
        units[code] = _unit(
            "district",
            code,
            {
                "unit_type": unit_type,
                "name": name,
                "short_name": short,
                "key": key,
                "parent": province,
                "province": province,
            },
        )
    for code, (district, unit_type, name, short, key) in COMMUNES.items():
        units[code] = _unit(
            "commune",
            code,
            {
                "unit_type": unit_type,
                "name": name,
                "short_name": short,
                "key": key,
                "parent": units[district],
                "province": province,
            },
        )
    return units


# ----------------------------------------------------------------------------- catalogs
FUNDING_SOURCES = {
    "national": ("Khuyến công quốc gia", "National fund", "KCQG", 1),
    "local": ("Khuyến công địa phương", "Local fund", "KCĐP", 2),
    "other": ("Nguồn khác", "Other sources", "Khác", 3),
}
CONTENT_GROUPS = {  # code: (name, English name, order)
    "art4_3": ("Mô hình trình diễn kỹ thuật, ứng dụng máy móc thiết bị", "Demonstration", 3),
    "art4_4": ("Phát triển sản phẩm CNNT, xúc tiến thương mại", "Products and trade", 4),
    "art4_5": ("Tư vấn, trợ giúp", "Consulting", 5),
    "art4_6": ("Cung cấp thông tin, tuyên truyền", "Information", 6),
    "art4_9": ("Nâng cao năng lực quản lý và tổ chức thực hiện", "Management capacity", 9),
}
CONTENT_AREAS = {  # code: (group, name, English name)
    "machinery": (
        "art4_3",
        "Hỗ trợ ứng dụng máy móc thiết bị tiên tiến",
        "Application of machinery",
    ),
    "product_vote": ("art4_4", "Bình chọn sản phẩm CNNT tiêu biểu", "Product vote"),
    "trade_fair": ("art4_4", "Hội chợ, triển lãm", "Trade fairs"),
    "design_packaging": ("art4_5", "Thiết kế mẫu mã, bao bì", "Design and packaging"),
    "information": ("art4_6", "Thông tin, tuyên truyền", "Information"),
    "staff_training": ("art4_9", "Hội nghị, tập huấn", "Staff training"),
    "plan_building": ("art4_9", "Khảo sát, xây dựng kế hoạch", "Plan building"),
    "programme_management": ("art4_9", "Quản lý chương trình, đề án", "Programme management"),
}
BENEFICIARY_KINDS = {
    "sme": ("Doanh nghiệp nhỏ và vừa", "SME", "DNNVV"),
    "cooperative": ("Hợp tác xã", "Cooperative", "HTX"),
    "household": ("Hộ kinh doanh", "Household business", "HKD"),
}


def ensure_catalogs() -> None:
    """The catalog rows the seed needs, by code (``seed_catalogs`` makes them all)."""
    for code, (name, name_en, short, order) in FUNDING_SOURCES.items():
        FundingSource.objects.get_or_create(
            code=code,
            defaults={"name": name, "name_en": name_en, "short_name": short, "sort_order": order},
        )
    for code, (name, name_en, order) in CONTENT_GROUPS.items():
        ContentArea.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "sort_order": order * 100}
        )
    for code, (group, name, name_en) in CONTENT_AREAS.items():
        ContentArea.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "parent": ContentArea.objects.get(code=group),
            },
        )
    for code, (name, name_en, short) in BENEFICIARY_KINDS.items():
        BeneficiaryKind.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "short_name": short}
        )


# ----------------------------------------------------------------------------- organisations
AGENCY_NAME = "Cục Công Thương địa phương"
DEPARTMENT_NAME = "Sở Công Thương tỉnh Bắc Kạn"
CENTRE_NAME = "Trung tâm Khuyến công và Xúc tiến thương mại tỉnh Bắc Kạn"


def _organisation(kind: str, name: str, province: Any, **extra: Any) -> Any:
    found = Organisation.objects.filter(kind=kind, province=province).order_by("pk")
    match = next((o for o in found if normalize(o.name) == normalize(name)), None)
    match = match or (found.first() if kind != "national_agency" else None)
    if match is None and kind == "national_agency":
        match = Organisation.objects.filter(kind=kind).order_by("pk").first()
    return match or Organisation.objects.create(kind=kind, name=name, province=province, **extra)


def ensure_organisations(province: Any) -> dict[str, Any]:
    agency = _organisation("national_agency", AGENCY_NAME, None, short_name="Cục CTĐP")
    department = _organisation("department", DEPARTMENT_NAME, province, short_name="Sở Công Thương")
    centre = _organisation("centre", CENTRE_NAME, province, parent=department, short_name="TTKC")
    return {"agency": agency, "department": department, "centre": centre}


# ----------------------------------------------------------------------------- beneficiaries
# key: (kind, name as the seed writes it, commune code, distinctive words for lookup)
BENEFICIARIES = {
    "tan_thanh": ("cooperative", "HTX Nông nghiệp Tân Thành", "01852", "tan thanh"),
    "thanh_ngan": ("cooperative", "HTX Thành Ngân", "02152", "thanh ngan"),
    "dinh_lam": ("sme", "Công ty TNHH Đinh Lâm", "01888", "dinh lam"),
    "lai_van_tu": ("household", "HKD Lại Văn Tú", "02185", "lai van tu"),
    "thanh_long": ("cooperative", "HTX Thành Long", "02116", "thanh long"),
    "sam_van_thuong": ("household", "HKD Sằm Văn Thường", "02173", "sam van thuong"),
}


def ensure_beneficiaries(units: dict[str, Any]) -> dict[str, Any]:
    """The six seed beneficiaries at their legacy communes, found by their distinctive name
    words at the commune (whatever prefix another step used), created if absent."""
    found = {}
    for key, (kind, name, commune, words) in BENEFICIARIES.items():
        unit = units[commune]
        match = (
            Beneficiary.objects.active()
            .filter(commune=unit, search_text__contains=words)
            .order_by("pk")
            .first()
        )
        found[key] = match or Beneficiary.objects.create(
            kind=BeneficiaryKind.objects.get(code=kind), name=name, commune=unit
        )
    return found


# ----------------------------------------------------------------------------- plans and projects


@dataclass(frozen=True)
class PlanSpec:
    source: str
    title: str
    authority: str
    decision_number: str
    decision_date: datetime.date
    ceiling: int


PLANS = {
    "national": PlanSpec(
        "national",
        "Kế hoạch khuyến công quốc gia năm 2018 – tỉnh Bắc Kạn",
        "Bộ Công Thương",
        "4855/QĐ-BCT",  # invented
        D(2017, 12, 27),  # invented
        600_000_000,  # seed: "03 đề án … kinh phí 600 triệu đồng"
    ),
    "local": PlanSpec(
        "local",
        "Kế hoạch khuyến công địa phương năm 2018 tỉnh Bắc Kạn",
        "UBND tỉnh Bắc Kạn",
        "2318/QĐ-UBND",  # invented
        D(2017, 12, 20),  # invented
        529_000_000,  # seed: "10 đề án … kinh phí là 529 triệu đồng"
    ),
}


def ev(
    kind: str,
    day: datetime.date,
    number: str = "",
    issuer: str = "",
    reason: str = "",
    amount: int | None = None,
) -> tuple:
    return ("event", kind, day, number, issuer, reason, amount)


def pr(
    day: datetime.date,
    percent: int,
    amount: int = 0,
    kind: str = DisbursementKind.ADVANCE,
    note: str = "",
) -> tuple:
    return ("progress", day, percent, amount, kind, note)


@dataclass(frozen=True)
class ProjectSpec:
    code: str
    plan: str
    title: str
    content_area: str
    budget: Budget
    beneficiary: str | None = None
    place: str = PROVINCE[0]  # a commune code, or the province
    kcqg_type: str = ""
    expected_results: str = ""
    steps: tuple = field(default=())


CUC = AGENCY_NAME
SO = DEPARTMENT_NAME
KCQG_ASSIGNED = D(2018, 5, 8)  # seed: "giao nhiệm vụ từ tháng 5/2018"; day and number invented
KCDP_ASSIGNED = D(2018, 1, 10)


def _kcqg_start() -> tuple:
    return (
        ev(EventKind.APPRAISE, D(2017, 6, 10), "Phiếu 4a", SO),
        ev(EventKind.APPROVE, D(2017, 12, 27), "4855/QĐ-BCT", "Bộ Công Thương"),
        ev(EventKind.ASSIGN, KCQG_ASSIGNED, "215/QĐ-CTĐP", CUC),
    )


def _kcdp_start() -> tuple:
    return (
        ev(EventKind.APPRAISE, D(2017, 11, 15), "Biên bản thẩm định", SO),
        ev(EventKind.APPROVE, D(2017, 12, 20), "2318/QĐ-UBND", "UBND tỉnh Bắc Kạn"),
        ev(EventKind.ASSIGN, KCDP_ASSIGNED, "05/QĐ-SCT", SO),
    )


MACHINERY_WOOD = "Hỗ trợ ứng dụng máy móc thiết bị trong sản xuất đồ mộc dân dụng"
STOP_LETTER = "Đơn vị thụ hưởng có văn bản xin dừng thực hiện đề án"  # invented reason

PROJECTS: tuple[ProjectSpec, ...] = (
    # --- KCQG: 3 machinery projects, 600 M in total (split invented) -------------------------
    ProjectSpec(
        "BK-KCQG-2018-01",
        "national",
        "Hỗ trợ ứng dụng máy móc thiết bị trong chế biến nông lâm sản",
        "machinery",
        Budget(national=250_000_000, counterpart=300_000_000),
        beneficiary="tan_thanh",
        place="01852",
        kcqg_type="doi_tuong",
        steps=(
            *_kcqg_start(),
            ev(EventKind.CONTRACT, D(2018, 5, 25), "01/2018/HĐ-KCQG", CUC),
            pr(D(2018, 6, 20), 40, 100_000_000, note="Tạm ứng lần 1"),
            # after 30/06/2018
            pr(D(2018, 9, 20), 100, 75_000_000, note="Tạm ứng lần 2"),
            ev(EventKind.ACCEPT, D(2018, 10, 15), "12/BB-NTCS", SO, amount=250_000_000),
            pr(D(2018, 11, 5), 100, 75_000_000, DisbursementKind.PAYMENT, "Thanh toán"),
            ev(EventKind.SETTLE, D(2018, 12, 20), "45/QĐ-CTĐP", CUC, amount=250_000_000),
        ),
    ),
    ProjectSpec(
        "BK-KCQG-2018-02",
        "national",
        "Hỗ trợ ứng dụng máy móc thiết bị trong sản xuất sản phẩm phụ tùng cơ khí",
        "machinery",
        Budget(national=200_000_000, counterpart=220_000_000),
        beneficiary="thanh_ngan",
        place="02152",
        kcqg_type="doi_tuong",
        steps=(
            *_kcqg_start(),
            ev(
                EventKind.UNDER_REVIEW,
                D(2018, 6, 12),
                reason="Đang nghiên cứu thị trường máy móc thiết bị để xem xét xin điều chỉnh "
                "nội dung hỗ trợ hoặc xin dừng thực hiện đề án",
            ),
            # after 30/06/2018: a content adjustment (budget unchanged)
            ev(
                EventKind.REQUEST_ADJUSTMENT,
                D(2018, 7, 16),
                "18/CV-HTX",
                reason="Xin điều chỉnh nội dung hỗ trợ: thay đổi chủng loại máy móc thiết bị",
            ),
            ev(EventKind.APPROVE_ADJUSTMENT, D(2018, 8, 20), "301/QĐ-CTĐP", CUC),
        ),
    ),
    ProjectSpec(
        "BK-KCQG-2018-03",
        "national",
        "Hỗ trợ ứng dụng trong sản xuất các sản phẩm từ tre",  # the seed's wording
        "machinery",
        Budget(national=150_000_000, counterpart=160_000_000),
        beneficiary="dinh_lam",
        place="01888",
        kcqg_type="doi_tuong",
        steps=(
            *_kcqg_start(),
            ev(
                EventKind.REQUEST_STOP,
                D(2018, 6, 18),
                "12/CV-ĐL",
                "Công ty TNHH Đinh Lâm",
                reason="Đơn vị gặp khó khăn về thị trường tiêu thụ",
            ),
            # after 30/06/2018
            ev(EventKind.APPROVE_STOP, D(2018, 8, 10), "280/QĐ-CTĐP", CUC),
        ),
    ),
    # --- KCĐP: 10 projects, 529 M in total (split invented) -----------------------------------
    ProjectSpec(
        "BK-KCDP-2018-01",
        "local",
        "Tổ chức bình chọn sản phẩm CNNT tiêu biểu tỉnh Bắc Kạn năm 2018",
        "product_vote",
        Budget(local=60_000_000),
        steps=(
            *_kcdp_start(),
            ev(EventKind.CONTRACT, D(2018, 2, 5), "02/2018/HĐ-TTKC", SO),
            pr(D(2018, 3, 20), 50, 30_000_000),
            pr(D(2018, 5, 10), 100),
            ev(EventKind.ACCEPT, D(2018, 5, 25), "08/BB-NT", SO, amount=58_000_000),
            pr(D(2018, 6, 15), 100, 28_000_000, DisbursementKind.PAYMENT),
            ev(EventKind.SETTLE, D(2018, 12, 14), "120/QĐ-SCT", SO, amount=58_000_000),
        ),
    ),
    ProjectSpec(
        "BK-KCDP-2018-02",
        "local",
        "Hỗ trợ kinh phí khảo sát xây dựng kế hoạch khuyến công năm 2019",
        "plan_building",
        Budget(local=15_000_000),
        steps=(
            *_kcdp_start(),
            ev(EventKind.CONTRACT, D(2018, 3, 1), "04/2018/HĐ-TTKC", SO),
            pr(D(2018, 5, 15), 100, 10_000_000),
            ev(EventKind.ACCEPT, D(2018, 6, 20), "11/BB-NT", SO, amount=15_000_000),
            pr(D(2018, 7, 10), 100, 5_000_000, DisbursementKind.PAYMENT),
            ev(EventKind.SETTLE, D(2018, 12, 14), "121/QĐ-SCT", SO, amount=15_000_000),
        ),
    ),
    ProjectSpec(
        "BK-KCDP-2018-03",
        "local",
        "Thông tin, tuyên truyền hoạt động Khuyến công",
        "information",
        Budget(local=40_000_000),
        steps=(
            *_kcdp_start(),
            ev(EventKind.CONTRACT, D(2018, 2, 20), "03/2018/HĐ-TTKC", SO),
            pr(D(2018, 4, 10), 20, 12_000_000),
            pr(D(2018, 6, 25), 50),
            pr(D(2018, 10, 30), 100, 10_000_000),
        ),
    ),
    ProjectSpec(
        "BK-KCDP-2018-04",
        "local",
        "Tham gia hội chợ triển lãm giới thiệu quảng bá sản phẩm CNNT tỉnh Bắc Kạn",
        "trade_fair",
        Budget(local=80_000_000),
        steps=(
            *_kcdp_start(),
            ev(EventKind.CONTRACT, D(2018, 3, 5), "05/2018/HĐ-TTKC", SO),
            pr(D(2018, 4, 20), 20, 25_000_000),
            pr(D(2018, 6, 22), 50, 15_000_000),
            pr(D(2018, 11, 15), 100),
            ev(EventKind.ACCEPT, D(2018, 11, 30), "25/BB-NT", SO, amount=80_000_000),
        ),
    ),
    ProjectSpec(
        "BK-KCDP-2018-05",
        "local",
        "Hỗ trợ thiết kế mẫu mã, bao bì sản phẩm",  # the seed writes it lower-case
        "design_packaging",
        Budget(local=35_000_000, counterpart=15_000_000),
        steps=(
            *_kcdp_start(),
            ev(EventKind.CONTRACT, D(2018, 3, 12), "06/2018/HĐ-TTKC", SO),
            pr(D(2018, 5, 2), 20, 10_000_000),
            pr(D(2018, 6, 26), 50),
        ),
    ),
    ProjectSpec(
        "BK-KCDP-2018-06",
        "local",
        MACHINERY_WOOD,
        "machinery",
        Budget(local=70_000_000, counterpart=80_000_000),
        beneficiary="lai_van_tu",
        place="02185",
        steps=(
            *_kcdp_start(),
            ev(EventKind.CONTRACT, D(2018, 3, 20), "07/2018/HĐ-TTKC", SO),
            pr(D(2018, 5, 15), 20),
            pr(D(2018, 6, 28), 50, 35_000_000),
            pr(D(2018, 9, 25), 100, 14_000_000),
            ev(EventKind.ACCEPT, D(2018, 10, 12), "19/BB-NT", SO, amount=70_000_000),
        ),
    ),
    ProjectSpec(
        "BK-KCDP-2018-07",
        "local",
        MACHINERY_WOOD,
        "machinery",
        Budget(local=80_000_000, counterpart=90_000_000),
        beneficiary="thanh_long",
        place="02116",
        steps=(
            *_kcdp_start(),
            ev(
                EventKind.REQUEST_STOP,
                D(2018, 6, 5),
                "09/CV-HTX",
                "HTX Thành Long",
                reason=STOP_LETTER,
            ),
            # after 30/06/2018
            ev(EventKind.APPROVE_STOP, D(2018, 8, 15), "88/QĐ-SCT", SO),
        ),
    ),
    ProjectSpec(
        "BK-KCDP-2018-08",
        "local",
        "Hỗ trợ ứng dụng máy móc thiết bị trong sản xuất gạch không nung silicat",
        "machinery",
        Budget(local=90_000_000, counterpart=100_000_000),
        beneficiary="sam_van_thuong",
        place="02173",
        steps=(
            *_kcdp_start(),
            ev(
                EventKind.REQUEST_STOP,
                D(2018, 6, 14),
                "01/CV-HKD",
                "HKD Sằm Văn Thường",
                reason=STOP_LETTER,
            ),
        ),
    ),
    ProjectSpec(
        "BK-KCDP-2018-09",
        "local",
        "Hội nghị tập huấn công tác khuyến công",  # the seed writes it lower-case
        "staff_training",
        Budget(local=30_000_000),
        steps=(
            *_kcdp_start(),
            # after 30/06/2018
            ev(EventKind.CONTRACT, D(2018, 9, 3), "15/2018/HĐ-TTKC", SO),
            pr(D(2018, 10, 10), 100, 20_000_000),
            ev(EventKind.ACCEPT, D(2018, 10, 20), "22/BB-NT", SO, amount=30_000_000),
        ),
    ),
    ProjectSpec(
        "BK-KCDP-2018-10",
        "local",
        "Hỗ trợ kinh phí quản lý chương trình đề án khuyến công năm 2018",
        "programme_management",
        Budget(local=29_000_000),
        steps=(*_kcdp_start(),),
    ),
)


def _registered_on(spec: ProjectSpec) -> datetime.date:
    return D(2017, 5, 15) if spec.plan == "national" else D(2017, 9, 15)


def _ensure_plan(spec: PlanSpec, province: Any) -> Any:
    source = FundingSource.objects.get(code=spec.source)
    plan = Plan.objects.active().filter(province=province, year=YEAR, funding_source=source)
    plan = plan.first()
    if plan is None:
        plan = plan_services.create_plan(
            actor=SYSTEM,
            province=province,
            year=YEAR,
            funding_source=source,
            title=spec.title,
            ceiling=spec.ceiling,
            approving_authority=spec.authority,
        )
    if plan.status != PlanStatus.APPROVED:
        plan_services.approve_plan(
            plan=plan,
            actor=SYSTEM,
            decision_number=spec.decision_number,
            decision_date=spec.decision_date,
        )
    return plan


def _load_project(spec: ProjectSpec, *, plan: Any, units: dict, orgs: dict, people: dict) -> Any:
    project = services.create_project(
        actor=SYSTEM,
        code=spec.code,
        title=spec.title,
        content_area=ContentArea.objects.get(code=spec.content_area),
        implementing_unit=orgs["centre"],
        place=units[spec.place],
        registered_on=_registered_on(spec),
        plan=plan,
        beneficiary=people[spec.beneficiary] if spec.beneficiary else None,
        kcqg_type=spec.kcqg_type,
        budget=spec.budget,
        start_date=D(YEAR, 1, 1),
        end_date=D(YEAR, 12, 31),
        expected_results=spec.expected_results,
    )
    for step in spec.steps:
        if step[0] == "event":
            _tag, kind, day, number, issuer, reason, amount = step
            services.project_transition(
                project=project,
                kind=kind,
                effective_date=day,
                actor=SYSTEM,
                document_number=number,
                document_date=day,
                issuer=issuer,
                reason=reason,
                amount=amount,
            )
        else:
            _tag, day, percent, amount, kind, note = step
            services.record_progress(
                project=project,
                actor=SYSTEM,
                date=day,
                progress_percent=percent,
                disbursed_amount=amount,
                disbursement_kind=kind,
                note=note,
            )
    return project


def load_bac_kan_2018_projects() -> dict[str, int]:
    """Idempotent demo step: the seed's plans and projects. Returns counts of what it made."""
    ensure_catalogs()
    units = ensure_admin_units()
    province = units[PROVINCE[0]]
    orgs = ensure_organisations(province)
    people = ensure_beneficiaries(units)
    plans = {key: _ensure_plan(spec, province) for key, spec in PLANS.items()}
    created = 0
    existing = set(
        Project.objects.filter(code__in=[s.code for s in PROJECTS]).values_list("code", flat=True)
    )
    for spec in PROJECTS:
        if spec.code in existing:
            continue
        with transaction.atomic():
            _load_project(spec, plan=plans[spec.plan], units=units, orgs=orgs, people=people)
        created += 1
    return {"plans": len(plans), "projects_created": created, "projects": len(PROJECTS)}
