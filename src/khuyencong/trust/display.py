"""Audit entries as people read them: field labels and values in the current language,
linked records by name (one query per linked model and page)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from khuyencong.trust.models import AuditEntry


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class Row:
    entry: AuditEntry
    record_type: str
    changes: list[Change]
    link: str


def _field(model: type[models.Model] | None, name: str) -> models.Field | None:
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except Exception:  # a field removed since
        return None


def _text(field: models.Field | None, value: Any, names: dict[tuple[type, Any], str]) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if field is not None and field.is_relation and field.related_model is not None:
        return names.get((field.related_model, value), f"#{value}")
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def rows_for(entries: list[AuditEntry]) -> list[Row]:
    models_by_type: dict[int, type[models.Model] | None] = {}
    wanted: dict[type, set] = defaultdict(set)
    for entry in entries:
        if entry.content_type_id not in models_by_type:
            models_by_type[entry.content_type_id] = entry.content_type.model_class()
        model = models_by_type[entry.content_type_id]
        for change in entry.changes or []:
            field = _field(model, change.get("field", ""))
            if field is not None and field.is_relation and field.related_model is not None:
                for value in (change.get("old"), change.get("new")):
                    if value not in (None, ""):
                        wanted[field.related_model].add(value)
    names: dict[tuple[type, Any], str] = {}
    for related, ids in wanted.items():
        # ``label_related``: the relations a model's __str__ reads (one join, not a query each)
        rows = related._base_manager.filter(pk__in=ids)
        for obj in rows.select_related(*getattr(related, "label_related", ())):
            # a plain ``name`` when there is one: some __str__ walk parents (query per row)
            names[(related, obj.pk)] = str(getattr(obj, "name", "") or obj)
    rows = []
    for entry in entries:
        model = models_by_type[entry.content_type_id]
        changes = []
        for change in entry.changes or []:
            name = change.get("field", "")
            field = _field(model, name)
            label = str(capfirst(field.verbose_name)) if field is not None else name
            changes.append(
                Change(
                    label=label,
                    old=_text(field, change.get("old"), names),
                    new=_text(field, change.get("new"), names),
                )
            )
        record_type = str(capfirst(model._meta.verbose_name)) if model else ""
        link = reverse("trust:history", args=[entry.content_type_id, entry.object_id])
        rows.append(Row(entry=entry, record_type=record_type, changes=changes, link=link))
    return rows
