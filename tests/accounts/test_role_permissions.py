"""Every role × every permission of accounts.roles.PERMISSIONS, against a table written here.

The table is the specification: changing PERMISSIONS without updating it fails, and a new
permission without a row fails too.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import translation

from khuyencong.accounts import roles
from khuyencong.accounts.models import Role, ScopeLevel, User

COLUMNS = {
    "SA": Role.SYSTEM_ADMIN,
    "NA": Role.NATIONAL_AGENCY,
    "DL": Role.DEPARTMENT_LEADER,
    "CS": Role.CENTRE_STAFF,
    "DO": Role.DISTRICT_OFFICER,
    "BE": Role.BENEFICIARY,
    "JM": Role.JURY_MEMBER,
    "PA": Role.PROVINCE_ADMIN,
}
TABLE = """
permission              SA NA DL CS DO BE JM PA
beneficiaries.view      x  x  x  x  x  x  .  .
beneficiaries.create    x  .  x  x  x  .  .  .
beneficiaries.edit      x  .  x  x  x  x  .  .
beneficiaries.archive   x  .  x  x  .  .  .  .
catalog.view            x  x  x  x  x  x  x  x
catalog.manage          x  .  .  .  .  .  .  .
places.view             x  x  x  x  x  x  x  x
accounts.manage_users   x  .  .  .  .  .  .  x
setup.view              x  .  x  x  .  .  .  x
setup.organisations     x  .  .  .  .  .  .  x
setup.report_settings   x  .  x  x  .  .  .  x
admin.site              x  .  .  .  .  .  .  .
plans.view              x  x  x  x  x  .  .  .
plans.manage            x  .  x  x  .  .  .  .
plans.approve_national  x  x  .  .  .  .  .  .
plans.approve_local     x  .  x  .  .  .  .  .
projects.view           x  x  x  x  x  x  .  .
projects.register       x  .  x  x  x  .  .  .
projects.edit           x  .  x  x  .  .  .  .
projects.appraise       x  x  x  .  .  .  .  .
projects.decide_national x x  .  .  .  .  .  .
projects.decide_local   x  .  x  .  .  .  .  .
projects.implement      x  .  .  x  .  .  .  .
projects.accept         x  .  x  .  .  .  .  .
projects.settle         x  .  x  .  .  .  .  .
projects.annul          x  .  x  .  .  .  .  .
projects.inspect        x  x  x  x  .  .  .  .
projects.documents      x  .  x  x  .  .  .  .
projects.group_members  x  .  x  .  .  .  .  .
projects.procedure      x  .  x  .  .  .  .  x
contests.view           x  x  x  x  x  x  x  .
contests.manage         x  .  x  x  .  .  .  .
contests.register_entry x  .  x  x  x  x  .  .
contests.score          .  .  .  .  .  .  x  .
contests.rules          x  .  .  .  .  .  .  .
events.view             x  x  x  x  x  .  .  .
events.manage           x  .  x  x  .  .  .  .
registrations.view      x  x  x  x  x  x  .  .
registrations.register  x  .  x  x  x  x  .  .
registrations.receive   x  .  x  x  .  .  .  .
registrations.appraise  x  .  x  .  .  .  .  .
registrations.decide    x  .  x  .  .  .  .  .
api.tokens              x  x  x  x  x  x  x  x
imports.beneficiaries   x  .  x  x  x  .  .  .
imports.projects        x  .  x  .  .  .  .  .
imports.progress        x  .  .  x  .  .  .  .
imports.plans           x  .  x  .  .  .  .  .
imports.registrations   x  .  x  x  x  .  .  .
reports.view            x  x  x  x  .  .  .  .
reports.create          x  x  x  x  .  .  .  .
reports.manage_templates x .  .  .  .  .  .  .
reports.submit          x  x  x  x  .  .  .  .
reports.sign            x  x  x  .  .  .  .  .
reports.send            x  x  x  .  .  .  .  .
dashboard.view          x  x  x  x  x  .  .  .
audit.view_log          x  .  x  .  .  .  .  x
audit.view_history      x  x  x  x  x  .  .  .
deadlines.view          x  x  x  x  x  x  x  x
deadlines.manage_rules  x  .  .  .  .  .  .  x
"""
# Rows for permissions the plans/projects branch adds: checked as soon as they exist.
PENDING = {
    "plans.view",
    "plans.manage",
    "plans.approve_national",
    "plans.approve_local",
    "projects.view",
    "projects.register",
    "projects.edit",
    "projects.appraise",
    "projects.decide_national",
    "projects.decide_local",
    "projects.implement",
    "projects.accept",
    "projects.settle",
    "projects.annul",
    "projects.inspect",
    "projects.documents",
}


def _parse() -> dict[str, dict[Role, bool]]:
    header, *rows = [line.split() for line in TABLE.strip().splitlines()]
    codes = header[1:]
    return {
        row[0]: {COLUMNS[c]: mark == "x" for c, mark in zip(codes, row[1:], strict=True)}
        for row in rows
    }


EXPECTED = _parse()
CASES = [
    (perm, role, allowed)
    for perm, row in EXPECTED.items()
    if perm in roles.PERMISSIONS  # PENDING rows join once their permission exists
    for role, allowed in row.items()
]


def user_with(role: Role, **attrs) -> User:
    scope = ScopeLevel.NATIONAL if role in roles.NATIONAL_ROLES else ScopeLevel.PROVINCE
    return User(username=f"u-{role}", role=role, scope_level=scope, is_active=True, **attrs)


def test_table_covers_every_permission_and_role():
    assert set(roles.PERMISSIONS) <= set(EXPECTED), "add a row for the new permission"
    assert set(EXPECTED) - set(roles.PERMISSIONS) <= PENDING, "a row names no permission"
    assert set(COLUMNS.values()) == set(Role)


@pytest.mark.parametrize(
    ("permission", "role", "allowed"), CASES, ids=[f"{p}-{r.value}" for p, r, _ in CASES]
)
def test_role_holds_exactly_the_permissions_of_the_table(permission, role, allowed):
    user = user_with(role)
    assert roles.has_permission(user, permission) is allowed
    decision = roles.check(user, permission)
    assert decision.allowed is allowed
    assert bool(decision) is allowed
    assert roles.allowed(user, permission) is allowed
    assert (decision.reason == "") is allowed


@pytest.mark.parametrize("permission", sorted(roles.PERMISSIONS))
def test_anonymous_and_inactive_users_hold_nothing(permission):
    assert not roles.has_permission(AnonymousUser(), permission)
    assert not roles.has_permission(None, permission)
    inactive = user_with(Role.SYSTEM_ADMIN, is_superuser=True)
    inactive.is_active = False
    assert not roles.has_permission(inactive, permission)
    assert roles.role_of(inactive) is None


def test_superuser_counts_as_system_administrator_whatever_the_role_field():
    user = user_with(Role.JURY_MEMBER, is_superuser=True)
    assert roles.role_of(user) == Role.SYSTEM_ADMIN
    assert roles.has_permission(user, "admin.site")
    assert roles.is_national(user)


def test_unknown_role_value_is_denied_not_an_error():
    user = user_with(Role.CENTRE_STAFF)
    user.role = "mayor"
    assert roles.role_of(user) is None
    assert not roles.check(user, "beneficiaries.view")


def test_unknown_permission_fails_loudly_for_everyone():
    for user in (AnonymousUser(), user_with(Role.SYSTEM_ADMIN)):
        with pytest.raises(KeyError, match=r"beneficiaries\.veiw"):
            roles.has_permission(user, "beneficiaries.veiw")
        with pytest.raises(KeyError):
            roles.check(user, "beneficiaries.veiw")


def test_decisions_explain_themselves_in_vietnamese():
    with translation.override("vi"):
        assert roles.check(AnonymousUser(), "beneficiaries.view").reason == "Bạn cần đăng nhập."
        assert roles.check(user_with(Role.JURY_MEMBER), "beneficiaries.view").reason == (
            "Vai trò của bạn không được phép thực hiện thao tác này; việc này do Quản trị hệ"
            " thống, Cán bộ Cục (trung ương), Lãnh đạo Sở Công Thương, Cán bộ Trung tâm Khuyến"
            " công, Cán bộ cấp huyện, Đơn vị thụ hưởng thực hiện."
        )
