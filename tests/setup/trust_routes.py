"""Trust-walk registrations of the province set-up at /setup/ (see tests/trust/routes.py).

The set-up pages are about a province (the side's), one of its organisations (the world's
``centre``), a user invited into it (``setup_user``, named with the marker: the users page
lists it), an open invitation (``setup_invitation``: its one-time link's page is public) and
its report settings (``setup_settings``, the marker in the recipients). Sides A and A2 are the
same province, so A2's settings are A's row (one active row per province).
"""

from __future__ import annotations

from typing import Any

from tests.trust.routes import PUBLIC, Route, register
from tests.trust.world import World, marker, world_object


def _invite(world: World, side: str, name: str, email: str) -> Any:
    from khuyencong.accounts.models import Role
    from khuyencong.setup import services

    invitation, token = services.invite_user(
        world.users["admin"],
        services.NewUser(
            email=email,
            full_name=name,
            role=Role.CENTRE_STAFF,
            province=world.sides[side].province,
        ),
    )
    invitation.token = token  # shown once in the app; the walk needs it for the link's URL
    return invitation


@world_object("setup_province", context=True)
def _setup_province(world: World, side: str) -> Any:
    return world.sides[side].province


@world_object("setup_user")
def _setup_user(world: World, side: str) -> Any:
    word = marker(side, "setup_user")
    return _invite(world, side, f"Nguyễn {word}", f"{word.lower()}@example.vn").user


@world_object("setup_invitation")
def _setup_invitation(world: World, side: str) -> Any:
    # The link's page greets the invited person by name: no marker in it (anyone holding the
    # link may read it; the token is the secret).
    return _invite(world, side, "Trần Được Mời", f"moi-{side.lower()}@example.vn")


@world_object("setup_settings", context=True)
def _setup_settings(world: World, side: str) -> Any:
    from khuyencong.reports.models import ReportSettings

    if side == "A2":
        return world.obj("setup_settings", "A")
    province = world.sides[side].province
    row = ReportSettings.objects.active().filter(province=province).first()
    if row is None:  # the demo (the backup walk's world) has Bắc Kạn's already
        row = ReportSettings(province=province, symbol="BC-SCT", signer_position="GIÁM ĐỐC")
    row.signer_name = row.signer_name or "Nguyễn Văn Ký"
    row.recipients = f"Sở Tài chính {marker(side, 'setup_settings')}"
    row.save()
    return row


def _province_id(world: World, side: str, province: Any) -> dict[str, Any]:
    return {"province_id": province.pk}


def _settings_province(world: World, side: str, settings: Any) -> dict[str, Any]:
    return {"province_id": settings.province_id}


register(
    Route(
        "setup:index",
        "setup.view",
        ok=(200, 302),
        note="national users choose a province here; a province user is sent to theirs",
    ),
    Route("setup:province", "setup.view", obj="setup_province", kwargs=_province_id),
    Route(
        "setup:organisations",
        "setup.view",
        obj="setup_province",
        kwargs=_province_id,
        unversioned="the form adds a new organisation; it overwrites nothing",
    ),
    Route(
        "setup:rename",
        "setup.organisations",
        obj="centre",
        unversioned="a new name is a new dated row; the former name is kept",
    ),
    Route(
        "setup:users",
        "accounts.manage_users",
        obj="setup_province",
        kwargs=_province_id,
        unversioned="the form invites a new user; it overwrites nothing",
    ),
    Route(
        "setup:deactivate",
        "accounts.manage_users",
        obj="setup_user",
        method="post",
        data={"reason": "Nghỉ việc"},
    ),
    Route("setup:reinvite", "accounts.manage_users", obj="setup_user", method="post"),
    Route("setup:reset_two_factor", "accounts.manage_users", obj="setup_user", method="post"),
    # Anyone holding the link opens it (the token is the secret), so it names no world record
    # for the oracle: the invitation is side A's.
    Route(
        "setup:accept",
        PUBLIC,
        kwargs=lambda world, side, _obj: {"token": world.obj("setup_invitation", "A").token},
    ),
    Route(
        "setup:report_settings",
        "setup.report_settings",
        obj="setup_settings",
        kwargs=_settings_province,
        edit_field="recipients",
    ),
    Route(
        "setup:report_settings_preview",
        "setup.report_settings",
        obj="setup_settings",
        kwargs=_settings_province,
        method="post",
        data={"symbol": "BC-SCT", "signer_position": "GIÁM ĐỐC", "recipients": "Như trên"},
        ok=(200,),
    ),
)
