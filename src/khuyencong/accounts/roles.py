"""Role rules: who may do what, and which records each user may see.

The one place that answers "may this user do this?" Views, forms, API endpoints, commands and
later apps all call ``check``/``allowed``, ``in_scope`` and ``scope_queryset`` from here;
nothing else compares roles. A decision carries a Vietnamese reason, so the UI can say why a
button is off.

Scopes: national users see every province; province users see their province (and, for a
province created by the 2025 merger, the legacy provinces merged into it); district officers
see their district; beneficiary users see only their own establishment's records.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from khuyencong.accounts.models import Role, ScopeLevel
from khuyencong.core.workflow import Refused

if TYPE_CHECKING:
    from khuyencong.accounts.models import User
from khuyencong.places.models import AdminUnit

ALL_ROLES = frozenset(Role)
STAFF_ROLES = frozenset(
    {
        Role.SYSTEM_ADMIN,
        Role.NATIONAL_AGENCY,
        Role.DEPARTMENT_LEADER,
        Role.CENTRE_STAFF,
        Role.DISTRICT_OFFICER,
    }
)
NATIONAL_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.NATIONAL_AGENCY})

# The permission table: permission name -> roles holding it. Scope is applied on top of it.
PERMISSIONS: dict[str, frozenset[Role]] = {
    # beneficiary registry
    "beneficiaries.view": STAFF_ROLES | {Role.BENEFICIARY},
    "beneficiaries.create": frozenset(
        {Role.SYSTEM_ADMIN, Role.DEPARTMENT_LEADER, Role.CENTRE_STAFF, Role.DISTRICT_OFFICER}
    ),
    "beneficiaries.edit": frozenset(
        {
            Role.SYSTEM_ADMIN,
            Role.DEPARTMENT_LEADER,
            Role.CENTRE_STAFF,
            Role.DISTRICT_OFFICER,
            Role.BENEFICIARY,
        }
    ),
    "beneficiaries.archive": frozenset(
        {Role.SYSTEM_ADMIN, Role.DEPARTMENT_LEADER, Role.CENTRE_STAFF}
    ),
    # plans (kế hoạch khuyến công). Approving a national-fund (KCQG) plan is the Ministry's
    # (recorded by the national agency); a local-fund plan is approved by the provincial
    # People's Committee and recorded by the department (Sở Công Thương) leader.
    "plans.view": STAFF_ROLES,
    "plans.manage": frozenset({Role.SYSTEM_ADMIN, Role.DEPARTMENT_LEADER, Role.CENTRE_STAFF}),
    "plans.approve_national": frozenset({Role.SYSTEM_ADMIN, Role.NATIONAL_AGENCY}),
    "plans.approve_local": frozenset({Role.SYSTEM_ADMIN, Role.DEPARTMENT_LEADER}),
    # projects (đề án): which transition needs which permission is in projects/lifecycle.py
    "projects.view": STAFF_ROLES | {Role.BENEFICIARY},
    "projects.register": frozenset(
        {Role.SYSTEM_ADMIN, Role.DEPARTMENT_LEADER, Role.CENTRE_STAFF, Role.DISTRICT_OFFICER}
    ),
    "projects.edit": frozenset({Role.SYSTEM_ADMIN, Role.DEPARTMENT_LEADER, Role.CENTRE_STAFF}),
    # base-level appraisal by the department, ministry-level by the national agency
    "projects.appraise": frozenset(
        {Role.SYSTEM_ADMIN, Role.DEPARTMENT_LEADER, Role.NATIONAL_AGENCY}
    ),
    # decisions on national-fund projects: approval, assignment, adjustment, stop
    "projects.decide_national": frozenset({Role.SYSTEM_ADMIN, Role.NATIONAL_AGENCY}),
    # the same decisions on local-fund (and other-source) projects
    "projects.decide_local": frozenset({Role.SYSTEM_ADMIN, Role.DEPARTMENT_LEADER}),
    # the centre's work: contract, start, progress and disbursement, requests, review notes
    "projects.implement": frozenset({Role.SYSTEM_ADMIN, Role.CENTRE_STAFF}),
    # base-level acceptance (nghiệm thu) and settlement (quyết toán) by the department
    "projects.accept": frozenset({Role.SYSTEM_ADMIN, Role.DEPARTMENT_LEADER}),
    "projects.settle": frozenset({Role.SYSTEM_ADMIN, Role.DEPARTMENT_LEADER}),
    # annulling or correcting a recorded step or progress entry (lifecycle.ANNUL_PERMISSION):
    # whoever decides and accepts for the department, as the documents it corrects
    "projects.annul": frozenset({Role.SYSTEM_ADMIN, Role.DEPARTMENT_LEADER}),
    "projects.inspect": frozenset(
        {Role.SYSTEM_ADMIN, Role.NATIONAL_AGENCY, Role.DEPARTMENT_LEADER, Role.CENTRE_STAFF}
    ),
    "projects.documents": frozenset({Role.SYSTEM_ADMIN, Role.DEPARTMENT_LEADER, Role.CENTRE_STAFF}),
    # a group project's participants are attached (and changed) by the department's decision
    # (TT 36/2013 Art. 11)
    "projects.group_members": frozenset({Role.SYSTEM_ADMIN, Role.DEPARTMENT_LEADER}),
    # product vote (bình chọn sản phẩm CNNT tiêu biểu): judges see only the contests they
    # sit on, establishments those open in their province (contests/selectors.py)
    "contests.view": STAFF_ROLES | {Role.BENEFICIARY, Role.JURY_MEMBER},
    "contests.manage": frozenset({Role.SYSTEM_ADMIN, Role.DEPARTMENT_LEADER, Role.CENTRE_STAFF}),
    "contests.register_entry": frozenset(
        {
            Role.SYSTEM_ADMIN,
            Role.DEPARTMENT_LEADER,
            Role.CENTRE_STAFF,
            Role.DISTRICT_OFFICER,
            Role.BENEFICIARY,
        }
    ),
    "contests.score": frozenset({Role.JURY_MEMBER}),
    "contests.rules": frozenset({Role.SYSTEM_ADMIN}),
    # events: training conferences, trade fairs, study tours
    "events.view": STAFF_ROLES,
    "events.manage": frozenset({Role.SYSTEM_ADMIN, Role.DEPARTMENT_LEADER, Role.CENTRE_STAFF}),
    # registrations (đăng ký đề án): an establishment registers for itself, or staff and
    # district officers register on its behalf; the centre receives (returns for completion,
    # screens again); the department appraises and its council decides.
    "registrations.view": STAFF_ROLES | {Role.BENEFICIARY},
    "registrations.register": frozenset(
        {
            Role.SYSTEM_ADMIN,
            Role.DEPARTMENT_LEADER,
            Role.CENTRE_STAFF,
            Role.DISTRICT_OFFICER,
            Role.BENEFICIARY,
        }
    ),
    "registrations.receive": frozenset(
        {Role.SYSTEM_ADMIN, Role.DEPARTMENT_LEADER, Role.CENTRE_STAFF}
    ),
    "registrations.appraise": frozenset({Role.SYSTEM_ADMIN, Role.DEPARTMENT_LEADER}),
    "registrations.decide": frozenset({Role.SYSTEM_ADMIN, Role.DEPARTMENT_LEADER}),
    # reports and the dashboard: province reports by the department and the centre, national
    # reports by the national agency (scope decides which: reports.builder.check_scope)
    "reports.view": STAFF_ROLES - {Role.DISTRICT_OFFICER},
    "reports.create": frozenset(
        {Role.SYSTEM_ADMIN, Role.NATIONAL_AGENCY, Role.DEPARTMENT_LEADER, Role.CENTRE_STAFF}
    ),
    "reports.manage_templates": frozenset({Role.SYSTEM_ADMIN}),
    # a report's sign-off (reports.signoff): the centre drafts and submits, the department's
    # leader signs and issues (or returns the draft), the department sends; the national
    # agency does the same for its nationwide reports only (reports.signoff.side_problem)
    "reports.submit": frozenset(
        {Role.SYSTEM_ADMIN, Role.NATIONAL_AGENCY, Role.DEPARTMENT_LEADER, Role.CENTRE_STAFF}
    ),
    "reports.sign": frozenset({Role.SYSTEM_ADMIN, Role.NATIONAL_AGENCY, Role.DEPARTMENT_LEADER}),
    "reports.send": frozenset({Role.SYSTEM_ADMIN, Role.NATIONAL_AGENCY, Role.DEPARTMENT_LEADER}),
    "dashboard.view": STAFF_ROLES,
    # catalogs and administrative units
    "catalog.view": ALL_ROLES,
    "catalog.manage": frozenset({Role.SYSTEM_ADMIN}),
    "places.view": ALL_ROLES,
    # REST API tokens (each user manages their own) and spreadsheet imports (api, spreadsheets)
    "api.tokens": ALL_ROLES,
    "imports.beneficiaries": frozenset(
        {Role.SYSTEM_ADMIN, Role.DEPARTMENT_LEADER, Role.CENTRE_STAFF, Role.DISTRICT_OFFICER}
    ),
    # projects with their current status: the steps are recorded as history (system actor)
    "imports.projects": frozenset({Role.SYSTEM_ADMIN, Role.DEPARTMENT_LEADER}),
    "imports.progress": frozenset({Role.SYSTEM_ADMIN, Role.CENTRE_STAFF}),
    # plans and allocation letters already issued: recorded as history (system actor)
    "imports.plans": frozenset({Role.SYSTEM_ADMIN, Role.DEPARTMENT_LEADER}),
    "imports.registrations": frozenset(
        {Role.SYSTEM_ADMIN, Role.DEPARTMENT_LEADER, Role.CENTRE_STAFF, Role.DISTRICT_OFFICER}
    ),
    # audit trail (trust app): the log of changes in one's scope, and each record's history
    # (also needs the permission to see the record itself, through its scope)
    "audit.view_log": frozenset({Role.SYSTEM_ADMIN, Role.DEPARTMENT_LEADER, Role.PROVINCE_ADMIN}),
    "audit.view_history": STAFF_ROLES,
    # administration
    # a province's set-up (/setup/): its organisations and users by the system administrator
    # (any province) or the province administrator (its own); the report settings also by the
    # department and the centre, who sign and send the reports
    "accounts.manage_users": frozenset({Role.SYSTEM_ADMIN, Role.PROVINCE_ADMIN}),
    "setup.view": frozenset(
        {Role.SYSTEM_ADMIN, Role.PROVINCE_ADMIN, Role.DEPARTMENT_LEADER, Role.CENTRE_STAFF}
    ),
    "setup.organisations": frozenset({Role.SYSTEM_ADMIN, Role.PROVINCE_ADMIN}),
    # a province's own procedure for local-fund projects (projects.procedure): who records
    # each step, whether it needs a document, its deadline; dated and audited
    "projects.procedure": frozenset(
        {Role.SYSTEM_ADMIN, Role.PROVINCE_ADMIN, Role.DEPARTMENT_LEADER}
    ),
    "setup.report_settings": frozenset(
        {Role.SYSTEM_ADMIN, Role.PROVINCE_ADMIN, Role.DEPARTMENT_LEADER, Role.CENTRE_STAFF}
    ),
    "admin.site": frozenset({Role.SYSTEM_ADMIN}),
    # deadlines: everyone has a to-do list and a calendar feed (of their role's obligations);
    # the obligation rules are set by national and province administrators
    "deadlines.view": ALL_ROLES,
    "deadlines.manage_rules": frozenset({Role.SYSTEM_ADMIN, Role.PROVINCE_ADMIN}),
}


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed


def role_of(user: Any) -> Role | None:
    """The user's role, or ``None`` for anonymous, inactive or unknown-role users (denied)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.is_superuser:
        return Role.SYSTEM_ADMIN
    try:
        return Role(user.role)
    except ValueError:
        return None


