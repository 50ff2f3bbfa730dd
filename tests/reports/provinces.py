"""Four invented provinces for the report (issue 19), each of a different shape, built with the
services (plans, allocations, projects, group participants) on real units of provinces other
than Bắc Kạn (the legacy era, loaded for the test session). Every name of a beneficiary,
decision number and amount is invented.

(a) ``lang_son``: a local plan for 2024–2026 (one decision) stated in each year's report, with
    acceptances in 2025 and 2026 and one in 2027 (carried over into the 2027 report); a
    project of the 2023 plan accepted in 2024 (carried over into the 2024 report).
(b) ``thai_nguyen``: a national plan for 2024 whose projects came by two allocation batches (a
    letter, then a decision); a group project of five units, participants added later.
(c) ``nghe_an``: a local plan for 2025 of 16 projects over five content groups, group totals
    that need decimals ("1,35 tỷ đồng", "487,5 triệu đồng").
(d) ``quang_ngai``: a local plan for 2024 with a supplement decision, and a supplementary plan;
    a project the centre implements itself.
"""

from __future__ import annotations

import datetime
import functools
import itertools
from dataclasses import dataclass, field
from typing import Any
from unittest import mock

from khuyencong.accounts.models import Organisation, OrganisationKind
from khuyencong.beneficiaries.models import Beneficiary
from khuyencong.catalog.models import ContentArea, FundingSource
from khuyencong.places.models import AdminUnit, Era, Level
from khuyencong.plans.models import AllocationDocument, Plan, PlanKind, PlanVersionKind
from khuyencong.projects import dates, groups, plan_services, services
from khuyencong.projects.models import Budget, DisbursementKind, EventKind, Project, ProjectKind
from khuyencong.projects.services import SYSTEM
from tests.beneficiaries.factories import BeneficiaryFactory, kind, valid_tax_code

D = datetime.date
# The provinces' records run to 2027; they are built as a user of 2028 would record them (the
# date rule refuses days after today + a week).
BUILT_ON = D(2028, 1, 15)


def built_later(builder: Any) -> Any:
    @functools.wraps(builder)
    def build(*args: Any, **kwargs: Any) -> Any:
        with mock.patch.object(dates, "local_today", lambda: BUILT_ON):
            return builder(*args, **kwargs)

    return build


MILLION = 1_000_000
_tax = itertools.count(1)


@dataclass
class Province:
    unit: AdminUnit
    communes: list[AdminUnit]
    centre: Organisation
    people: dict[str, Beneficiary] = field(default_factory=dict)
    projects: dict[str, Project] = field(default_factory=dict)
    plans: dict[str, Plan] = field(default_factory=dict)


def _province(short_name: str, people: list[str]) -> Province:
    unit = AdminUnit.objects.get(era=Era.LEGACY, level=Level.PROVINCE, short_name=short_name)
    district = next(
        district
        for district in AdminUnit.objects.filter(parent=unit, level=Level.DISTRICT).order_by("code")
        if AdminUnit.objects.filter(parent=district).count() >= 5
    )
    communes = list(AdminUnit.objects.filter(parent=district).order_by("code")[:5])
    Organisation.objects.create(
        kind=OrganisationKind.DEPARTMENT, name=f"Sở Công Thương {unit.name}", province=unit
    )
    centre = Organisation.objects.create(
        kind=OrganisationKind.CENTRE,
        name=f"Trung tâm Khuyến công và Xúc tiến thương mại {unit.name}",
        province=unit,
    )
    province = Province(unit=unit, communes=communes, centre=centre)
    for index, name in enumerate(people):
        province.people[name] = BeneficiaryFactory(
            name=name,
            kind=kind("household" if name.startswith("Hộ kinh doanh") else "cooperative"),
            commune=communes[index % len(communes)],
            tax_code=valid_tax_code(next(_tax), prefix="49"),
        )
    return province


def _plan(
    province: Province,
    source: str,
    year: int,
    *,
    ceiling: int,
    number: str,
    day: datetime.date,
    issuer: str,
    end_year: int | None = None,
    plan_kind: str = PlanKind.MAIN,
    title: str = "",
) -> Plan:
    plan = plan_services.create_plan(
        actor=SYSTEM,
        province=province.unit,
        year=year,
        end_year=end_year,
        kind=plan_kind,
        funding_source=FundingSource.objects.get(code=source),
        title=title or f"Kế hoạch khuyến công {year} {province.unit.name}",
        ceiling=ceiling,
        approving_authority=issuer,
    )
    return plan_services.approve_plan(
        plan=plan, actor=SYSTEM, decision_number=number, decision_date=day
    )


