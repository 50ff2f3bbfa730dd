"""The demo: Bắc Kạn province in 2018, as the seed report tells it (DESIGN.md §4).

``load_demo()`` runs ``STEPS`` in order, in one transaction. Every step is idempotent (it finds
what an earlier run created by a natural key and creates only what is missing) and returns a
summary (a line, or a dict of counts). To add a step (e.g. the 2018 projects): write an
idempotent ``def load_x()`` that may use the lookups below (``centre()``, ``beneficiary(...)``,
``demo_user(...)``), and append it to ``STEPS``.

Administrative units must be loaded first (``manage.py load_admin_units``): beneficiaries sit
at the communes valid in 2018 (the legacy, pre-July-2025 units). Catalogs are seeded if missing.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext as _

from khuyencong.accounts.models import (
    Organisation,
    OrganisationKind,
    OrganisationName,
    Role,
    ScopeLevel,
    User,
)
from khuyencong.beneficiaries.models import Beneficiary
from khuyencong.catalog.models import BeneficiaryKind, Industry
from khuyencong.core.text import normalize
from khuyencong.demo.reference import seed_reference_data
from khuyencong.places.models import AdminUnit, Era, Level

# One password for every demo user, printed by ``load_demo``; it passes the validators.
DEMO_PASSWORD = "khuyencong-demo"

BAC_KAN_CODE = "06"  # official code of the legacy province Bắc Kạn (merged into Thái Nguyên)
NA_RI_CODE = "066"

HISTORIC_AGENCY_NAME = "Cục Công Thương địa phương"
# Renamed when Decree 40/2025/NĐ-CP reorganised the Ministry of Industry and Trade (in force
# 1 March 2025): the date is not confirmed from the legal text; edit it in the admin if needed.
HISTORIC_AGENCY_NAME_UNTIL = datetime.date(2025, 2, 28)

DEMO_NOTE = (
    "Dữ liệu minh hoạ theo báo cáo khuyến công 6 tháng đầu năm 2018 của Sở Công Thương Bắc Kạn."
)
INVENTED_TAX_CODE_NOTE = " Mã số thuế là giả định (đúng quy tắc chữ số kiểm tra), không có thật."


class DemoError(Exception):
    """The demo cannot be loaded (a prerequisite is missing); the message says what to do."""


@dataclass(frozen=True)
class DemoBeneficiary:
    name: str
    kind: str  # BeneficiaryKind.code
    commune_code: str  # legacy commune code (valid in 2018)
    commune: str  # its short name, checked against the loaded unit
    industry: str  # Industry.code (Decree 45/2012 Art. 5)
    tax_code: str = ""
    representative: str = ""


# The six beneficiaries of the seed report, at their 2018 communes. Tax codes are INVENTED:
# "47" is Bắc Kạn's tax-office prefix, the tenth digit follows the official check-digit rule
# (beneficiaries.taxcode.with_check_digit); household businesses have none.
BENEFICIARIES = [
    # machinery for processing agricultural and forestry products
    DemoBeneficiary(
        "HTX Nông nghiệp Tân Thành", "cooperative", "01852", "Nông Thượng", "art5_a", "4700182539"
    ),
    # machinery for mechanical spare parts
    DemoBeneficiary("HTX Thành Ngân", "cooperative", "02152", "Cường Lợi", "art5_d", "4700216442"),
    # bamboo products (cottage industry)
    DemoBeneficiary("Công ty TNHH Đinh Lâm", "sme", "01888", "Chợ Rã", "art5_dd", "4700193724"),
    # household wooden furniture (consumer goods)
    DemoBeneficiary(
        "HKD Lại Văn Tú", "household", "02185", "Quang Phong", "art5_b", "", "Lại Văn Tú"
    ),
    DemoBeneficiary("HTX Thành Long", "cooperative", "02116", "Yên Hân", "art5_b", "4700205176"),
    # unfired silicate bricks (building materials)
    DemoBeneficiary(
        "HKD Sằm Văn Thường", "household", "02173", "Côn Minh", "art5_c", "", "Sằm Văn Thường"
    ),
]


# Demo users: names are invented (common Vietnamese names), not real officers.
@dataclass(frozen=True)
class DemoUser:
    username: str
    role: Role
    display_name: str
    scope: ScopeLevel
    organisation: str = ""  # key in ORGANISATION_LOOKUPS
    beneficiary: str = ""  # beneficiary name


DEMO_USERS = [
    DemoUser("admin", Role.SYSTEM_ADMIN, "Quản trị hệ thống", ScopeLevel.NATIONAL),
    DemoUser("quocgia", Role.NATIONAL_AGENCY, "Trần Văn Quốc", ScopeLevel.NATIONAL, "agency"),
    DemoUser(
        "lanhdao",
        Role.DEPARTMENT_LEADER,
        "Lê Thị Bình",
        ScopeLevel.PROVINCE,
        "department",
    ),
    DemoUser(
        "quantri",
        Role.PROVINCE_ADMIN,
        "Trịnh Văn Quản",
        ScopeLevel.PROVINCE,
        "department",
    ),
    DemoUser(
        "canbo",
        Role.CENTRE_STAFF,
        "Nguyễn Văn An",
        ScopeLevel.PROVINCE,
        "centre",
    ),
    DemoUser(
        "huyen",
        Role.DISTRICT_OFFICER,
        "Hoàng Thị Hà",
        ScopeLevel.DISTRICT,
        "district_office",
    ),
    DemoUser(
        "htx",
        Role.BENEFICIARY,
        "Đại diện HTX Thành Ngân",
        ScopeLevel.PROVINCE,
        beneficiary="HTX Thành Ngân",
    ),
    DemoUser(
        "giamkhao",
        Role.JURY_MEMBER,
        "Phạm Văn Khảo",
        ScopeLevel.PROVINCE,
        "department",
    ),
    # the other two judges of the 2018 product vote's panel (contests/demo.py)
    DemoUser("giamkhao2", Role.JURY_MEMBER, "Đỗ Thị Lan", ScopeLevel.PROVINCE, "department"),
    DemoUser("giamkhao3", Role.JURY_MEMBER, "Vũ Văn Sơn", ScopeLevel.PROVINCE, "department"),
]


# --- lookups (also for later steps) ---------------------------------------------------------


def legacy_unit(level: str, code: str) -> AdminUnit:
    try:
        return AdminUnit.objects.select_related("parent").get(
            era=Era.LEGACY, level=level, code=code
        )
    except AdminUnit.DoesNotExist:
        raise DemoError(
            _(
                "Administrative unit %(code)s is missing: load the administrative units first "
                "(manage.py load_admin_units, or make run)."
            )
            % {"code": code}
        ) from None


def bac_kan() -> AdminUnit:
    """Bắc Kạn as it was in 2018 (legacy province)."""
    return legacy_unit(Level.PROVINCE, BAC_KAN_CODE)


def na_ri() -> AdminUnit:
    return legacy_unit(Level.DISTRICT, NA_RI_CODE)


def national_agency() -> Organisation:
    return Organisation.objects.get(kind=OrganisationKind.NATIONAL_AGENCY)


def department() -> Organisation:
    return Organisation.objects.get(kind=OrganisationKind.DEPARTMENT, province=bac_kan())


def centre() -> Organisation:
    return Organisation.objects.get(kind=OrganisationKind.CENTRE, province=bac_kan())


def district_office() -> Organisation:
    return Organisation.objects.get(kind=OrganisationKind.DISTRICT_OFFICE, province=bac_kan())


ORGANISATION_LOOKUPS: dict[str, Callable[[], Organisation]] = {
    "agency": national_agency,
    "department": department,
    "centre": centre,
    "district_office": district_office,
}


def beneficiary(name: str) -> Beneficiary:
    return Beneficiary.objects.get(name=name, province=bac_kan())


def demo_user(username: str) -> User:
    return User.objects.get(username=username)


# --- steps ----------------------------------------------------------------------------------


def check_admin_units() -> str:
    province = bac_kan()
    for item in BENEFICIARIES:
        commune = legacy_unit(Level.COMMUNE, item.commune_code)
        if normalize(commune.short_name) != normalize(item.commune) or (
            commune.province_id != province.pk
        ):
            raise DemoError(
                _("Administrative unit %(code)s is %(found)s, expected %(expected)s.")
                % {"code": item.commune_code, "found": commune, "expected": item.commune}
            )
    return _("Administrative units of %(province)s found.") % {"province": province.name}


def ensure_catalogs() -> str:
    missing = not BeneficiaryKind.objects.filter(code="cooperative").exists()
    seed_reference_data()  # creates missing reference rows only; an admin's edits are kept
    return _("Catalogs seeded.") if missing else _("Catalogs present.")


def _organisation(kind: str, province: AdminUnit | None, **defaults: object) -> Organisation:
    organisation = Organisation.objects.filter(kind=kind, province=province).first()
    if organisation is None:
        organisation = Organisation(kind=kind, province=province, **defaults)
        organisation.save()
    return organisation


def load_organisations() -> str:
    province = bac_kan()
    agency = Organisation.objects.filter(kind=OrganisationKind.NATIONAL_AGENCY).first()
    if agency is None:  # the configured name is used when the agency is first created
        agency = Organisation(
            kind=OrganisationKind.NATIONAL_AGENCY, name=settings.NATIONAL_AGENCY_NAME
        )
        agency.save()
    if not agency.former_names.filter(name=HISTORIC_AGENCY_NAME).exists():
        OrganisationName(
            organisation=agency,
            name=HISTORIC_AGENCY_NAME,
            valid_to=HISTORIC_AGENCY_NAME_UNTIL,
            note="Tên gọi trong báo cáo năm 2018; ngày đổi tên cần đối chiếu văn bản.",
        ).save()
    dept = _organisation(
        OrganisationKind.DEPARTMENT,
        province,
        name="Sở Công Thương tỉnh Bắc Kạn",
        short_name="Sở Công Thương Bắc Kạn",
    )
    _organisation(
        OrganisationKind.CENTRE,
        province,
        name="Trung tâm Khuyến công và Xúc tiến thương mại tỉnh Bắc Kạn",
        short_name="Trung tâm KC&XTTM Bắc Kạn",
        parent=dept,
    )
    _organisation(
        OrganisationKind.DISTRICT_OFFICE,
        province,
        name="Phòng Kinh tế và Hạ tầng huyện Na Rì",
        short_name="Phòng KT-HT Na Rì",
    )
    return _("Organisations: %(count)d.") % {"count": Organisation.objects.count()}


def load_beneficiaries() -> str:
    kinds = {kind.code: kind for kind in BeneficiaryKind.objects.all()}
    industries = {industry.code: industry for industry in Industry.objects.all()}
    created = 0
    for item in BENEFICIARIES:
        commune = legacy_unit(Level.COMMUNE, item.commune_code)
        if Beneficiary.objects.filter(name=item.name, commune=commune).exists():
            continue
        Beneficiary(
            kind=kinds[item.kind],
            name=item.name,
            tax_code=item.tax_code,
            representative=item.representative,
            commune=commune,
            industry=industries.get(item.industry),
            notes=DEMO_NOTE + (INVENTED_TAX_CODE_NOTE if item.tax_code else ""),
        ).save()
        created += 1
    return _("Beneficiaries: %(created)d created, %(total)d in the demo.") % {
        "created": created,
        "total": len(BENEFICIARIES),
    }


def load_users() -> str:
    """One user per role. Re-running resets their role, scope and password to the demo's."""
    for spec in DEMO_USERS:
        user = User.objects.filter(username=spec.username).first() or User(username=spec.username)
        user.first_name = spec.display_name
        user.last_name = ""
        user.role = spec.role
        user.scope_level = spec.scope
        user.is_active = True
        user.province = user.district = user.beneficiary = None
        if spec.scope == ScopeLevel.PROVINCE:
            user.province = bac_kan()
        elif spec.scope == ScopeLevel.DISTRICT:
            user.district = na_ri()
            user.province = user.district.province
        user.organisation = ORGANISATION_LOOKUPS[spec.organisation]() if spec.organisation else None
        if spec.beneficiary:
            user.beneficiary = beneficiary(spec.beneficiary)
        validate_password(DEMO_PASSWORD, user)
        user.set_password(DEMO_PASSWORD)
        user.full_clean()
        user.save()
    return _("Demo users: %(count)d.") % {"count": len(DEMO_USERS)}