def _require_known(permission: str) -> None:
    if permission not in PERMISSIONS:  # a typo must fail loudly, whoever asks
        raise KeyError(f"Unknown permission {permission!r}: add it to accounts/roles.py")


def has_permission(user: Any, permission: str) -> bool:
    """Whether the user's role holds ``permission`` (scope not considered)."""
    _require_known(permission)
    role = role_of(user)
    return role is not None and role in PERMISSIONS[permission]


def is_national(user: Any) -> bool:
    """National users see every province. Beneficiary users never do, whatever their scope."""
    role = role_of(user)
    if role is None or role == Role.BENEFICIARY:
        return False
    return role in NATIONAL_ROLES or user.scope_level == ScopeLevel.NATIONAL


def _is_district_scoped(user: Any, role: Role) -> bool:
    return role == Role.DISTRICT_OFFICER or user.scope_level == ScopeLevel.DISTRICT


def is_district_scoped(user: Any) -> bool:
    """Whether ``user`` sees one district's records (not a whole province or the country)."""
    role = role_of(user)
    return role is not None and not is_national(user) and _is_district_scoped(user, role)


def province_ids(user: User) -> frozenset[int]:
    """The province units a province-scoped user sees: theirs and, for a province formed by the
    2025 merger, the legacy provinces merged into it. Cached on the user object."""
    if user.province_id is None:
        return frozenset()
    cached = getattr(user, "_scope_province_ids", None)
    if cached is not None and cached[0] == user.province_id:
        return cached[1]

    ids = frozenset(AdminUnit.province_family_ids(user.province_id))
    user._scope_province_ids = (user.province_id, ids)
    return ids


