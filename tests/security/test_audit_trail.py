"""Issue 18, item 10: an audit trail that cannot be erased.

The review deleted audit rows with plain SQL (only UPDATE was refused), found no way to tell a
trail with rows removed or rewritten from an intact one, could hard-delete users in the admin,
and found API tokens' ``secret_hash`` in clear in the trail.
"""

from __future__ import annotations

import itertools
import threading

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, connections, transaction
from django.test import Client, RequestFactory

from khuyencong.accounts.models import Organisation, OrganisationKind, Role, User
from khuyencong.api.models import ApiToken
from khuyencong.beneficiaries.models import Beneficiary
from khuyencong.catalog.models import BeneficiaryKind
from khuyencong.core.models import HardDeleteError
from khuyencong.trust import chain
from khuyencong.trust.models import AuditChainHead, AuditEntry, verify_chain
from khuyencong.trust.recording import MASK
from tests.api.conftest import ApiClient
from tests.projects import factories as pf


def organisation(name: str) -> Organisation:
    return Organisation.objects.create(kind=OrganisationKind.OTHER, name=name)


def raw(sql: str, params: list | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])


def without_triggers() -> None:
    """What someone with the database's owner rights can do (the test's transaction rolls
    it back)."""
    with connection.cursor() as cursor:
        chain.drop_triggers(cursor, connection.vendor)


def verify_fails_at(entry_id: int | None) -> str:
    with pytest.raises(CommandError) as failed:
        call_command("audit_verify")
    where = f"entry {entry_id}" if entry_id is not None else "chain head"
    assert where in str(failed.value)
    return str(failed.value)


@pytest.mark.django_db
def test_the_database_refuses_to_delete_an_audit_row():
    organisation("Hợp tác xã A")
    entry = AuditEntry.objects.order_by("-id").first()
    with pytest.raises(DatabaseError), transaction.atomic():
        raw("DELETE FROM trust_auditentry WHERE id = %s", [entry.pk])
    with pytest.raises(DatabaseError), transaction.atomic():
        raw("DELETE FROM trust_auditentry")
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic():
            raw("TRUNCATE trust_auditentry")
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.django_db
def test_each_entry_is_chained_to_the_one_before():
    for name in ("A", "B", "C"):
        organisation(f"Tổ chức {name}")
    entries = list(AuditEntry.objects.order_by("id"))
    assert len(entries) >= 3
    for before, after in itertools.pairwise(entries):
        assert after.prev_hash == before.hash
        assert after.hash == chain.entry_hash(after.prev_hash, chain.values_of(after))
    assert AuditChainHead.objects.get().last_hash == entries[-1].hash
    count, broken = verify_chain()
    assert broken is None and count == len(entries)
    call_command("audit_verify")  # exit code 0


@pytest.mark.django_db
def test_audit_verify_finds_a_row_changed_behind_the_apps_back():
    for name in ("A", "B", "C"):
        organisation(f"Tổ chức {name}")
    middle = AuditEntry.objects.order_by("id")[1]
    without_triggers()
    raw("UPDATE trust_auditentry SET reason = 'sửa lén' WHERE id = %s", [middle.pk])
    assert "changed" in verify_fails_at(middle.pk)


@pytest.mark.django_db
def test_audit_verify_finds_a_row_removed_and_a_rewritten_hash():
    for name in ("A", "B", "C", "D"):
        organisation(f"Tổ chức {name}")
    first, second, third = AuditEntry.objects.order_by("id")[:3]
    without_triggers()
    raw("DELETE FROM trust_auditentry WHERE id = %s", [second.pk])
    assert "removed" in verify_fails_at(third.pk)
    # resealing the changed row alone does not help: its successor still names the old hash
    raw("UPDATE trust_auditentry SET prev_hash = %s WHERE id = %s", [first.hash, third.pk])
    third.prev_hash = first.hash
    raw(
        "UPDATE trust_auditentry SET hash = %s WHERE id = %s",
        [chain.entry_hash(first.hash, chain.values_of(third)), third.pk],
    )
    following = AuditEntry.objects.filter(id__gt=third.pk).order_by("id").first()
    verify_fails_at(following.pk)


@pytest.mark.django_db
def test_audit_verify_finds_a_cut_off_tail():
    for name in ("A", "B"):
        organisation(f"Tổ chức {name}")
    last = AuditEntry.objects.order_by("-id").first()
    without_triggers()
    raw("DELETE FROM trust_auditentry WHERE id = %s", [last.pk])
    verify_fails_at(None)


@pytest.mark.django_db
def test_an_api_tokens_secret_hash_never_enters_the_trail():
    user = pf.user(Role.CENTRE_STAFF)
    token, raw_token = ApiToken.issue(user=user, name="tập lệnh")
    entry = AuditEntry.objects.for_object(token).get()
    by_field = {change["field"]: change for change in entry.changes}
    assert by_field["secret_hash"]["new"] == MASK
    stored = str(entry.changes)
    assert token.secret_hash not in stored and raw_token.split("_", 2)[2] not in stored


@pytest.mark.django_db
def test_a_users_password_hash_never_enters_the_trail():
    user = pf.user(Role.CENTRE_STAFF)
    user.set_password("một mật khẩu mới dài")
    user.save()
    for entry in AuditEntry.objects.for_object(user):
        assert user.password not in str(entry.changes)


