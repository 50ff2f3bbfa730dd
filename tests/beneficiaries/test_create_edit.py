"""Registering and editing beneficiaries: tax code rules, scope, duplicates, versions."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from khuyencong.accounts.models import Role
from khuyencong.beneficiaries.models import Beneficiary
from khuyencong.trust.models import AuditAction, AuditEntry
from tests.beneficiaries.factories import BeneficiaryFactory, kind, valid_tax_code
from tests.beneficiaries.helpers import edit_data, form_data
from tests.factories import UserFactory

CREATE = reverse("beneficiaries:create")


def edit_url(beneficiary: Beneficiary) -> str:
    return reverse("beneficiaries:edit", args=[beneficiary.pk])


def errors(response) -> dict[str, list[str]]:
    form = response.context["form"]
    return {name: [str(e) for e in errs] for name, errs in form.errors.items()}


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


@pytest.mark.django_db
def test_create_stores_canonical_tax_code_and_place(client, places, staff_a):
    client.force_login(staff_a)
    response = client.post(CREATE, form_data(places.commune_a1, tax_code="0314 409 058 002"))
    created = Beneficiary.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("beneficiaries:detail", args=[created.pk])
    assert created.tax_code == "0314409058-002"
    assert created.province == places.province_a
    assert created.district == places.district_a1
    entry = AuditEntry.objects.for_object(created).get()
    assert (entry.action, entry.user) == (AuditAction.CREATE, staff_a)


@pytest.mark.django_db
def test_household_business_needs_no_tax_code(client, places, staff_a):
    client.force_login(staff_a)
    data = form_data(
        places.commune_a1, kind=kind("household").pk, tax_code="", name="HKD Lại Văn Tú"
    )
    assert client.post(CREATE, data).status_code == 302
    assert Beneficiary.objects.get().tax_code == ""


@pytest.mark.django_db
def test_cooperative_without_tax_code_is_refused_in_vietnamese(client, places, staff_a):
    client.force_login(staff_a)
    response = client.post(CREATE, form_data(places.commune_a1, tax_code=""))
    assert response.status_code == 200
    assert Beneficiary.objects.count() == 0
    assert "Mã số thuế là bắt buộc" in errors(response)["tax_code"][0]


@pytest.mark.django_db
def test_wrong_check_digit_is_refused_and_nothing_changes(client, places, staff_a):
    client.force_login(staff_a)
    response = client.post(CREATE, form_data(places.commune_a1, tax_code="0100233480"))
    assert Beneficiary.objects.count() == 0
    assert "chữ số kiểm tra" in errors(response)["tax_code"][0]


@pytest.mark.django_db
def test_garbage_post_changes_nothing(client, places, staff_a):
    existing = BeneficiaryFactory(commune=places.commune_a1)
    client.force_login(staff_a)
    before = (Beneficiary.objects.count(), AuditEntry.objects.count())
    garbage = {
        "kind": "999999",
        "name": "\x00\x01",
        "tax_code": "abc" * 50,
        "commune": "'; drop table x; --",
        "industry": "nope",
        "email": "not-an-email",
    }
    response = client.post(CREATE, garbage)
    assert response.status_code == 200
    assert set(errors(response)) >= {"kind", "name", "tax_code", "commune", "industry", "email"}
    response = client.post(edit_url(existing), {**garbage, "expected_version": "x"})
    assert response.status_code == 200
    assert (Beneficiary.objects.count(), AuditEntry.objects.count()) == before
    existing.refresh_from_db()
    assert existing.version == 1


@pytest.mark.django_db
def test_commune_outside_the_users_area_is_refused(client, places, staff_a):
    client.force_login(staff_a)
    response = client.post(CREATE, form_data(places.commune_b))
    assert Beneficiary.objects.count() == 0
    assert "commune" in errors(response)


@pytest.mark.django_db
def test_district_officer_registers_only_in_their_district(client, places, officer_a1):
    client.force_login(officer_a1)
    assert "commune" in errors(client.post(CREATE, form_data(places.commune_a2)))
    assert client.post(CREATE, form_data(places.commune_a1b)).status_code == 302
    assert Beneficiary.objects.get().district == places.district_a1


@pytest.mark.django_db
def test_roles_without_create_permission_get_403(client, places):
    client.force_login(UserFactory(role=Role.NATIONAL_AGENCY))
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, form_data(places.commune_a1)).status_code == 403
    assert Beneficiary.objects.count() == 0


@pytest.mark.django_db
def test_tax_code_of_an_active_record_is_refused_even_when_confirmed(client, places, staff_a):
    owner = BeneficiaryFactory(name="HTX Đã có", tax_code="0100233488", commune=places.commune_a2)
    client.force_login(staff_a)
    data = form_data(places.commune_a1, tax_code="0100233488", confirm_duplicates="on")
    response = client.post(CREATE, data)
    assert Beneficiary.objects.count() == 1
    message = errors(response)["tax_code"][0]
    assert "0100233488" in message and "HTX Đã có" in message
    assert reverse("beneficiaries:detail", args=[owner.pk]) in response.content.decode()


@pytest.mark.django_db
def test_same_name_in_same_commune_warns_then_saves_when_confirmed(client, places, staff_a):
    first = BeneficiaryFactory(name="HTX Thành Long", commune=places.commune_a1)
    client.force_login(staff_a)
    data = form_data(places.commune_a1, name="htx thanh  LONG", tax_code=valid_tax_code(77))
    response = client.post(CREATE, data)
    assert Beneficiary.objects.count() == 1
    body = response.content.decode()
    assert reverse("beneficiaries:detail", args=[first.pk]) in body
    assert 'type="checkbox" name="confirm_duplicates"' in body
    assert "Lưu" in errors(response)["__all__"][0]
    # the same name in another commune is no warning
    other = form_data(places.commune_a2, name="HTX Thành Long", tax_code=valid_tax_code(78))
    assert client.post(CREATE, other).status_code == 302
    # ticking "save anyway" registers it
    response = client.post(CREATE, {**data, "confirm_duplicates": "on"})
    assert response.status_code == 302
    assert Beneficiary.objects.filter(commune=places.commune_a1).count() == 2


@pytest.mark.django_db
def test_tax_code_of_an_archived_record_is_a_warning(client, places, staff_a):
    old = BeneficiaryFactory(name="Cơ sở cũ", tax_code="0100233488", commune=places.commune_a2)
    old.archive()
    client.force_login(staff_a)
    data = form_data(places.commune_a1, tax_code="0100233488")
    response = client.post(CREATE, data)
    assert [d.beneficiary for d in response.context["form"].duplicates] == [old]
    assert Beneficiary.objects.count() == 1
    assert client.post(CREATE, {**data, "confirm_duplicates": "on"}).status_code == 302
    assert Beneficiary.objects.active().get().tax_code == "0100233488"


@pytest.mark.django_db
def test_edit_saves_and_bumps_the_version(client, places, staff_a):
    beneficiary = BeneficiaryFactory(commune=places.commune_a1)
    client.force_login(staff_a)
    response = client.post(edit_url(beneficiary), edit_data(beneficiary, phone="0912 345 678"))
    assert response.status_code == 302
    beneficiary.refresh_from_db()
    assert (beneficiary.phone, beneficiary.version) == ("0912 345 678", 2)


@pytest.mark.django_db
def test_editing_an_unchanged_name_does_not_warn_again(client, places, staff_a):
    BeneficiaryFactory(name="HTX Trùng", commune=places.commune_a1)
    second = BeneficiaryFactory(name="HTX Trùng", commune=places.commune_a1)
    client.force_login(staff_a)
    assert client.post(edit_url(second), edit_data(second, phone="1")).status_code == 302


@pytest.mark.django_db
def test_second_writer_gets_a_message_and_keeps_their_input(client, places, staff_a):
    beneficiary = BeneficiaryFactory(commune=places.commune_a1, representative="Ban đầu")
    stale = edit_data(beneficiary, representative="Người thứ hai")
    client.force_login(staff_a)
    assert (
        client.post(
            edit_url(beneficiary), edit_data(beneficiary, representative="Người thứ nhất")
        ).status_code
        == 302
    )
    response = client.post(edit_url(beneficiary), stale)
    assert response.status_code == 200
    beneficiary.refresh_from_db()
    assert (beneficiary.representative, beneficiary.version) == ("Người thứ nhất", 2)
    body = response.content.decode()
    assert 'value="Người thứ hai"' in body  # their input is back
    assert "Người thứ nhất" in body  # next to the stored record
    assert response.context["form"].non_field_errors()


@pytest.mark.django_db
def test_province_user_cannot_edit_another_province(client, places, staff_a):
    other = BeneficiaryFactory(commune=places.commune_b)
    client.force_login(staff_a)
    assert client.get(edit_url(other)).status_code == 404
    assert client.post(edit_url(other), edit_data(other, phone="1")).status_code == 404
    other.refresh_from_db()
    assert other.version == 1


@pytest.mark.django_db
def test_beneficiary_user_edits_contacts_but_not_identity(client, places):
    own = BeneficiaryFactory(commune=places.commune_a1, tax_code=valid_tax_code(5))
    user = UserFactory(role=Role.BENEFICIARY, province=places.province_a, beneficiary=own)
    client.force_login(user)
    data = edit_data(own, phone="0987", tax_code=valid_tax_code(6), kind=kind("sme").pk)
    assert client.post(edit_url(own), data).status_code == 302
    own.refresh_from_db()
    assert own.phone == "0987"
    assert own.tax_code == valid_tax_code(5)
    assert own.kind.code == "cooperative"
    assert own.commune == places.commune_a1
