"""Filters of the audit log: record type, action, user, dates, province, source."""

from __future__ import annotations

from typing import Any

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from khuyencong.core.forms import StyledForm
from khuyencong.places.models import AdminUnit, Level
from khuyencong.trust.models import AuditAction, AuditEntry, AuditSource
from khuyencong.trust.recording import audited_models


def record_type_choices() -> list[tuple[str, str]]:
    labels = audited_models()
    choices = []
    for label in labels["audited"]:
        app_label, model_name = label.split(".")
        content_type = ContentType.objects.get_by_natural_key(app_label, model_name.lower())
        model = content_type.model_class()
        if model is not None:
            choices.append((str(content_type.pk), str(capfirst(model._meta.verbose_name))))
    return sorted(choices, key=lambda choice: choice[1])


class AuditFilter(django_filters.FilterSet):
    content_type = django_filters.ChoiceFilter(
        label=_("Record type"), choices=[], empty_label=_("All")
    )
    action = django_filters.ChoiceFilter(
        label=_("Action"), choices=AuditAction.choices, empty_label=_("All")
    )
    user = django_filters.CharFilter(
        label=_("User"), field_name="user_label", lookup_expr="icontains"
    )
    date_from = django_filters.DateFilter(label=_("From"), field_name="at", lookup_expr="date__gte")
    date_to = django_filters.DateFilter(label=_("To"), field_name="at", lookup_expr="date__lte")
    province = django_filters.ModelChoiceFilter(
        label=_("Province"),
        queryset=AdminUnit.objects.filter(level=Level.PROVINCE).order_by("era", "name"),
        empty_label=_("All"),
    )
    source = django_filters.ChoiceFilter(
        label=_("Source"), choices=AuditSource.choices, empty_label=_("All")
    )

    class Meta:
        model = AuditEntry
        fields: list[str] = []
        form = StyledForm

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["content_type"].extra["choices"] = record_type_choices()