@pytest.mark.django_db
def test_users_are_deactivated_never_deleted():
    user = pf.user(Role.CENTRE_STAFF)
    with pytest.raises(HardDeleteError):
        user.delete()
    with pytest.raises(HardDeleteError):
        User.objects.filter(pk=user.pk).delete()
    assert User.objects.filter(pk=user.pk).exists()


@pytest.mark.django_db
def test_the_admin_deactivates_users_instead_of_deleting_them():
    administrator = pf.user(Role.SYSTEM_ADMIN)
    user = pf.user(Role.CENTRE_STAFF)
    model_admin = admin.site._registry[User]
    request = RequestFactory().get("/admin/")
    request.user = administrator
    assert not model_admin.has_delete_permission(request)
    assert "delete_selected" not in model_admin.get_actions(request)
    assert "deactivate" in model_admin.get_actions(request)
    client = Client()
    client.force_login(administrator, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(f"/admin/accounts/user/{user.pk}/delete/").status_code == 403
    response = client.post(
        "/admin/accounts/user/",
        {"action": "deactivate", "_selected_action": [user.pk]},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.is_active
    latest = AuditEntry.objects.for_object(user).order_by("-id").first()
    assert {"field": "is_active", "old": True, "new": False} in latest.changes
    assert latest.user_id == administrator.pk


@pytest.mark.django_db
def test_an_api_write_records_the_token_it_came_with():
    leader = pf.user(Role.DEPARTMENT_LEADER)
    token, raw_token = ApiToken.issue(user=leader, name="tập lệnh")
    beneficiary = Beneficiary.objects.create(
        kind=BeneficiaryKind.objects.get(code="cooperative"),
        name="HTX Thành Ngân",
        tax_code="4700123452",
        commune=pf.units()["02152"],
    )
    response = ApiClient(raw_token).patch(
        f"/beneficiaries/{beneficiary.pk}", {"version": beneficiary.version, "phone": "0209 123"}
    )
    assert response.status_code == 200, response.content
    latest = AuditEntry.objects.for_object(beneficiary).order_by("-id").first()
    assert latest.source == "api" and latest.user_id == leader.pk
    assert latest.api_token == token.prefix


@pytest.mark.django_db
def test_the_bulk_import_seals_its_entries_in_the_chain():
    """The beneficiary import writes its audit rows as raw rows of values: sealed too, in
    insertion order, between entries written through the ORM."""
    from types import SimpleNamespace

    from khuyencong.catalog.models import Industry
    from khuyencong.core.text import normalize
    from khuyencong.places.models import AdminUnit
    from khuyencong.spreadsheets.pipeline import BeneficiaryItem, bulk_insert_beneficiaries

    staff = pf.user(Role.CENTRE_STAFF)
    organisation("Tổ chức trước")
    province = pf.units()["06"]
    commune = AdminUnit.objects.communes().filter(province=province).exclude(parent=province)[0]
    items = [
        BeneficiaryItem(
            row=2 + number, name_key=normalize(f"HTX số {number}"), address_text="",
            commune_code="", street="thôn Bản Pjạc",
            commune=SimpleNamespace(
                id=commune.pk, parent_id=commune.parent_id, province_id=commune.province_id,
                short_name=commune.short_name, unit_type=commune.unit_type,
            ),
            kind=BeneficiaryKind.objects.get(code="cooperative"), name=f"HTX số {number}",
            tax_code="", representative="Lường Văn Á",
            industry=Industry.objects.order_by("pk")[0], phone="", email="", notes="",
        )
        for number in range(3)
    ]  # fmt: skip
    assert bulk_insert_beneficiaries(items, staff) == 3
    organisation("Tổ chức sau")
    count, broken = verify_chain()
    assert broken is None, broken
    assert count == AuditEntry.objects.count()
    assert AuditEntry.objects.filter(reason="import").count() == 3


# --------------------------------------------------------------- committing tests


@pytest.mark.transactional
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises every write transaction (IMMEDIATE); its in-memory test "
    "database locks tables instead of waiting",
)
@pytest.mark.django_db(transaction=True)
def test_two_writers_at_once_never_fork_the_chain():
    """Each thread writes in its own transactions (its own connection): the head row's lock
    makes them take turns."""
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def write(side: str) -> None:
        try:
            start.wait()
            for number in range(15):
                with transaction.atomic():
                    organisation(f"Tổ chức {side} {number}")
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(side,)) for side in "AB"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    count, broken = verify_chain()
    assert broken is None, broken
    assert count == AuditEntry.objects.count() >= 30


@pytest.mark.transactional
@pytest.mark.django_db(transaction=True)
def test_flush_still_empties_the_trail_and_the_triggers_stay():
    organisation("Tổ chức trước khi xoá sạch")
    assert AuditEntry.objects.exists()
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEntry.objects.exists()
    organisation("Tổ chức sau khi xoá sạch")
    entry = AuditEntry.objects.get()
    assert entry.prev_hash == chain.GENESIS
    with pytest.raises(DatabaseError), transaction.atomic():
        raw("DELETE FROM trust_auditentry")
    assert AuditEntry.objects.count() == 1
    assert verify_chain() == (1, None)