def _project(
    province: Province,
    plan: Plan,
    code: str,
    title: str,
    area: str,
    amount: int,
    *,
    person: str = "",
    place: AdminUnit | None = None,
    registered_on: datetime.date,
    **kwargs: Any,
) -> Project:
    beneficiary = province.people[person] if person else None
    project = services.create_project(
        actor=SYSTEM,
        code=code,
        title=title,
        content_area=ContentArea.objects.get(code=area),
        implementing_unit=province.centre,
        place=place or (beneficiary.commune if beneficiary else province.unit),
        registered_on=registered_on,
        plan=plan,
        beneficiary=beneficiary,
        budget=Budget(**{plan.funding_source.code: amount}),
        **kwargs,
    )
    province.projects[code] = project
    return project


def _step(project: Project, kind: str, day: datetime.date, **kwargs: Any) -> None:
    kwargs.setdefault("document_number", f"{day.day}/{day.month}-QĐ")
    if kind in (EventKind.REQUEST_STOP, EventKind.REQUEST_ADJUSTMENT):
        kwargs.setdefault("reason", "Đơn vị gặp khó khăn về mặt bằng sản xuất")
    services.project_transition(
        project=project, kind=kind, effective_date=day, actor=SYSTEM, **kwargs
    )
    project.refresh_from_db()


def approve(project: Project, day: datetime.date) -> None:
    _step(project, EventKind.APPRAISE, day - datetime.timedelta(days=5))
    _step(project, EventKind.APPROVE, day)


def contract(project: Project, day: datetime.date, issuer: str = "") -> None:
    _step(project, EventKind.ASSIGN, day - datetime.timedelta(days=3), issuer=issuer)
    _step(project, EventKind.CONTRACT, day)


def progress(
    project: Project, day: datetime.date, percent: int, paid: int = 0, payment: bool = False
) -> None:
    services.record_progress(
        project=project,
        actor=SYSTEM,
        date=day,
        progress_percent=percent,
        disbursed_amount=paid,
        disbursement_kind=DisbursementKind.PAYMENT if payment else DisbursementKind.ADVANCE,
    )
    project.refresh_from_db()


def accept(project: Project, day: datetime.date) -> None:
    progress(project, day, 100)
    _step(project, EventKind.ACCEPT, day)


# --------------------------------------------------------------------------------------------
# (a) Lạng Sơn: a plan for 2024–2026 and carried-over work


@built_later
def lang_son() -> Province:
    p = _province(
        "Lạng Sơn",
        [
            "HTX Hồi Quế Bình Gia",
            "HTX Miến dong Hoàng Đồng",
            "HTX Thạch đen Tràng Định",
            "HTX Miến dong Bình Gia",
        ],
    )
    issuer = "UBND tỉnh Lạng Sơn"
    old = _plan(
        p, "local", 2023, ceiling=250 * MILLION, number="2105/QĐ-UBND", day=D(2022, 12, 20),
        issuer=issuer,
    )  # fmt: skip
    plan = _plan(
        p, "local", 2024, end_year=2026, ceiling=1_200 * MILLION, number="1950/QĐ-UBND",
        day=D(2023, 12, 15), issuer=issuer,
    )  # fmt: skip
    p.plans = {"2023": old, "2024-2026": plan}
    # the 2023 plan's project, accepted in March 2024: carried over into 2024 only
    dryer = _project(
        p, old, "LS-2023-01", "Hỗ trợ ứng dụng máy sấy thạch đen", "machinery", 240 * MILLION,
        person="HTX Thạch đen Tràng Định", registered_on=D(2022, 10, 5),
    )  # fmt: skip
    approve(dryer, D(2023, 2, 10))
    contract(dryer, D(2023, 5, 15))
    progress(dryer, D(2023, 9, 1), 40, 72 * MILLION)
    accept(dryer, D(2024, 3, 5))
    progress(dryer, D(2024, 3, 20), 100, 168 * MILLION, payment=True)

    press = _project(
        p, plan, "LS-2426-01", "Hỗ trợ ứng dụng máy chưng cất tinh dầu hồi", "machinery",
        300 * MILLION, person="HTX Hồi Quế Bình Gia", registered_on=D(2023, 10, 2),
    )  # fmt: skip
    model = _project(
        p, plan, "LS-2426-02", "Xây dựng mô hình trình diễn kỹ thuật sản xuất miến dong",
        "demo_model", 450 * MILLION, person="HTX Miến dong Hoàng Đồng",
        registered_on=D(2023, 10, 2),
    )  # fmt: skip
    training = _project(
        p, plan, "LS-2426-03", "Tổ chức hội nghị tập huấn công tác khuyến công",
        "staff_training", 40 * MILLION, registered_on=D(2023, 10, 2),
    )  # fmt: skip
    packing = _project(
        p, plan, "LS-2426-04", "Hỗ trợ ứng dụng máy đóng gói miến dong", "machinery",
        350 * MILLION, person="HTX Miến dong Bình Gia", registered_on=D(2023, 10, 2),
    )  # fmt: skip
    for project in (press, model, training, packing):
        approve(project, D(2024, 1, 20))
    contract(press, D(2024, 3, 1))
    progress(press, D(2024, 8, 1), 60, 90 * MILLION)
    accept(press, D(2025, 4, 10))  # accepted in the plan's second year
    progress(press, D(2025, 4, 25), 100, 210 * MILLION, payment=True)
    contract(model, D(2024, 6, 3))
    progress(model, D(2025, 5, 15), 50, 135 * MILLION)
    accept(model, D(2026, 5, 20))  # accepted in its third year
    progress(model, D(2026, 6, 10), 100, 315 * MILLION, payment=True)
    contract(training, D(2024, 9, 2))
    accept(training, D(2024, 11, 15))
    progress(training, D(2024, 11, 30), 100, 40 * MILLION, payment=True)
    contract(packing, D(2026, 2, 2))
    progress(packing, D(2026, 10, 5), 50, 105 * MILLION)
    accept(packing, D(2027, 3, 15))  # after the plan's period: carried over into 2027
    return p


