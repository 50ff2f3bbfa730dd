"""Khuyến công plans (kế hoạch khuyến công), their decisions and national allocations.

A plan is one province's plan for one funding source (KCQG, KCĐP, other) over a period: one
year (``year`` = ``end_year``) or several (a plan for 2024–2026). A province may have several
plans for a source and year: its main plan and supplementary plans (``kind``), each approved
by its own decision. A plan's money ceiling lives in ``PlanVersion`` rows: the approving
decision and every later decision that changed it (adjustment, supplement), each dated, with
its number and issuer. The ceiling in force on a day is that of the latest version effective
on or before the day.

National-fund projects reach a province by the national agency's letters or decisions, in
batches (đợt 1, đợt 2…): ``Allocation`` rows of the province's national plan; a project
belongs to the batch that assigned it (``projects.Project.allocation``). Money is integer VND.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from khuyencong.core.models import ArchivableQuerySet, DomainModel
from khuyencong.core.text import normalize


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")


class PlanKind(models.TextChoices):
    MAIN = "main", _("Main plan")
    SUPPLEMENTARY = "supplementary", _("Supplementary plan")


def covering(year: int, prefix: str = "") -> Q:
    """The plans whose period includes ``year`` (``prefix``: the path to the plan)."""
    return Q(**{f"{prefix}year__lte": year, f"{prefix}end_year__gte": year})


class PlanQuerySet(ArchivableQuerySet):
    def for_year(self, year: int) -> PlanQuerySet:
        """Plans in force in ``year``: a one-year plan of that year, or a period including it."""
        return self.filter(covering(year))

    def in_province(self, province_ids: set[int] | list[int]) -> PlanQuerySet:
        return self.filter(province_id__in=province_ids)

    def approved(self) -> PlanQuerySet:
        return self.filter(status=PlanStatus.APPROVED)


class Plan(DomainModel):
    province = models.ForeignKey(
        "places.AdminUnit",
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "province"},
    )
    year = models.PositiveSmallIntegerField(
        _("year"), help_text=_("The plan's year, or the first year of its period.")
    )
    end_year = models.PositiveSmallIntegerField(
        _("last year"),
        help_text=_("The last year of a plan for a period of several years; else its year."),
    )
    funding_source = models.ForeignKey(
        "catalog.FundingSource", verbose_name=_("funding source"), on_delete=models.PROTECT
    )
    kind = models.CharField(
        _("kind of plan"), max_length=16, choices=PlanKind.choices, default=PlanKind.MAIN
    )
    title = models.CharField(_("title"), max_length=300)
    approving_authority = models.CharField(
        _("approving authority"),
        max_length=200,
        blank=True,
        help_text=_("E.g. Bộ Công Thương for KCQG, UBND tỉnh for KCĐP."),
    )
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    notes = models.TextField(_("notes"), blank=True)
    search_text = models.CharField(max_length=400, db_index=True, editable=False)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-year", "province", "funding_source__sort_order"]
        constraints = [
            # one main plan per province, source and first year; supplementary plans beside it
            models.UniqueConstraint(
                fields=["province", "year", "funding_source"],
                condition=Q(archived_at__isnull=True, kind="main"),
                name="plan_unique_main_province_year_source",
            ),
            models.CheckConstraint(
                condition=Q(end_year__gte=F("year")) & Q(end_year__lte=F("year") + 9),
                name="plan_period_of_1_to_10_years",
            ),
        ]
        indexes = [models.Index(fields=["province", "year"])]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if self.end_year is None:
            self.end_year = self.year
        self.search_text = normalize(" ".join(filter(None, [self.title, self.decision_number])))
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    # scope hooks read by accounts.roles
    @property
    def scope_province_id(self) -> int:
        return self.province_id

    @property
    def scope_district_id(self) -> None:
        return None

    @property
    def scope_beneficiary_id(self) -> None:
        return None

    @property
    def years(self) -> range:
        return range(self.year, self.end_year + 1)

    @property
    def is_multi_year(self) -> bool:
        return self.end_year > self.year

    @property
    def period_text(self) -> str:
        """ "năm 2024" or "giai đoạn 2024 – 2026" (the report's and the pages' wording)."""
        if self.is_multi_year:
            return f"giai đoạn {self.year} – {self.end_year}"
        return f"năm {self.year}"

    @property
    def approval(self) -> PlanVersion | None:
        """The approving decision (the first version)."""
        return self.versions.order_by("number").first()

    @property
    def fund(self) -> str:
        """ "national" for the national fund, else "local" (who decides: see lifecycle)."""
        return "national" if self.funding_source.code == "national" else "local"

    def version_on(self, day: datetime.date) -> PlanVersion | None:
        """The version in force on ``day``: the latest effective on or before it."""
        return (
            self.versions.filter(effective_date__lte=day)
            .order_by("-effective_date", "-number")
            .first()
        )

    def ceiling_on(self, day: datetime.date) -> int:
        version = self.version_on(day)
        return version.ceiling if version else 0

    @property
    def current_version(self) -> PlanVersion | None:
        return self.versions.order_by("-effective_date", "-number").first()


class PlanVersionKind(models.TextChoices):
    ORIGINAL = "original", _("Original")
    ADJUSTMENT = "adjustment", _("Adjustment")
    SUPPLEMENT = "supplement", _("Supplement")


class PlanVersion(DomainModel):
    """One decision setting the plan's ceiling: the original, then each adjustment/supplement."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("version number"))
    kind = models.CharField(_("kind"), max_length=16, choices=PlanVersionKind.choices)
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    issuer = models.CharField(
        _("issued by"),
        max_length=200,
        blank=True,
        help_text=_("E.g. UBND tỉnh, Bộ Công Thương."),
    )
    effective_date = models.DateField(_("effective date"))
    ceiling = models.BigIntegerField(_("ceiling (VND)"))
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="planversion_unique_number"),
            models.CheckConstraint(
                condition=Q(ceiling__gte=0), name="planversion_ceiling_not_negative"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="planversion_number_from_1"),
        ]

    def __str__(self) -> str:
        return f"{self.plan} — {self.get_kind_display()} {self.number}"


