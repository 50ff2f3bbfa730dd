"""Saved reports, the DOCX template versions, and each scope's report settings.

A ``SavedReport`` keeps what it said: its scope, year, period, as-of date and author, the
narrative texts as edited, a frozen snapshot of the whole ``ReportData`` (every number it
stated: the snapshot IS the report, so JSON is the right column), and the generated files, so
downloading it again later gives the same bytes whatever happened to the projects since.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from khuyencong.core.models import AppendOnly, ArchivableQuerySet, DomainModel
from khuyencong.core.uploads import UploadPath
from khuyencong.documents import wording
from khuyencong.places.models import AdminUnit
from khuyencong.reports.data import make_period

PERIOD_CHOICES = [
    ("Q1", _("Quarter I")),
    ("Q2", _("Quarter II")),
    ("Q3", _("Quarter III")),
    ("Q4", _("Quarter IV")),
    ("H1", _("First six months")),
    ("9M", _("First nine months")),
    ("Y", _("Whole year")),
    (wording.TO_DATE, _("Up to a date")),
]


class ReportSettings(DomainModel):
    """What a scope's reports start from: the signer, the recipients, the symbol, the local
    programme and next year's focus. One per province; the row without a province is the
    national agency's."""

    province = models.ForeignKey(
        "places.AdminUnit",
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "province"},
        help_text=_("Empty: the national agency's reports."),
    )
    symbol = models.CharField(
        _("document symbol"), max_length=30, default="BC-SCT", help_text=_("E.g. BC-SCT.")
    )
    signer_capacity = models.CharField(
        _("signing on behalf"),
        max_length=60,
        blank=True,
        help_text=_("E.g. KT. GIÁM ĐỐC when a deputy signs."),
    )
    signer_position = models.CharField(_("signer's position"), max_length=60, default="GIÁM ĐỐC")
    signer_name = models.CharField(_("signer's name"), max_length=120, blank=True)
    recipients = models.TextField(_("recipients"), blank=True, help_text=_("One per line."))
    local_programme = models.CharField(
        _("local programme"),
        max_length=300,
        blank=True,
        help_text=_("E.g. Chương trình khuyến công tỉnh … giai đoạn 2016 – 2020."),
    )
    focus_areas = models.TextField(
        _("next year's focus"),
        blank=True,
        help_text=_("The contents next year's plan concentrates on, one per line."),
    )

    class Meta:
        verbose_name = _("report settings")
        verbose_name_plural = _("report settings")
        constraints = [
            models.UniqueConstraint(
                Coalesce("province", Value(0)),
                condition=Q(archived_at__isnull=True),
                name="reportsettings_one_per_scope",
            ),
        ]

    def __str__(self) -> str:
        return str(self.province) if self.province_id else str(_("Nationwide"))

    @classmethod
    def for_scope(cls, province: Any) -> ReportSettings | None:
        rows = cls.objects.active()
        if province is None:
            return rows.filter(province__isnull=True).first()

        family = AdminUnit.province_family_ids(province.pk)
        return rows.filter(province_id__in=family).order_by("-province_id").first()

    @property
    def scope_province_id(self) -> int | None:
        return self.province_id


def validate_docx_template(file: Any) -> None:
    """A template must be a DOCX that renders the sample report (bad Jinja tags refused)."""
    # Imported here: the check renders the sample report, whose modules import these models.
    from khuyencong.reports.templates_check import template_problem

    problem = template_problem(file)
    if problem:
        raise ValidationError(problem, code="template")


class ReportTemplate(DomainModel):
    """A version of the DOCX report template, uploaded by a system administrator. The newest
    active version is used; archiving it falls back to the previous one, and with none the
    template kept in the repository (reports/templates/reports/report.docx) is used."""

    version = models.PositiveIntegerField(_("version"), editable=False)
    file = models.FileField(
        _("template file (DOCX)"),
        upload_to=UploadPath("reports/templates", "version"),
        max_length=300,
        validators=[validate_docx_template],
    )
    notes = models.CharField(_("what changed"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("report template")
        verbose_name_plural = _("report templates")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["version"], name="reporttemplate_unique_version")
        ]

    def __str__(self) -> str:
        return _("Template version %(version)s") % {"version": self.version}

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.version is None:
            last = ReportTemplate.objects.aggregate(last=models.Max("version"))["last"]
            self.version = (last or 0) + 1
        super().save(*args, **kwargs)

    @classmethod
    def current(cls) -> ReportTemplate | None:
        return cls.objects.active().order_by("-version").first()


