"""Annual khuyến công plans (kế hoạch khuyến công) and their versions.

A plan is one province's plan for one year and one funding source (KCQG, KCĐP, other). Its
money ceiling lives in ``PlanVersion`` rows: the original approval and every adjustment or
supplement (điều chỉnh, bổ sung), each with its decision. The ceiling in force on a day is that
of the latest version effective on or before the day. Money is integer VND.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from khuyencong.core.models import ArchivableQuerySet, DomainModel
from khuyencong.core.text import normalize


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")


class PlanQuerySet(ArchivableQuerySet):
    def for_year(self, year: int) -> PlanQuerySet:
        return self.filter(year=year)

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
    year = models.PositiveSmallIntegerField(_("year"))
    funding_source = models.ForeignKey(
        "catalog.FundingSource", verbose_name=_("funding source"), on_delete=models.PROTECT
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
            models.UniqueConstraint(
                fields=["province", "year", "funding_source"],
                condition=Q(archived_at__isnull=True),
                name="plan_unique_province_year_source",
            )
        ]
        indexes = [models.Index(fields=["province", "year"])]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
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
