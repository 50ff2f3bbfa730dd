"""Trust-walk registrations of the api app: the token pages (``api:*``, walked by the HTML
walks) and every REST operation (``api-v1:*``, walked with each role's API token and JSON
bodies by tests/api/test_trust_walk.py).

For an API operation, ``data`` is the JSON body of a request that succeeds for a user allowed
to make it; ``allow`` mirrors the rule the service applies on top of the endpoint's own
permission (a project step needs the step's permission, a plan's approval the fund's).
"""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from khuyencong.accounts import roles
from khuyencong.api.models import ApiToken
from tests.trust.routes import PUBLIC, SIGNED_IN, Route, register
from tests.trust.world import World, marker, world_object

D = datetime.date
M = 1_000_000

# ---------------------------------------------------------------------- world objects


@world_object("api_token")
def _api_token(world: World, side: str) -> ApiToken:
    """A token of the province leader of the side (each user sees and revokes only theirs)."""
    owner = world.users["leader_b" if side == "B" else "leader_a"]
    token, _raw = ApiToken.issue(user=owner, name=f"Khoá {marker(side, 'api_token')}")
    return token


# ---------------------------------------------------------------------- helpers


def _own_token(user: Any, token: ApiToken) -> bool:
    return user is not None and token.user_id == user.pk


def _rule(permission: str):
    """``allow``: the endpoint's own permission was checked; the service needs this one."""
    return lambda user, obj: roles.check(user, permission, obj).allowed


def _pk(name: str):
    return lambda world, side, obj: {name: obj.pk}


def _version(world: World, side: str, obj: Any, **extra: Any) -> dict[str, Any]:
    return {"version": obj.version, **extra}


_codes = itertools.count(1)
_batches = itertools.count(1)  # each allowed call records a new batch


def _new_beneficiary(world: World, side: str, obj: Any) -> dict[str, Any]:
    return {
        "kind": "household",
        "name": f"Hộ kinh doanh mới {next(_codes)}",
        "commune_id": world.sides[side].commune.pk,
    }


def _new_plan(world: World, side: str, obj: Any) -> dict[str, Any]:
    return {
        "province_id": world.sides[side].province.pk,
        "year": 2021,
        "funding_source": "other",
        "title": "Kế hoạch mới",
        "ceiling": 300 * M,
    }


def _new_project(world: World, side: str, obj: Any) -> dict[str, Any]:
    return {
        "code": f"KQZ-API-{side}-{next(_codes)}",
        "title": "Đề án mới qua API",
        "content_area": "machinery",
        "implementing_unit_id": world.obj("centre", side).pk,
        "place_id": world.sides[side].commune.pk,
        "registered_on": "2016-02-01",
    }


def _new_registration(world: World, side: str, obj: Any) -> dict[str, Any]:
    return {
        "target_year": 2019,
        "funding_source": "local",
        "content_area": "machinery",
        "title": "Đăng ký mới qua API",
        "beneficiary_id": world.obj("beneficiary", side).pk,
        "place_id": world.sides[side].commune.pk,
        "product": "Sản phẩm mới",
        "registered_on": "2018-05-20",
        "total_investment": 100 * M,
        "requested_local": 40 * M,
        "counterpart": 60 * M,
    }


API_V1 = "api-v1:"

