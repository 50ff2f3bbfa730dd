"""Dropping the history tables loses no audit data: trust 0003_history_into_audit_h5 copies
the historical rows the audit trail does not hold (rows written in bulk) before the tables
go, as trust.recording recorded the others; rows already mirrored are not copied twice."""

from __future__ import annotations

import datetime
from importlib import import_module

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from khuyencong.core.models import PublicHoliday
from khuyencong.trust.models import AuditAction, AuditEntry

# The state just before the history tables go: what the copying migration itself depends on.
BEFORE = import_module(
    "khuyencong.trust.migrations.0003_history_into_audit_h5"
).Migration.dependencies


@pytest.mark.transactional
@pytest.mark.django_db(transaction=True)
def test_history_rows_missing_from_the_trail_are_copied_before_the_tables_go():
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    holiday_model = old.get_model("core", "PublicHoliday")
    history = old.get_model("core", "HistoricalPublicHoliday")
    user = old.get_model("accounts", "User").objects.create(username="history-copier")
    content_type = old.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label="core", model="publicholiday"
    )[0]
    at = datetime.datetime(2024, 1, 2, 3, 4, tzinfo=datetime.UTC)
    day = datetime.date(2099, 12, 31)  # no seeded holiday on it
    holiday = holiday_model.objects.create(date=day, name="Quốc khánh", kind="holiday")
    common = {"id": holiday.pk, "date": day, "kind": "holiday", "created_at": at}
    common |= {"updated_at": at, "version": 1, "confirmed": False, "notes": ""}
    made = history.objects.create(
        **common, name="Quốc khánh", history_type="+", history_date=at, history_user=user,
        ip_address="192.0.2.9", user_agent="bulk",
    )  # fmt: skip
    same = history.objects.create(
        **common, name="Quốc khánh", history_type="~", history_date=at, history_user=user
    )  # saved without a change: nothing to copy
    renamed = history.objects.create(
        **common, name="Ngày Quốc khánh", history_type="~", history_date=at,
        history_change_reason="tên chính thức",
    )  # fmt: skip
    mirrored = history.objects.create(
        **common, name="Ngày Quốc khánh 2/9", history_type="~", history_date=at
    )
    old.get_model("trust", "AuditEntry").objects.create(
        at=at, source="system", content_type=content_type, object_id=str(holiday.pk),
        object_repr="mirrored", action="update", history_id=mirrored.history_id,
    )  # fmt: skip

    executor = MigrationExecutor(connection)
    executor.migrate(leaves)

    entries = AuditEntry.objects.for_object(PublicHoliday.objects.get(pk=holiday.pk))
    by_row = {entry.history_id: entry for entry in entries}
    assert set(by_row) == {made.history_id, renamed.history_id, mirrored.history_id}
    assert same.history_id not in by_row
    created = by_row[made.history_id]
    assert (created.action, created.at, created.user_id) == (AuditAction.CREATE, at, user.pk)
    assert (created.user_label, created.ip_address, created.user_agent) == (
        "history-copier", "192.0.2.9", "bulk",
    )  # fmt: skip
    assert {"field": "name", "old": None, "new": "Quốc khánh"} in created.changes
    changed = by_row[renamed.history_id]
    assert (changed.action, changed.reason) == (AuditAction.UPDATE, "tên chính thức")
    assert changed.changes == [{"field": "name", "old": "Quốc khánh", "new": "Ngày Quốc khánh"}]
    assert by_row[mirrored.history_id].object_repr == "mirrored"  # not copied twice
