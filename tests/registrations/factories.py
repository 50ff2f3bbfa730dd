"""Test data for the registrations tests: Bắc Kạn (legacy units, loaded for the session),
organisations, beneficiaries, users, and registrations made through the services."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from khuyencong.accounts.models import Organisation, OrganisationKind, Role, ScopeLevel, User
from khuyencong.beneficiaries.models import Beneficiary
from khuyencong.catalog.models import BeneficiaryKind, ContentArea, FundingSource, Industry
from khuyencong.places.models import AdminUnit, Era, Level
from khuyencong.projects.services import SYSTEM
from khuyencong.registrations import services
from khuyencong.registrations.models import Recommendation, Registration

D = datetime.date
M = 1_000_000
_numbers = itertools.count(1)

BAC_KAN = "06"
CUONG_LOI = "02152"  # Xã Cường Lợi, Huyện Na Rì
NONG_THUONG = "01852"  # Xã Nông Thượng, Thành phố Bắc Kạn


def unit(level: str, code: str) -> AdminUnit:
    return AdminUnit.objects.select_related("parent").get(era=Era.LEGACY, level=level, code=code)


def bac_kan() -> AdminUnit:
    return unit(Level.PROVINCE, BAC_KAN)


def commune(code: str = CUONG_LOI) -> AdminUnit:
    return unit(Level.COMMUNE, code)


def other_province() -> AdminUnit:
    return AdminUnit.objects.get(era=Era.LEGACY, level=Level.PROVINCE, code="01")  # Hà Nội


def source(code: str) -> FundingSource:
    return FundingSource.objects.get(code=code)


def area(code: str) -> ContentArea:
    return ContentArea.objects.get(code=code)


def centre(province: AdminUnit | None = None) -> Organisation:
    province = province or bac_kan()
    found = Organisation.objects.filter(kind=OrganisationKind.CENTRE, province=province).first()
    return found or Organisation.objects.create(
        kind=OrganisationKind.CENTRE,
        name=f"Trung tâm Khuyến công {province.name}",
        province=province,
    )


def beneficiary(
    *,
    kind: str = "cooperative",
    place: AdminUnit | None = None,
    industry: str = "art5_d",
    **extra: Any,
) -> Beneficiary:
    number = next(_numbers)
    return Beneficiary.objects.create(
        kind=BeneficiaryKind.objects.get(code=kind),
        name=extra.pop("name", f"HTX Thử nghiệm {number}"),
        commune=place or commune(),
        industry=Industry.objects.get(code=industry) if industry else None,
        **extra,
    )


def user(role: str = Role.CENTRE_STAFF, **kwargs: Any) -> User:
    number = next(_numbers)
    if role in (Role.NATIONAL_AGENCY, Role.SYSTEM_ADMIN):
        kwargs.setdefault("scope_level", ScopeLevel.NATIONAL)
    elif role == Role.DISTRICT_OFFICER:
        district = kwargs.setdefault("district", commune().parent)
        kwargs.setdefault("province", district.province)
        kwargs.setdefault("scope_level", ScopeLevel.DISTRICT)
    else:
        kwargs.setdefault("province", bac_kan())
        kwargs.setdefault("scope_level", ScopeLevel.PROVINCE)
    return User.objects.create(username=f"reg-{role}-{number}", role=role, **kwargs)


def values(**overrides: Any) -> dict[str, Any]:
    """A registration that passes the local-fund rules: new machinery, 50 % of the cost."""
    who = overrides.pop("beneficiary", None) or beneficiary()
    base: dict[str, Any] = {
        "target_year": 2019,
        "funding_source": source("local"),
        "content_area": area("machinery"),
        "title": "Hỗ trợ ứng dụng máy móc thiết bị trong gia công cơ khí",
        "beneficiary": who,
        "implementing_unit": centre(),
        "place": who.commune,
        "product": "Phụ tùng cơ khí nông nghiệp",
        "description": "Mua máy tiện và máy phay mới.",
        "registered_on": D(2018, 5, 15),
        "planned_start": D(2019, 3, 1),
        "planned_end": D(2019, 11, 30),
        "total_investment": 200 * M,
        "requested_local": 80 * M,
        "counterpart": 120 * M,
        "machinery_new": True,
        "workforce": 12,
    }
    base.update(overrides)
    return base


def registration(*, actor: Any = SYSTEM, **overrides: Any) -> Registration:
    return services.create_registration(actor=actor, **values(**overrides))


def submitted(*, actor: Any = SYSTEM, **overrides: Any) -> Registration:
    made = registration(actor=actor, **overrides)
    services.submit_registration(registration=made, actor=actor, on=made.registered_on)
    made.refresh_from_db()
    return made


def appraised(registration: Registration, *, appraiser: User | None = None, points: int = 8) -> Any:
    from khuyencong.registrations.models import AppraisalCriterion

    appraiser = appraiser or user(Role.DEPARTMENT_LEADER)
    scores = {c.code: min(points, c.max_points) for c in AppraisalCriterion.objects.active()}
    return services.record_appraisal(
        registration=registration,
        actor=appraiser,
        appraised_on=registration.registered_on + datetime.timedelta(days=15),
        scores=scores,
        opinion="Đề án khả thi.",
        recommendation=Recommendation.ACCEPT,
        recommended_support=registration.requested,
    )


def accepted(*, support: int | None = None, **overrides: Any) -> Registration:
    made = submitted(**overrides)
    leader = user(Role.DEPARTMENT_LEADER)
    appraised(made, appraiser=leader)
    outcome = Recommendation.ACCEPT if support is None else Recommendation.REDUCE
    services.decide_registration(
        registration=made,
        actor=leader,
        outcome=outcome,
        approved_support=support,
        decision_number=f"BB-{made.pk}",
        decision_date=made.registered_on + datetime.timedelta(days=25),
        reason="" if support is None else "Giảm theo định mức.",
    )
    made.refresh_from_db()
    return made
