"""``{% history_url record as url %}``: the record's history page, if the user may see it."""

from __future__ import annotations

from typing import Any

from django import template
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from khuyencong.trust.access import may_see_history

register = template.Library()


@register.simple_tag(takes_context=True)
def history_url(context: dict[str, Any], record: Any) -> str:
    request = context.get("request")
    if record is None or request is None or not may_see_history(request.user, record):
        return ""
    content_type = ContentType.objects.get_for_model(record, for_concrete_model=False)
    return reverse("trust:history", args=[content_type.pk, record.pk])
