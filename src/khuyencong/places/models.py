"""Administrative units with history: the 63-province three-level units valid until
30 June 2025 and the 34-province two-level units valid from 1 July 2025, with the
old -> new mapping. Reference data loaded from the ``vietnamadminunits`` package
(``manage.py load_admin_units``), never typed by hand.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

LEGACY_END = datetime.date(2025, 6, 30)
CURRENT_START = datetime.date(2025, 7, 1)


class Level(models.TextChoices):
    PROVINCE = "province", _("Province")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune")


class Era(models.TextChoices):
    LEGACY = "legacy", _("Before 1 July 2025 (63 provinces)")
    CURRENT = "current", _("From 1 July 2025 (34 provinces)")


class AdminUnitQuerySet(models.QuerySet):
    def valid_on(self, day: datetime.date) -> AdminUnitQuerySet:
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )

    def provinces(self) -> AdminUnitQuerySet:
        return self.filter(level=Level.PROVINCE)

    def districts(self) -> AdminUnitQuerySet:
        return self.filter(level=Level.DISTRICT)

    def communes(self) -> AdminUnitQuerySet:
        return self.filter(level=Level.COMMUNE)


class AdminUnit(models.Model):
    era = models.CharField(_("era"), max_length=8, choices=Era.choices)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    code = models.CharField(_("official code"), max_length=8)
    unit_type = models.CharField(_("unit type"), max_length=32)  # Tỉnh, Huyện, Xã, Phường…
    name = models.CharField(_("name"), max_length=120)  # full name: "Xã Nông Thượng"
    short_name = models.CharField(_("short name"), max_length=120)  # "Nông Thượng"
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    province = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The province this unit lies in (itself for a province).",
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    key = models.CharField(max_length=80, help_text="Package key, e.g. 'xanongthuong'.")
    search_text = models.CharField(max_length=255, db_index=True, editable=False)

    objects = AdminUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["era", "level", "code"]
        constraints = [
            models.UniqueConstraint(fields=["era", "level", "code"], name="adminunit_unique_code")
        ]
        indexes = [models.Index(fields=["level", "era", "province"])]

    def __str__(self) -> str:
        return self.full_path

    @property
    def full_path(self) -> str:
        """ "Xã Cường Lợi, Huyện Na Rì, Tỉnh Bắc Kạn" (walks parents; select_related them)."""
        parts = [self.name]
        unit = self.parent
        while unit is not None:
            parts.append(unit.name)
            unit = unit.parent
        return ", ".join(parts)

    def is_valid_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    @property
    def scope_province_id(self) -> int | None:
        return self.pk if self.level == Level.PROVINCE else self.province_id

    @classmethod
    def province_family_ids(cls, province_id: int) -> set[int]:
        """The province and the legacy provinces merged into it (for a current province)."""
        ids = {province_id}
        ids.update(
            AdminUnitSuccession.objects.filter(
                successor_id=province_id, predecessor__level=Level.PROVINCE
            ).values_list("predecessor_id", flat=True)
        )
        return ids


class AdminUnitSuccession(models.Model):
    """Old unit -> new unit at the 1 July 2025 reform (communes, and provinces)."""

    predecessor = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="successions")
    successor = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="predecessions")
    is_default = models.BooleanField(
        default=True,
        help_text="For an old commune divided among several new ones: the main successor.",
    )
    effective_date = models.DateField(default=CURRENT_START)

    class Meta:
        verbose_name = _("administrative unit succession")
        verbose_name_plural = _("administrative unit successions")
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"], name="adminunit_succession_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor}"
