"""Writing the audit trail: one ``AuditEntry`` per change, in the change's own transaction.

The one record of changes (there are no history tables): every model of the project's apps is
recorded from its save signals, the saved row compared with its stored state before the save
(old → new); deletes, where a model has any, are recorded too. A save may say why
(``instance._change_reason``) and, outside a request, who (``instance._history_user``). Bulk
inserts, which send no signals, record their rows with ``record_created``.

Exempt: the audit trail itself, models with an ``audit_exempt`` attribute (its value says why,
e.g. reference data loaded by a command), and third-party apps. Saves made while loading
fixtures (``raw``) are not recorded (backup restore, loaddata).
"""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from khuyencong.core.origin import current_request, request_origin
from khuyencong.core.text import normalize
from khuyencong.trust.models import AuditAction, AuditEntry, AuditSource

# Bookkeeping fields: changing them alone is not a change worth a row.
IGNORED_FIELDS = frozenset({"updated_at", "version", "search_text", "created_at", "last_login"})
# Secrets: recorded as changed, never with their value nor its hash (``is_masked``).
MASKED_FIELDS = frozenset({"password", "key", "secret", "token", "token_hash", "secret_hash"})
MASKED_SUFFIXES = ("password", "secret", "secret_hash", "token_hash", "otp_key")
MASK = "••••••"
# Models of the project's apps whose rows are not audited, and why (a model may also say so
# itself with an ``audit_exempt`` attribute).
EXEMPT_MODELS: dict[str, str] = {
    "places.AdminUnit": "reference data loaded by the load_admin_units command",
    "places.AdminUnitSuccession": "reference data loaded by the load_admin_units command",
}
MAX_VALUE_LENGTH = 2000
PROJECT_APPS_PREFIX = "khuyencong."


def exempt_reason(model: type[models.Model]) -> str:
    return getattr(model, "audit_exempt", None) or EXEMPT_MODELS.get(model._meta.label, "")


def is_masked(name: str) -> bool:
    """A field holding a secret or a hash of one (passwords, API token hashes, TOTP keys)."""
    return name in MASKED_FIELDS or name.endswith(MASKED_SUFFIXES)


def source_of(request: Any) -> str:
    if request is None:
        return AuditSource.SYSTEM
    path = getattr(request, "path", "") or ""
    return AuditSource.API if path.startswith("/api/") else AuditSource.WEB


def api_token_of(request: Any) -> str:
    """The prefix of the API token the request came with ("" for the web and tasks; the
    API's token authentication sets ``request.api_token``)."""
    return getattr(getattr(request, "api_token", None), "prefix", "") or ""


def json_value(value: Any) -> Any:
    """A JSON-safe form of a field value (dates as ISO text, decimals as text)."""
    if value is None or isinstance(value, bool | int | str):
        if isinstance(value, str) and len(value) > MAX_VALUE_LENGTH:
            return value[:MAX_VALUE_LENGTH] + "…"
        return value
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID | float):
        return str(value)
    if hasattr(value, "name") and hasattr(value, "storage"):  # FieldFile
        return value.name or ""
    return str(value)[:MAX_VALUE_LENGTH]


def tracked_fields(model: type[models.Model]) -> list[models.Field]:
    return [
        field
        for field in model._meta.concrete_fields
        if field.name not in IGNORED_FIELDS and not field.primary_key
    ]


def field_changes(
    model: type[models.Model],
    old: Any | None,
    new: Any,
    *,
    creating: bool,
    only: Iterable[str] | None = None,
) -> list[dict[str, Any]]:
    """``[{"field", "old", "new"}]`` for the fields that differ (all set fields on creation).

    ``old`` and ``new`` expose field values by ``attname``; ``only``: the names of the fields
    to compare (a save's ``update_fields``), all tracked fields when ``None``.
    """
    changes = []
    for field in tracked_fields(model):
        if only is not None and field.name not in only and field.attname not in only:
            continue
        after = json_value(getattr(new, field.attname, None))
        before = None if creating or old is None else json_value(getattr(old, field.attname, None))
        if creating:
            if after in (None, "", False):
                continue
        elif before == after:
            continue
        if is_masked(field.name):
            before, after = (MASK if before else before), (MASK if after else after)
        changes.append({"field": field.name, "old": before, "new": after})
    return changes


