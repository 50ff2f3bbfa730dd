"""Deadlines as data: the obligation rules (``ObligationRule``, dated, confirmed or not, one
per kind with a province's own row winning over the national one), the log of reminders made
(``Reminder``: one per obligation, user and day) and each user's calendar feed secret
(``CalendarFeed``). What is due is computed by ``deadlines.obligations``."""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from khuyencong.accounts.models import Role
from khuyencong.core.models import AppendOnly, DatedRule, DomainModel


class ObligationKind(models.TextChoices):
    MONTHLY_PROGRESS = "monthly_progress", _("Monthly progress report")
    REGISTRATION_DOSSIER = "registration_dossier", _("Registration dossier to the department")
    NATIONAL_PROPOSAL = "national_proposal", _("Proposal to the national agency")
    HALF_YEAR_REPORT = "half_year_report", _("Half-year report")
    ANNUAL_REPORT = "annual_report", _("Annual report")
    CONTRACT_SIGNING = "contract_signing", _("Contract to sign")
    IMPLEMENTATION_END = "implementation_end", _("End of implementation")
    INSPECTION = "inspection", _("Inspection and its follow-up")
    CERTIFICATE_EXPIRY = "certificate_expiry", _("Certificate expiring")
    UNDER_REVIEW = "under_review", _("Project under review too long")
    REQUEST_DECISION = "request_decision", _("Request awaiting a decision")
    ADVANCE_UNACCEPTED = "advance_unaccepted", _("Advance without acceptance")
    COMPLAINT_RESOLUTION = "complaint_resolution", _("Complaint to resolve")


class DayUnit(models.TextChoices):
    CALENDAR = "calendar", _("Calendar days")
    WORKING = "working", _("Working days")


# Kinds due on a fixed day of the year (month and day) or of every month (day only); the
# others are due a period after their record's own date.
FIXED_DATE_KINDS = frozenset(
    {
        ObligationKind.REGISTRATION_DOSSIER,
        ObligationKind.NATIONAL_PROPOSAL,
        ObligationKind.HALF_YEAR_REPORT,
        ObligationKind.ANNUAL_REPORT,
    }
)
MONTHLY_KINDS = frozenset({ObligationKind.MONTHLY_PROGRESS})


class ObligationRule(DatedRule):
    """When an obligation of one kind is due, who answers for it and how early it shows.

    ``due_month``/``due_day``: a fixed date (20 May, 15 June) or, without a month, a day of
    every month (the 25th); ``period_days`` in ``day_unit``: the time allowed after the
    record's own date (10 working days after a complaint is received). ``lead_days``: how
    many days before the due date it shows on the to-do panel and is reminded.
    """

    kind = models.CharField(_("kind"), max_length=32, choices=ObligationKind.choices)
    province = models.ForeignKey(
        "places.AdminUnit",
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "province"},
        help_text=_("Empty: every province (a province's own rule wins over it)."),
    )
    responsible_role = models.CharField(_("responsible role"), max_length=24, choices=Role.choices)
    due_month = models.PositiveSmallIntegerField(
        _("due month"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    due_day = models.PositiveSmallIntegerField(
        _("due day of the month"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
    )
    period_days = models.PositiveIntegerField(
        _("period (days)"), null=True, blank=True, validators=[MaxValueValidator(3650)]
    )
    day_unit = models.CharField(
        _("counted in"), max_length=8, choices=DayUnit.choices, default=DayUnit.CALENDAR
    )
    lead_days = models.PositiveIntegerField(
        _("shown days ahead"), default=7, validators=[MaxValueValidator(366)]
    )
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("obligation rule")
        verbose_name_plural = _("obligation rules")
        ordering = ["kind", "province", "-valid_from"]

    def __str__(self) -> str:
        return str(self.get_kind_display())

    @property
    def scope_province_id(self) -> int | None:
        return self.province_id

    def clean(self) -> None:
        super().clean()
        if self.kind in FIXED_DATE_KINDS and not (self.due_month and self.due_day):
            raise ValidationError({"due_month": _("This kind is due on a day of the year.")})
        if self.kind in MONTHLY_KINDS and not self.due_day:
            raise ValidationError({"due_day": _("This kind is due on a day of every month.")})
        if (
            self.kind
            and self.kind not in FIXED_DATE_KINDS | MONTHLY_KINDS
            and self.period_days is None
        ):
            raise ValidationError({"period_days": _("Give the period allowed.")})
        if self.due_month and self.due_day:
            try:
                datetime.date(2024, self.due_month, self.due_day)  # a leap year
            except ValueError:
                raise ValidationError({"due_day": _("This day does not exist.")}) from None


class Reminder(AppendOnly):
    """A reminder made: obligation (its key), user, day. Unique, so running
    ``send_reminders`` again the same day makes none twice."""

    audit_exempt = "machine log of the reminders made by send_reminders"

    obligation_key = models.CharField(_("obligation"), max_length=120)
    kind = models.CharField(_("kind"), max_length=32, choices=ObligationKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    day = models.DateField(_("day"))
    due = models.DateField(_("due date"))
    late_days = models.PositiveIntegerField(_("days late"), default=0)
    made_at = models.DateTimeField(_("made at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["obligation_key", "user", "day"], name="reminder_once_a_day"
            )
        ]
        indexes = [models.Index(fields=["day"])]

    def __str__(self) -> str:
        return f"{self.obligation_key} → {self.user_id} ({self.day})"


def new_secret() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(DomainModel):
    """A user's personal calendar (.ics) address: its secret is the only key to it;
    regenerating it revokes the old address."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="calendar_feed",
    )
    secret = models.CharField(_("secret"), max_length=64, unique=True, default=new_secret)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        constraints = [
            models.CheckConstraint(condition=~Q(secret=""), name="calendarfeed_secret_set")
        ]

    def __str__(self) -> str:
        return str(self.user)
