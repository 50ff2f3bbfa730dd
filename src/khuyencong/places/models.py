"""Administrative units with history: the 63-province three-level units valid until
30 June 2025 and the 34-province two-level units valid from 1 July 2025, with the
old -> new mapping. Reference data loaded from the ``vietnamadminunits`` package
(``manage.py load_admin_units``, see ``loader.py``), never typed by hand.
"""

from __future__ import annotations

import datetime
from typing import Any, ClassVar

from django.db import models
from django.db.models import Case, Value, When
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from khuyencong.core.models import ValidityQuerySet, covers

LEGACY_END = datetime.date(2025, 6, 30)
CURRENT_START = datetime.date(2025, 7, 1)


class Level(models.TextChoices):
    PROVINCE = "province", _("Province level")
    DISTRICT = "district", _("District level")
    COMMUNE = "commune", _("Commune level")


class Era(models.TextChoices):
    LEGACY = "legacy", _("Before 1 July 2025 (63 provinces)")
    CURRENT = "current", _("From 1 July 2025 (34 provinces)")


# What a unit of each level is called, for form labels: "Xã/phường/thị trấn".
UNIT_NOUNS = {
    Level.PROVINCE: _("Province"),
    Level.DISTRICT: _("District"),
    Level.COMMUNE: _("Commune"),
}

# Short labels for badges next to a unit's name.
ERA_BADGES = {Era.LEGACY: _("until 30/6/2025"), Era.CURRENT: _("from 1/7/2025")}

# Province, district, commune: the order of the hierarchy (the codes sort alphabetically).
LEVEL_RANK = Case(
    When(level=Level.PROVINCE, then=Value(0)),
    When(level=Level.DISTRICT, then=Value(1)),
    default=Value(2),
    output_field=models.IntegerField(),
)


class AdminUnitQuerySet(ValidityQuerySet):
    def provinces(self) -> AdminUnitQuerySet:
        return self.filter(level=Level.PROVINCE)

    def districts(self) -> AdminUnitQuerySet:
        return self.filter(level=Level.DISTRICT)

    def communes(self) -> AdminUnitQuerySet:
        return self.filter(level=Level.COMMUNE)

    def with_path(self) -> AdminUnitQuerySet:
        """Joins the parents ``full_path`` walks (commune -> district -> province)."""
        return self.select_related("parent__parent")

    def in_hierarchy_order(self) -> AdminUnitQuerySet:
        """Era, then provinces before districts before communes, then official code."""
        return self.annotate(level_rank=LEVEL_RANK).order_by("era", "level_rank", "code")


class AdminUnit(models.Model):
    era = models.CharField(_("era"), max_length=8, choices=Era.choices)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    code = models.CharField(_("official code"), max_length=8)
    unit_type = models.CharField(_("unit type"), max_length=32)  # Tỉnh, Huyện, Xã, Phường…
    name = models.CharField(_("name"), max_length=120)  # full name: "Xã Nông Thượng"
    short_name = models.CharField(_("short name"), max_length=120)  # "Nông Thượng"
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    province = models.ForeignKey(
        "self",
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The province this unit lies in (itself for a province)."),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    key = models.CharField(
        _("package key"), max_length=80, help_text=_("Package key, e.g. 'xanongthuong'.")
    )
    # compact() of the short name ("Na Rì" -> "nari"): ranks exact name matches first.
    short_key = models.CharField(
        _("short name key"), max_length=120, db_index=True, editable=False, default=""
    )
    search_text = models.CharField(_("search text"), max_length=255, db_index=True, editable=False)

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

    @property
    def ancestors(self) -> list[AdminUnit]:
        """The parents, province first (walks parents; select_related them)."""
        units: list[AdminUnit] = []
        unit = self.parent
        while unit is not None:
            units.insert(0, unit)
            unit = unit.parent
        return units

    @property
    def era_badge(self) -> str:
        return str(ERA_BADGES[Era(self.era)])

    @property
    def validity_text(self) -> str:
        """ "in force until 30/06/2025" or "in force from 01/07/2025"."""
        if self.valid_from and self.valid_to:
            return _("in force from %(start)s to %(end)s") % {
                "start": date_format(self.valid_from, "SHORT_DATE_FORMAT"),
                "end": date_format(self.valid_to, "SHORT_DATE_FORMAT"),
            }
        if self.valid_to:
            return _("in force until %(end)s") % {
                "end": date_format(self.valid_to, "SHORT_DATE_FORMAT")
            }
        if self.valid_from:
            return _("in force from %(start)s") % {
                "start": date_format(self.valid_from, "SHORT_DATE_FORMAT")
            }
        return str(_("no end date"))

    def is_valid_on(self, day: datetime.date) -> bool:
        return covers(self.valid_from, self.valid_to, day)

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


def scope_from_place(place: AdminUnit | None) -> tuple[int | None, int | None]:
    """(province id, district id) of a province, district or commune; (None, None) for none."""
    if place is None:
        return None, None
    if place.level == Level.PROVINCE:
        return place.pk, None
    if place.level == Level.DISTRICT:
        return place.province_id, place.pk
    parent = place.parent_id
    return place.province_id, (parent if parent != place.province_id else None)


