"""The world the generic trust tests walk: records in two provinces, users of every role.

Sides (where records live):

- ``A``  — province Bắc Kạn, district Na Rì, owned by the beneficiary the beneficiary user
  acts for;
- ``A2`` — province Bắc Kạn, district Ba Bể, another beneficiary (same province, other
  district and owner: district and beneficiary scoping);
- ``B``  — province Thái Nguyên (another province).

Roles (who asks): anonymous, beneficiary (of A), district officer (Na Rì), centre staff and
department leader of Bắc Kạn, department leader of Thái Nguyên, national agency, system admin.

Records are made on demand by *kinds* (``world.obj("project", "B")``), each registered with
``@world_object(kind)``; other apps register theirs in ``tests/<app>/trust_routes.py``. Every
record carries a marker in its name (``KQZBETAPROJECTX``): a page that shows a marker to a
user who may not see that record leaks data, whatever the page.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.files.base import ContentFile

from khuyencong.accounts.models import Organisation, Role, ScopeLevel, User
from khuyencong.beneficiaries.models import Beneficiary
from khuyencong.beneficiaries.taxcode import with_check_digit
from khuyencong.catalog.models import BeneficiaryKind, ContentArea, FundingSource
from khuyencong.places.models import AdminUnit, Era, Level
from khuyencong.projects.models import Budget

SIDES = ("A", "A2", "B")
SIDE_WORDS = {"A": "ALPHA", "A2": "GAMMA", "B": "BETA"}
ROLES = (
    "anonymous",
    "beneficiary",
    "district_officer",
    "centre_staff",
    "leader_a",
    "leader_b",
    "national",
    "admin",
)
# legacy official codes: province, district, commune
PLACES = {
    "A": ("06", "066", "02152"),  # Bắc Kạn, Na Rì, Cường Lợi
    "A2": ("06", "061", "01888"),  # Bắc Kạn, Ba Bể, Chợ Rã
    "B": ("19", None, None),  # Thái Nguyên, its first district and commune
}
D = datetime.date


def marker(side: str, kind: str) -> str:
    return f"KQZ{SIDE_WORDS[side]}{kind.upper().replace('_', '')}X"


@dataclass(frozen=True)
class Kind:
    """How to make a record of one kind on one side, and who may read its text."""

    name: str
    make: Callable[[World, str], Any]
    # Text that may show on pages of *other* records of the same province (a plan's title on
    # its project's page): visible to every user of that province, whatever their district.
    context: bool = False


KINDS: dict[str, Kind] = {}


def world_object(name: str, *, context: bool = False) -> Callable:
    """Register a record factory ``make(world, side) -> obj`` under ``name``."""

    def register(make: Callable[[World, str], Any]) -> Callable[[World, str], Any]:
        if name in KINDS and KINDS[name].make is not make:
            raise ValueError(f"world object {name!r} registered twice")
        KINDS[name] = Kind(name, make, context)
        return make

    return register


_taxcodes = itertools.count(1)


def tax_code() -> str:
    while True:
        code = with_check_digit(f"46{next(_taxcodes):07d}")
        if code:
            return code


@dataclass
class Side:
    name: str
    province: AdminUnit
    district: AdminUnit
    commune: AdminUnit


@dataclass
class World:
    sides: dict[str, Side]
    users: dict[str, User | None] = field(default_factory=dict)
    objects: dict[tuple[str, str], Any] = field(default_factory=dict)
    secrets: dict[tuple[str, str], list[str]] = field(default_factory=dict)

    def obj(self, kind: str, side: str) -> Any:
        key = (kind, side)
        if key not in self.objects:
            if kind not in KINDS:
                raise LookupError(
                    f"No world object kind {kind!r}: register a factory with "
                    f"@world_object({kind!r}) in tests/<app>/trust_routes.py"
                )
            self.objects[key] = KINDS[kind].make(self, side)
            self.secrets.setdefault(key, []).append(marker(side, kind))
        return self.objects[key]

    def secret(self, kind: str, side: str, *texts: str) -> None:
        """Extra identifying text of a record (a tax code) that must not leak either."""
        self.secrets.setdefault((kind, side), []).extend(t for t in texts if t)

    def make_all(self) -> None:
        for kind in list(KINDS):
            for side in SIDES:
                self.obj(kind, side)

    # ------------------------------------------------------------------ the oracle

    def may_read(self, role: str, kind: str, side: str) -> bool:
        """Independent of accounts.roles: who may read a record's text, from the issue's
        rules (national roles everything; province roles their province; the district
        officer their district; the beneficiary only their own records)."""
        if role == "anonymous":
            return False
        if role in ("national", "admin"):
            return True
        home = self.sides["B" if role == "leader_b" else "A"]
        place = self.sides[side]
        same_province = place.province.pk == home.province.pk
        if KINDS[kind].context:
            return same_province
        if role in ("centre_staff", "leader_a", "leader_b"):
            return same_province
        if role == "district_officer":
            return place.district.pk == home.district.pk
        if role == "beneficiary":
            return side == "A"
        raise ValueError(role)

    def may_list(self, role: str, obj: Any) -> bool:
        """Whether a list page must show ``obj`` to ``role`` (its own scope hooks, no
        context rule: a plan has no district, so no district officer lists it)."""
        if role in ("national", "admin"):
            return True
        user = self.users[role]
        if user is None:
            return False
        if role == "beneficiary":
            return getattr(obj, "scope_beneficiary_id", None) == user.beneficiary_id
        if role == "district_officer":
            return getattr(obj, "scope_district_id", None) == user.district_id
        return getattr(obj, "scope_province_id", None) == user.province_id

    def forbidden_texts(self, role: str) -> list[tuple[str, str, str]]:
        """(kind, side, text) of every made record ``role`` must never see."""
        return [
            (kind, side, text)
            for (kind, side), texts in self.secrets.items()
            if not self.may_read(role, kind, side)
            for text in texts
        ]


def _legacy(level: str, code: str) -> AdminUnit:
    return AdminUnit.objects.get(era=Era.LEGACY, level=level, code=code)


def build_world() -> World:
    sides = {}
    for name, (province_code, district_code, commune_code) in PLACES.items():
        province = _legacy(Level.PROVINCE, province_code)
        if district_code:
            district = _legacy(Level.DISTRICT, district_code)
            commune = _legacy(Level.COMMUNE, commune_code)
        else:
            district = (
                AdminUnit.objects.filter(era=Era.LEGACY, level=Level.DISTRICT, parent=province)
                .order_by("code")
                .first()
            )
            commune = (
                AdminUnit.objects.filter(era=Era.LEGACY, level=Level.COMMUNE, parent=district)
                .order_by("code")
                .first()
            )
        sides[name] = Side(name, province, district, commune)
    world = World(sides=sides)
    a, b = sides["A"], sides["B"]

    def user(username: str, role: str, **kwargs: Any) -> User:
        scope = ScopeLevel.PROVINCE
        if role in (Role.SYSTEM_ADMIN, Role.NATIONAL_AGENCY):
            scope = ScopeLevel.NATIONAL
        elif role == Role.DISTRICT_OFFICER:
            scope = ScopeLevel.DISTRICT
        return User.objects.create(
            username=f"trust-{username}",
            first_name="Người",
            last_name=username,
            role=role,
            scope_level=scope,
            password="!",
            **kwargs,
        )

    world.users = {
        "anonymous": None,
        "beneficiary": user(
            "beneficiary",
            Role.BENEFICIARY,
            province=a.province,
            beneficiary=world.obj("beneficiary", "A"),
        ),
        "district_officer": user(
            "district", Role.DISTRICT_OFFICER, province=a.province, district=a.district
        ),
        "centre_staff": user("centre", Role.CENTRE_STAFF, province=a.province),
        "leader_a": user("leader-a", Role.DEPARTMENT_LEADER, province=a.province),
        "leader_b": user("leader-b", Role.DEPARTMENT_LEADER, province=b.province),
        "national": user("national", Role.NATIONAL_AGENCY),
        "admin": user("admin", Role.SYSTEM_ADMIN),
    }
    return world


# ---------------------------------------------------------------------- built-in kinds


@world_object("beneficiary")
def _beneficiary(world: World, side: str) -> Beneficiary:
    code = tax_code()
    world.secret("beneficiary", side, code)
    return Beneficiary.objects.create(
        kind=BeneficiaryKind.objects.get(code="cooperative"),
        name=f"HTX {marker(side, 'beneficiary')}",
        tax_code=code,
        commune=world.sides[side].commune,
        representative=f"Ông {marker(side, 'beneficiary')}",
    )


@world_object("centre", context=True)
def _centre(world: World, side: str) -> Organisation:
    return Organisation.objects.create(
        kind="centre",
        name=f"Trung tâm {marker(side, 'centre')}",
        province=world.sides[side].province,
    )


@world_object("plan", context=True)
def _plan(world: World, side: str) -> Any:
    from khuyencong.projects import plan_services
    from khuyencong.projects.services import SYSTEM

    year = {"A": 2016, "A2": 2017, "B": 2016}[side]  # the demo has Bắc Kạn 2018
    plan = plan_services.create_plan(
        actor=SYSTEM,
        province=world.sides[side].province,
        year=year,
        funding_source=FundingSource.objects.get(code="local"),
        title=f"Kế hoạch {marker(side, 'plan')}",
        ceiling=900_000_000,
    )
    plan_services.approve_plan(
        plan=plan, actor=SYSTEM, decision_number=f"{year}/QĐ-UBND", decision_date=D(year, 1, 1)
    )
    return plan


_project_codes = itertools.count(1)


@world_object("project")
def _project(world: World, side: str) -> Any:
    from khuyencong.projects import services
    from khuyencong.projects.services import SYSTEM

    plan = world.obj("plan", side)
    project = services.create_project(
        actor=SYSTEM,
        code=f"KQZ-{side}-{next(_project_codes)}",
        title=f"Đề án {marker(side, 'project')}",
        content_area=ContentArea.objects.get(code="machinery"),
        implementing_unit=world.obj("centre", side),
        place=world.sides[side].commune,
        registered_on=D(plan.year, 1, 5),
        plan=plan,
        beneficiary=world.obj("beneficiary", side),
        budget=Budget(local=100_000_000),
        expected_results=f"Kết quả {marker(side, 'project')}",
    )
    world.secret("project", side, project.code)
    return project


@world_object("document")
def _document(world: World, side: str) -> Any:
    from khuyencong.projects import services
    from khuyencong.projects.services import SYSTEM

    body = b"%PDF-1.4\n% " + marker(side, "document").encode() + b"\n%%EOF\n"
    return services.add_document(
        project=world.obj("project", side),
        actor=SYSTEM,
        doc_type="decision",
        title=f"Quyết định {marker(side, 'document')}",
        file=ContentFile(body, name=f"quyet-dinh-{side}.pdf"),
        number="12/QĐ",
    )


@world_object("inspection")
def _inspection(world: World, side: str) -> Any:
    from khuyencong.projects import services
    from khuyencong.projects.services import SYSTEM

    return services.create_inspection(
        project=world.obj("project", side),
        actor=SYSTEM,
        planned_date=D(2016, 6, 1),
        team=f"Đoàn {marker(side, 'inspection')}",
        findings=f"Phát hiện {marker(side, 'inspection')}",
    )
