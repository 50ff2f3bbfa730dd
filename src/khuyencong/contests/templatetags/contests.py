"""``{% beneficiary_certificates beneficiary as certificates %}``: a beneficiary's product
certificates, each with ``is_valid_today`` (for the beneficiary page's include)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from khuyencong.contests.selectors import can_see_contest, certificates_of

register = template.Library()


@register.simple_tag
def beneficiary_certificates(beneficiary: Any) -> list[Any]:
    today = timezone.localdate()
    certificates = list(certificates_of(beneficiary))
    for certificate in certificates:
        certificate.is_valid_today = certificate.is_valid_on(today)
    return certificates


@register.filter
def openable_by(contest: Any, user: Any) -> bool:
    """Whether ``user`` may open ``contest``'s page (a judge, an entrant, its area's staff):
    its breadcrumb links to it only then."""
    return can_see_contest(user, contest)