# --------------------------------------------------------------------------------------------
# (b) Thái Nguyên: a national plan, two allocation batches, a group project


AGENCY = "Cục Công Thương địa phương"


def _agency() -> None:
    if not Organisation.objects.filter(kind=OrganisationKind.NATIONAL_AGENCY).exists():
        Organisation.objects.create(kind=OrganisationKind.NATIONAL_AGENCY, name=AGENCY)


@built_later
def thai_nguyen() -> Province:
    _agency()
    p = _province(
        "Thái Nguyên",
        [
            "HTX Chè Tân Cương",
            "HTX Chè La Bằng",
            "Hộ kinh doanh Nguyễn Văn Hải",
            "HTX Chè Phúc Xuân",
            "HTX Chè Minh Lập",
        ],
    )
    plan = _plan(
        p, "national", 2024, ceiling=1_500 * MILLION, number="3050/QĐ-BCT", day=D(2024, 3, 1),
        issuer="Bộ Công Thương",
    )  # fmt: skip
    p.plans = {"2024": plan}
    first = plan_services.record_allocation(
        plan=plan, actor=SYSTEM, batch=1, document_number="45/CTĐP-KC",
        document_date=D(2024, 3, 20), issuer=AGENCY, amount=600 * MILLION,
    )  # fmt: skip
    second = plan_services.record_allocation(
        plan=plan, actor=SYSTEM, batch=2, document_number="112/QĐ-CTĐP",
        document_date=D(2024, 7, 15), issuer=AGENCY, amount=900 * MILLION,
        document_kind=AllocationDocument.DECISION,
    )  # fmt: skip
    single = _project(
        p, plan, "TN-KCQG-2024-01", "Hỗ trợ ứng dụng máy sao sấy chè tự động", "machinery",
        600 * MILLION, person="HTX Chè Tân Cương", registered_on=D(2023, 6, 1),
        allocation=first,
    )  # fmt: skip
    group = _project(
        p, plan, "TN-KCQG-2024-02", "Hỗ trợ ứng dụng máy móc thiết bị trong chế biến chè",
        "machinery", 900 * MILLION, place=p.communes[0].parent, registered_on=D(2023, 6, 1),
        kind=ProjectKind.GROUP, group_size=5, allocation=second,
    )  # fmt: skip
    approve(single, D(2024, 3, 25))
    contract(single, D(2024, 5, 2), issuer=AGENCY)
    progress(single, D(2024, 5, 20), 20, 180 * MILLION)
    accept(single, D(2024, 10, 15))
    progress(single, D(2024, 11, 5), 100, 420 * MILLION, payment=True)
    approve(group, D(2024, 7, 20))
    decisions = [
        ("HTX Chè La Bằng", D(2024, 9, 10), "215/QĐ-SCT"),
        ("Hộ kinh doanh Nguyễn Văn Hải", D(2024, 9, 10), "215/QĐ-SCT"),
        ("HTX Chè Phúc Xuân", D(2024, 11, 20), "298/QĐ-SCT"),
    ]
    for name, day, number in decisions:
        person = p.people[name]
        groups.add_member(
            project=group,
            actor=SYSTEM,
            beneficiary=person,
            place=person.commune,
            support_amount=180 * MILLION,
            decision_number=number,
            decision_date=day,
            issuer="Sở Công Thương tỉnh Thái Nguyên",
        )
    contract(group, D(2024, 9, 25), issuer=AGENCY)
    progress(group, D(2024, 10, 1), 10, 250 * MILLION)
    return p