register(
    # the token pages: each user their own tokens
    Route("api:tokens", "api.tokens", fuzz_role="leader_a"),
    Route(
        "api:revoke",
        "api.tokens",
        obj="api_token",
        method="post",
        allow=_own_token,
    ),
    # ninja's own pages: the schema and the docs are public (no record in them)
    Route(
        API_V1 + "api-root",
        PUBLIC,
        ok=(302, 404),
        note="ninja's root: a redirect to the docs when DEBUG is on, else 404",
    ),
    Route(API_V1 + "openapi-json", PUBLIC),
    Route(API_V1 + "openapi-view", PUBLIC),
    # reference data
    Route(API_V1 + "me", SIGNED_IN),
    Route(API_V1 + "catalog", "catalog.view", kwargs={"catalog": "funding-sources"}),
    Route(API_V1 + "legal_bases", "catalog.view"),
    Route(API_V1 + "units", "places.view", query="?q=na"),
    Route(
        API_V1 + "unit",
        "places.view",
        kwargs=lambda world, side, obj: {"unit_id": world.sides[side].commune.pk},
    ),
    # beneficiaries
    Route(API_V1 + "list_beneficiaries", "beneficiaries.view", shows=("beneficiary",)),
    Route(
        API_V1 + "create_beneficiary",
        "beneficiaries.create",
        obj="beneficiary",  # the new record lies where the side's beneficiary does
        kwargs={},
        method="post",
        data=_new_beneficiary,
        ok=(201,),
    ),
    Route(
        API_V1 + "get_beneficiary",
        "beneficiaries.view",
        obj="beneficiary",
        kwargs=_pk("beneficiary_id"),
    ),
    Route(
        API_V1 + "update_beneficiary",
        "beneficiaries.edit",
        obj="beneficiary",
        kwargs=_pk("beneficiary_id"),
        method="patch",
        data=lambda world, side, obj: _version(world, side, obj, notes="Ghi chú qua API"),
    ),
    Route(
        API_V1 + "archive_beneficiary",
        "beneficiaries.archive",
        obj="beneficiary",
        kwargs=_pk("beneficiary_id"),
        method="post",
        data=_version,
    ),
    Route(
        API_V1 + "restore_beneficiary",
        "beneficiaries.archive",
        obj="beneficiary",
        kwargs=_pk("beneficiary_id"),
        method="post",
        data=_version,
    ),
    # plans
    Route(API_V1 + "list_plans", "plans.view", shows=("plan",)),
    Route(
        API_V1 + "create_plan",
        "plans.manage",
        obj="plan",  # the new plan is in the side's province
        kwargs={},
        method="post",
        data=_new_plan,
        ok=(201,),
    ),
    Route(API_V1 + "get_plan", "plans.view", obj="plan", kwargs=_pk("plan_id")),
    Route(
        API_V1 + "update_plan",
        "plans.manage",
        obj="plan",
        kwargs=_pk("plan_id"),
        method="patch",
        data=lambda world, side, obj: _version(world, side, obj, notes="Ghi chú qua API"),
    ),
    Route(
        API_V1 + "submit_plan",
        "plans.manage",
        obj="plan_draft",
        kwargs=_pk("plan_id"),
        method="post",
        data=_version,
    ),
    Route(
        API_V1 + "approve_plan",
        "plans.approve_local",
        obj="plan_draft",
        kwargs=_pk("plan_id"),
        method="post",
        data=lambda world, side, obj: _version(
            world, side, obj, decision_number="99/QĐ-UBND", decision_date=f"{obj.year}-01-02"
        ),
    ),
    Route(
        API_V1 + "add_plan_version",
        "plans.approve_local",
        obj="plan",
        kwargs=_pk("plan_id"),
        method="post",
        data=lambda world, side, obj: _version(
            world,
            side,
            obj,
            kind="supplement",
            ceiling=950 * M,
            decision_number="100/QĐ-UBND",
            decision_date=f"{obj.year}-06-01",
        ),
        ok=(201,),
    ),
    Route(
        API_V1 + "list_allocations",
        "plans.view",
        obj="plan_national",
        kwargs=_pk("plan_id"),
    ),
    Route(
        API_V1 + "record_allocation",
        "plans.approve_national",
        obj="plan_national",
        kwargs=_pk("plan_id"),
        method="post",
        data=lambda world, side, obj: {
            "batch": next(_batches),
            "document_number": "77/CCT-KCXTTM",
            "document_date": f"{obj.year}-04-01",
            "issuer": "Cục Công Thương địa phương",
            "amount": 250 * M,
        },
        ok=(201,),
        unversioned="adds a new batch row; a batch recorded twice is refused by its number",
    ),
    # registrations
    Route(API_V1 + "list_registrations", "registrations.view", shows=("registration",)),
    Route(
        API_V1 + "create_registration",
        "registrations.register",
        obj="registration",  # the new registration is the side's beneficiary's
        kwargs={},
        method="post",
        data=_new_registration,
        ok=(201,),
    ),
    Route(
        API_V1 + "get_registration",
        "registrations.view",
        obj="registration",
        kwargs=_pk("registration_id"),
    ),
    Route(
        API_V1 + "update_registration",
        "registrations.register",
        obj="registration",
        kwargs=_pk("registration_id"),
        method="patch",
        data=lambda world, side, obj: _version(world, side, obj, description="Mô tả mới"),
    ),
    Route(
        API_V1 + "registration_step",
        "registrations.register",
        obj="registration",
        kwargs=_pk("registration_id"),
        method="post",
        data=lambda world, side, obj: _version(world, side, obj, kind="submit"),
        ok=(201,),
    ),
    # projects
    Route(API_V1 + "list_projects", "projects.view", shows=("project",)),
    Route(
        API_V1 + "create_project",
        "projects.register",
        obj="project",  # the new project is at the side's commune
        kwargs={},
        method="post",
        data=_new_project,
        ok=(201,),
    ),
    Route(API_V1 + "get_project", "projects.view", obj="project", kwargs=_pk("project_id")),
    Route(
        API_V1 + "update_project",
        "projects.edit",
        obj="project",
        kwargs=_pk("project_id"),
        method="patch",
        data=lambda world, side, obj: _version(world, side, obj, expected_results="Kết quả mới"),
    ),
    Route(
        API_V1 + "archive_project",
        "projects.edit",
        obj="project",
        kwargs=_pk("project_id"),
        method="post",
        data=_version,
    ),
    Route(API_V1 + "list_events", "projects.view", obj="project", kwargs=_pk("project_id")),
    Route(
        API_V1 + "annul_event",
        "projects.view",
        obj="project_annullable",
        kwargs=lambda world, side, obj: {
            "project_id": obj.pk,
            "event_id": obj.events.filter(kind="under_review").order_by("sequence").last().pk,
        },
        method="post",
        data=lambda world, side, obj: _version(world, side, obj, reason="Ghi nhầm"),
        allow=_rule("projects.annul"),
    ),
    Route(
        API_V1 + "annul_progress",
        "projects.view",
        obj="project_annullable",
        kwargs=lambda world, side, obj: {
            "project_id": obj.pk,
            "progress_id": obj.progress_updates.order_by("-pk").first().pk,
        },
        method="post",
        data=lambda world, side, obj: _version(world, side, obj, reason="Chi trùng"),
        allow=_rule("projects.annul"),
    ),
    Route(
        API_V1 + "create_event",
        "projects.view",
        obj="project",
        kwargs=_pk("project_id"),
        method="post",
        data=lambda world, side, obj: _version(
            world, side, obj, kind="appraise", effective_date=f"{obj.plan.year}-02-01"
        ),
        allow=_rule("projects.appraise"),
        ok=(201,),
    ),
    Route(
        API_V1 + "list_progress",
        "projects.view",
        obj="project_contracted",
        kwargs=_pk("project_id"),
    ),
    Route(
        API_V1 + "create_progress",
        "projects.view",
        obj="project_contracted",
        kwargs=_pk("project_id"),
        method="post",
        data=lambda world, side, obj: _version(
            world, side, obj, date=f"{obj.plan.year}-03-01", progress_percent=40
        ),
        allow=_rule("projects.implement"),
        ok=(201,),
    ),
    # a group project's participants
    Route(
        API_V1 + "list_members",
        "projects.view",
        obj="group_member",
        kwargs=lambda world, side, member: {"project_id": member.project_id},
    ),
    Route(
        API_V1 + "add_member",
        "projects.view",
        obj="group_project",
        kwargs=_pk("project_id"),
        method="post",
        data=lambda world, side, obj: _version(
            world,
            side,
            obj,
            beneficiary_id=world.obj("participant", side).pk,
            place_id=world.sides[side].commune.pk,
            support_amount=M,
            decision_number="5/QĐ-SCT",
            decision_date=f"{obj.plan.year}-03-02",
        ),
        allow=_rule("projects.group_members"),
        ok=(201,),
    ),
    Route(
        API_V1 + "end_member",
        "projects.view",
        obj="group_member",
        kwargs=lambda world, side, member: {
            "project_id": member.project_id,
            "member_id": member.pk,
        },
        method="post",
        data=lambda world, side, member: _version(
            world,
            side,
            member,
            left_on=f"{member.joined_on.year}-04-01",
            decision_number="6/QĐ-SCT",
            reason="Cơ sở xin thôi tham gia",
        ),
        allow=_rule("projects.group_members"),
        ok=(200,),
    ),
    # report figures
    Route(API_V1 + "figures", "plans.view", query="?funding_source=local"),
    # a report's document on the side's province (its plan's year): who may see the plan's
    # province may read it, the others are refused
    Route(
        API_V1 + "document",
        "reports.view",
        obj="plan",
        kwargs={},
        query=lambda world, side: (
            f"?period=Y&year={world.obj('plan', side).year}"
            f"&province={world.sides[side].province.pk}"
        ),
    ),
)
