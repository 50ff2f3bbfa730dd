"""``{% crumb label "app:page" arg... perm="app.view" obj=record %}``: one breadcrumb item,
a link only if the user may open the page it leads to (``accounts.roles``), else plain text.

A breadcrumb must never lead to a 403 or a 404: each crumb names the permission of the page
it links to (and the record, for the record's scope), or passes ``may`` when the view has
already decided (e.g. ``may=can_see_plan``). A crumb with neither is a programming error.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html

from khuyencong.accounts import roles

register = template.Library()


def may_open(user: Any, *, perm: str | None, obj: Any = None, may: Any = None) -> bool:
    """Whether ``user`` may open the page a crumb leads to."""
    if may is not None and may != "":
        return bool(may)
    if not perm:
        raise ValueError("a breadcrumb link names the permission of its page (perm=) or may=")
    return roles.allowed(user, perm, obj)


@register.simple_tag(takes_context=True)
def crumb(
    context: template.Context,
    label: Any,
    url_name: str,
    *args: Any,
    perm: str | None = None,
    obj: Any = None,
    may: Any = None,
) -> str:
    request = context.get("request")
    user = getattr(request, "user", None)
    if may_open(user, perm=perm, obj=obj, may=may):
        return format_html(
            '<li class="breadcrumb-item"><a href="{}">{}</a></li>',
            reverse(url_name, args=args),
            label,
        )
    return format_html('<li class="breadcrumb-item">{}</li>', label)
