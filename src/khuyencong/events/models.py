"""Events funded by projects: training conferences (hội nghị tập huấn), trade fairs (hội chợ
triển lãm) and study tours, with their participants.

Attendance counts (officers trained per district, establishments at fairs) are read through
``events/selectors.py``; participants can be imported from Excel (``events/imports.py``).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from khuyencong.core.models import ArchivableQuerySet, DomainModel
from khuyencong.core.text import normalize
from khuyencong.places.models import ScopedByPlace, ScopedThrough


class EventKind(models.TextChoices):
    TRAINING = "training", _("Training conference")
    TRADE_FAIR = "trade_fair", _("Trade fair")
    STUDY_TOUR = "study_tour", _("Study tour")


class EventStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


def held_by(day: datetime.date) -> Q:
    """Events held and finished on or before ``day`` (the as-of view of reports)."""
    return Q(status=EventStatus.HELD, end_date__lte=day)


class EventQuerySet(ArchivableQuerySet):
    def held_by(self, day: datetime.date) -> EventQuerySet:
        return self.filter(held_by(day))


class Event(ScopedByPlace, DomainModel):
    kind = models.CharField(_("kind"), max_length=16, choices=EventKind.choices)
    title = models.CharField(_("title"), max_length=300)
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("funding project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    status = models.CharField(
        _("status"), max_length=12, choices=EventStatus.choices, default=EventStatus.PLANNED
    )
    place = models.ForeignKey(
        "places.AdminUnit",
        verbose_name=_("place"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_(
            "Province, district or commune where it takes place (for fairs elsewhere, "
            "the province of the organiser)."
        ),
    )
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    organiser = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organiser"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    organiser_name = models.CharField(
        _("organiser (if not in the list)"), max_length=300, blank=True
    )
    booths_supported = models.PositiveIntegerField(_("booths supported"), default=0)
    cost = models.BigIntegerField(_("cost (VND)"), default=0)
    notes = models.TextField(_("notes"), blank=True)
    search_text = models.CharField(max_length=600, db_index=True, editable=False)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-start_date", "title"]
        indexes = [models.Index(fields=["province", "start_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="event_dates_in_order"
            ),
            models.CheckConstraint(condition=Q(cost__gte=0), name="event_cost_not_negative"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = normalize(f"{self.title} {self.venue}")[:600]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def status_on(self, day: datetime.date) -> str:
        """ "held" once a held event has ended by ``day``; "planned" before; "cancelled"."""
        if self.status == EventStatus.CANCELLED:
            return EventStatus.CANCELLED
        if self.status == EventStatus.HELD and self.end_date <= day:
            return EventStatus.HELD
        return EventStatus.PLANNED

    @property
    def has_booths(self) -> bool:
        """Booths belong to trade fairs; shown elsewhere only when some were recorded."""
        return self.kind == EventKind.TRADE_FAIR or self.booths_supported > 0

    @property
    def organiser_label(self) -> str:
        return self.organiser.name if self.organiser_id else self.organiser_name


class ParticipantKind(models.TextChoices):
    ESTABLISHMENT = "establishment", _("Establishment")
    OFFICER = "officer", _("Officer")


class Participant(ScopedThrough, DomainModel):
    """Someone who took part: an establishment (a registered beneficiary or by name) or an
    officer (cán bộ) of a district or commune."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.PROTECT, related_name="participants"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ParticipantKind.choices)
    beneficiary = models.ForeignKey(
        "beneficiaries.Beneficiary",
        verbose_name=_("registered establishment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="event_participations",
    )
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(pgettext_lazy("organisation", "unit"), max_length=300, blank=True)
    position = models.CharField(_("position"), max_length=120, blank=True)
    district = models.ForeignKey(
        "places.AdminUnit",
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    has_booth = models.BooleanField(_("supported booth"), default=False)

    SCOPE_PARENT = "event"

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["event", "kind", "name"]
        indexes = [models.Index(fields=["event", "kind", "district"])]

    def __str__(self) -> str:
        return self.name