def in_scope(user: Any, obj: Any) -> bool:
    """Whether ``obj`` lies in the user's scope.

    ``obj`` exposes any of ``scope_province_id``, ``scope_district_id``,
    ``scope_beneficiary_id`` (properties on the domain models); a missing one means "not in
    the scope of users who need it". Agrees with ``scope_queryset`` record by record.
    """
    role = role_of(user)
    if role is None:
        return False
    if is_national(user):
        return True
    if role == Role.BENEFICIARY:
        own = getattr(obj, "scope_beneficiary_id", None)
        return user.beneficiary_id is not None and own == user.beneficiary_id
    if _is_district_scoped(user, role):
        district_id = getattr(obj, "scope_district_id", None)
        return user.district_id is not None and district_id == user.district_id
    province_id = getattr(obj, "scope_province_id", None)
    return province_id is not None and province_id in province_ids(user)


def check(user: Any, permission: str, obj: Any = None) -> Decision:
    """May ``user`` use ``permission`` (on ``obj`` if given)? Returns a decision with a reason."""
    _require_known(permission)
    if role_of(user) is None:
        return Decision(False, _("You need to sign in."))
    if not has_permission(user, permission):
        # the refusal names who can do it, so a disabled button or a 403 page says whom to ask
        return Decision(
            False,
            _("Your role does not allow this action; it is done by: %(roles)s.")
            % {"roles": ", ".join(holders(permission))},
        )
    if obj is not None and not in_scope(user, obj):
        return Decision(False, _("This record is outside your area of responsibility."))
    return Decision(True)


