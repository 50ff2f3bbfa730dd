"""Registrations (đăng ký đề án), their screening and appraisal, and the rule rows they are
screened against.

Two families of models:

- the workflow: ``Registration`` (draft → submitted → returned / withdrawn → accepted or
  rejected by the appraisal council → approved in a plan, linked to its ``Project``), its
  ``RegistrationEvent`` log, attachments, each ``Screening`` run with its ``ScreeningCheck``
  rows and priority parts, ``Appraisal`` sheets with ``AppraisalScore`` rows, the council's
  ``AppraisalDecision`` and the ``PlanEntry`` that puts an accepted registration in a plan;
- the rules (data, never constants): ``EligibilityRuleSet`` with its ``LocationRule`` and
  ``RuleCondition`` rows, ``SupportLevelRule``, ``SupportUpliftRule``, ``ExcludedProduct``,
  ``PriorityCriterion`` and ``AppraisalCriterion``. Each row is dated, cites its legal basis
  and says whether its number was confirmed from the legal text (``confirmed``).

Money is integer VND. The pure rules are in ``eligibility.py`` and ``workflow.py``; writes go
through ``services.py`` and ``planning.py``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from khuyencong.catalog.models import CitedRule
from khuyencong.core.models import AppendOnly, ArchivableQuerySet, DomainModel
from khuyencong.core.text import normalize
from khuyencong.core.uploads import UploadPath, validate_upload
from khuyencong.places.models import ScopedByPlace, ScopedThrough
from khuyencong.registrations import eligibility


class Outcome(models.TextChoices):
    PASS = eligibility.PASS, _("Pass")
    NEEDS_REVIEW = eligibility.NEEDS_REVIEW, _("Needs review")
    FAIL = eligibility.FAIL, _("Fail")


class UnmetOutcome(models.TextChoices):
    FAIL = eligibility.FAIL, _("Fail")
    NEEDS_REVIEW = eligibility.NEEDS_REVIEW, _("Needs review")


class SupportUnit(models.TextChoices):
    ESTABLISHMENT = "establishment", _("establishment")
    ENTERPRISE = "enterprise", _("enterprise")
    MODEL = "model", _("model")
    BRAND = "brand", _("brand")
    PRODUCT = "product", _("product")
    ROUND = "round", _("round")
    CLUSTER = "cluster", _("industrial cluster")
    PROJECT = "project", _("project")


assert set(SupportUnit.values) == set(eligibility.UNITS), "units: model and rules agree"


class Condition(models.TextChoices):
    MACHINERY_NEW = "machinery_new", _("Machinery must be new")
    TECHNOLOGY_NEW = (
        "technology_new_in_district",
        _("Demonstrated technology or product not yet present in the district"),
    )
    FAIRS_ABROAD = "fairs_abroad_limit", _("Limit on fairs abroad per year")
    POLLUTION_ASSESSMENT = "pollution_assessment", _("Pollution assessed (relocation support)")
    DIFFICULT_AREA = "difficult_area", _("Only in areas with difficult conditions")


assert set(Condition.values) == set(eligibility.CONDITIONS), "conditions: model and rules agree"


class UpliftCondition(models.TextChoices):
    PRIORITY = "priority", _("Priority project (area or industry)")
    PRODUCTION_LINE = "production_line", _("Production line")


class PriorityGroup(models.TextChoices):
    AREA = "area", _("Priority area")
    INDUSTRY = "industry", _("Priority industry or product")


class RuleRow(CitedRule):
    """Common columns of a rule row: validity, legal basis, confirmation, notes."""

    # The id of a row the system shipped (``seed.py``): seeding again never recreates a row an
    # administrator changed or archived.
    seed_key = models.CharField(max_length=80, blank=True, editable=False, db_index=True)

    class Meta:
        abstract = True


# --------------------------------------------------------------------------- rule rows


class EligibilityRuleSet(RuleRow):
    """The screening rules for one funding source over a period (optionally one province)."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=300)
    funding_source = models.ForeignKey(
        "catalog.FundingSource", verbose_name=_("funding source"), on_delete=models.PROTECT
    )
    province = models.ForeignKey(
        "places.AdminUnit",
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "province"},
        help_text=_("Empty: every province (a province's own rules win over these)."),
    )
    beneficiary_kinds = models.ManyToManyField(
        "catalog.BeneficiaryKind", verbose_name=_("eligible beneficiary kinds"), blank=True
    )
    industries = models.ManyToManyField(
        "catalog.Industry", verbose_name=_("eligible industries"), blank=True
    )
    content_areas = models.ManyToManyField(
        "catalog.ContentArea",
        verbose_name=_("contents open to registration"),
        blank=True,
        related_name="+",
    )
    cleaner_production_areas = models.ManyToManyField(
        "catalog.ContentArea",
        verbose_name=_("cleaner-production contents (no kind or location limit)"),
        blank=True,
        related_name="+",
    )
    beneficiary_citation = models.CharField(_("basis: beneficiaries"), max_length=200, blank=True)
    location_citation = models.CharField(_("basis: locations"), max_length=200, blank=True)
    industry_citation = models.CharField(_("basis: industries"), max_length=200, blank=True)
    content_citation = models.CharField(_("basis: contents"), max_length=200, blank=True)
    cleaner_production_citation = models.CharField(
        _("basis: cleaner production"), max_length=200, blank=True
    )
    counterpart_citation = models.CharField(
        _("basis: counterpart funds and double funding"), max_length=200, blank=True
    )

    class Meta:
        verbose_name = _("eligibility rule set")
        verbose_name_plural = _("eligibility rule sets")
        ordering = ["funding_source__sort_order", "valid_from", "code"]

    def __str__(self) -> str:
        return self.name


