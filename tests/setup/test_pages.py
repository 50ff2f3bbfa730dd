"""The set-up pages: who sees what, the invitation link's page, the report settings preview."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from khuyencong.accounts.models import Organisation, OrganisationKind, Role, User
from khuyencong.reports.models import ReportSettings
from khuyencong.setup.models import Invitation
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


def test_the_national_administrator_chooses_a_province(client, places, people):
    client.force_login(people.national)
    page = client.get(reverse("setup:index"))
    assert page.status_code == 200
    assert "Thiết lập tỉnh" in page.content.decode()
    chosen = client.get(reverse("setup:index"), {"province": places.lang_son.pk})
    assert chosen.url == reverse("setup:province", args=[places.lang_son.pk])
    wrong = client.get(reverse("setup:index"), {"province": places.lang_son_district.pk})
    assert wrong.status_code == 200  # a district is refused with a message, not a 500


def test_a_province_administrator_sees_only_its_province(client, places, people):
    client.force_login(people.lang_son_admin)
    assert client.get(reverse("setup:index")).url == reverse(
        "setup:province", args=[places.lang_son.pk]
    )
    checklist = client.get(reverse("setup:province", args=[places.lang_son.pk]))
    assert checklist.status_code == 200
    assert "Sở Công Thương" in checklist.content.decode()
    for name in ("setup:province", "setup:organisations", "setup:users", "setup:report_settings"):
        assert client.get(reverse(name, args=[places.cao_bang.pk])).status_code == 404


def test_roles_without_the_set_up_are_refused(client, places, people):
    district = UserFactory(role=Role.DISTRICT_OFFICER, district=places.lang_son_district)
    client.force_login(district)
    assert client.get(reverse("setup:index")).status_code == 403
    client.force_login(people.lang_son_centre)
    assert client.get(reverse("setup:users", args=[places.lang_son.pk])).status_code == 403
    checklist = client.get(reverse("setup:province", args=[places.lang_son.pk])).content.decode()
    assert reverse("setup:users", args=[places.lang_son.pk]) not in checklist  # no link to a 403
    page = client.get(reverse("setup:organisations", args=[places.lang_son.pk]))
    assert page.status_code == 200 and '<form method="post">' not in page.content.decode()
    refused = client.post(
        reverse("setup:organisations", args=[places.lang_son.pk]),
        {"kind": OrganisationKind.CENTRE, "name": "Trung tâm"},
    )
    assert refused.status_code == 403
    assert not Organisation.objects.filter(name="Trung tâm").exists()


def test_organisations_are_added_with_the_district_picked(client, places, people):
    client.force_login(people.lang_son_admin)
    url = reverse("setup:organisations", args=[places.lang_son.pk])
    page = client.post(
        url,
        {
            "kind": OrganisationKind.DISTRICT_OFFICE,
            "name": "Phòng Kinh tế và Hạ tầng",
            "district": places.lang_son_district.pk,
        },
    )
    assert page.status_code == 302
    office = Organisation.objects.get(name="Phòng Kinh tế và Hạ tầng")
    assert office.district == places.lang_son_district and office.province == places.lang_son
    hostile = client.post(
        url,
        {
            "kind": OrganisationKind.DISTRICT_OFFICE,
            "name": "Phòng khác",
            "district": places.cao_bang_district.pk,
        },
    )
    assert hostile.status_code == 200
    assert not Organisation.objects.filter(name="Phòng khác").exists()
    assert client.post(url, {"kind": "national_agency", "name": "X"}).status_code == 200
    assert client.post(url, {"kind": "centre", "name": "X", "parent": "abc"}).status_code == 200


def test_the_invite_form_offers_only_the_roles_the_administrator_may_give(client, places, people):
    client.force_login(people.lang_son_admin)
    page = client.get(reverse("setup:users", args=[places.lang_son.pk])).content.decode()
    assert 'value="province_admin"' in page and 'value="centre_staff"' in page
    assert 'value="system_admin"' not in page and 'value="national_agency"' not in page
    forged = client.post(
        reverse("setup:users", args=[places.lang_son.pk]),
        {"email": "x@example.org", "full_name": "A B", "role": "system_admin"},
    )
    assert forged.status_code == 200
    assert not User.objects.filter(email="x@example.org").exists()


def test_an_invitation_by_e_mail_then_the_link_works_once(client, places, people):
    client.force_login(people.lang_son_admin)
    sent = client.post(
        reverse("setup:users", args=[places.lang_son.pk]),
        {
            "email": "can.bo@example.org",
            "full_name": "Đinh Văn Mới",
            "role": Role.CENTRE_STAFF,
            "send_email": "on",
        },
    )
    assert sent.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/setup/invitation/\S+/", mail.outbox[0].body).group(0)
    client.logout()
    path = link.split("testserver", 1)[1]
    assert client.get(path).status_code == 200
    done = client.post(
        path, {"password": "mot-mat-khau-dai-2026", "password_again": "mot-mat-khau-dai-2026"}
    )
    assert done.url == reverse("login")
    user = User.objects.get(email="can.bo@example.org")
    assert user.is_active and user.province == places.lang_son
    again = client.get(path)
    assert again.status_code == 410
    assert "đã được sử dụng" in again.content.decode()
    assert client.get("/setup/invitation/khong-co/").status_code == 404


def test_a_one_time_link_is_shown_when_not_e_mailed(client, places, people):
    client.force_login(people.national)
    page = client.post(
        reverse("setup:users", args=[places.tuyen_quang.pk]),
        {
            "email": "huyen@example.org",
            "full_name": "Lò Thị Huyện",
            "role": Role.DISTRICT_OFFICER,
            "district": places.ha_giang_district.pk,
        },
    )
    assert page.status_code == 200
    assert "/setup/invitation/" in page.content.decode()
    assert not mail.outbox
    assert Invitation.objects.get(user__email="huyen@example.org").sent_to == ""


def test_users_list_shows_last_login_and_deactivation(client, places, people):
    client.force_login(people.lang_son_admin)
    url = reverse("setup:users", args=[places.lang_son.pk])
    page = client.get(url).content.decode()
    assert people.lang_son_centre.username in page
    assert "Chưa bao giờ" in page
    client.post(reverse("setup:deactivate", args=[people.lang_son_centre.pk]))
    people.lang_son_centre.refresh_from_db()
    assert not people.lang_son_centre.is_active
    assert (
        client.get(reverse("setup:deactivate", args=[people.lang_son_centre.pk])).status_code == 405
    )
    other = UserFactory(role=Role.CENTRE_STAFF, province=places.cao_bang)
    assert client.post(reverse("setup:deactivate", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.is_active


def test_report_settings_saved_and_previewed(client, places, people):
    client.force_login(people.lang_son_centre)
    url = reverse("setup:report_settings", args=[places.lang_son.pk])
    assert client.get(url).status_code == 200
    data = {
        "symbol": "BC-SCT",
        "signer_capacity": "KT. GIÁM ĐỐC",
        "signer_position": "PHÓ GIÁM ĐỐC",
        "signer_name": "Hà Văn Ký",
        "recipients": "Bộ Công Thương\nLưu: VT",
    }
    preview = client.post(reverse("setup:report_settings_preview", args=[places.lang_son.pk]), data)
    text = preview.content.decode()
    assert "Hà Văn Ký" in text and "KT. GIÁM ĐỐC" in text and "- Lưu: VT." in text
    assert not ReportSettings.objects.filter(province=places.lang_son).exists()
    bad = client.post(
        reverse("setup:report_settings_preview", args=[places.lang_son.pk]),
        {**data, "signer_name": ""},
    )
    assert bad.status_code == 200 and "Cần nhập" in bad.content.decode()
    saved = client.post(url, data)
    assert saved.status_code == 302
    row = ReportSettings.objects.get(province=places.lang_son)
    assert row.signer_name == "Hà Văn Ký"
    stale = client.post(url, {**data, "signer_name": "Người Khác", "expected_version": 99})
    assert stale.status_code == 200
    row.refresh_from_db()
    assert row.signer_name == "Hà Văn Ký"
    assert (
        client.post(
            reverse("setup:report_settings_preview", args=[places.cao_bang.pk]), data
        ).status_code
        == 404
    )


def test_a_new_link_for_an_invited_user_is_shown_once(client, places, people):
    from khuyencong.setup import services

    invitation, _token = services.invite_user(
        people.national,
        services.NewUser(
            email="lai@example.org",
            full_name="Mời Lại",
            role=Role.CENTRE_STAFF,
            province=places.lang_son,
        ),
    )
    client.force_login(people.lang_son_admin)
    users = client.get(reverse("setup:users", args=[places.lang_son.pk])).content.decode()
    assert reverse("setup:reinvite", args=[invitation.user_id]) in users
    page = client.post(reverse("setup:reinvite", args=[invitation.user_id]), follow=True)
    assert "/setup/invitation/" in page.content.decode()
    assert Invitation.objects.active().filter(user_id=invitation.user_id).count() == 1