def creation_changes(
    model: type[models.Model], attnames: Sequence[str]
) -> Callable[[Sequence[Any]], list[dict[str, Any]]]:
    """``field_changes(model, None, new, creating=True)`` for records given as rows of values
    in the order of ``attnames`` (a bulk insert's rows): the tracked fields are looked up
    once, not per row. Fields missing from ``attnames`` count as unset, as ``getattr``'s
    default does there."""
    position = {attname: index for index, attname in enumerate(attnames)}
    plan = [
        (field.name, position[field.attname], is_masked(field.name))
        for field in tracked_fields(model)
        if field.attname in position
    ]

    def changes(row: Sequence[Any]) -> list[dict[str, Any]]:
        found = []
        for name, index, masked in plan:
            after = json_value(row[index])
            if after in (None, "", False):
                continue
            if masked:
                after = MASK if after else after
            found.append({"field": name, "old": None, "new": after})
        return found

    return changes


def action_for(kind: str, changes: list[dict[str, Any]], reason: str) -> str:
    """The action of a change: ``kind`` "+" created, "-" deleted, "~" changed (the status,
    the archive date or the reason tells which kind of change)."""
    if kind == "+":
        return AuditAction.CREATE
    if kind == "-":
        return AuditAction.DELETE
    by_field = {change["field"]: change for change in changes}
    archived = by_field.get("archived_at")
    if archived is not None:
        return AuditAction.ARCHIVE if archived["new"] else AuditAction.RESTORE
    if "status" in by_field or reason.startswith("event "):
        return AuditAction.TRANSITION
    return AuditAction.UPDATE


def _scope_attr(obj: Any, name: str) -> int | None:
    try:
        return getattr(obj, f"scope_{name}_id")
    except (AttributeError, models.ObjectDoesNotExist):
        return None


def scope_of(instance: Any) -> tuple[int | None, int | None, int | None]:
    """(province, district, beneficiary) ids of a record, for scoping the audit log.

    Read from the record's scope hooks (``scope_province_id`` …); a record without them takes
    the scope of the first parent that has them (e.g. a plan version that of its plan), or
    its own ``province``/``district`` fields (users).
    """
    if hasattr(type(instance), "scope_province_id"):
        return (
            _scope_attr(instance, "province"),
            _scope_attr(instance, "district"),
            _scope_attr(instance, "beneficiary"),
        )
    for field in instance._meta.concrete_fields:
        if field.is_relation and hasattr(field.related_model, "scope_province_id"):
            parent = getattr(instance, field.name, None)
            if parent is not None:
                return scope_of(parent)
    return (
        getattr(instance, "province_id", None),
        getattr(instance, "district_id", None),
        getattr(instance, "beneficiary_id", None),
    )


def _user_of(instance: Any, request: Any) -> Any:
    explicit = getattr(instance, "_history_user", None)
    if explicit is not None and getattr(explicit, "pk", None):
        return explicit
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user
    for name in ("actor", "uploaded_by", "recorded_by", "created_by"):
        candidate = getattr(instance, f"{name}_id", None)
        if candidate:
            return getattr(instance, name)
    return None


def build_entry(
    instance: models.Model,
    *,
    action: str,
    changes: list[dict[str, Any]],
    reason: str = "",
    request: Any = None,
    user: Any = None,
) -> AuditEntry:
    """The (unsaved) entry of a change to ``instance``: who, when, from where, what, why."""
    origin = request_origin(request)
    if user is None:
        user = _user_of(instance, request)
    province, district, beneficiary = scope_of(instance)
    text = str(instance)[:300]
    label = user.get_username() if user is not None else ""
    return AuditEntry(
        user=user if getattr(user, "pk", None) else None,
        user_label=label,
        source=source_of(request),
        ip_address=origin.ip_address,
        user_agent=origin.user_agent,
        request_path=(getattr(request, "path", "") or "")[:300],
        api_token=api_token_of(request),
        content_type=ContentType.objects.get_for_model(instance._meta.model),
        object_id=str(instance.pk),
        object_repr=text,
        action=action,
        changes=changes,
        reason=reason or "",
        province_id=province,
        district_id=district,
        beneficiary_id=beneficiary,
        search_text=normalize(f"{text} {label}")[:600],
    )


