"""Before the history tables go (the audit trail is the one record of changes): every
historical row that has no audit entry is copied into the audit trail.

The historical rows written one save at a time were mirrored into the trail when they were
written (``AuditEntry.history_id`` names the row); those written in bulk were not (events'
participants: ``bulk_create_with_history`` sends no signal). A copied entry is what
``trust.recording`` wrote for a historical row then: its changes against the record's previous
historical row, its user, time, origin and reason, ``history_id`` naming it. A row that
changed nothing and gave no reason was not recorded then and is not copied (it holds nothing
the previous row does not).
"""

from django.apps import apps as live_apps
from django.db import migrations, transaction

BATCH = 1000


def _scope_and_text(model_label, pk, history_row):
    """The record's scope and text, from the live record (its scope hooks follow parents),
    else from the historical row's own fields (a record whose model is gone)."""
    from khuyencong.trust.recording import scope_of

    try:
        with transaction.atomic():  # a failed read leaves the migration's transaction usable
            record = live_apps.get_model(model_label)._base_manager.filter(pk=pk).first()
            if record is not None:
                return scope_of(record), str(record)[:300]
    except Exception:  # noqa: BLE001 - the live model may no longer match this schema
        pass
    scope = tuple(
        getattr(history_row, name, None)
        for name in ("province_id", "district_id", "beneficiary_id")
    )
    return scope, f"{model_label} {pk}"


def copy_unmirrored_history(apps, schema_editor):
    from khuyencong.core.text import normalize
    from khuyencong.trust.recording import action_for, field_changes

    AuditEntry = apps.get_model("trust", "AuditEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    User = apps.get_model("accounts", "User")
    usernames = {}
    for historical in apps.get_models():
        meta = historical._meta
        # simple-history's tables: "Historical<Model>" next to their model, with its columns
        if not meta.object_name.startswith("Historical"):
            continue
        try:
            model = apps.get_model(meta.app_label, meta.object_name.removeprefix("Historical"))
        except LookupError:
            continue
        if not {"history_id", "history_type", "history_date"} <= {
            field.name for field in meta.fields
        }:
            continue
        label = model._meta.label
        content_type, _ = ContentType.objects.get_or_create(
            app_label=meta.app_label, model=model._meta.model_name
        )
        mirrored = set(
            AuditEntry.objects.filter(content_type=content_type, history_id__isnull=False)
            .values_list("history_id", flat=True)
            .iterator()
        )
        missing = [
            history_id
            for history_id in historical._default_manager.values_list("history_id", flat=True)
            .order_by("history_id")
            .iterator()
            if history_id not in mirrored
        ]
        del mirrored
        entries = []
        for start in range(0, len(missing), BATCH):
            rows = historical._default_manager.filter(
                history_id__in=missing[start : start + BATCH]
            ).order_by("history_id")
            for row in rows:
                previous = None
                if row.history_type != "+":
                    previous = (
                        historical._default_manager.filter(id=row.id, history_id__lt=row.history_id)
                        .order_by("-history_id")
                        .first()
                    )
                creating = row.history_type == "+" or previous is None
                changes = field_changes(model, previous, row, creating=creating)
                reason = row.history_change_reason or ""
                if row.history_type == "~" and not changes and not reason:
                    continue
                kind = "+" if creating and row.history_type != "-" else row.history_type
                user_id = row.history_user_id
                if user_id is not None and user_id not in usernames:
                    usernames[user_id] = (
                        User.objects.filter(pk=user_id).values_list("username", flat=True).first()
                        or ""
                    )
                user_label = usernames.get(user_id, "") if user_id is not None else ""
                (province, district, beneficiary), text = _scope_and_text(label, row.id, row)
                ip_address = getattr(row, "ip_address", None)
                entries.append(
                    AuditEntry(
                        at=row.history_date,
                        user_id=user_id,
                        user_label=user_label,
                        source="web" if ip_address else "system",
                        ip_address=ip_address,
                        user_agent=getattr(row, "user_agent", "") or "",
                        content_type=content_type,
                        object_id=str(row.id),
                        object_repr=text,
                        action=action_for(kind, changes, reason),
                        changes=changes,
                        reason=reason,
                        history_id=row.history_id,
                        province_id=province,
                        district_id=district,
                        beneficiary_id=beneficiary,
                        search_text=normalize(f"{text} {user_label}")[:600],
                    )
                )
            AuditEntry.objects.bulk_create(entries)
            entries = []


class Migration(migrations.Migration):
    dependencies = [
        ("trust", "0002_fewer_indexes"),
        ("accounts", "0005_fewer_indexes"),
        ("beneficiaries", "0007_scope_copies_unchecked"),
        ("catalog", "0005_fewer_indexes"),
        ("contests", "0005_fewer_indexes"),
        ("core", "0003_history_origin"),
        ("events", "0003_fewer_indexes"),
        ("plans", "0003_fewer_indexes"),
        ("projects", "0008_fewer_indexes"),
        ("registrations", "0004_fewer_indexes"),
        ("reports", "0003_fewer_indexes"),
    ]

    # Reversed, nothing to undo: the copied entries stay (the trail is append-only), and the
    # history tables come back empty.
    operations = [migrations.RunPython(copy_unmirrored_history, migrations.RunPython.noop)]
