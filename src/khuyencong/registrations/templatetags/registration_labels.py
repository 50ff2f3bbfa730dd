"""Labels of the screening checks: the table shows the check's name, never its code."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

# One label per check code of registrations/eligibility.py (conditions: eligibility.CONDITIONS).
CHECK_LABELS = {
    "input": _("Registration details"),
    "money": _("Amounts"),
    "rule_set": _("Rules in force"),
    "beneficiary_kind": _("Kind of beneficiary"),
    "location": _("Place of the project"),
    "industry": _("Industry"),
    "content_area": _("Content area"),
    "condition": _("Condition of the content area"),
    "kind": _("Condition of the content area"),
    "machinery_new": _("New machinery and equipment"),
    "technology_new_in_district": _("Technology new in the district"),
    "fairs_abroad_limit": _("Limit on fairs abroad"),
    "pollution_assessment": _("Pollution assessment"),
    "difficult_area": _("Difficult area"),
    "excluded_product": _("Excluded product"),
    "support_level": _("Level of support"),
    "support_requested": _("Support requested"),
    "counterpart": _("Counterpart funding"),
    "double_funding": _("Double funding"),
}


@register.filter
def check_label(code: str) -> str:
    """The check's name; an unknown code shows as "Other check" (never the raw code)."""
    return str(CHECK_LABELS.get(code, _("Other check")))