def write_entry(
    instance: models.Model, *, action: str, changes: list[dict[str, Any]], reason: str = ""
) -> AuditEntry:
    entry = build_entry(
        instance, action=action, changes=changes, reason=reason, request=current_request()
    )
    entry.save(force_insert=True)
    return entry


def record_created(
    instances: Sequence[models.Model], *, reason: str = "", user: Any = None
) -> list[AuditEntry]:
    """One "created" entry per row of a bulk insert (``bulk_create`` sends no signals), the
    entries written in bulk: what ``record_save`` writes for each row saved one by one."""
    request = current_request()
    entries = []
    for instance in instances:
        model = instance._meta.model
        changes = field_changes(model, None, instance, creating=True)
        entries.append(
            build_entry(
                instance,
                action=AuditAction.CREATE,
                changes=changes,
                reason=reason,
                request=request,
                user=user,
            )
        )
    return AuditEntry.objects.bulk_create(entries)


def record(instance: models.Model, action: str, reason: str = "", **changes: Any) -> AuditEntry:
    """Record an event that is not a field change (e.g. two-factor sign-in switched on)."""
    rows = [
        {"field": name, "old": None, "new": MASK if is_masked(name) else json_value(value)}
        for name, value in changes.items()
    ]
    return write_entry(instance, action=action, changes=rows, reason=reason)


# ----------------------------------------------------------------------------- saves


def is_audited(model: type[models.Model]) -> bool:
    """Models of the project's apps whose changes are recorded."""
    meta = model._meta
    if meta.abstract or meta.proxy or not meta.managed:
        return False
    if not meta.app_config or not meta.app_config.name.startswith(PROJECT_APPS_PREFIX):
        return False
    return not exempt_reason(model)


_audited_cache: dict[type, bool] = {}


def _audited(model: type) -> bool:
    if model not in _audited_cache:
        _audited_cache[model] = is_audited(model)
    return _audited_cache[model]


@receiver(pre_save)
def _remember_stored_state(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw or not _audited(sender) or instance._state.adding or instance.pk is None:
        return
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and set(update_fields) <= IGNORED_FIELDS:
        return
    instance._audit_stored = sender._base_manager.filter(pk=instance.pk).first()


@receiver(post_save)
def record_save(
    sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if raw or not _audited(sender):
        return
    update_fields = kwargs.get("update_fields")
    if not created and update_fields is not None and set(update_fields) <= IGNORED_FIELDS:
        return
    stored = None if created else instance.__dict__.pop("_audit_stored", None)
    creating = created or stored is None
    changes = field_changes(
        sender, stored, instance, creating=creating, only=None if creating else update_fields
    )
    # the reason belongs to this save only (an object saved again later says its own)
    reason = instance.__dict__.pop("_change_reason", None) or ""
    if not creating and not changes and not reason:
        return  # saved without a change
    action = AuditAction.CREATE if creating else action_for("~", changes, reason)
    write_entry(instance, action=action, changes=changes, reason=reason)


def record_delete(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A deleted row: its last values (domain records are archived, never deleted; other
    models, e.g. a score card's scores, may be)."""
    stored = field_changes(sender, None, instance, creating=True)
    changes = [{"field": c["field"], "old": c["new"], "new": None} for c in stored]
    reason = instance.__dict__.pop("_change_reason", None) or ""
    write_entry(instance, action=AuditAction.DELETE, changes=changes, reason=reason)


def connect_delete_receivers() -> None:
    """``post_delete`` for each audited model only: a receiver for every model would stop
    Django's fast (signal-free) deletes of the others (sessions, one-time devices)."""
    for model in apps.get_models():
        if is_audited(model):
            post_delete.connect(record_delete, sender=model, dispatch_uid=f"audit-{model}")


def audited_models() -> dict[str, list[str]]:
    """Every model of the project's apps: recorded or exempt (for tests, docs)."""
    result: dict[str, list[str]] = {"audited": [], "exempt": []}
    for model in apps.get_models():
        meta = model._meta
        if not meta.app_config.name.startswith(PROJECT_APPS_PREFIX):
            continue
        result["audited" if is_audited(model) else "exempt"].append(meta.label)
    return result