def check_roles(user: Any, holding: frozenset[Role] | frozenset[str], obj: Any = None) -> Decision:
    """``check`` for a rule kept as data instead of a permission name (a province's own
    procedure, ``projects.procedure``): ``holding`` are the roles it names; the same reasons,
    naming those roles."""
    if role_of(user) is None:
        return Decision(False, _("You need to sign in."))
    if role_of(user) not in holding:
        return Decision(
            False,
            _("Your role does not allow this action; it is done by: %(roles)s.")
            % {"roles": ", ".join(role_names(holding))},
        )
    if obj is not None and not in_scope(user, obj):
        return Decision(False, _("This record is outside your area of responsibility."))
    return Decision(True)


def role_names(holding: frozenset[Role] | frozenset[str]) -> list[str]:
    """The names of ``holding``'s roles, in the roles' order."""
    return [str(role.label) for role in Role if role in holding]


def holders(permission: str) -> list[str]:
    """The names of the roles holding ``permission``: what a disabled action says about who
    can do it."""
    _require_known(permission)
    return [str(role.label) for role in Role if role in PERMISSIONS[permission]]


def require(actor: Any, permission: str, obj: Any = None) -> None:
    """``check`` for a write: refuse with ``Refused`` (code "permission") and its reason."""
    decision = check(actor, permission, obj)
    if not decision:
        raise Refused(decision.reason, "permission")


