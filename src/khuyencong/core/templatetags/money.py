"""Template filters for integer VND: ``{{ amount|vnd }}`` -> "600.000.000 đ"."""

from __future__ import annotations

from django import template

from khuyencong.core.money import format_vnd, group_thousands

register = template.Library()


@register.filter
def vnd(amount: int | None) -> str:
    return format_vnd(amount)


@register.filter
def thousands(amount: int | None) -> str:
    return "" if amount is None else group_thousands(amount)