class ReportState(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Being generated")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class SignoffStatus(models.TextChoices):
    """A saved report's sign-off (``reports.signoff``): drafted by the centre, submitted for
    signature, signed and issued by the department's leader (number and date), sent."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for signature")
    ISSUED = "issued", _("Signed and issued")
    SENT = "sent", _("Sent")


LOCKED_STATUSES = frozenset({SignoffStatus.ISSUED, SignoffStatus.SENT})
# What an issued report said: never changed once it is issued (a correction is a new report).
LOCKED_FIELDS = (
    "province_id",
    "year",
    "period",
    "as_of",
    "issued_on",
    "number",
    "title",
    "section_narratives",
    "solutions",
    "orientation",
    "next_year_text",
    "signer_capacity",
    "signer_position",
    "signer_name",
    "snapshot",
    "template_id",
    "docx_file",
    "pdf_file",
    "xlsx_file",
    "corrects_id",
)


SIGNOFF_STEPS = [
    ("draft", _("Drafted")),
    ("submit", _("Submitted for signature")),
    ("return", _("Returned to the drafter")),
    ("issue", _("Signed and issued")),
    ("send", _("Sent")),
]


class ReportLocked(Exception):
    """A change to an issued report (its texts, number, files): refused, nothing written."""

    def __init__(self) -> None:
        super().__init__(
            str(
                _(
                    "This report is signed and issued: it cannot be changed. "
                    "Prepare a correction (a new version citing it) instead."
                )
            )
        )


class SavedReportQuerySet(ArchivableQuerySet):
    def same_scope(self, report: SavedReport) -> SavedReportQuerySet:
        return self.filter(province_id=report.province_id)


class SavedReport(DomainModel):
    province = models.ForeignKey(
        "places.AdminUnit",
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: the whole country."),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    period = models.CharField(_("period"), max_length=2, choices=PERIOD_CHOICES)
    as_of = models.DateField(_("as of"))
    issued_on = models.DateField(_("issued on"))
    number = models.CharField(_("number"), max_length=30, blank=True)
    title = models.CharField(pgettext_lazy("document", "title"), max_length=500)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # what the report said, as edited
    section_narratives = models.JSONField(
        _("source paragraphs"), default=dict, blank=True, help_text=_("By funding source code.")
    )
    solutions = models.TextField(_("solutions"), blank=True)
    orientation = models.TextField(_("orientation"), blank=True)
    next_year_text = models.TextField(_("next year's plan"), blank=True)
    signer_capacity = models.CharField(_("signing on behalf"), max_length=60, blank=True)
    signer_position = models.CharField(_("signer's position"), max_length=60, blank=True)
    signer_name = models.CharField(_("signer's name"), max_length=120, blank=True)
    snapshot = models.JSONField(
        _("snapshot"), default=dict, editable=False, help_text=_("Every figure the report stated.")
    )
    template = models.ForeignKey(
        ReportTemplate,
        verbose_name=_("template"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: the template kept in the repository."),
    )
    # generation (national reports run as a background task)
    state = models.CharField(
        _("state"), max_length=16, choices=ReportState.choices, default=ReportState.QUEUED
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    message = models.TextField(_("message"), blank=True)
    docx_file = models.FileField(
        _("DOCX"), upload_to=UploadPath("reports", "pk"), max_length=300, blank=True
    )
    pdf_file = models.FileField(
        _("PDF"), upload_to=UploadPath("reports", "pk"), max_length=300, blank=True
    )
    xlsx_file = models.FileField(
        _("XLSX annex"), upload_to=UploadPath("reports", "pk"), max_length=300, blank=True
    )

    # sign-off (reports.signoff)
    status = models.CharField(
        _("sign-off"),
        max_length=16,
        choices=SignoffStatus.choices,
        default=SignoffStatus.DRAFT,
    )
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    sent_to = models.TextField(_("sent to"), blank=True, help_text=_("One recipient per line."))
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
        help_text=_("The issued report this version corrects."),
    )

    objects = SavedReportQuerySet.as_manager()
    label_related = ("province",)  # read by __str__ (the audit log names reports in bulk)

    class Meta:
        verbose_name = _("saved report")
        verbose_name_plural = _("saved reports")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["province", "year", "as_of"])]

    def __str__(self) -> str:
        return f"{self.scope_label} — {self.period_label}"

    @property
    def scope_label(self) -> str:
        return self.province.name if self.province_id else str(_("Nationwide"))

    @property
    def period_label(self) -> str:
        return make_period(self.period, self.year, self.as_of).label

    @property
    def is_ready(self) -> bool:
        return self.state == ReportState.READY

    @property
    def is_locked(self) -> bool:
        return self.status in LOCKED_STATUSES

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Refuse (``ReportLocked``) any change to what an issued report said, from any
        caller (form, admin, API, shell): the stored row is read and compared."""
        if self.pk is not None:
            stored = SavedReport._base_manager.filter(pk=self.pk).first()
            if stored is not None and stored.is_locked:
                fields = kwargs.get("update_fields")
                names = [name for name in LOCKED_FIELDS if fields is None or _base(name) in fields]
                if any(_value(stored, name) != _value(self, name) for name in names):
                    raise ReportLocked()
        super().save(*args, **kwargs)

    def file_for(self, fmt: str) -> Any:
        return {"docx": self.docx_file, "pdf": self.pdf_file, "xlsx": self.xlsx_file}[fmt]

    # scope hooks read by accounts.roles
    @property
    def scope_province_id(self) -> int | None:
        return self.province_id

    @property
    def scope_district_id(self) -> None:
        return None

    @property
    def scope_beneficiary_id(self) -> None:
        return None


def _base(name: str) -> str:
    return name.removesuffix("_id")


def _value(report: SavedReport, name: str) -> Any:
    value = getattr(report, name)
    return value.name if hasattr(value, "name") and hasattr(value, "storage") else value


class SignoffStep(AppendOnly):
    """One step of a report's sign-off: who, when, from which status to which, and the
    document's number and date (issuing) or the sending date. Written once, never changed."""

    report = models.ForeignKey(
        SavedReport,
        verbose_name=_("report"),
        on_delete=models.PROTECT,
        related_name="signoff_steps",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)
    step = models.CharField(_("step"), max_length=16, choices=SIGNOFF_STEPS)
    from_status = models.CharField(
        _("from status"), max_length=16, choices=SignoffStatus.choices, blank=True
    )
    to_status = models.CharField(_("to status"), max_length=16, choices=SignoffStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    number = models.CharField(_("number"), max_length=30, blank=True)
    day = models.DateField(_("date"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("sign-off step")
        verbose_name_plural = _("sign-off steps")
        ordering = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_step_display()} — {self.report}"

    @property
    def scope_province_id(self) -> int | None:
        return self.report.province_id