class AllocationDocument(models.TextChoices):
    LETTER = "letter", _("Official letter (công văn)")
    DECISION = "decision", _("Decision (quyết định)")


class Allocation(DomainModel):
    """One batch (đợt) of national-fund projects assigned to a province by the national
    agency's letter or decision: its document and the amount it assigns."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="allocations"
    )
    batch = models.PositiveSmallIntegerField(_("batch"), help_text=_("Đợt 1, đợt 2…"))
    document_kind = models.CharField(
        _("document"),
        max_length=16,
        choices=AllocationDocument.choices,
        default=AllocationDocument.LETTER,
    )
    document_number = models.CharField(_("document number"), max_length=80)
    document_date = models.DateField(_("document date"))
    issuer = models.CharField(
        _("issued by"), max_length=200, help_text=_("E.g. Cục Công Thương địa phương.")
    )
    amount = models.BigIntegerField(_("amount (VND)"))
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        ordering = ["plan", "batch"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "batch"],
                condition=Q(archived_at__isnull=True),
                name="allocation_unique_batch",
            ),
            models.CheckConstraint(condition=Q(batch__gte=1), name="allocation_batch_from_1"),
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="allocation_amount_not_negative"
            ),
        ]

    def __str__(self) -> str:
        # its own columns only: lists of changes name many batches (no query per batch)
        return f"Đợt {self.batch}: {self.document_number} ngày {self.document_date:%d/%m/%Y}"

    # scope hooks read by accounts.roles
    @property
    def scope_province_id(self) -> int:
        return self.plan.province_id

    @property
    def scope_district_id(self) -> None:
        return None

    @property
    def scope_beneficiary_id(self) -> None:
        return None
