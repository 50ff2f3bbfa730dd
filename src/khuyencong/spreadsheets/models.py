"""Import jobs: an uploaded spreadsheet, checked in the background (preview), then committed
all-or-nothing. Core facts in columns; the row errors and the ambiguous places the user must
choose between are JSON extras (bounded in size)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from khuyencong.core.uploads import UploadPath


class ImportKind(models.TextChoices):
    BENEFICIARIES = "beneficiaries", _("Beneficiaries")
    REGISTRATIONS = "registrations", _("Registrations (draft, to be submitted)")
    PROJECTS = "projects", _("Projects (with their current status and progress)")
    PROGRESS = "progress", _("Progress updates")
    PLANS = "plans", _("Plans and national allocation batches")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to be checked")
    CHECKING = "checking", _("Checking")
    INVALID = "invalid", _("Errors found: nothing imported")
    READY = "ready", _("Checked: ready to import")
    COMMITTING = "committing", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")


BUSY = (JobStatus.QUEUED, JobStatus.CHECKING, JobStatus.COMMITTING)
MAX_STORED_ERRORS = 2000


class ImportJob(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="import_jobs",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ImportKind.choices)
    file = models.FileField(_("file"), upload_to=UploadPath("imports", "user_id"))
    original_name = models.CharField(_("file name"), max_length=255)
    status = models.CharField(
        _("status"), max_length=12, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    warning_count = models.PositiveIntegerField(_("warnings"), default=0)
    created_count = models.PositiveIntegerField(_("records created"), default=0)
    accept_possible_duplicates = models.BooleanField(
        _("import possible duplicates too"), default=False
    )
    message = models.TextField(_("message"), blank=True)
    # [{"row": 12, "column": "Mã số thuế", "message": "…", "level": "error"|"warning"}]
    problems = models.JSONField(_("problems"), default=list, blank=True)
    # [{"row": 7, "column": "Địa chỉ", "text": "…", "candidates": [{"id": 1, "label": "…"}]}]
    ambiguities = models.JSONField(_("ambiguous places"), default=list, blank=True)
    # {"7": 123}: the unit the user chose for row 7
    choices = models.JSONField(_("choices"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Set when a check or commit starts (which run it is: a run's outcome is stored only if
    # its job is still that run's) and beaten as it goes: a job busy with no beat for
    # IMPORT_STALE_AFTER seconds lost its worker and is recovered as failed (tasks.py).
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.original_name}"

    @property
    def is_busy(self) -> bool:
        return self.status in BUSY

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 0
        return min(100, self.processed_rows * 100 // self.total_rows)

    @property
    def unresolved(self) -> list[dict]:
        return [a for a in self.ambiguities if str(a["row"]) not in self.choices]

    @property
    def can_commit(self) -> bool:
        blocked = self.warning_count and not self.accept_possible_duplicates
        return (
            self.status == JobStatus.READY
            and not self.error_count
            and not self.unresolved
            and not blocked
        )