class PlaceAsWritten(models.Model):
    """A record located at a unit (``PLACE_FIELD``) that also keeps the place as written on
    its date: the unit's short name and type then ("Nông Hạ", "Xã"). Units merge and are
    renamed; the link follows the unit, the written place stays what the record said.

    On save the written place is taken from the linked unit, unless the caller set it for
    this unit (the import keeps an old name whose successor it links).
    """

    PLACE_FIELD: ClassVar[str] = "place"

    place_name = models.CharField(
        _("place as written"),
        max_length=120,
        blank=True,
        editable=False,
        help_text=_("The unit's name on the record's date, as written then."),
    )
    place_type = models.CharField(
        _("unit type as written"), max_length=32, blank=True, editable=False
    )

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        if update_fields is None or {self.PLACE_FIELD, f"{self.PLACE_FIELD}_id"} & set(
            update_fields
        ):
            self.write_place()
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "place_name", "place_type"}
        super().save(*args, **kwargs)

    @classmethod
    def from_db(cls, db: Any, field_names: Any, values: Any, *args: Any, **kwargs: Any) -> Any:
        instance: Any = super().from_db(db, field_names, values, *args, **kwargs)
        # what the written place was read for: a new unit without a new name refills it
        instance._written_for = (
            instance.__dict__.get(f"{cls.PLACE_FIELD}_id"),
            instance.__dict__.get("place_name"),
        )
        return instance

    def write_place(self) -> None:
        """Fill ``place_name``/``place_type`` from the linked unit unless set for it."""
        unit_id = getattr(self, f"{self.PLACE_FIELD}_id")
        if unit_id is None:
            self.place_name = self.place_type = ""
            return
        loaded = getattr(self, "_written_for", None)
        if self.place_name and (
            loaded is None or unit_id == loaded[0] or self.place_name != loaded[1]
        ):
            return
        unit = getattr(self, self.PLACE_FIELD)
        self.place_name, self.place_type = unit.short_name, unit.unit_type

    @property
    def place_written(self) -> str:
        """ "Xã Nông Hạ": the place as the record wrote it (the unit's name if not kept)."""
        if not self.place_name:
            unit = getattr(self, self.PLACE_FIELD)
            return unit.name if unit is not None else ""
        return f"{self.place_type} {self.place_name}".strip()

    @property
    def place_is_former(self) -> bool:
        """Whether the written place is not the linked unit's name (an old name whose
        successor is linked)."""
        unit = getattr(self, self.PLACE_FIELD)
        return (
            bool(self.place_name)
            and unit is not None
            and (self.place_name != unit.short_name or self.place_type != unit.unit_type)
        )

    @property
    def place_note(self) -> str:
        """ "địa danh cũ, nay thuộc Xã Bằng Vân, …" for a former name; else empty."""
        if not self.place_is_former:
            return ""
        unit = getattr(self, self.PLACE_FIELD)
        return str(_("former name, now part of %(unit)s") % {"unit": unit.full_path})


class ScopedByPlace(PlaceAsWritten):
    """A record located at a unit (``PLACE_FIELD``: a province, district or commune), whose
    province and district are copied onto the row on every save, for scoping and filters.

    ``accounts.roles`` reads the ``scope_*`` properties. A model whose copies differ (nullable,
    no database constraint) declares its own ``province``/``district`` fields: the columns keep
    their names and types.
    """

    PLACE_FIELD: ClassVar[str] = "place"

    province = models.ForeignKey(
        AdminUnit,
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    district = models.ForeignKey(
        AdminUnit,
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.locate()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "province", "district"}
        super().save(*args, **kwargs)

    def locate(self) -> None:
        """Copy the place's province and district onto the record."""
        # None only for a model that declares its province nullable (a contest without an
        # area); the stubs type the column by this base's field, which is required
        self.province_id, self.district_id = scope_from_place(  # type: ignore[assignment]
            getattr(self, self.PLACE_FIELD)
        )

    # scope hooks read by accounts.roles
    @property
    def scope_province_id(self) -> int | None:
        return self.province_id

    @property
    def scope_district_id(self) -> int | None:
        return self.district_id


class ScopedThrough:
    """A record in the scope of the record it belongs to (``SCOPE_PARENT``, a foreign key):
    its scope hooks, read by ``accounts.roles``, are the parent's."""

    SCOPE_PARENT: ClassVar[str]

    @property
    def scope_province_id(self) -> int | None:
        return getattr(self, self.SCOPE_PARENT).scope_province_id

    @property
    def scope_district_id(self) -> int | None:
        return getattr(self, self.SCOPE_PARENT).scope_district_id

    @property
    def scope_beneficiary_id(self) -> int | None:
        if self.SCOPE_PARENT == "beneficiary":  # the establishment itself: its id, no query
            return self.beneficiary_id  # type: ignore[attr-defined]
        return getattr(getattr(self, self.SCOPE_PARENT), "scope_beneficiary_id", None)


class AdminUnitSuccession(models.Model):
    """Old unit -> new unit at the 1 July 2025 reform (communes, and provinces).

    A legacy commune usually passes whole into one new commune; a divided one has several
    successors, one of them ``is_default``. The five island districts that had no communes
    (Bạch Long Vĩ, Cồn Cỏ, Hoàng Sa, Lý Sơn, Côn Đảo) are predecessors of their new commune.
    """

    predecessor = models.ForeignKey(
        AdminUnit,
        verbose_name=_("predecessor"),
        on_delete=models.PROTECT,
        related_name="successions",
    )
    successor = models.ForeignKey(
        AdminUnit,
        verbose_name=_("successor"),
        on_delete=models.PROTECT,
        related_name="predecessions",
    )
    is_default = models.BooleanField(
        _("main successor"),
        default=True,
        help_text=_("For an old commune divided among several new ones: the main successor."),
    )
    effective_date = models.DateField(_("effective date"), default=CURRENT_START)

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
