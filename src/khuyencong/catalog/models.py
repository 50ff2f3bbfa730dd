"""Catalogs: funding sources, content areas, eligible industries, beneficiary kinds, legal bases.

Seeded by data migration and editable by a system admin. Code refers to rows by their stable
``code``, never by their display name.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from khuyencong.core.models import DatedQuerySet, DatedRule, DomainModel
from khuyencong.core.text import normalize

_SEARCHED = ("code", "short_name", "doc_type", "number", "name", "name_en", "title")


def catalog_search_text(row: object) -> str:
    """The accent-insensitive search column of a catalog row (also used by the seed)."""
    parts = [str(getattr(row, attr, "") or "") for attr in _SEARCHED]
    return normalize(" ".join(part for part in parts if part))[:1000]


class CatalogQuerySet(DatedQuerySet):
    def selectable(self, day: datetime.date | None = None) -> CatalogQuerySet:
        """Rows a user may pick for a new record on ``day``: not archived, in use, valid."""
        queryset = self.active().filter(is_active=True)
        return queryset.valid_on(day) if day is not None else queryset


class CatalogEntry(DomainModel):
    """A catalog row: a stable code, a Vietnamese name and an English name.

    ``valid_from``/``valid_to`` date the row (rules changed by a later decree keep their dates);
    ``confirmed`` is unticked when the wording or date comes from a secondary source only.
    """

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name (Vietnamese)"), max_length=500)
    name_en = models.CharField(_("name (English)"), max_length=500, blank=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    confirmed = models.BooleanField(
        _("confirmed"),
        default=True,
        help_text=_("Unticked when the details could not be verified from the legal text."),
    )
    notes = models.TextField(_("notes"), blank=True)
    search_text = models.CharField(max_length=1000, blank=True, editable=False)

    objects = CatalogQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if translation.get_language() == "en" and self.name_en:
            return self.name_en
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = catalog_search_text(self)
        _include_search_text(kwargs)
        super().save(*args, **kwargs)


def _include_search_text(kwargs: dict[str, Any]) -> None:
    if kwargs.get("update_fields") is not None:
        kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}


class LegalBasis(DomainModel):
    """A legal document the system cites (decree, circular, decision)."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    number = models.CharField(_("number and symbol"), max_length=60)  # "45/2012/NĐ-CP"
    doc_type = models.CharField(_("document type"), max_length=60)  # "Nghị định"
    issued_on = models.DateField(_("issued on"))
    issuer = models.CharField(_("issuer"), max_length=200, blank=True)
    title = models.CharField(pgettext_lazy("document", "title"), max_length=500)
    valid_from = models.DateField(_("in force from"), null=True, blank=True)
    valid_to = models.DateField(_("in force until"), null=True, blank=True)
    confirmed = models.BooleanField(
        _("confirmed"),
        default=True,
        help_text=_("Unticked when the details could not be verified from the legal text."),
    )
    notes = models.TextField(_("notes"), blank=True)
    search_text = models.CharField(max_length=1000, blank=True, editable=False)

    objects = DatedQuerySet.as_manager()

    class Meta:
        verbose_name = _("legal basis")
        verbose_name_plural = _("legal bases")
        ordering = ["issued_on", "number"]

    def __str__(self) -> str:
        return f"{self.doc_type} {self.number}"

    @property
    def label(self) -> str:
        return str(self)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = catalog_search_text(self)
        _include_search_text(kwargs)
        super().save(*args, **kwargs)


class FundingSource(CatalogEntry):
    """National fund (KCQG), local fund (KCĐP), other."""

    short_name = models.CharField(_("short name"), max_length=20, blank=True)  # KCQG

    class Meta(CatalogEntry.Meta):
        verbose_name = _("funding source")
        verbose_name_plural = _("funding sources")


class ContentArea(CatalogEntry):
    """A content of khuyến công activity (Decree 45/2012 Art. 4 and its amendments).

    Groups (the decree's numbered items) have no parent; their sub-items point to them.
    """

    parent = models.ForeignKey(
        "self",
        verbose_name=_("group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    legal_basis = models.ForeignKey(
        LegalBasis, verbose_name=_("legal basis"), null=True, blank=True, on_delete=models.PROTECT
    )
    article = models.CharField(_("article/clause"), max_length=60, blank=True)

    class Meta(CatalogEntry.Meta):
        verbose_name = _("content area")
        verbose_name_plural = _("content areas")


class Industry(CatalogEntry):
    """An eligible industry group (Decree 45/2012 Art. 5 and its amendments)."""

    legal_basis = models.ForeignKey(
        LegalBasis, verbose_name=_("legal basis"), null=True, blank=True, on_delete=models.PROTECT
    )
    article = models.CharField(_("article/clause"), max_length=60, blank=True)

    class Meta(CatalogEntry.Meta):
        verbose_name = _("eligible industry")
        verbose_name_plural = _("eligible industries")


class BeneficiaryKind(CatalogEntry):
    """SME, cooperative, cooperative group, household business, other."""

    short_name = models.CharField(_("short name"), max_length=20, blank=True)  # HTX, HKD
    tax_code_required = models.BooleanField(_("tax code required"), default=True)

    class Meta(CatalogEntry.Meta):
        verbose_name = _("beneficiary kind")
        verbose_name_plural = _("beneficiary kinds")


class CitedRule(DatedRule):
    """A dated rule row with where it comes from: the legal document and its article."""

    legal_basis = models.ForeignKey(
        LegalBasis,
        verbose_name=_("legal basis"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    article = models.CharField(_("article/clause"), max_length=120, blank=True)

    class Meta:
        abstract = True

    @property
    def citation(self) -> str:
        """ "Điều 4 khoản 3, Thông tư 46/2012/TT-BCT" (article first, then the document)."""
        document = str(self.legal_basis) if self.legal_basis is not None else ""
        return ", ".join(part for part in (self.article.strip(), document) if part)
