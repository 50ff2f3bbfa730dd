"""Archive and restore: never a delete; role and area checked; tax code uniqueness kept."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from khuyencong.beneficiaries.models import Beneficiary
from khuyencong.core.models import HardDeleteError
from tests.beneficiaries.factories import BeneficiaryFactory


def archive(client, beneficiary, restore=False):
    name = "beneficiaries:restore" if restore else "beneficiaries:archive"
    return client.post(reverse(name, args=[beneficiary.pk]))


@pytest.mark.django_db
def test_staff_archives_and_restores(client, places, staff_a):
    beneficiary = BeneficiaryFactory(commune=places.commune_a1)
    client.force_login(staff_a)
    response = archive(client, beneficiary)
    assert response.status_code == 302
    beneficiary.refresh_from_db()
    assert beneficiary.is_archived
    assert not client.get(reverse("beneficiaries:list")).context["object_list"]
    # still reachable by its page, and restorable
    assert client.get(reverse("beneficiaries:detail", args=[beneficiary.pk])).status_code == 200
    archive(client, beneficiary, restore=True)
    beneficiary.refresh_from_db()
    assert not beneficiary.is_archived


@pytest.mark.django_db
def test_archive_is_post_only(client, places, staff_a):
    beneficiary = BeneficiaryFactory(commune=places.commune_a1)
    client.force_login(staff_a)
    assert client.get(reverse("beneficiaries:archive", args=[beneficiary.pk])).status_code == 405
    beneficiary.refresh_from_db()
    assert not beneficiary.is_archived


@pytest.mark.django_db
def test_district_officer_may_not_archive(client, places, officer_a1):
    beneficiary = BeneficiaryFactory(commune=places.commune_a1)
    client.force_login(officer_a1)
    assert archive(client, beneficiary).status_code == 403
    beneficiary.refresh_from_db()
    assert not beneficiary.is_archived


@pytest.mark.django_db
def test_other_province_cannot_archive(client, places, staff_b):
    beneficiary = BeneficiaryFactory(commune=places.commune_a1)
    client.force_login(staff_b)
    assert archive(client, beneficiary).status_code == 404
    beneficiary.refresh_from_db()
    assert not beneficiary.is_archived


@pytest.mark.django_db
def test_restore_is_refused_when_the_tax_code_was_taken_meanwhile(client, places, staff_a):
    old = BeneficiaryFactory(tax_code="0100233488", commune=places.commune_a1)
    old.archive()
    BeneficiaryFactory(name="Người mới", tax_code="0100233488", commune=places.commune_a2)
    client.force_login(staff_a)
    with translation.override("vi"):
        response = client.post(reverse("beneficiaries:restore", args=[old.pk]), follow=True)
    old.refresh_from_db()
    assert old.is_archived
    assert "Người mới" in response.content.decode()


@pytest.mark.django_db
def test_detail_buttons_follow_permissions(client, places, staff_a, officer_a1):
    beneficiary = BeneficiaryFactory(commune=places.commune_a1)
    client.force_login(officer_a1)
    page = client.get(reverse("beneficiaries:detail", args=[beneficiary.pk])).content.decode()
    assert reverse("beneficiaries:edit", args=[beneficiary.pk]) in page
    assert reverse("beneficiaries:archive", args=[beneficiary.pk]) not in page
    client.force_login(staff_a)
    page = client.get(reverse("beneficiaries:detail", args=[beneficiary.pk])).content.decode()
    assert reverse("beneficiaries:archive", args=[beneficiary.pk]) in page


@pytest.mark.django_db
def test_records_are_never_hard_deleted(places):
    beneficiary = BeneficiaryFactory(commune=places.commune_a1)
    with pytest.raises(HardDeleteError):
        beneficiary.delete()
    with pytest.raises(HardDeleteError):
        Beneficiary.objects.all().delete()
    assert Beneficiary.objects.count() == 1


@pytest.mark.django_db
def test_admin_pages_load(admin_client, places):
    beneficiary = BeneficiaryFactory(commune=places.commune_a1)
    assert (
        admin_client.get(reverse("admin:beneficiaries_beneficiary_changelist")).status_code == 200
    )
    url = reverse("admin:beneficiaries_beneficiary_change", args=[beneficiary.pk])
    assert admin_client.get(url).status_code == 200
    # the admin's history is the record's page of the audit trail (which lists its creation)
    url = reverse("admin:beneficiaries_beneficiary_history", args=[beneficiary.pk])
    history = admin_client.get(url, follow=True)
    assert history.status_code == 200 and history.redirect_chain
    assert history.redirect_chain[-1][0].startswith("/audit/history/")
    assert beneficiary.name in history.content.decode()


@pytest.mark.django_db
def test_database_refuses_two_active_records_with_one_tax_code(places):
    from django.db import IntegrityError, transaction

    BeneficiaryFactory(tax_code="0100233488", commune=places.commune_a1)
    with pytest.raises(IntegrityError), transaction.atomic():
        BeneficiaryFactory(tax_code="0100233488", commune=places.commune_a2)
    # households without a code do not collide
    BeneficiaryFactory(tax_code="", commune=places.commune_a1)
    BeneficiaryFactory(tax_code="", commune=places.commune_a1)
    assert Beneficiary.objects.filter(tax_code="").count() == 2