class LocationRule(DomainModel):
    """Whether a place of a given kind (xã, phường, thị trấn, đặc khu …) is eligible."""

    rule_set = models.ForeignKey(
        EligibilityRuleSet,
        verbose_name=_("rule set"),
        on_delete=models.PROTECT,
        related_name="locations",
    )
    unit_type = models.CharField(_("unit type of the place"), max_length=32)
    parent_unit_type = models.CharField(
        _("unit type of its parent"),
        max_length=32,
        blank=True,
        help_text=_("Empty: any parent. E.g. Phường in a Thị xã, in a Thành phố, in a Quận."),
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    explanation = models.TextField(_("explanation (Vietnamese)"))
    article = models.CharField(_("article/clause"), max_length=200, blank=True)
    confirmed = models.BooleanField(_("confirmed"), default=False)
    seed_key = models.CharField(max_length=80, blank=True, editable=False, db_index=True)

    class Meta:
        verbose_name = _("location rule")
        verbose_name_plural = _("location rules")
        ordering = ["rule_set", "unit_type", "parent_unit_type"]

    def __str__(self) -> str:
        parent = f" / {self.parent_unit_type}" if self.parent_unit_type else ""
        return f"{self.unit_type}{parent}: {self.get_outcome_display()}"


class RuleCondition(RuleRow):
    """A condition a rule set attaches to a content area or an industry."""

    rule_set = models.ForeignKey(
        EligibilityRuleSet,
        verbose_name=_("rule set"),
        on_delete=models.PROTECT,
        related_name="conditions",
    )
    condition = models.CharField(_("condition"), max_length=40, choices=Condition.choices)
    content_area = models.ForeignKey(
        "catalog.ContentArea",
        verbose_name=_("content area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    industry = models.ForeignKey(
        "catalog.Industry",
        verbose_name=_("industry"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    parameter = models.PositiveIntegerField(_("parameter"), null=True, blank=True)
    outcome_if_unmet = models.CharField(
        _("outcome when not met"), max_length=16, choices=UnmetOutcome.choices
    )

    class Meta:
        verbose_name = _("rule condition")
        verbose_name_plural = _("rule conditions")
        ordering = ["rule_set", "condition"]
        constraints = [
            models.CheckConstraint(
                condition=Q(content_area__isnull=False) | Q(industry__isnull=False),
                name="rulecondition_has_target",
            )
        ]

    def __str__(self) -> str:
        return f"{self.rule_set.code}: {self.get_condition_display()}"


class SupportLevelRule(RuleRow):
    """Support ≤ percent × total investment and ≤ cap per unit (mức hỗ trợ)."""

    content_area = models.ForeignKey(
        "catalog.ContentArea",
        verbose_name=_("content area"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    funding_source = models.ForeignKey(
        "catalog.FundingSource", verbose_name=_("funding source"), on_delete=models.PROTECT
    )
    province = models.ForeignKey(
        "places.AdminUnit",
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "province"},
        help_text=_("Empty: every province (a province's own levels win over these)."),
    )
    percent = models.PositiveSmallIntegerField(
        _("percent of the total investment"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
    )
    cap = models.BigIntegerField(
        _("cap (VND per unit)"), null=True, blank=True, validators=[MinValueValidator(0)]
    )
    unit = models.CharField(
        pgettext_lazy("measure", "unit"), max_length=20, choices=SupportUnit.choices
    )

    class Meta:
        verbose_name = _("support level")
        verbose_name_plural = _("support levels")
        ordering = ["funding_source__sort_order", "content_area__sort_order", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__isnull=False) | Q(cap__isnull=False),
                name="supportlevel_percent_or_cap",
            ),
            models.CheckConstraint(
                condition=Q(percent__isnull=True) | Q(percent__lte=100),
                name="supportlevel_percent_max_100",
            ),
            models.CheckConstraint(
                condition=Q(cap__isnull=True) | Q(cap__gte=0), name="supportlevel_cap_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.content_area.code} / {self.funding_source.code}"

    def clean(self) -> None:
        super().clean()
        if self.percent is None and self.cap is None:
            raise ValidationError(_("Give a percentage, a cap, or both."))
        if self.unit not in SupportUnit.values:
            raise ValidationError({"unit": _("Unknown unit.")})


class SupportUpliftRule(RuleRow):
    """A multiplier on the cap: priority projects, production lines (mức hỗ trợ × 1,5)."""

    condition = models.CharField(_("applies to"), max_length=20, choices=UpliftCondition.choices)
    multiplier = models.DecimalField(
        _("multiplier"),
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(1)), MaxValueValidator(Decimal(10))],
    )
    funding_source = models.ForeignKey(
        "catalog.FundingSource", verbose_name=_("funding source"), on_delete=models.PROTECT
    )
    province = models.ForeignKey(
        "places.AdminUnit",
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "province"},
    )
    content_area = models.ForeignKey(
        "catalog.ContentArea",
        verbose_name=_("content area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: every content area."),
    )

    class Meta:
        verbose_name = _("support uplift")
        verbose_name_plural = _("support uplifts")
        ordering = ["funding_source__sort_order", "condition", "valid_from"]
        constraints = [
            models.CheckConstraint(condition=Q(multiplier__gte=1), name="uplift_at_least_1"),
        ]

    def __str__(self) -> str:
        return f"{self.get_condition_display()} × {self.multiplier}"


class ExcludedProduct(RuleRow):
    """A product excluded from support, recognised by phrases in the registration."""

    code = models.CharField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=300)
    match_terms = models.TextField(
        _("phrases"),
        help_text=_("One phrase per line; matched without accents, as whole words."),
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=UnmetOutcome.choices)
    funding_source = models.ForeignKey(
        "catalog.FundingSource",
        verbose_name=_("funding source"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Empty: every source."),
    )

    class Meta:
        verbose_name = _("excluded product")
        verbose_name_plural = _("excluded products")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def terms(self) -> tuple[str, ...]:
        return tuple(line.strip() for line in self.match_terms.splitlines() if line.strip())


class PriorityCriterion(RuleRow):
    """One area or industry priority (Decree 45/2012 Art. 6, TT 46/2012 Art. 6) and its points.

    The law ranks (area a→d first, then industry); the points only encode that order.
    """

    code = models.CharField(
        _("code"),
        max_length=40,
        unique=True,
        choices=[(code, code) for code in eligibility.PRIORITY_CODES],
    )
    group = models.CharField(_("group"), max_length=16, choices=PriorityGroup.choices)
    name = models.CharField(_("name"), max_length=300)
    points = models.PositiveSmallIntegerField(_("points"))
    threshold = models.PositiveIntegerField(
        _("threshold"),
        null=True,
        blank=True,
        help_text=_("Share of local raw materials (percent) or number of workers."),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("priority criterion")
        verbose_name_plural = _("priority criteria")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class AppraisalCriterion(RuleRow):
    """A criterion of the base-level appraisal (TT 36/2013 Art. 9) and its maximum points."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=300)
    max_points = models.PositiveSmallIntegerField(_("maximum points"))
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("appraisal criterion")
        verbose_name_plural = _("appraisal criteria")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


# --------------------------------------------------------------------------- registrations


class Status(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("registration", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("registration", "Submitted")
    RETURNED = "returned", _("Returned for completion")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    ACCEPTED = "accepted", _("Accepted by the appraisal council")
    REJECTED = "rejected", _("Rejected by the appraisal council")
    APPROVED = "approved", _("Approved in a plan")


class AreaFlag(models.TextChoices):
    UPLAND_BORDER_ETHNIC = (
        "upland_border_ethnic",
        _("Upland, island, land-border or ethnic-minority area"),
    )
    POOR_DISTRICT = "poor_district", _("Poor district (Resolution 30a/2008)")
    NEW_RURAL = "new_rural", _("New-rural commune in the province's plan")
    DIFFICULT = "difficult", _("Area with difficult socio-economic conditions")


assert set(AreaFlag.values) == set(eligibility.AREA_FLAGS), "area flags: model and rules agree"


class RegistrationQuerySet(ArchivableQuerySet):
    def for_year(self, year: int) -> RegistrationQuerySet:
        return self.filter(target_year=year)

    def in_province(self, province_ids: set[int] | list[int]) -> RegistrationQuerySet:
        return self.filter(province_id__in=province_ids)

    def received(self) -> RegistrationQuerySet:
        """Registrations the department has received (not drafts, not withdrawn)."""
        return self.exclude(status__in=[Status.DRAFT, Status.WITHDRAWN])


class Registration(ScopedByPlace, DomainModel):
    """A registration of a khuyến công project for next year's plan (đăng ký đề án)."""

    code = models.CharField(_("code"), max_length=40, unique=True, editable=False)
    target_year = models.PositiveSmallIntegerField(_("plan year"))
    funding_source = models.ForeignKey(
        "catalog.FundingSource", verbose_name=_("funding source wanted"), on_delete=models.PROTECT
    )
    content_area = models.ForeignKey(
        "catalog.ContentArea",
        verbose_name=_("content area"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("project title"), max_length=500)
    beneficiary = models.ForeignKey(
        "beneficiaries.Beneficiary",
        verbose_name=_("beneficiary"),
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    implementing_unit = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("implementing unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    place = models.ForeignKey(
        "places.AdminUnit",
        verbose_name=_("place"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The commune where the project is carried out, as valid on its date."),
    )
    industry = models.ForeignKey(
        "catalog.Industry",
        verbose_name=_("industry"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    product = models.CharField(
        _("products and technology"),
        max_length=500,
        blank=True,
        help_text=_("What the project makes or applies, e.g. “gạch không nung silicat”."),
    )
    description = models.TextField(_("description"), blank=True)
    registered_on = models.DateField(_("registration date"))
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    total_investment = models.BigIntegerField(_("total investment (VND)"), default=0)
    requested_national = models.BigIntegerField(_("support requested: national fund"), default=0)
    requested_local = models.BigIntegerField(_("support requested: local fund"), default=0)
    requested_other = models.BigIntegerField(_("support requested: other sources"), default=0)
    counterpart = models.BigIntegerField(_("counterpart funds (VND)"), default=0)
    workforce = models.PositiveIntegerField(_("workforce (people)"), default=0)
    local_raw_material_percent = models.PositiveSmallIntegerField(
        _("local raw materials (percent of value)"), default=0, validators=[MaxValueValidator(100)]
    )
    export_contract = models.BooleanField(_("has an export contract"), default=False)
    supporting_industry_product = models.BooleanField(
        _("supporting-industry product (QĐ 1483/2011)"), default=False
    )
    certified_product = models.BooleanField(
        _("certified outstanding rural industrial product"), default=False
    )
    area_upland_border_ethnic = models.BooleanField(
        AreaFlag.UPLAND_BORDER_ETHNIC.label, default=False
    )
    area_poor_district = models.BooleanField(AreaFlag.POOR_DISTRICT.label, default=False)
    area_new_rural = models.BooleanField(AreaFlag.NEW_RURAL.label, default=False)
    area_difficult = models.BooleanField(AreaFlag.DIFFICULT.label, default=False)
    machinery_new = models.BooleanField(_("the machinery is new"), null=True, blank=True)
    technology_new_in_district = models.BooleanField(
        _("the technology or product is not yet present in the district"), null=True, blank=True
    )
    production_line = models.BooleanField(_("a production line"), default=False)
    fairs_abroad_count = models.PositiveSmallIntegerField(
        _("fairs abroad already supported this year"), null=True, blank=True
    )
    pollution_assessment = models.BooleanField(
        _("pollution assessed (relocation)"), null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    project = models.OneToOneField(
        "projects.Project",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="registration",
        editable=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    search_text = models.CharField(max_length=1000, db_index=True, editable=False)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["-target_year", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(total_investment__gte=0)
                & Q(requested_national__gte=0)
                & Q(requested_local__gte=0)
                & Q(requested_other__gte=0)
                & Q(counterpart__gte=0),
                name="registration_money_not_negative",
                violation_error_message=_("An amount of money cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(counterpart__lte=models.F("total_investment")),
                name="registration_counterpart_within_total",
                violation_error_message=_(
                    "The counterpart funds are larger than the total investment."
                ),
            ),
            models.CheckConstraint(
                condition=Q(local_raw_material_percent__lte=100),
                name="registration_raw_material_percent_max_100",
                violation_error_message=_(
                    "The share of local raw materials is a percentage between 0 and 100."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["province", "target_year", "status"]),
            models.Index(fields=["target_year", "funding_source", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        beneficiary = self.beneficiary.name if self.beneficiary_id else ""
        self.search_text = normalize(
            " ".join(filter(None, [self.code, self.title, beneficiary, self.product]))
        )[:1000]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    # scope hook read by accounts.roles (province and district: ScopedByPlace)
    @property
    def scope_beneficiary_id(self) -> int:
        return self.beneficiary_id

    @property
    def areas(self) -> frozenset[str]:
        return frozenset(flag for flag in AreaFlag.values if getattr(self, f"area_{flag}"))

    def requested_from(self, source_code: str) -> int:
        return {
            "national": self.requested_national,
            "local": self.requested_local,
            "other": self.requested_other,
        }.get(source_code, 0)

    @property
    def requested(self) -> int:
        """The support requested from the funding source the registration wants."""
        return self.requested_from(self.funding_source.code)

    @property
    def is_editable(self) -> bool:
        return self.status in (Status.DRAFT, Status.RETURNED)

    @property
    def screening_outcome_label(self) -> str:
        """Label of the ``screening_outcome`` annotation (list pages)."""
        value = getattr(self, "screening_outcome", None)
        return str(Outcome(value).label) if value else ""


class EventKind(models.TextChoices):
    CREATE = "create", _("Created")
    SUBMIT = "submit", pgettext_lazy("registration", "Submitted")
    RETURN = "return", _("Returned for completion")
    WITHDRAW = "withdraw", _("Withdrawn")
    SCREEN = "screen", _("Screened")
    APPRAISE = "appraise", _("Appraisal sheet recorded")
    ACCEPT = "accept", _("Accepted by the council")
    REDUCE = "reduce", _("Accepted with reduced support")
    REJECT = "reject", _("Rejected by the council")
    PLAN = "plan", _("Put in a draft plan")
    UNPLAN = "unplan", _("Taken out of a draft plan")
    APPROVE = "approve", _("Approved in the plan")


class RegistrationEvent(AppendOnly):
    registration = models.ForeignKey(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.PROTECT,
        related_name="events",
    )
    kind = models.CharField(_("event"), max_length=16, choices=EventKind.choices)
    date = models.DateField(_("date"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    from_status = models.CharField(
        _("from status"), max_length=16, choices=Status.choices, blank=True
    )
    to_status = models.CharField(_("to status"), max_length=16, choices=Status.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("registration event")
        verbose_name_plural = _("registration events")
        ordering = ["registration", "recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.registration.code}: {self.get_kind_display()}"


class RegistrationAttachment(ScopedThrough, DomainModel):
    registration = models.ForeignKey(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.PROTECT,
        related_name="attachments",
    )
    title = models.CharField(_("document title"), max_length=300)
    file = models.FileField(
        _("file"),
        upload_to=UploadPath("registrations", "registration_id"),
        max_length=300,
        validators=[validate_upload],
    )
    original_name = models.CharField(_("original file name"), max_length=255, editable=False)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0, editable=False)
    content_type = models.CharField(_("content type"), max_length=120, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    SCOPE_PARENT = "registration"

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["registration", "id"]

    def __str__(self) -> str:
        return self.title


class Screening(AppendOnly):
    """One run of the eligibility rules on a registration, kept as it was."""

    registration = models.ForeignKey(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.PROTECT,
        related_name="screenings",
    )
    screened_at = models.DateTimeField(_("screened at"), auto_now_add=True)
    rules_date = models.DateField(_("rules in force on"))
    funding_source = models.ForeignKey(
        "catalog.FundingSource", verbose_name=_("funding source"), on_delete=models.PROTECT
    )
    rule_set = models.ForeignKey(
        EligibilityRuleSet,
        verbose_name=_("rule set"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    priority_area_points = models.PositiveSmallIntegerField(_("area priority"), default=0)
    priority_industry_points = models.PositiveSmallIntegerField(_("industry priority"), default=0)
    support_limit = models.BigIntegerField(_("support limit (VND)"), null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("run by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")
        ordering = ["registration", "-screened_at", "-id"]
        get_latest_by = ["screened_at", "id"]

    def __str__(self) -> str:
        return f"{self.registration.code}: {self.get_outcome_display()}"

    @property
    def priority_total(self) -> int:
        return self.priority_area_points + self.priority_industry_points


class ScreeningCheck(AppendOnly):
    screening = models.ForeignKey(
        Screening, verbose_name=_("screening"), on_delete=models.PROTECT, related_name="checks"
    )
    position = models.PositiveSmallIntegerField(_("order"))
    code = models.CharField(_("check"), max_length=40)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    message = models.TextField(_("explanation"))
    legal_basis = models.CharField(_("legal basis"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("screening check")
        verbose_name_plural = _("screening checks")
        ordering = ["screening", "position"]

    def __str__(self) -> str:
        return f"{self.code}: {self.outcome}"


class ScreeningPriorityPart(AppendOnly):
    screening = models.ForeignKey(
        Screening,
        verbose_name=_("screening"),
        on_delete=models.PROTECT,
        related_name="priority_parts",
    )
    position = models.PositiveSmallIntegerField(_("order"))
    code = models.CharField(_("criterion"), max_length=40)
    group = models.CharField(_("group"), max_length=16, choices=PriorityGroup.choices)
    name = models.CharField(_("name"), max_length=300)
    points = models.PositiveSmallIntegerField(_("points"))
    met = models.BooleanField(_("met"))
    confirmed = models.BooleanField(_("confirmed"), default=False)

    class Meta:
        verbose_name = _("priority part")
        verbose_name_plural = _("priority parts")
        ordering = ["screening", "position"]

    def __str__(self) -> str:
        return f"{self.name}: {self.points if self.met else 0}"


class Recommendation(models.TextChoices):
    ACCEPT = "accept", _("Accept")
    REDUCE = "reduce", _("Accept with reduced support")
    REJECT = "reject", _("Reject")


class Appraisal(DomainModel):
    """One appraiser's sheet (phiếu thẩm định cấp cơ sở, TT 36/2013 Mẫu 4a/4b)."""

    registration = models.ForeignKey(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.PROTECT,
        related_name="appraisals",
    )
    appraiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("appraiser"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    appraised_on = models.DateField(_("appraisal date"))
    conflict_of_interest = models.BooleanField(_("conflict of interest"), default=False)
    conflict_note = models.TextField(_("conflict of interest: details"), blank=True)
    opinion = models.TextField(_("opinion"), blank=True)
    recommendation = models.CharField(
        _("recommendation"), max_length=16, choices=Recommendation.choices, blank=True
    )
    recommended_support = models.BigIntegerField(
        _("recommended support (VND)"), null=True, blank=True, validators=[MinValueValidator(0)]
    )

    class Meta:
        verbose_name = _("appraisal sheet")
        verbose_name_plural = _("appraisal sheets")
        ordering = ["registration", "appraised_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "appraiser"],
                condition=Q(archived_at__isnull=True),
                name="appraisal_one_per_appraiser",
            ),
            models.CheckConstraint(
                condition=Q(recommended_support__isnull=True) | Q(recommended_support__gte=0),
                name="appraisal_support_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.registration.code}: {self.appraiser}"

    @property
    def total_points(self) -> int:
        return sum(score.points for score in self.scores.all())


class AppraisalScore(models.Model):
    appraisal = models.ForeignKey(
        Appraisal,
        verbose_name=_("appraisal sheet"),
        on_delete=models.PROTECT,
        related_name="scores",
    )
    criterion = models.ForeignKey(
        AppraisalCriterion, verbose_name=_("criterion"), on_delete=models.PROTECT
    )
    points = models.PositiveSmallIntegerField(_("points"))

    class Meta:
        verbose_name = _("appraisal score")
        verbose_name_plural = _("appraisal scores")
        ordering = ["appraisal", "criterion__sort_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["appraisal", "criterion"], name="appraisalscore_one_per_criterion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion.code}: {self.points}"


class AppraisalDecision(DomainModel):
    """The council's decision on a registration: accept, accept with less support, reject."""

    registration = models.OneToOneField(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.PROTECT,
        related_name="decision",
    )
    outcome = models.CharField(_("decision"), max_length=16, choices=Recommendation.choices)
    approved_support = models.BigIntegerField(
        _("support accepted (VND)"), default=0, validators=[MinValueValidator(0)]
    )
    decision_number = models.CharField(_("minutes or decision number"), max_length=80)
    decision_date = models.DateField(_("decision date"))
    reason = models.TextField(_("reason"), blank=True)
    council = models.TextField(_("council members"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("appraisal decision")
        verbose_name_plural = _("appraisal decisions")
        constraints = [
            models.CheckConstraint(
                condition=Q(approved_support__gte=0), name="decision_support_not_negative"
            )
        ]

    def __str__(self) -> str:
        return f"{self.registration.code}: {self.get_outcome_display()}"


class PlanEntry(DomainModel):
    """An accepted registration put in a (draft) plan with the support it takes from it."""

    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("plan"), on_delete=models.PROTECT, related_name="+"
    )
    registration = models.ForeignKey(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.PROTECT,
        related_name="plan_entries",
    )
    amount = models.BigIntegerField(_("support in the plan (VND)"))

    class Meta:
        verbose_name = _("plan entry")
        verbose_name_plural = _("plan entries")
        ordering = ["plan", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration"],
                condition=Q(archived_at__isnull=True),
                name="planentry_one_active_per_registration",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="planentry_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.plan} — {self.registration.code}"