def require_page(request: HttpRequest, permission: str, obj: Any = None) -> None:
    """``check`` for a view: refuse with ``PermissionDenied`` (403) and its reason."""
    decision = check(request.user, permission, obj)
    if not decision:
        raise PermissionDenied(decision.reason)


def allowed(user: Any, permission: str, obj: Any = None) -> bool:
    """``check`` without the reason."""
    return check(user, permission, obj).allowed


def scope_queryset(
    user: Any,
    queryset: QuerySet,
    *,
    province: str | None = "province",
    district: str | None = "district",
    beneficiary: str | None = "beneficiary",
) -> QuerySet:
    """Restrict ``queryset`` to the records ``user`` may see.

    The keyword arguments name the lookups leading to the record's province, district and
    beneficiary (``"pk"`` when the record *is* the beneficiary; ``None`` when the record has no
    such link: it is then hidden from users whose scope needs it). The result is always a
    subset of ``queryset``, and agrees with ``in_scope``.
    """
    role = role_of(user)
    if role is None:
        return queryset.none()
    if is_national(user):
        return queryset
    if role == Role.BENEFICIARY:
        if beneficiary is None or user.beneficiary_id is None:
            return queryset.none()
        lookup = "pk" if beneficiary == "pk" else f"{beneficiary}_id"
        return queryset.filter(**{lookup: user.beneficiary_id})
    if _is_district_scoped(user, role):
        if district is None or user.district_id is None:
            return queryset.none()
        return queryset.filter(**{f"{district}_id": user.district_id})
    if province is None:
        return queryset.none()
    ids = province_ids(user)
    if not ids:
        return queryset.none()
    return queryset.filter(**{f"{province}_id__in": ids})


# --- who may give which role (the set-up pages' invitations) ---------------------------------

# The roles a province administrator may give, inside its own province: its own and those
# below it. National roles, and beneficiary users (who act for an establishment and are
# created from the register), are given by a system administrator only.
PROVINCE_GRANTABLE_ROLES = (
    Role.PROVINCE_ADMIN,
    Role.DEPARTMENT_LEADER,
    Role.CENTRE_STAFF,
    Role.DISTRICT_OFFICER,
    Role.JURY_MEMBER,
)


def grantable_roles(actor: Any) -> tuple[Role, ...]:
    """The roles ``actor`` may give to a user they invite or change (none without the
    permission to manage users)."""
    if not has_permission(actor, "accounts.manage_users"):
        return ()
    if role_of(actor) == Role.SYSTEM_ADMIN:
        return tuple(role for role in Role if role != Role.BENEFICIARY)
    return PROVINCE_GRANTABLE_ROLES


def scope_level_for(role: Role) -> ScopeLevel:
    """The scope a role works in: national roles the whole country, district officers their
    district, everybody else a province."""
    if role in NATIONAL_ROLES:
        return ScopeLevel.NATIONAL
    if role == Role.DISTRICT_OFFICER:
        return ScopeLevel.DISTRICT
    return ScopeLevel.PROVINCE


def check_grant(actor: Any, role: str, province_id: int | None) -> Decision:
    """May ``actor`` give ``role`` in ``province_id`` (None for a national role)? A province
    administrator gives only the roles up to its own, only inside its province."""
    if not has_permission(actor, "accounts.manage_users"):
        return Decision(False, _("Your role does not allow this action."))
    if role not in grantable_roles(actor):
        return Decision(False, _("You cannot give this role."))
    if is_national(actor):
        return Decision(True)
    if province_id is None or province_id not in province_ids(actor):
        return Decision(False, _("You can only give roles inside your own province."))
    return Decision(True)