# --------------------------------------------------------------------------------------------
# (c) Nghệ An: 16 projects over five content groups


NGHE_AN_PROJECTS = (
    # code, title, content area, amount (VND), beneficiary index or None (centre's own)
    ("NA-01", "Hỗ trợ ứng dụng máy ép nước mía", "machinery", 300_000_000, 0),
    ("NA-02", "Hỗ trợ ứng dụng máy chế biến tương Nam Đàn", "machinery", 250_000_000, 1),
    ("NA-03", "Hỗ trợ ứng dụng máy dệt thổ cẩm", "machinery", 275_000_000, 2),
    ("NA-04", "Hỗ trợ ứng dụng lò sấy gỗ", "machinery", 325_000_000, 3),
    ("NA-05", "Xây dựng mô hình trình diễn kỹ thuật sản xuất nhút Thanh Chương", "demo_model",
     200_000_000, 4),
    ("NA-06", "Bình chọn sản phẩm công nghiệp nông thôn tiêu biểu năm 2025", "product_vote",
     150_000_000, None),
    ("NA-07", "Hỗ trợ tham gia hội chợ triển lãm hàng công nghiệp nông thôn", "trade_fair",
     137_500_000, None),
    ("NA-08", "Hỗ trợ đăng ký nhãn hiệu chè Ô long", "brand", 100_000_000, 5),
    ("NA-09", "Hỗ trợ đăng ký nhãn hiệu tương Nam Đàn", "brand", 100_000_000, 1),
    ("NA-10", "Đào tạo nghề mây tre đan", "vocational_training", 20_000_000, 6),
    ("NA-11", "Đào tạo nghề dệt thổ cẩm", "vocational_training", 22_500_000, 2),
    ("NA-12", "Đào tạo nghề chạm khắc gỗ", "vocational_training", 20_000_000, 3),
    ("NA-13", "Thông tin, tuyên truyền hoạt động khuyến công", "information", 45_000_000, None),
    ("NA-14", "Xây dựng bản tin khuyến công điện tử", "information", 37_250_000, None),
    ("NA-15", "Hội nghị tập huấn cán bộ làm công tác khuyến công", "staff_training",
     30_000_000, None),
    ("NA-16", "Quản lý chương trình, kế hoạch khuyến công năm 2025", "programme_management",
     35_000_000, None),
)  # fmt: skip

NGHE_AN_PEOPLE = [
    "HTX Mía đường Quỳ Hợp",
    "HTX Tương Nam Đàn",
    "HTX Dệt thổ cẩm Quế Phong",
    "HTX Mộc Nghi Lộc",
    "HTX Nhút Thanh Chương",
    "HTX Chè Ô long Thanh Chương",
    "HTX Mây tre đan Hưng Nguyên",
]


@built_later
def nghe_an() -> Province:
    p = _province("Nghệ An", NGHE_AN_PEOPLE)
    plan = _plan(
        p, "local", 2025, ceiling=2_100 * MILLION, number="3789/QĐ-UBND", day=D(2024, 12, 26),
        issuer="UBND tỉnh Nghệ An",
    )  # fmt: skip
    p.plans = {"2025": plan}
    for code, title, area, amount, person in NGHE_AN_PROJECTS:
        project = _project(
            p, plan, code, title, area, amount,
            person=NGHE_AN_PEOPLE[person] if person is not None else "",
            registered_on=D(2024, 9, 16),
        )  # fmt: skip
        approve(project, D(2025, 1, 15))
    # the state on 30/6/2025: two done, four half done, four contracted, a stop asked, the
    # rest not started
    for code in ("NA-06", "NA-13"):
        contract(p.projects[code], D(2025, 2, 10))
        accept(p.projects[code], D(2025, 6, 5))
    for code, paid in (("NA-01", 90), ("NA-02", 75), ("NA-07", 0), ("NA-10", 0)):
        contract(p.projects[code], D(2025, 3, 3))
        progress(p.projects[code], D(2025, 6, 10), 50, paid * MILLION)
    for code in ("NA-03", "NA-05", "NA-08", "NA-14"):
        contract(p.projects[code], D(2025, 4, 7))
    _step(p.projects["NA-04"], EventKind.REQUEST_STOP, D(2025, 5, 12))
    return p


