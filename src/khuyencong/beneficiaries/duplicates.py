"""Is this establishment already registered?

- The same tax code on another *active* record is refused outright (tax codes are unique
  among active beneficiaries; a database constraint backs this up).
- The same tax code on an *archived* record, or the same name (accent- and case-insensitive)
  in the same commune, is a *possible* duplicate: the user is warned and may save anyway.

What a message may say about the record already holding a code is decided by
``may_identify``: its name, place and link only within the user's scope; outside it, only
that the code is registered elsewhere (typing tax codes must not look establishments up
across provinces). The form, the API, the import check and the restore use it, and so do
project codes (``projects.services``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from khuyencong.accounts import roles
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


def may_identify(user: Any, holder: Any) -> bool:
    """Whether a message to ``user`` about a code ``holder`` already holds (a tax code, a
    project code) may identify it: name, place, link, id. Only a record in the user's scope."""
    return roles.in_scope(user, holder)


def tax_code_taken(user: Any, code: str, owner: Beneficiary) -> str:
    """The refusal of a tax code held by the active record ``owner``, as ``user`` may read it."""
    if may_identify(user, owner):
        return gettext(
            "Tax code %(code)s already belongs to “%(name)s” (%(commune)s). "
            "Each establishment is registered once: open that record instead."
        ) % {"code": code, "name": owner.name, "commune": owner.commune.name}
    return gettext(
        "Tax code %(code)s is already registered to an establishment outside your area of "
        "responsibility. Each establishment is registered once: if it has moved to your area, "
        "ask the system administrator."
    ) % {"code": code}


def restore_refused(user: Any, code: str, owner: Beneficiary) -> str:
    """Why an archived record cannot be restored: ``owner`` took its tax code meanwhile."""
    return gettext("Cannot restore: %(problem)s") % {"problem": tax_code_taken(user, code, owner)}


def hidden_duplicate_label(duplicate: PossibleDuplicate) -> str:
    """A possible duplicate ``may_identify`` hides: only why it matched, never which record."""
    return gettext("A record outside your area of responsibility: %(reason)s") % {
        "reason": duplicate.reason_label
    }


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
