"""The beneficiary registry (đơn vị thụ hưởng / cơ sở công nghiệp nông thôn)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from khuyencong.core.models import ArchivableQuerySet, DomainModel
from khuyencong.core.text import normalize
from khuyencong.places.models import ScopedByPlace


def search_text_for(name: str, tax_code: str) -> str:
    """Name and tax code, accent-free; the tax code also without its dash ("…-001" and "…001")."""
    parts = [name, tax_code, tax_code.replace("-", "") if "-" in tax_code else ""]
    return normalize(" ".join(part for part in parts if part))[:600]


class BeneficiaryQuerySet(ArchivableQuerySet):
    def in_province(self, province_ids: set[int] | list[int]) -> BeneficiaryQuerySet:
        return self.filter(province_id__in=province_ids)


class Beneficiary(ScopedByPlace, DomainModel):
    kind = models.ForeignKey(
        "catalog.BeneficiaryKind", verbose_name=_("kind"), on_delete=models.PROTECT
    )
    name = models.CharField(_("name"), max_length=255)
    tax_code = models.CharField(_("tax code"), max_length=14, blank=True, db_index=True)
    representative = models.CharField(_("representative"), max_length=120, blank=True)
    address = models.CharField(_("street address"), max_length=255, blank=True)
    commune = models.ForeignKey(
        "places.AdminUnit",
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Copied from the commune (ScopedByPlace) for scoping and filtering. Copies, as the
    # audit trail's scope columns are: the commune's constraint guards the row, and these two
    # went unchecked (no database constraint) because checking them was a large share of the
    # national import's commit on PostgreSQL (docs/performance.md); units are never deleted
    # (``on_delete`` PROTECT).
    district = models.ForeignKey(
        "places.AdminUnit",
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        db_constraint=False,
    )
    province = models.ForeignKey(
        "places.AdminUnit",
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        db_index=False,  # the (province, name) index leads with it
        db_constraint=False,
    )
    industry = models.ForeignKey(
        "catalog.Industry",
        verbose_name=_("industry"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    search_text = models.CharField(max_length=600, db_index=True, editable=False)

    objects = BeneficiaryQuerySet.as_manager()

    class Meta:
        verbose_name = _("beneficiary")
        verbose_name_plural = _("beneficiaries")
        ordering = ["name"]
        indexes = [models.Index(fields=["province", "name"])]
        constraints = [
            models.UniqueConstraint(
                fields=["tax_code"],
                condition=Q(archived_at__isnull=True) & ~Q(tax_code=""),
                name="beneficiary_active_tax_code_unique",
                violation_error_message=_("Another active beneficiary already has this tax code."),
            )
        ]

    PLACE_FIELD = "commune"

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = search_text_for(self.name, self.tax_code)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    # scope hook read by accounts.roles (province and district: ScopedByPlace)
    @property
    def scope_beneficiary_id(self) -> int:
        return self.pk
