"""Is this establishment already registered?

- The same tax code on another *active* record is refused outright (tax codes are unique
  among active beneficiaries; a database constraint backs this up).
- The same tax code on an *archived* record, or the same name (accent- and case-insensitive)
  in the same commune, is a *possible* duplicate: the user is warned and may save anyway.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from khuyencong.beneficiaries.models import Beneficiary
from khuyencong.core.text import normalize


class Reason(StrEnum):
    TAX_CODE = "tax_code"
    NAME = "name"


REASON_LABELS = {
    Reason.TAX_CODE: _("same tax code (archived record)"),
    Reason.NAME: _("same name in the same commune"),
}


@dataclass(frozen=True)
class PossibleDuplicate:
    beneficiary: Beneficiary
    reason: Reason

    @property
    def reason_label(self) -> str:
        return str(REASON_LABELS[self.reason])


def active_tax_code_owner(tax_code: str, *, exclude_pk: int | None = None) -> Beneficiary | None:
    """The active beneficiary holding canonical ``tax_code``, other than ``exclude_pk``."""
    if not tax_code:
        return None
    owners = Beneficiary.objects.active().filter(tax_code=tax_code)
    if exclude_pk is not None:
        owners = owners.exclude(pk=exclude_pk)
    return owners.select_related("commune").first()


def possible_duplicates(
    *,
    name: str,
    commune_id: int | None,
    tax_code: str,
    exclude_pk: int | None = None,
) -> list[PossibleDuplicate]:
    """Records that may be the same establishment (see module docstring), each once."""
    found: dict[int, PossibleDuplicate] = {}
    others = Beneficiary.objects.select_related("commune", "district", "province")
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    if tax_code:
        for match in others.archived().filter(tax_code=tax_code):
            found.setdefault(match.pk, PossibleDuplicate(match, Reason.TAX_CODE))
    key = normalize(name)
    if key and commune_id is not None:
        # search_text starts with the normalised name; compare whole names in Python.
        for match in others.filter(commune_id=commune_id, search_text__startswith=key):
            if normalize(match.name) == key:
                found.setdefault(match.pk, PossibleDuplicate(match, Reason.NAME))
    return list(found.values())
