"""The set-up services: permissions and scope, hostile input, dated renames, invitations
(single use, expiry), deactivation, two-factor reset, report settings read by the builder."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from khuyencong.accounts import roles
from khuyencong.accounts.models import Organisation, OrganisationKind, Role, ScopeLevel, User
from khuyencong.core.workflow import Refused
from khuyencong.reports.builder import scope_defaults
from khuyencong.setup import services
from khuyencong.setup.checklist import checklist
from khuyencong.setup.models import Invitation
from khuyencong.trust.models import AuditEntry

pytestmark = pytest.mark.django_db


def new(email="moi@example.org", role=Role.CENTRE_STAFF, **kwargs):
    kwargs.setdefault("full_name", "Nguyễn Thị Mới")
    return services.NewUser(email=email, role=role, **kwargs)


# --- who may give which role ------------------------------------------------------------


def test_a_province_admin_gives_only_province_roles_in_its_province(places, people):
    admin = people.lang_son_admin
    assert Role.SYSTEM_ADMIN not in roles.grantable_roles(admin)
    assert Role.NATIONAL_AGENCY not in roles.grantable_roles(admin)
    assert roles.check_grant(admin, Role.CENTRE_STAFF, places.lang_son.pk)
    assert not roles.check_grant(admin, Role.NATIONAL_AGENCY, None)
    assert not roles.check_grant(admin, Role.CENTRE_STAFF, places.cao_bang.pk)
    assert not roles.check_grant(people.lang_son_centre, Role.CENTRE_STAFF, places.lang_son.pk)
    # a national administrator gives any role, in any province
    assert roles.check_grant(people.national, Role.NATIONAL_AGENCY, None)
    assert roles.check_grant(people.national, Role.PROVINCE_ADMIN, places.cao_bang.pk)


def test_a_province_admin_cannot_invite_a_national_role(places, people):
    with pytest.raises(Refused) as refused:
        services.invite_user(people.lang_son_admin, new(role=Role.SYSTEM_ADMIN))
    assert refused.value.code == "permission"
    assert not User.objects.filter(email="moi@example.org").exists()


def test_a_province_admin_cannot_invite_into_another_province(places, people):
    with pytest.raises(Refused) as refused:
        services.invite_user(people.lang_son_admin, new(province=places.cao_bang))
    assert refused.value.code == "permission"
    assert not User.objects.filter(email="moi@example.org").exists()


def test_a_merged_province_admin_invites_a_district_officer_of_a_legacy_member(places, people):
    invitation, _token = services.invite_user(
        people.tuyen_quang_admin,
        new(
            role=Role.DISTRICT_OFFICER,
            province=places.tuyen_quang,
            district=places.ha_giang_district,
        ),
    )
    user = invitation.user
    assert user.scope_level == ScopeLevel.DISTRICT
    assert user.district == places.ha_giang_district
    with pytest.raises(Refused):
        services.invite_user(
            people.tuyen_quang_admin,
            new(
                email="khac@example.org",
                role=Role.DISTRICT_OFFICER,
                province=places.tuyen_quang,
                district=places.cao_bang_district,
            ),
        )


@pytest.mark.parametrize(
    "email", ["", "not-an-address", "a@b", "x" * 300 + "@example.org", "<script>@x.org"]
)
def test_hostile_e_mail_addresses_are_refused(places, people, email):
    with pytest.raises(Refused):
        services.invite_user(people.national, new(email=email, province=places.lang_son))
    assert Invitation.objects.count() == 0


def test_an_address_in_use_is_refused_whatever_its_case(places, people):
    services.invite_user(people.national, new(province=places.lang_son))
    with pytest.raises(Refused, match="Đã có người dùng"):
        services.invite_user(
            people.national, new(email="MOI@Example.org", province=places.lang_son)
        )


# --- invitations ------------------------------------------------------------------------


def test_the_invited_user_waits_inactive_then_the_link_works_once(places, people):
    invitation, token = services.invite_user(people.lang_son_admin, new(province=places.lang_son))
    user = invitation.user
    assert not user.is_active and not user.has_usable_password()
    assert invitation.token_hash != token  # only the hash is kept
    assert AuditEntry.objects.filter(object_id=str(user.pk), user=people.lang_son_admin).exists()

    accepted = services.accept_invitation(token, "mot-mat-khau-dai-2026", "mot-mat-khau-dai-2026")
    accepted.refresh_from_db()
    assert accepted.is_active and accepted.check_password("mot-mat-khau-dai-2026")
    with pytest.raises(Refused) as refused:
        services.accept_invitation(token, "mat-khau-khac-2026", "mat-khau-khac-2026")
    assert refused.value.code == "used"
    accepted.refresh_from_db()
    assert accepted.check_password("mot-mat-khau-dai-2026")


def test_an_expired_link_is_refused_and_changes_nothing(places, people):
    invitation, token = services.invite_user(people.national, new(province=places.lang_son))
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    with pytest.raises(Refused) as refused:
        services.accept_invitation(token, "mot-mat-khau-dai-2026", "mot-mat-khau-dai-2026")
    assert refused.value.code == "expired"
    assert "hết hạn" in _vi(refused.value.message, token)
    assert not User.objects.get(pk=invitation.user_id).is_active


def _vi(message, token):
    from django.utils import translation

    with translation.override("vi"):
        try:
            services.open_invitation(token)
        except Refused as refused:
            return refused.message
    return message


def test_a_new_link_replaces_an_expired_one(places, people):
    invitation, old_token = services.invite_user(
        people.lang_son_admin, new(province=places.lang_son)
    )
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    user = User.objects.get(pk=invitation.user_id)
    with pytest.raises(Refused):  # another province's administrator
        services.reinvite_user(people.tuyen_quang_admin, user)
    _again, token = services.reinvite_user(people.lang_son_admin, user)
    with pytest.raises(Refused):
        services.open_invitation(old_token)
    services.accept_invitation(token, "mot-mat-khau-dai-2026", "mot-mat-khau-dai-2026")
    with pytest.raises(Refused):  # a password is chosen: no new link
        services.reinvite_user(people.lang_son_admin, User.objects.get(pk=user.pk))


@pytest.mark.parametrize("token", ["", "x", "a" * 500, "../../etc/passwd"])
def test_unknown_tokens_are_refused(token):
    with pytest.raises(Refused):
        services.open_invitation(token)


def test_a_weak_or_mismatched_password_is_refused_and_the_link_stays_usable(places, people):
    invitation, token = services.invite_user(people.national, new(province=places.lang_son))
    with pytest.raises(Refused):
        services.accept_invitation(token, "123", "123")
    with pytest.raises(Refused):
        services.accept_invitation(token, "mot-mat-khau-dai-2026", "mot-mat-khau-dai-2027")
    assert services.open_invitation(token).pk == invitation.pk


def test_the_invitation_is_sent_by_e_mail(places, people):
    invitation, token = services.invite_user(people.national, new(province=places.lang_son))
    services.send_invitation(invitation, f"https://example.org/setup/invitation/{token}/")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["moi@example.org"]
    assert token in mail.outbox[0].body


# --- deactivation and two-factor ----------------------------------------------------------


def test_deactivate_keeps_the_user_and_only_in_scope(places, people):
    target = people.lang_son_centre
    target.set_password("mot-mat-khau-dai-2026")
    target.save()
    with pytest.raises(Refused):
        services.deactivate_user(people.tuyen_quang_admin, target)
    services.deactivate_user(people.lang_son_admin, target, "Nghỉ hưu")
    target.refresh_from_db()
    assert not target.is_active
    assert User.objects.filter(pk=target.pk).exists()
    with pytest.raises(Refused):
        services.deactivate_user(people.lang_son_admin, people.lang_son_admin)
    with pytest.raises(Refused):  # a national user is not the province admin's to change
        services.deactivate_user(people.lang_son_admin, people.agency)
    services.reactivate_user(people.lang_son_admin, target)
    target.refresh_from_db()
    assert target.is_active


def test_deactivating_an_invited_user_closes_their_link(places, people):
    invitation, token = services.invite_user(people.national, new(province=places.lang_son))
    user = User.objects.get(pk=invitation.user_id)
    user.is_active = True  # e.g. activated meanwhile
    user.save()
    services.deactivate_user(people.national, user)
    with pytest.raises(Refused):
        services.open_invitation(token)


def test_reset_two_factor_removes_the_devices_and_is_recorded(places, people):
    target = people.lang_son_centre
    TOTPDevice.objects.create(user=target, name="phone", confirmed=True)
    with pytest.raises(Refused):
        services.reset_two_factor(people.tuyen_quang_admin, target)
    assert services.reset_two_factor(people.lang_son_admin, target) == 1
    assert not TOTPDevice.objects.filter(user=target).exists()
    entry = AuditEntry.objects.filter(object_id=str(target.pk)).order_by("-pk").first()
    assert entry.user == people.lang_son_admin
    with pytest.raises(Refused):
        services.reset_two_factor(people.lang_son_admin, target)


# --- organisations ------------------------------------------------------------------------


def test_organisations_of_a_province_and_the_checklist(places, people):
    province = places.lang_son
    missing = {item.label for item in checklist(province) if not item.done}
    assert len(missing) == 7 - 2  # leader and centre users exist already
    services.create_organisation(
        people.lang_son_admin, province, kind=OrganisationKind.DEPARTMENT, name="Sở Công Thương"
    )
    services.create_organisation(
        people.lang_son_admin, province, kind=OrganisationKind.CENTRE, name="Trung tâm Khuyến công"
    )
    office = services.create_organisation(
        people.lang_son_admin,
        province,
        kind=OrganisationKind.DISTRICT_OFFICE,
        name="Phòng Kinh tế và Hạ tầng",
        district=places.lang_son_district,
    )
    assert office.scope_district_id == places.lang_son_district.pk
    with pytest.raises(Refused):  # the same name twice
        services.create_organisation(
            people.lang_son_admin,
            province,
            kind=OrganisationKind.CENTRE,
            name="trung tâm khuyến công",
        )
    with pytest.raises(Refused):  # a district of another province
        services.create_organisation(
            people.lang_son_admin,
            province,
            kind=OrganisationKind.DISTRICT_OFFICE,
            name="Phòng Kinh tế",
            district=places.cao_bang_district,
        )
    with pytest.raises(Refused):  # another province
        services.create_organisation(
            people.lang_son_admin, places.cao_bang, kind=OrganisationKind.CENTRE, name="TT"
        )
    with pytest.raises(Refused):  # the centre may set report settings, not organisations
        services.create_organisation(
            people.lang_son_centre, province, kind=OrganisationKind.CENTRE, name="TT 2"
        )
    with pytest.raises(Refused):  # the national agency is not a province's kind
        services.create_organisation(
            people.national, province, kind=OrganisationKind.NATIONAL_AGENCY, name="Cục"
        )
    done = {item.label for item in checklist(province) if item.done}
    assert len(done) == 4


def test_a_rename_keeps_the_former_name_dated(places, people):
    centre = services.create_organisation(
        people.national, places.lang_son, kind=OrganisationKind.CENTRE, name="Trung tâm Khuyến công"
    )
    services.rename_organisation(
        people.lang_son_admin,
        centre,
        name="Trung tâm Khuyến công và Tư vấn phát triển công nghiệp",
        since=datetime.date(2020, 1, 1),
    )
    centre = Organisation.objects.get(pk=centre.pk)
    assert centre.name == "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp"
    assert centre.name_on(datetime.date(2019, 12, 31)) == "Trung tâm Khuyến công"
    assert centre.name_on(datetime.date(2020, 1, 1)) == centre.name
    with pytest.raises(Refused):  # an earlier date than the last rename
        services.rename_organisation(
            people.lang_son_admin, centre, name="Tên khác", since=datetime.date(2019, 6, 1)
        )
    with pytest.raises(Refused):
        services.rename_organisation(
            people.tuyen_quang_admin, centre, name="Tên khác", since=datetime.date(2024, 1, 1)
        )


# --- report settings ----------------------------------------------------------------------


def settings_input(**kwargs):
    values = {
        "symbol": "BC-SCT",
        "signer_capacity": "KT. GIÁM ĐỐC",
        "signer_position": "Phó Giám đốc",
        "signer_name": "Hoàng Văn Ký",
        "recipients": "Bộ Công Thương\n\n  Cục Công Thương địa phương  \nLưu: VT",
    }
    values.update(kwargs)
    return services.ReportSettingsInput(**values)


def test_report_settings_are_saved_and_the_builder_reads_them(places, people):
    row = services.save_report_settings(people.lang_son_centre, places.lang_son, settings_input())
    defaults = scope_defaults(places.lang_son)
    assert defaults.signer.capacity == "KT. GIÁM ĐỐC"
    assert defaults.signer.position == "PHÓ GIÁM ĐỐC"
    assert defaults.signer.name == "Hoàng Văn Ký"
    assert defaults.recipients == ("Bộ Công Thương", "Cục Công Thương địa phương", "Lưu: VT")
    services.save_report_settings(
        people.lang_son_leader,
        places.lang_son,
        settings_input(signer_capacity="", signer_position="GIÁM ĐỐC", signer_name="Lý Thị Trưởng"),
        expected_version=row.version,
    )
    assert scope_defaults(places.lang_son).signer.name == "Lý Thị Trưởng"
    # the first writer's stale form does not overwrite the second's
    from khuyencong.core.models import VersionConflict

    with pytest.raises(VersionConflict):
        services.save_report_settings(
            people.lang_son_centre, places.lang_son, settings_input(), expected_version=row.version
        )
    assert AuditEntry.objects.filter(object_id=str(row.pk)).count() >= 2


def test_the_report_built_afterwards_carries_the_signer_and_recipients(places, people):
    from khuyencong.reports.builder import build_report

    services.save_report_settings(
        people.lang_son_centre, places.lang_son, settings_input(symbol="BC-KC")
    )
    data = build_report(
        user=people.lang_son_centre, province=places.lang_son, year=2026, period="H1"
    )
    assert data.signer.name == "Hoàng Văn Ký"
    assert data.signer.capacity == "KT. GIÁM ĐỐC"
    assert data.recipients == ("Bộ Công Thương", "Cục Công Thương địa phương", "Lưu: VT")
    assert data.number_line.endswith("/BC-KC")


@pytest.mark.parametrize(
    "bad",
    [
        {"signer_name": ""},
        {"symbol": "   "},
        {"signer_name": "x" * 200},
        {"recipients": "\n".join(["Nơi"] * 40)},
    ],
)
def test_bad_report_settings_are_refused(places, people, bad):
    with pytest.raises(Refused):
        services.save_report_settings(
            people.lang_son_centre, places.lang_son, settings_input(**bad)
        )
    assert scope_defaults(places.lang_son).signer.name == ""


def test_report_settings_of_another_province_are_refused(places, people):
    with pytest.raises(Refused):
        services.save_report_settings(people.lang_son_centre, places.cao_bang, settings_input())
    with pytest.raises(Refused):  # the national agency reads, it does not set a province's
        services.save_report_settings(people.agency, places.lang_son, settings_input())
