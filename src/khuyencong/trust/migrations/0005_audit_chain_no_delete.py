"""The audit trail becomes a hash chain and its rows can no longer be deleted.

- ``prev_hash`` and ``hash`` on every entry, computed here for the existing entries in id
  order (``trust.chain``), and the chain's head row;
- the secrets' hashes some entries held in clear (``secret_hash`` of API tokens, recorded
  before it was masked) are masked first: the trail never holds them;
- the triggers: UPDATE (as before), DELETE, and TRUNCATE on PostgreSQL are refused
  (``chain.create_triggers``). The existing UPDATE trigger is dropped while the entries are
  sealed and masked, in this migration's transaction.

A later migration that alters the audit table on SQLite (which copies the table, dropping its
triggers) calls ``restore_sqlite_triggers`` after it, as this one does.
"""

import importlib

from django.db import migrations, models

from khuyencong.trust import chain

audit_trail = importlib.import_module("khuyencong.trust.migrations.0001_audit_trail")

MASK = "••••••"
SECRET_FIELDS = {"secret_hash", "password"}
BATCH = 1000


def restore_sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        chain.create_triggers(schema_editor.connection.cursor(), "sqlite")


def _masked(changes):
    if not isinstance(changes, list):
        return changes, False
    masked, touched = [], False
    for change in changes:
        if isinstance(change, dict) and change.get("field") in SECRET_FIELDS:
            new = {
                **change,
                "old": MASK if change.get("old") else change.get("old"),
                "new": MASK if change.get("new") else change.get("new"),
            }
            touched = touched or new != change
            change = new
        masked.append(change)
    return masked, touched


def seal_existing(apps, schema_editor):
    connection = schema_editor.connection
    chain.drop_triggers(connection.cursor(), connection.vendor)
    AuditEntry = apps.get_model("trust", "AuditEntry")
    AuditChainHead = apps.get_model("trust", "AuditChainHead")
    previous, last_id = chain.GENESIS, 0
    while True:
        batch = list(AuditEntry.objects.filter(id__gt=last_id).order_by("id")[:BATCH])
        if not batch:
            break
        for entry in batch:
            entry.changes, _touched = _masked(entry.changes)
            entry.prev_hash = previous
            entry.hash = previous = chain.entry_hash(previous, chain.values_of(entry))
        AuditEntry.objects.bulk_update(batch, ["changes", "prev_hash", "hash"])
        last_id = batch[-1].id
    AuditChainHead.objects.create(pk=1, last_hash=previous)


def add_triggers(apps, schema_editor):
    connection = schema_editor.connection
    chain.create_triggers(connection.cursor(), connection.vendor)


def drop_triggers(apps, schema_editor):
    """Back to 0004: no triggers here; 0001's UPDATE trigger is made again at the end."""
    connection = schema_editor.connection
    chain.drop_triggers(connection.cursor(), connection.vendor)
    if connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS trust_auditentry_refuse();")


class Migration(migrations.Migration):
    dependencies = [
        ("trust", "0004_auditentry_api_token_h5"),
    ]

    operations = [
        # (unapplied: after the fields are removed; SQLite copies the table)
        migrations.RunPython(migrations.RunPython.noop, audit_trail.add_trigger),
        migrations.CreateModel(
            name="AuditChainHead",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("last_hash", models.CharField(max_length=64, verbose_name="last hash")),
            ],
            options={
                "verbose_name": "audit chain head",
                "verbose_name_plural": "audit chain head",
            },
        ),
        migrations.AddField(
            model_name="auditentry",
            name="hash",
            field=models.CharField(
                default="", editable=False, max_length=64, verbose_name="hash"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditentry",
            name="prev_hash",
            field=models.CharField(
                default="", editable=False, max_length=64, verbose_name="previous hash"
            ),
            preserve_default=False,
        ),
        migrations.RunPython(seal_existing, drop_triggers),
        migrations.AddConstraint(
            model_name="auditentry",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("hash", ""), _negated=True),
                    models.Q(("prev_hash", ""), _negated=True),
                ),
                name="auditentry_chained",
            ),
        ),
        migrations.RunPython(add_triggers, drop_triggers),
    ]
