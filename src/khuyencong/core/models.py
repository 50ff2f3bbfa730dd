"""Shared model bases: timestamps, optimistic version, archive instead of delete."""

from __future__ import annotations

import datetime
from typing import Any, Self

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from khuyencong.core.workflow import Refused


class ArchivableQuerySet(models.QuerySet):
    def active(self) -> Self:
        return self.filter(archived_at__isnull=True)

    def archived(self) -> Self:
        return self.filter(archived_at__isnull=False)

    def delete(self) -> Any:  # domain records are never hard-deleted
        raise HardDeleteError(_("Domain records are archived, never deleted."))


class ValidityQuerySet(models.QuerySet):
    def valid_on(self, day: datetime.date) -> Self:
        """Rows whose validity (``valid_from``..``valid_to``) covers ``day``; open ends count as
        valid."""
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )


def covers(
    valid_from: datetime.date | None, valid_to: datetime.date | None, day: datetime.date
) -> bool:
    """``ValidityQuerySet.valid_on`` for one loaded row: the same rule, in Python."""
    return (valid_from is None or valid_from <= day) and (valid_to is None or day <= valid_to)


# django-stubs' plugin gives each queryset's as_manager its own generated manager type, which
# the two bases' types do not share: the stubs, not the classes, disagree.
class DatedQuerySet(ValidityQuerySet, ArchivableQuerySet):  # type: ignore[override]
    """Domain records dated by ``valid_from``/``valid_to``: ``valid_on`` and archiving."""


class HardDeleteError(Exception):
    pass


class VersionConflict(Exception):
    """Someone else saved the record after it was loaded: the caller must not overwrite."""

    def __init__(self, current: DomainModel):
        self.current = current
        super().__init__(str(_("This record was changed by someone else after you opened it.")))


def lock_versioned(
    record: Any,
    expected_version: int | None = None,
    *,
    related: tuple[str, ...] = (),
    archived: str | None = None,
) -> Any:
    """The record's row read again under a row lock (``select_for_update``), for a write.

    Raises ``VersionConflict`` when ``expected_version`` is given and someone saved since it
    was read; with ``archived`` (the refusal's message), ``Refused`` ("archived") when the
    record is archived. ``related``: foreign keys read with it (not locked). Call it inside the
    write's transaction.
    """
    locked = (
        type(record)
        ._default_manager.select_for_update(of=("self",))
        .select_related(*related)
        .get(pk=record.pk)
    )
    if archived is not None and locked.archived_at is not None:
        raise Refused(archived, "archived")
    if expected_version is not None and locked.version != expected_version:
        raise VersionConflict(locked)
    return locked


class DomainModel(models.Model):
    """Base of every domain record.

    - ``created_at`` / ``updated_at`` timestamps;
    - ``version`` for optimistic concurrency: ``save_versioned`` refuses a stale write;
    - ``archived_at``: records are archived and restored, never hard-deleted;
    - every change (who, when, from where, field: old → new) is written once, to the audit
      trail (``trust.AuditEntry``, by ``trust.recording``'s save signals); a save may say why
      with ``_change_reason`` and who with ``_history_user`` (outside a request).
    """

    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True, editable=False)

    # set before a save, read by trust.recording (see above)
    _change_reason: str
    _history_user: Any

    objects = ArchivableQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        # One unit with what its signals write (the audit row): a failure in any of
        # them leaves the record as it was, even when the caller opened no transaction.
        with transaction.atomic(using=kwargs.get("using")):
            super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise HardDeleteError(_("Domain records are archived, never deleted."))

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def save_versioned(self, expected_version: int, **kwargs: Any) -> None:
        """Save only if nobody saved since ``expected_version`` was read; bump the version.

        Raises ``VersionConflict`` (and writes nothing) when the stored version differs.
        """
        with transaction.atomic():
            model = type(self)
            current = model._base_manager.select_for_update().get(pk=self.pk)
            if current.version != expected_version:
                raise VersionConflict(current)
            self.version = expected_version + 1
            self.save(**kwargs)

    def archive(self) -> None:
        self.archived_at = timezone.now()
        self.save(update_fields=["archived_at", "updated_at"])

    def restore(self) -> None:
        self.archived_at = None
        self.save(update_fields=["archived_at", "updated_at"])


class AppendOnly(models.Model):
    """A record written once: no update, no delete (corrections are new rows)."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise HardDeleteError(_("This record is append-only and cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise HardDeleteError(_("This record is append-only and cannot be deleted."))


class DatedRule(DomainModel):
    """Base of every dated rule row: the period it is valid over, whether it was read in the
    legal text, notes. A later decree adds a row with its own dates; rows are never rewritten.

    ``valid_from`` may be open here; a rule table whose rows always start on a date declares it
    required (the field is overridden, the column name stays).
    """

    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    confirmed = models.BooleanField(
        _("confirmed"),
        default=False,
        help_text=_("Ticked only when the value was read in the legal text itself."),
    )
    notes = models.TextField(_("notes"), blank=True)

    # a manager of DatedQuerySet (a subclass of DomainModel's ArchivableQuerySet); the plugin's
    # generated manager types are unrelated classes, hence the ignore
    objects = DatedQuerySet.as_manager()  # type: ignore[assignment, misc]

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("The end of validity is before its start.")})

    def is_valid_on(self, day: datetime.date) -> bool:
        return covers(self.valid_from, self.valid_to, day)

    @property
    def validity_label(self) -> str:
        start = f"{self.valid_from:%d/%m/%Y}" if self.valid_from else ""
        if self.valid_to:
            return f"{start} – {self.valid_to:%d/%m/%Y}"
        return f"{start} –"


class PublicHolidayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Public holiday")
    COMPENSATORY = "compensatory", _("Compensatory day off (nghỉ bù)")
    SWAPPED = "swapped", _("Day off swapped for a working Saturday (hoán đổi)")
    MAKE_UP_WORKING_DAY = "make_up", _("Weekend working day in exchange (làm bù)")


class PublicHoliday(DomainModel):
    """A day that breaks the Monday-to-Friday week (data for ``core.workdays``).

    Holidays, compensatory and swapped days off make a weekday a day off; a make-up working
    day makes a Saturday or Sunday a working day. The yearly schedule (Tết, the day next to
    2 September, swaps) is decided by the Government each year: rows read only in the press
    or computed from the lunar calendar stay unconfirmed until checked against the notice.
    """

    Kind = PublicHolidayKind

    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=16, choices=PublicHolidayKind.choices, default="holiday"
    )
    confirmed = models.BooleanField(
        _("confirmed"),
        default=False,
        help_text=_("Ticked only when the day was checked against the official notice."),
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("public holiday")
        verbose_name_plural = _("public holidays")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["date"],
                condition=models.Q(archived_at__isnull=True),
                name="publicholiday_one_active_row_per_date",
            )
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.name}"

    @property
    def is_working_day(self) -> bool:
        return self.kind == PublicHolidayKind.MAKE_UP_WORKING_DAY
