"""Entry checks of the product vote (TT 26/2014/TT-BCT Arts. 4 and 12): pure functions.

Each check answers pass, fail or needs review, with a sentence citing the circular; staff
then record the eligibility decision (``services.review_eligibility``). The checks:

- own_product, not_copied, mass_producible: the establishment's declarations (Art. 4): a "no"
  fails, an unanswered one needs review;
- registration_form, description: the dossier holds the registration form (Appendix 1) and
  the product description (Appendix 2) (Art. 12);
- photos: at least 3 colour photos, checked to be images by their content (Art. 12); fewer
  fail; 3 or more without the front, side and top views all marked need review;
- lower_certificate: from province level up, a certificate of the level just below, valid
  on the registration date and not revoked (Art. 12); one recorded outside the system (only
  its number typed in) needs review.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from enum import StrEnum

from django.utils.translation import gettext as _

from khuyencong.contests.models import LEVEL_RANK, Level

MIN_PHOTOS = 3
REQUIRED_VIEWS = frozenset({"front", "side", "top"})


class Outcome(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    NEEDS_REVIEW = "needs_review"


@dataclass(frozen=True)
class Check:
    code: str
    outcome: Outcome
    message: str


@dataclass(frozen=True)
class LowerCertificate:
    level: str
    valid_until: datetime.date | None
    revoked: bool = False
    recorded_in_system: bool = True
    number: str = ""


@dataclass(frozen=True)
class EntryFacts:
    contest_level: str
    registered_on: datetime.date
    own_product: bool | None = None
    not_copied: bool | None = None
    mass_producible: bool | None = None
    has_registration_form: bool = False
    has_description: bool = False
    photo_count: int = 0  # files that are images by their content
    photo_views: frozenset[str] = field(default_factory=frozenset)
    lower_certificate: LowerCertificate | None = None


def _declaration(code: str, value: bool | None, yes: str, no: str, missing: str) -> Check:
    if value is True:
        return Check(code, Outcome.PASS, yes)
    if value is False:
        return Check(code, Outcome.FAIL, no)
    return Check(code, Outcome.NEEDS_REVIEW, missing)


def _lower_levels(level: str) -> set[str]:
    rank = LEVEL_RANK[Level(level)]
    return {str(other) for other, other_rank in LEVEL_RANK.items() if other_rank == rank - 1}


def check_lower_certificate(facts: EntryFacts) -> Check | None:
    """``None`` when the contest's level needs no certificate from below."""
    if LEVEL_RANK[Level(facts.contest_level)] <= 1:
        return None
    code = "lower_certificate"
    certificate = facts.lower_certificate
    if certificate is None:
        return Check(
            code,
            Outcome.FAIL,
            _(
                "A product entered at this level needs a valid certificate of the level below "
                "(TT 26/2014/TT-BCT, Art. 12); none is attached."
            ),
        )
    if certificate.level not in _lower_levels(facts.contest_level):
        return Check(
            code,
            Outcome.FAIL,
            _(
                "The certificate given is not of the level just below this contest "
                "(TT 26/2014/TT-BCT, Art. 12)."
            ),
        )
    if certificate.revoked:
        return Check(
            code,
            Outcome.FAIL,
            _("The certificate of the level below was revoked (TT 26/2014/TT-BCT, Art. 20)."),
        )
    if certificate.valid_until is None or certificate.valid_until < facts.registered_on:
        return Check(
            code,
            Outcome.FAIL,
            _(
                "The certificate of the level below was no longer valid on the registration "
                "date (TT 26/2014/TT-BCT, Arts. 12 and 17)."
            ),
        )
    if not certificate.recorded_in_system:
        return Check(
            code,
            Outcome.NEEDS_REVIEW,
            _(
                "The certificate of the level below (no. %(number)s) was issued outside this "
                "system: check the original (TT 26/2014/TT-BCT, Art. 12)."
            )
            % {"number": certificate.number},
        )
    return Check(
        code,
        Outcome.PASS,
        _("A valid certificate of the level below is attached (TT 26/2014/TT-BCT, Art. 12)."),
    )


def check_photos(facts: EntryFacts) -> Check:
    code = "photos"
    if facts.photo_count < MIN_PHOTOS:
        return Check(
            code,
            Outcome.FAIL,
            _(
                "The dossier needs at least %(required)d colour photos of the product (front, "
                "side, top; TT 26/2014/TT-BCT, Art. 12); %(count)d image(s) found."
            )
            % {"required": MIN_PHOTOS, "count": facts.photo_count},
        )
    if not set(facts.photo_views) >= REQUIRED_VIEWS:
        return Check(
            code,
            Outcome.NEEDS_REVIEW,
            _(
                "%(count)d photos, but the front, side and top views are not all marked "
                "(TT 26/2014/TT-BCT, Art. 12): check the photos."
            )
            % {"count": facts.photo_count},
        )
    return Check(
        code,
        Outcome.PASS,
        _("%(count)d colour photos, front, side and top (TT 26/2014/TT-BCT, Art. 12).")
        % {"count": facts.photo_count},
    )


def check_entry(facts: EntryFacts) -> list[Check]:
    checks = [
        _declaration(
            "own_product",
            facts.own_product,
            _("The establishment makes the product itself (TT 26/2014/TT-BCT, Art. 4)."),
            _("The product must be made by the establishment itself (TT 26/2014/TT-BCT, Art. 4)."),
            _(
                "The establishment has not declared that it makes the product itself "
                "(TT 26/2014/TT-BCT, Art. 4)."
            ),
        ),
        _declaration(
            "not_copied",
            facts.not_copied,
            _(
                "The product is declared not copied and respecting intellectual property "
                "(TT 26/2014/TT-BCT, Art. 4)."
            ),
            _(
                "A copied product, or one infringing intellectual property, cannot enter "
                "(TT 26/2014/TT-BCT, Art. 4)."
            ),
            _(
                "The establishment has not declared that the product is not copied "
                "(TT 26/2014/TT-BCT, Art. 4)."
            ),
        ),
        _declaration(
            "mass_producible",
            facts.mass_producible,
            _("The product can be produced in quantity (TT 26/2014/TT-BCT, Art. 4)."),
            _(
                "A one-off product cannot enter: it must be producible in quantity "
                "(TT 26/2014/TT-BCT, Art. 4)."
            ),
            _(
                "The establishment has not declared that the product can be produced in "
                "quantity (TT 26/2014/TT-BCT, Art. 4)."
            ),
        ),
        Check(
            "registration_form",
            Outcome.PASS if facts.has_registration_form else Outcome.FAIL,
            _("The registration form is in the dossier (TT 26/2014/TT-BCT, Art. 12).")
            if facts.has_registration_form
            else _(
                "The registration form (Appendix 1) is missing from the dossier "
                "(TT 26/2014/TT-BCT, Art. 12)."
            ),
        ),
        Check(
            "description",
            Outcome.PASS if facts.has_description else Outcome.FAIL,
            _("The product description is in the dossier (TT 26/2014/TT-BCT, Art. 12).")
            if facts.has_description
            else _(
                "The product description (Appendix 2) is missing from the dossier "
                "(TT 26/2014/TT-BCT, Art. 12)."
            ),
        ),
        check_photos(facts),
    ]
    lower = check_lower_certificate(facts)
    if lower is not None:
        checks.append(lower)
    return checks


def overall(checks: list[Check]) -> Outcome:
    outcomes = {check.outcome for check in checks}
    if Outcome.FAIL in outcomes:
        return Outcome.FAIL
    if Outcome.NEEDS_REVIEW in outcomes:
        return Outcome.NEEDS_REVIEW
    return Outcome.PASS
