"""The writes of a province's set-up: organisations, invitations and users, report settings.

Every write checks the actor's permission and scope (``accounts.roles``) and refuses hostile
input with a Vietnamese ``Refused`` before changing anything; the audit trail records each
change (``trust.recording``: the models' save signals, and ``record`` for what is not a field
change, such as a two-factor reset).
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from khuyencong.accounts import roles
from khuyencong.accounts.models import (
    Organisation,
    OrganisationKind,
    OrganisationName,
    Role,
    ScopeLevel,
    User,
)
from khuyencong.core.workflow import Refused
from khuyencong.places.models import AdminUnit, Level
from khuyencong.reports.models import ReportSettings
from khuyencong.setup.models import Invitation
from khuyencong.trust import recording
from khuyencong.trust.models import AuditAction

# Kinds of organisation a province has (the national agency is the system administrator's).
PROVINCE_KINDS = (
    OrganisationKind.DEPARTMENT,
    OrganisationKind.CENTRE,
    OrganisationKind.DISTRICT_OFFICE,
    OrganisationKind.OTHER,
)
INVITATION_DAYS = 7
SIGNER_CAPACITIES = ("", "KT. GIÁM ĐỐC", "TL. GIÁM ĐỐC", "TM. UBND")


def invitation_lifetime() -> datetime.timedelta:
    return datetime.timedelta(days=getattr(settings, "INVITATION_DAYS", INVITATION_DAYS))


def require_province(actor: Any, permission: str, province: AdminUnit | None) -> AdminUnit:
    """The province ``actor`` sets up, refused unless it is a province in their scope."""
    if province is None or province.level != Level.PROVINCE:
        raise Refused(_("Choose a province."), "invalid")
    roles.require(actor, permission, province)
    return province


def _text(value: str, label: str, max_length: int, *, required: bool = True) -> str:
    text = " ".join((value or "").split())
    if required and not text:
        raise Refused(_("%(field)s is required.") % {"field": label}, "invalid")
    if len(text) > max_length:
        raise Refused(
            _("%(field)s is too long (at most %(n)d characters).")
            % {"field": label, "n": max_length},
            "invalid",
        )
    return text


# --- organisations ------------------------------------------------------------------------


def create_organisation(
    actor: Any,
    province: AdminUnit,
    *,
    kind: str,
    name: str,
    short_name: str = "",
    district: AdminUnit | None = None,
    parent: Organisation | None = None,
    address: str = "",
) -> Organisation:
    require_province(actor, "setup.organisations", province)
    if kind not in PROVINCE_KINDS:
        raise Refused(_("Choose the kind of organisation."), "invalid")
    name = _text(name, _("The name"), 255)
    if kind == OrganisationKind.DISTRICT_OFFICE and district is None:
        raise Refused(_("A district office needs its district."), "invalid")
    if district is not None and (
        district.level != Level.DISTRICT
        or district.province_id not in AdminUnit.province_family_ids(province.pk)
    ):
        raise Refused(_("The district does not lie in the chosen province."), "invalid")
    if parent is not None and parent.province_id != province.pk:
        raise Refused(_("The parent organisation belongs to another province."), "invalid")
    with transaction.atomic():
        duplicate = Organisation.objects.active().filter(
            province=province, kind=kind, name__iexact=name
        )
        if duplicate.exists():
            raise Refused(_("This province already has an organisation of that name."), "invalid")
        organisation = Organisation(
            kind=kind,
            name=name,
            short_name=_text(short_name, _("The short name"), 120, required=False),
            province=province,
            district=district,
            parent=parent,
            address=_text(address, _("The address"), 255, required=False),
        )
        organisation._history_user = actor
        organisation.save()
    return organisation


def rename_organisation(
    actor: Any, organisation: Organisation, *, name: str, since: datetime.date, note: str = ""
) -> Organisation:
    """The organisation bears ``name`` from ``since`` on; the former name is kept, dated (it
    was used until the day before), so documents of earlier dates keep citing it."""
    require_province(actor, "setup.organisations", organisation.province)
    name = _text(name, _("The new name"), 255)
    if name == organisation.name:
        raise Refused(_("The new name is the same as the current one."), "invalid")
    with transaction.atomic():
        current = Organisation.objects.select_for_update().get(pk=organisation.pk)
        last = current.former_names.order_by("-valid_to").first()
        until = since - datetime.timedelta(days=1)
        if last is not None and last.valid_to >= until:
            raise Refused(
                _(
                    "The organisation was renamed on or after this date already: "
                    "choose a later date."
                ),
                "invalid",
            )
        former = OrganisationName(
            organisation=current,
            name=current.name,
            valid_to=until,
            note=_text(note, _("The note"), 255, required=False),
        )
        former._history_user = actor
        former.save()
        current.name = name
        current._history_user = actor
        current._change_reason = _("Renamed from %(date)s") % {"date": since.strftime("%d/%m/%Y")}
        current.version += 1
        current.save()
    return current


# --- users --------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewUser:
    email: str
    full_name: str
    role: str
    province: AdminUnit | None = None
    district: AdminUnit | None = None
    organisation: Organisation | None = None
    phone: str = ""


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _split_name(full_name: str) -> tuple[str, str]:
    """Vietnamese names: the given name is the last word (Django's first_name)."""
    *family, given = full_name.split()
    return given, " ".join(family)


def _place_user(new: NewUser) -> tuple[ScopeLevel, AdminUnit | None, AdminUnit | None]:
    try:
        role = Role(new.role)
    except ValueError as error:
        raise Refused(_("Choose a role from the list."), "invalid") from error
    level = roles.scope_level_for(role)
    if level == ScopeLevel.NATIONAL:
        return level, None, None
    if new.province is None or new.province.level != Level.PROVINCE:
        raise Refused(_("A user with the province scope needs a province."), "invalid")
    if level == ScopeLevel.DISTRICT:
        district = new.district
        if district is None or district.level != Level.DISTRICT:
            raise Refused(_("A district officer needs a district."), "invalid")
        if district.province_id not in AdminUnit.province_family_ids(new.province.pk):
            raise Refused(_("The district does not lie in the chosen province."), "invalid")
        # a district keeps its own (legacy) province, which the merged province's family holds
        return level, district.province, district
    return level, new.province, None


def invite_user(actor: Any, new: NewUser) -> tuple[Invitation, str]:
    """Create the invited user (inactive, no usable password) and their invitation; returns
    the invitation and its token (shown once: only its hash is kept)."""
    try:
        email = new.email.strip().lower()
        validate_email(email)
    except ValidationError as error:
        raise Refused(_("Enter a valid e-mail address."), "invalid") from error
    full_name = _text(new.full_name, _("The full name"), 150)
    level, province, district = _place_user(new)
    decision = roles.check_grant(actor, new.role, province.pk if province else None)
    if not decision:
        raise Refused(decision.reason, "permission")
    organisation = new.organisation
    if (
        organisation is not None
        and province is not None
        and organisation.province_id not in AdminUnit.province_family_ids(province.pk)
    ):
        raise Refused(_("The organisation belongs to another province."), "invalid")
    if organisation is not None and province is None and organisation.province_id is not None:
        raise Refused(_("A national user belongs to a national organisation."), "invalid")
    first, last = _split_name(full_name)
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        if (
            User.objects.filter(username__iexact=email).exists()
            or User.objects.filter(email__iexact=email).exists()
        ):
            raise Refused(_("A user with this e-mail address exists already."), "invalid")
        user = User(
            username=email,
            email=email,
            first_name=first,
            last_name=last,
            role=new.role,
            scope_level=level,
            province=province,
            district=district,
            organisation=organisation,
            phone=_text(new.phone, _("The phone"), 32, required=False),
            is_active=False,
        )
        user.set_unusable_password()
        try:
            user.full_clean()
        except ValidationError as error:
            raise Refused(" ".join(error.messages), "invalid") from error
        user._history_user = actor  # type: ignore[attr-defined]
        user._change_reason = _("Invited")  # type: ignore[attr-defined]
        user.save()
        invitation = _new_invitation(actor, user, token)
    return invitation, token


def _new_invitation(actor: Any, user: User, token: str) -> Invitation:
    invitation = Invitation(
        user=user,
        invited_by=actor,
        token_hash=_hash(token),
        expires_at=timezone.now() + invitation_lifetime(),
    )
    invitation._history_user = actor
    invitation.save()
    return invitation


def reinvite_user(actor: Any, target: User) -> tuple[Invitation, str]:
    """A new link for an invited user who has not chosen a password yet (the old link
    expired or was lost): the links still open are closed, so only the new one works."""
    _require_manage(actor, target)
    if target.has_usable_password():
        raise Refused(_("This user has chosen a password already."), "invalid")
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        for old in Invitation.objects.active().filter(user=target, accepted_at=None):
            old._history_user = actor
            old.archive()
        invitation = _new_invitation(actor, target, token)
    return invitation, token


def send_invitation(invitation: Invitation, link: str) -> None:
    """E-mail the one-time link to the invited user (Django's e-mail backend)."""
    user = invitation.user
    subject = _("Invitation to the industrial extension system")
    body = _(
        "Hello %(name)s,\n\n%(inviter)s invites you to the industrial extension system as "
        "%(role)s. Open this link to choose your password (it works once, until %(expires)s):"
        "\n\n%(link)s\n"
    ) % {
        "name": user.get_full_name(),
        "inviter": invitation.invited_by.get_full_name() or invitation.invited_by.username,
        "role": user.get_role_display(),
        "expires": timezone.localtime(invitation.expires_at).strftime("%d/%m/%Y %H:%M"),
        "link": link,
    }
    send_mail(subject, body, None, [user.email])
    invitation.sent_to = user.email
    invitation.save(update_fields=["sent_to", "updated_at"])


def open_invitation(token: str) -> Invitation:
    """The invitation a link carries, refused when unknown, used or expired."""
    if not token or len(token) > 100:
        raise Refused(_("This invitation link is not valid."), "invalid")
    invitation = Invitation.objects.select_related("user").filter(token_hash=_hash(token)).first()
    if invitation is None or invitation.archived_at is not None:
        raise Refused(_("This invitation link is not valid."), "invalid")
    if invitation.accepted_at is not None:
        raise Refused(_("This invitation link has been used already."), "used")
    if invitation.expires_at <= timezone.now():
        raise Refused(
            _("This invitation link has expired: ask your administrator for a new one."),
            "expired",
        )
    return invitation


def accept_invitation(token: str, password: str, password_again: str) -> User:
    """The invited user chooses their password; the link is used up and the user active."""
    with transaction.atomic():
        invitation = open_invitation(token)
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at is not None:  # a second tab accepted meanwhile
            raise Refused(_("This invitation link has been used already."), "used")
        user = User.objects.select_for_update().get(pk=invitation.user_id)
        if password != password_again:
            raise Refused(_("The two passwords differ."), "invalid")
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise Refused(" ".join(error.messages), "invalid") from error
        user.set_password(password)
        user.is_active = True
        user._history_user = user  # type: ignore[attr-defined]
        user._change_reason = _("Invitation accepted")  # type: ignore[attr-defined]
        user.save()
        invitation.accepted_at = timezone.now()
        invitation._history_user = user
        invitation.save()
    return user


def _require_manage(actor: Any, target: User) -> None:
    if target.pk == getattr(actor, "pk", None):
        raise Refused(_("You cannot change your own account here."), "permission")
    decision = roles.check_grant(actor, target.role, target.province_id)
    if not decision:
        raise Refused(decision.reason, "permission")


def deactivate_user(actor: Any, target: User, reason: str = "") -> User:
    """The user can no longer sign in; their record and trail stay (users are never deleted)."""
    _require_manage(actor, target)
    if not target.is_active:
        raise Refused(_("This user is inactive already."), "invalid")
    with transaction.atomic():
        target.is_active = False
        target._history_user = actor  # type: ignore[attr-defined]
        why = _text(reason, _("The reason"), 255, required=False) or _("Deactivated")
        target._change_reason = why  # type: ignore[attr-defined]
        target.save(update_fields=["is_active"])
        # an invitation still open would let them in again
        for invitation in Invitation.objects.active().filter(user=target, accepted_at=None):
            invitation._history_user = actor
            invitation.archive()
    return target


def reactivate_user(actor: Any, target: User) -> User:
    _require_manage(actor, target)
    if target.is_active:
        raise Refused(_("This user is active already."), "invalid")
    if not target.has_usable_password():
        raise Refused(_("This user has not accepted the invitation: invite them again."), "invalid")
    target.is_active = True
    target._history_user = actor  # type: ignore[attr-defined]
    target._change_reason = _("Reactivated")  # type: ignore[attr-defined]
    target.save(update_fields=["is_active"])
    return target


def reset_two_factor(actor: Any, target: User) -> int:
    """Remove the user's authenticator devices (a lost phone): they sign in with the password
    and set two-factor sign-in up again. Returns how many devices were removed."""
    _require_manage(actor, target)
    with transaction.atomic():
        devices = TOTPDevice.objects.filter(user=target)
        count = devices.count()
        if count == 0:
            raise Refused(_("This user has no two-factor sign-in to reset."), "invalid")
        devices.delete()  # a credential, not a domain record: the reset itself is recorded
        target._history_user = actor  # type: ignore[attr-defined]
        recording.record(target, AuditAction.UPDATE, _("Two-factor sign-in reset"))
    return count


# --- report settings ----------------------------------------------------------------------


@dataclass(frozen=True)
class ReportSettingsInput:
    symbol: str
    signer_capacity: str
    signer_position: str
    signer_name: str
    recipients: str
    local_programme: str = ""
    focus_areas: str = ""


def _lines(text: str, label: str, max_lines: int = 30) -> str:
    lines = [" ".join(line.split()) for line in (text or "").splitlines()]
    lines = [line for line in lines if line]
    if len(lines) > max_lines:
        raise Refused(
            _("%(field)s: at most %(n)d lines.") % {"field": label, "n": max_lines}, "invalid"
        )
    for line in lines:
        _text(line, label, 300)
    return "\n".join(lines)


def clean_report_settings(data: ReportSettingsInput) -> dict[str, str]:
    """The settings as they will be stored, or ``Refused`` (also used by the preview)."""
    capacity = _text(data.signer_capacity, _("Signing on behalf"), 60, required=False).upper()
    return {
        "symbol": _text(data.symbol, _("The document symbol"), 30),
        "signer_capacity": capacity,
        "signer_position": _text(data.signer_position, _("The signer's position"), 60).upper(),
        "signer_name": _text(data.signer_name, _("The signer's name"), 120),
        "recipients": _lines(data.recipients, _("Recipients")),
        "local_programme": _text(
            data.local_programme, _("The local programme"), 300, required=False
        ),
        "focus_areas": _lines(data.focus_areas, _("Next year's focus")),
    }


def save_report_settings(
    actor: Any,
    province: AdminUnit,
    data: ReportSettingsInput,
    expected_version: int | None = None,
) -> ReportSettings:
    """Write the province's report settings (one active row per province; every change is in
    the audit trail, who and when). ``expected_version``: the version the form was opened
    with, so a second writer does not overwrite the first unseen."""
    require_province(actor, "setup.report_settings", province)
    values = clean_report_settings(data)
    with transaction.atomic():
        row = ReportSettings.objects.active().select_for_update().filter(province=province).first()
        if row is None:
            row = ReportSettings(province=province, **values)
            row._history_user = actor
            row.save()
            return row
        for name, value in values.items():
            setattr(row, name, value)
        row._history_user = actor
        row.save_versioned(row.version if expected_version is None else expected_version)
    return row
