"""Writing the audit trail: one ``AuditEntry`` per change, in the change's own transaction.

Two sources feed it:

- records with history (every ``core.models.DomainModel``): each historical row simple-history
  creates is compared with the record's previous historical row (old → new);
- other models of the project's apps (append-only events, progress updates, users): saved
  rows are compared with their stored state before the save.

Exempt: historical models, the audit trail itself, models with an ``audit_exempt`` attribute
(its value says why, e.g. reference data loaded by a command), and third-party apps. Saves
made while loading fixtures (``raw``) are not recorded (backup restore, loaddata).
"""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from simple_history.models import HistoricalRecords, registered_models
from simple_history.signals import post_create_historical_record

from khuyencong.core.origin import request_origin
from khuyencong.core.text import normalize
from khuyencong.trust.models import AuditAction, AuditEntry, AuditSource

# Bookkeeping fields: changing them alone is not a change worth a row.
IGNORED_FIELDS = frozenset({"updated_at", "version", "search_text", "created_at", "last_login"})
# Secrets: recorded as changed, never with their value.
MASKED_FIELDS = frozenset({"password", "key", "secret", "token", "token_hash"})
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


def current_request() -> Any:
    return getattr(HistoricalRecords.context, "request", None)


def source_of(request: Any) -> str:
    if request is None:
        return AuditSource.SYSTEM
    path = getattr(request, "path", "") or ""
    return AuditSource.API if path.startswith("/api/") else AuditSource.WEB


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
    model: type[models.Model], old: Any | None, new: Any, *, creating: bool
) -> list[dict[str, Any]]:
    """``[{"field", "old", "new"}]`` for the fields that differ (all set fields on creation).

    ``old`` and ``new`` expose field values by ``attname`` (model or historical instances).
    """
    changes = []
    for field in tracked_fields(model):
        after = json_value(getattr(new, field.attname, None))
        before = None if creating or old is None else json_value(getattr(old, field.attname, None))
        if creating:
            if after in (None, "", False):
                continue
        elif before == after:
            continue
        if field.name in MASKED_FIELDS:
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
        (field.name, position[field.attname], field.name in MASKED_FIELDS)
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


def action_for(history_type: str, changes: list[dict[str, Any]], reason: str) -> str:
    if history_type == "+":
        return AuditAction.CREATE
    if history_type == "-":
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


def _user_of(instance: Any, request: Any, history_user: Any = None) -> Any:
    if history_user is not None:
        return history_user
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


def write_entry(
    instance: models.Model,
    *,
    action: str,
    changes: list[dict[str, Any]],
    reason: str = "",
    history_id: int | None = None,
    history_user: Any = None,
    origin_row: Any = None,
) -> AuditEntry:
    request = current_request()
    origin = request_origin(request)
    user = _user_of(instance, request, history_user)
    province, district, beneficiary = scope_of(instance)
    text = str(instance)[:300]
    label = user.get_username() if user is not None else ""
    entry = AuditEntry(
        user=user if getattr(user, "pk", None) else None,
        user_label=label,
        source=source_of(request),
        ip_address=getattr(origin_row, "ip_address", None) or origin.ip_address,
        user_agent=getattr(origin_row, "user_agent", "") or origin.user_agent,
        request_path=(getattr(request, "path", "") or "")[:300],
        content_type=ContentType.objects.get_for_model(instance._meta.model),
        object_id=str(instance.pk),
        object_repr=text,
        action=action,
        changes=changes,
        reason=reason or "",
        history_id=history_id,
        province_id=province,
        district_id=district,
        beneficiary_id=beneficiary,
        search_text=normalize(f"{text} {label}")[:600],
    )
    entry.save(force_insert=True)
    return entry


def record(instance: models.Model, action: str, reason: str = "", **changes: Any) -> AuditEntry:
    """Record an event that is not a field change (e.g. two-factor sign-in switched on)."""
    rows = [
        {"field": name, "old": None, "new": json_value(value)} for name, value in changes.items()
    ]
    return write_entry(instance, action=action, changes=rows, reason=reason)


# ----------------------------------------------------------------------------- history


@receiver(post_create_historical_record)
def record_history(sender: Any, instance: Any, history_instance: Any, **kwargs: Any) -> None:
    model = type(instance)
    if exempt_reason(model):
        return
    history_type = history_instance.history_type
    previous = None
    if history_type != "+":
        pk_name = model._meta.pk.attname
        previous = (
            sender._default_manager.filter(
                **{pk_name: instance.pk}, history_id__lt=history_instance.history_id
            )
            .order_by("-history_id")
            .first()
        )
    creating = history_type == "+" or previous is None
    changes = field_changes(model, previous, history_instance, creating=creating)
    reason = history_instance.history_change_reason or ""
    if history_type == "~" and not changes and not reason:
        return  # saved without a change
    write_entry(
        instance,
        action=action_for(
            "+" if creating and history_type != "-" else history_type, changes, reason
        ),
        changes=changes,
        reason=reason,
        history_id=history_instance.history_id,
        history_user=history_instance.history_user,
        origin_row=history_instance,
    )


# ----------------------------------------------------------------------------- other models


def is_audited_without_history(model: type[models.Model]) -> bool:
    """Models of the project's apps that have no history rows of their own."""
    meta = model._meta
    if meta.abstract or meta.proxy or not meta.managed:
        return False
    if not meta.app_config or not meta.app_config.name.startswith(PROJECT_APPS_PREFIX):
        return False
    if exempt_reason(model):
        return False
    if meta.db_table in registered_models:  # tracked by simple-history
        return False
    return not hasattr(model, "instance_type")  # not itself a historical model


_audited_cache: dict[type, bool] = {}


def _audited(model: type) -> bool:
    if model not in _audited_cache:
        _audited_cache[model] = is_audited_without_history(model)
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
    changes = field_changes(sender, stored, instance, creating=created or stored is None)
    if not created and not changes:
        return
    action = AuditAction.CREATE if created else action_for("~", changes, "")
    write_entry(instance, action=action, changes=changes)


def audited_models() -> dict[str, list[str]]:
    """Every model of the project's apps and how its changes are recorded (for tests, docs)."""
    result: dict[str, list[str]] = {"history": [], "saves": [], "exempt": []}
    for model in apps.get_models():
        meta = model._meta
        if not meta.app_config.name.startswith(PROJECT_APPS_PREFIX) or hasattr(
            model, "instance_type"
        ):
            continue
        label = meta.label
        if exempt_reason(model):
            result["exempt"].append(label)
        elif meta.db_table in registered_models:
            result["history"].append(label)
        elif is_audited_without_history(model):
            result["saves"].append(label)
        else:
            result["exempt"].append(label)
    return result