# --------------------------------------------------------------------------------------------
# (d) Quảng Ngãi: a supplement decision and a supplementary plan


@built_later
def quang_ngai() -> Province:
    p = _province(
        "Quảng Ngãi",
        ["HTX Tỏi Lý Sơn", "HTX Đường phèn Mộ Đức", "HTX Quế Trà Bồng", "HTX Chổi đót Minh Long"],
    )
    issuer = "UBND tỉnh Quảng Ngãi"
    plan = _plan(
        p, "local", 2024, ceiling=800 * MILLION, number="2890/QĐ-UBND", day=D(2023, 12, 25),
        issuer=issuer,
    )  # fmt: skip
    plan_services.add_plan_version(
        plan=plan,
        actor=SYSTEM,
        kind=PlanVersionKind.SUPPLEMENT,
        ceiling=1_100 * MILLION,
        decision_number="512/QĐ-UBND",
        decision_date=D(2024, 5, 10),
        issuer=issuer,
    )
    extra = _plan(
        p, "local", 2024, ceiling=350 * MILLION, number="1234/QĐ-UBND", day=D(2024, 8, 20),
        issuer=issuer, plan_kind=PlanKind.SUPPLEMENTARY,
        title="Kế hoạch khuyến công bổ sung năm 2024 tỉnh Quảng Ngãi",
    )  # fmt: skip
    p.plans = {"main": plan, "supplementary": extra}
    main_projects = [
        ("QN-01", "Hỗ trợ ứng dụng máy bóc vỏ tỏi", "machinery", 200, "HTX Tỏi Lý Sơn"),
        ("QN-02", "Hỗ trợ ứng dụng nồi nấu đường phèn", "machinery", 250, "HTX Đường phèn Mộ Đức"),
        ("QN-03", "Hỗ trợ thiết kế bao bì quế Trà Bồng", "design_packaging", 180,
         "HTX Quế Trà Bồng"),
        ("QN-04", "Quản lý chương trình khuyến công năm 2024", "programme_management", 170, ""),
    ]  # fmt: skip
    for code, title, area, millions, person in main_projects:
        approve(
            _project(
                p, plan, code, title, area, millions * MILLION, person=person,
                registered_on=D(2023, 9, 5),
            ),
            D(2024, 1, 10),
        )  # fmt: skip
    added = _project(
        p, plan, "QN-05", "Hỗ trợ ứng dụng máy bó chổi đót", "machinery", 300 * MILLION,
        person="HTX Chổi đót Minh Long", registered_on=D(2024, 4, 2),
    )  # fmt: skip
    approve(added, D(2024, 5, 20))
    for code, title, area, millions in (
        ("QN-BS-01", "Hỗ trợ tham gia hội chợ triển lãm khu vực miền Trung", "trade_fair", 150),
        ("QN-BS-02", "Đào tạo nghề chế biến tỏi đen", "vocational_training", 200),
    ):
        approve(
            _project(
                p, extra, code, title, area, millions * MILLION,
                person="HTX Tỏi Lý Sơn" if code == "QN-BS-02" else "",
                registered_on=D(2024, 7, 1),
            ),
            D(2024, 8, 28),
        )  # fmt: skip
    for code in ("QN-01", "QN-02", "QN-03", "QN-04"):
        contract(p.projects[code], D(2024, 3, 1))
    for code in ("QN-01", "QN-04"):
        accept(p.projects[code], D(2024, 11, 20))
        amount = p.projects[code].budget_local
        progress(p.projects[code], D(2024, 12, 10), 100, amount, payment=True)
    progress(p.projects["QN-02"], D(2024, 9, 5), 70, 75 * MILLION)
    contract(p.projects["QN-05"], D(2024, 7, 1))
    contract(p.projects["QN-BS-01"], D(2024, 9, 20))
    accept(p.projects["QN-BS-01"], D(2024, 10, 30))
    progress(p.projects["QN-BS-01"], D(2024, 11, 5), 100, 150 * MILLION, payment=True)
    return p


BUILDERS = {
    "lang_son": lang_son,
    "thai_nguyen": thai_nguyen,
    "nghe_an": nghe_an,
    "quang_ngai": quang_ngai,
}
