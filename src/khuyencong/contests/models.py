"""The vote for outstanding rural industrial products (bình chọn sản phẩm CNNT tiêu biểu).

TT 26/2014/TT-BCT (amended by TT 14/2018 and TT 38/2025) organises it per level: a contest
(``Contest``) funded by a project, a jury (hội đồng, ``JuryMember``) that sets up a judging
panel (ban giám khảo, ``Judge``), entries (``Entry``) with their dossier (``EntryFile``),
one score card per judge and entry (``ScoreCard`` with ``CriterionScore`` rows), results,
complaints (``Complaint``) and certificates (``Certificate``).

The numbers the law fixes are dated data rows, editable by a system administrator: jury sizes
per level (``JurySizeRule``), the scoring sheet (``ScoreSheet`` → ``CriterionGroup`` →
``Criterion``, UNCONFIRMED weights), the threshold (``ThresholdRule``), the certificate validity
(``CertificateValidityRule``) and the complaint periods (``ComplaintRule``). Product groups
(``ProductGroup``) are a catalog. Arithmetic lives in ``scoring.py``, entry checks in
``eligibility.py``, writes in ``services.py``.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from khuyencong.catalog.models import CatalogEntry, CitedRule
from khuyencong.core.models import ArchivableQuerySet, DomainModel
from khuyencong.core.text import normalize
from khuyencong.core.uploads import UploadPath, validate_upload
from khuyencong.places.models import ScopedByPlace, ScopedThrough


class Level(models.TextChoices):
    """Contest levels. District level until 30/6/2025, commune level from 1/7/2025 (TT 38/2025);
    which levels exist on a date is data: the ``JurySizeRule`` rows valid on that date."""

    DISTRICT = "district", _("District level")
    COMMUNE = "commune", _("Commune level")
    PROVINCE = "province", _("Province level")
    REGION = "region", _("Regional level")
    NATIONAL = "national", _("National level")


# Order of the levels: a contest of rank r needs a valid certificate of rank r - 1
# (TT 26/2014 Art. 12). District and commune are the same step at different dates.
LEVEL_RANK = {
    Level.DISTRICT: 1,
    Level.COMMUNE: 1,
    Level.PROVINCE: 2,
    Level.REGION: 3,
    Level.NATIONAL: 4,
}

# Letter used in certificate numbers: X-xã, H-huyện, T-tỉnh, K-khu vực, Q-quốc gia.
LEVEL_LETTER = {
    Level.COMMUNE: "X",
    Level.DISTRICT: "H",
    Level.PROVINCE: "T",
    Level.REGION: "K",
    Level.NATIONAL: "Q",
}

# The level as written in Vietnamese documents ("cấp tỉnh").
LEVEL_WORDS = {
    Level.COMMUNE: "cấp xã",
    Level.DISTRICT: "cấp huyện",
    Level.PROVINCE: "cấp tỉnh",
    Level.REGION: "cấp khu vực",
    Level.NATIONAL: "cấp quốc gia",
}


class Region(models.TextChoices):
    NORTH = "north", _("North")
    CENTRAL = "central", _("Central and Central Highlands")
    SOUTH = "south", _("South")


# --------------------------------------------------------------------------------------------
# Dated rules (data)


class ContestRule(CitedRule):
    """A rule of the vote valid over a period: it always starts on a date."""

    # Declared as created (no schema change): a start date is required, the article shorter.
    valid_from = models.DateField(_("valid from"))
    article = models.CharField(_("article/clause"), max_length=80, blank=True)

    class Meta:
        abstract = True
        ordering = ["valid_from"]


def parse_sizes(text: str) -> tuple[int, ...]:
    """ "5, 7" -> (5, 7). Raises ValueError on anything but positive integers."""
    parts = [part.strip() for part in str(text).replace(";", ",").split(",") if part.strip()]
    sizes = tuple(int(part) for part in parts)
    if not sizes or any(size <= 0 for size in sizes):
        raise ValueError(text)
    return tuple(sorted(set(sizes)))


class JurySizeRule(ContestRule):
    """How many members the jury (hội đồng) of a level may have (TT 26/2014 Arts. 8, 9, 14)."""

    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    allowed_sizes = models.CharField(
        _("allowed sizes"),
        max_length=40,
        help_text=_("Odd numbers separated by commas, e.g. 7, 9."),
    )

    class Meta(ContestRule.Meta):
        verbose_name = _("jury size rule")
        verbose_name_plural = _("jury size rules")
        ordering = ["valid_from", "level"]

    def __str__(self) -> str:
        return f"{self.get_level_display()}: {self.allowed_sizes} ({self.validity_label})"

    @property
    def sizes(self) -> tuple[int, ...]:
        return parse_sizes(self.allowed_sizes)

    def clean(self) -> None:
        super().clean()
        try:
            sizes = parse_sizes(self.allowed_sizes)
        except ValueError:
            raise ValidationError(
                {"allowed_sizes": _("Write whole numbers separated by commas, e.g. 7, 9.")}
            ) from None
        if any(size % 2 == 0 for size in sizes):
            raise ValidationError({"allowed_sizes": _("A jury has an odd number of members.")})


class ThresholdRule(ContestRule):
    """The minimum average score for recognition (TT 26/2014 Art. 17(1): 70 points)."""

    min_average = models.DecimalField(
        _("minimum average score"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
    )

    class Meta(ContestRule.Meta):
        verbose_name = _("threshold rule")
        verbose_name_plural = _("threshold rules")

    def __str__(self) -> str:
        return f"≥ {self.min_average} ({self.validity_label})"


class CertificateValidityRule(ContestRule):
    """How long a certificate is valid: to 31 December of the N-th year counting the year of
    issue (TT 26/2014 Art. 17(3): N = 3)."""

    years = models.PositiveSmallIntegerField(
        _("valid until 31 December of year number"),
        validators=[MinValueValidator(1)],
        help_text=_("Counting the year of issue as year 1."),
    )

    class Meta(ContestRule.Meta):
        verbose_name = _("certificate validity rule")
        verbose_name_plural = _("certificate validity rules")

    def __str__(self) -> str:
        return f"31/12 (+{self.years - 1}) ({self.validity_label})"


class ComplaintRule(ContestRule):
    """Complaint periods in working days (TT 26/2014 Art. 20: 15 to file, 10 to resolve)."""

    filing_working_days = models.PositiveSmallIntegerField(_("working days to file"))
    resolution_working_days = models.PositiveSmallIntegerField(_("working days to resolve"))

    class Meta(ContestRule.Meta):
        verbose_name = _("complaint rule")
        verbose_name_plural = _("complaint rules")

    def __str__(self) -> str:
        return f"{self.filing_working_days}/{self.resolution_working_days} ({self.validity_label})"


class ScoreSheet(ContestRule):
    """The scoring sheet: criteria groups and the maximum points of each criterion.

    The weights of TT 26/2014 Appendix 3 have not been read: the seeded sheet is a placeholder
    marked unconfirmed, to be replaced by the legal one (or a province's detailed sheet).
    A sheet in use by a contest with scores is locked.
    """

    name = models.CharField(_("name"), max_length=200)

    class Meta(ContestRule.Meta):
        verbose_name = _("score sheet")
        verbose_name_plural = _("score sheets")

    def __str__(self) -> str:
        return self.name

    @property
    def in_use(self) -> bool:
        return CriterionScore.objects.filter(criterion__group__sheet=self).exists()

    def criteria(self) -> models.QuerySet:
        return (
            Criterion.objects.filter(group__sheet=self)
            .select_related("group")
            .order_by("group__order", "order", "pk")
        )

    def max_total(self) -> Decimal:
        return sum((c.max_points * c.weight for c in self.criteria()), Decimal(0))


class CriterionGroup(models.Model):
    """A criteria group of TT 26/2014 Art. 7: a) market fit and production potential; b)
    economic, technical, social and environmental; c) cultural and aesthetic; d) other."""

    sheet = models.ForeignKey(
        ScoreSheet, verbose_name=_("score sheet"), on_delete=models.PROTECT, related_name="groups"
    )
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=300)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("criteria group")
        verbose_name_plural = _("criteria groups")
        ordering = ["sheet", "order"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "code"], name="criteriongroup_unique_code")
        ]

    def __str__(self) -> str:
        return self.name


class Criterion(models.Model):
    group = models.ForeignKey(
        CriterionGroup, verbose_name=_("group"), on_delete=models.PROTECT, related_name="criteria"
    )
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=300)
    max_points = models.DecimalField(
        _("maximum points"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("Points count this many times in the total (1 = as given)."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["group__order", "order"]
        constraints = [
            models.UniqueConstraint(fields=["group", "code"], name="criterion_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


class ProductGroup(CatalogEntry):
    """Product groups of TT 26/2014 Art. 5: handicrafts; processed agricultural, forestry and
    fishery products and food; machinery, equipment, tools and mechanical parts; other."""

    class Meta(CatalogEntry.Meta):
        verbose_name = _("product group")
        verbose_name_plural = _("product groups")


# --------------------------------------------------------------------------------------------
# Contests


class ContestStatus(models.TextChoices):
    PREPARING = "preparing", _("Preparing")
    REGISTRATION = "registration", _("Registration open")
    JUDGING = "judging", _("Judging")
    PANEL_CLOSED = "panel_closed", _("Panel closed")
    RESULTS_ANNOUNCED = "results_announced", _("Results announced")
    DECIDED = "decided", _("Recognition decided")


class ContestQuerySet(ArchivableQuerySet):
    def judged_by(self, user: Any) -> ContestQuerySet:
        return self.filter(judges__user=user, judges__archived_at__isnull=True).distinct()


class Contest(ScopedByPlace, DomainModel):
    name = models.CharField(_("name"), max_length=300)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("funding project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contests",
    )
    organiser = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organiser"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The unit that runs the contest (e.g. the department or its centre)."),
    )
    authority_name = models.CharField(
        _("deciding authority"),
        max_length=200,
        help_text=_("Who sets up the jury and signs the decision, e.g. Ủy ban nhân dân tỉnh …"),
    )
    area = models.ForeignKey(
        "places.AdminUnit",
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The commune, district or province of the contest; empty for region/nation."),
    )
    region = models.CharField(_("region"), max_length=16, choices=Region.choices, blank=True)
    # Copied from the area (ScopedByPlace); none for a regional or national contest.
    PLACE_FIELD = "area"
    province = models.ForeignKey(
        "places.AdminUnit",
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    registration_opens = models.DateField(_("registration opens"))
    registration_closes = models.DateField(_("registration closes"))
    judging_on = models.DateField(_("judging date"))
    score_sheet = models.ForeignKey(
        ScoreSheet, verbose_name=_("score sheet"), on_delete=models.PROTECT, related_name="contests"
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ContestStatus.choices,
        default=ContestStatus.PREPARING,
        editable=False,
    )
    panel_closed_at = models.DateTimeField(_("panel closed at"), null=True, editable=False)
    panel_closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("panel closed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    threshold = models.DecimalField(
        _("threshold applied"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        editable=False,
    )
    results_announced_on = models.DateField(_("results announced on"), null=True, blank=True)
    complaint_deadline = models.DateField(
        _("complaints accepted until"), null=True, blank=True, editable=False
    )
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    signer_capacity = models.CharField(_("signing capacity"), max_length=80, blank=True)
    signer_position = models.CharField(_("signer's position"), max_length=80, blank=True)
    signer_name = models.CharField(_("signer's name"), max_length=120, blank=True)
    search_text = models.CharField(max_length=600, db_index=True, editable=False)

    objects = ContestQuerySet.as_manager()

    class Meta:
        verbose_name = _("contest")
        verbose_name_plural = _("contests")
        ordering = ["-year", "name"]
        indexes = [models.Index(fields=["province", "year"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(registration_closes__gte=models.F("registration_opens")),
                name="contest_registration_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = normalize(f"{self.name} {self.year}")[:600]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    @property
    def level_words(self) -> str:
        return LEVEL_WORDS[Level(self.level)]

    @property
    def is_panel_closed(self) -> bool:
        return self.status in {
            ContestStatus.PANEL_CLOSED,
            ContestStatus.RESULTS_ANNOUNCED,
            ContestStatus.DECIDED,
        }


class JuryRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    STANDING_VICE_CHAIR = "standing_vice_chair", _("Standing vice-chair")
    VICE_CHAIR = "vice_chair", _("Vice-chair")
    MEMBER = "member", _("Member")
    SECRETARY = "secretary", _("Member and secretary")


class JuryMember(DomainModel):
    """A member of the jury (hội đồng bình chọn)."""

    contest = models.ForeignKey(
        Contest, verbose_name=_("contest"), on_delete=models.PROTECT, related_name="jury"
    )
    full_name = models.CharField(_("full name"), max_length=120)
    position = models.CharField(_("position and unit"), max_length=300, blank=True)
    role = models.CharField(_("role in the jury"), max_length=24, choices=JuryRole.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="jury_seats",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("jury member")
        verbose_name_plural = _("jury members")
        ordering = ["contest", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_role_display()})"


class Judge(DomainModel):
    """A member of the judging panel (ban giám khảo): scores every entry independently."""

    contest = models.ForeignKey(
        Contest, verbose_name=_("contest"), on_delete=models.PROTECT, related_name="judges"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.PROTECT,
        related_name="judge_seats",
    )
    is_head = models.BooleanField(_("head of the panel"), default=False)
    expertise = models.CharField(_("expertise"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("judge")
        verbose_name_plural = _("judges")
        ordering = ["contest", "-is_head", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "user"],
                condition=Q(archived_at__isnull=True),
                name="judge_one_seat_per_contest",
            )
        ]

    def __str__(self) -> str:
        return str(self.user)


# --------------------------------------------------------------------------------------------
# Entries


class Eligibility(models.TextChoices):
    PENDING = "pending", _("Not reviewed")
    ELIGIBLE = "eligible", _("Eligible")
    INELIGIBLE = "ineligible", _("Not eligible")


class EntryQuerySet(ArchivableQuerySet):
    def eligible(self) -> EntryQuerySet:
        return self.active().filter(eligibility=Eligibility.ELIGIBLE)


class Entry(ScopedThrough, DomainModel):
    """A product registered for a contest by (or for) an establishment."""

    contest = models.ForeignKey(
        Contest, verbose_name=_("contest"), on_delete=models.PROTECT, related_name="entries"
    )
    beneficiary = models.ForeignKey(
        "beneficiaries.Beneficiary",
        verbose_name=_("establishment"),
        on_delete=models.PROTECT,
        related_name="contest_entries",
    )
    product_name = models.CharField(_("product name"), max_length=300)
    is_product_set = models.BooleanField(_("product set"), default=False)
    product_group = models.ForeignKey(
        ProductGroup, verbose_name=_("product group"), on_delete=models.PROTECT
    )
    description = models.TextField(_("short description"), blank=True)
    registered_on = models.DateField(_("registered on"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The establishment's declarations (TT 26/2014 Art. 4), None until answered.
    own_product = models.BooleanField(_("made by the establishment itself"), null=True)
    not_copied = models.BooleanField(_("not copied, intellectual property respected"), null=True)
    mass_producible = models.BooleanField(_("can be produced in quantity"), null=True)
    # The valid certificate of the level below, for province level and above (Art. 12).
    lower_certificate = models.ForeignKey(
        "Certificate",
        verbose_name=_("certificate of the level below"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    lower_certificate_number = models.CharField(
        _("number of a certificate issued outside the system"), max_length=60, blank=True
    )
    lower_certificate_level = models.CharField(
        _("its level"), max_length=16, choices=Level.choices, blank=True
    )
    lower_certificate_valid_until = models.DateField(_("valid until"), null=True, blank=True)
    eligibility = models.CharField(
        _("eligibility"),
        max_length=12,
        choices=Eligibility.choices,
        default=Eligibility.PENDING,
    )
    eligibility_note = models.TextField(_("review note"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    # Results, written when the panel closes (exact: the average is score_sum / score_count).
    score_sum = models.DecimalField(
        _("sum of judges' totals"), max_digits=10, decimal_places=2, null=True, editable=False
    )
    score_count = models.PositiveSmallIntegerField(_("judges counted"), null=True, editable=False)
    average_score = models.DecimalField(
        _("average score"), max_digits=7, decimal_places=2, null=True, editable=False
    )
    rank_in_group = models.PositiveSmallIntegerField(_("rank in group"), null=True, editable=False)
    tied = models.BooleanField(_("tied"), default=False, editable=False)
    meets_threshold = models.BooleanField(_("meets the threshold"), null=True, editable=False)
    recognised = models.BooleanField(_("recognised"), null=True, editable=False)
    search_text = models.CharField(max_length=600, db_index=True, editable=False)

    objects = EntryQuerySet.as_manager()

    SCOPE_PARENT = "beneficiary"

    class Meta:
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        ordering = ["contest", "product_group__sort_order", "product_name"]
        indexes = [models.Index(fields=["contest", "eligibility"])]

    def __str__(self) -> str:
        return self.product_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = normalize(f"{self.product_name} {self.beneficiary.name}")[:600]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)


class FileKind(models.TextChoices):
    REGISTRATION_FORM = "registration_form", _("Registration form (Appendix 1)")
    BUSINESS_REGISTRATION = "business_registration", _("Business registration")
    DESCRIPTION = "description", _("Product description (Appendix 2)")
    PHOTO = "photo", _("Colour photo of the product")
    CERTIFICATE = "certificate", _("Quality, food-safety or other certificate")
    AWARD = "award", _("Award")
    LOWER_CERTIFICATE = "lower_certificate", _("Certificate of the level below")
    PROPOSAL = "proposal", _("Proposal letter and short-list (Appendix 5)")
    OTHER = "other", _("Other")


class PhotoView(models.TextChoices):
    FRONT = "front", _("Front")
    SIDE = "side", _("Side")
    TOP = "top", _("Top")
    OTHER = "other", _("Other view")


class EntryFile(ScopedThrough, DomainModel):
    """A file of an entry's dossier. Photos are checked to be images by their content."""

    entry = models.ForeignKey(
        Entry, verbose_name=_("entry"), on_delete=models.PROTECT, related_name="files"
    )
    kind = models.CharField(_("kind"), max_length=24, choices=FileKind.choices)
    photo_view = models.CharField(_("view"), max_length=8, choices=PhotoView.choices, blank=True)
    file = models.FileField(
        _("file"),
        upload_to=UploadPath("contests", "entry_id"),
        max_length=300,
        validators=[validate_upload],
    )
    original_name = models.CharField(_("original file name"), max_length=255, editable=False)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0, editable=False)
    content_type = models.CharField(_("content type"), max_length=120, editable=False)
    width = models.PositiveIntegerField(_("width (pixels)"), null=True, editable=False)
    height = models.PositiveIntegerField(_("height (pixels)"), null=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    SCOPE_PARENT = "entry"

    class Meta:
        verbose_name = _("dossier file")
        verbose_name_plural = _("dossier files")
        ordering = ["entry", "kind", "pk"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.width is not None


# --------------------------------------------------------------------------------------------
# Scores


class ScoreCard(DomainModel):
    """One judge's scoring of one entry, or their declared conflict of interest."""

    entry = models.ForeignKey(
        Entry, verbose_name=_("entry"), on_delete=models.PROTECT, related_name="cards"
    )
    judge = models.ForeignKey(
        Judge, verbose_name=_("judge"), on_delete=models.PROTECT, related_name="cards"
    )
    conflict_of_interest = models.BooleanField(_("conflict of interest declared"), default=False)
    conflict_reason = models.TextField(_("reason for the conflict of interest"), blank=True)
    total = models.DecimalField(
        _("total points"), max_digits=8, decimal_places=2, null=True, editable=False
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, editable=False)

    class Meta:
        verbose_name = _("score card")
        verbose_name_plural = _("score cards")
        ordering = ["entry", "judge"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "judge"], name="scorecard_one_per_judge"),
            models.CheckConstraint(
                condition=Q(conflict_of_interest=False) | ~Q(conflict_reason=""),
                name="scorecard_conflict_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entry} / {self.judge}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class CriterionScore(models.Model):
    card = models.ForeignKey(
        ScoreCard, verbose_name=_("score card"), on_delete=models.PROTECT, related_name="scores"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="+"
    )
    points = models.DecimalField(
        _("points"), max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )

    class Meta:
        verbose_name = _("criterion score")
        verbose_name_plural = _("criterion scores")
        constraints = [
            models.UniqueConstraint(fields=["card", "criterion"], name="criterionscore_unique"),
            models.CheckConstraint(condition=Q(points__gte=0), name="criterionscore_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.points}"


# --------------------------------------------------------------------------------------------
# Complaints and certificates


class ComplaintOutcome(models.TextChoices):
    UPHELD = "upheld", _("Upheld")
    PARTLY = "partly", _("Partly upheld")
    REJECTED = "rejected", _("Rejected")


class Complaint(DomainModel):
    contest = models.ForeignKey(
        Contest, verbose_name=_("contest"), on_delete=models.PROTECT, related_name="complaints"
    )
    entry = models.ForeignKey(
        Entry,
        verbose_name=_("entry concerned"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    complainant = models.CharField(_("complainant"), max_length=300)
    received_on = models.DateField(_("received on"))
    content = models.TextField(_("content"))
    filed_in_time = models.BooleanField(_("filed in time"), editable=False, default=True)
    resolution_deadline = models.DateField(_("resolve by"), editable=False)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=ComplaintOutcome.choices, blank=True
    )
    resolution = models.TextField(_("resolution"), blank=True)

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["contest", "received_on", "pk"]

    def __str__(self) -> str:
        return f"{self.complainant} ({self.received_on:%d/%m/%Y})"

    @property
    def is_resolved(self) -> bool:
        return self.resolved_on is not None

    def is_overdue(self, day: datetime.date) -> bool:
        return not self.is_resolved and day > self.resolution_deadline

    @property
    def resolved_late(self) -> bool:
        return self.resolved_on is not None and self.resolved_on > self.resolution_deadline


class CertificateQuerySet(ArchivableQuerySet):
    def valid_on(self, day: datetime.date) -> CertificateQuerySet:
        return self.active().filter(
            revoked_on__isnull=True, issued_on__lte=day, valid_until__gte=day
        )

    def expiring_between(self, start: datetime.date, end: datetime.date) -> CertificateQuerySet:
        return self.active().filter(revoked_on__isnull=True, valid_until__range=(start, end))


class Certificate(ScopedThrough, DomainModel):
    """The certificate of an outstanding rural industrial product (one per recognised entry)."""

    number = models.CharField(_("certificate number"), max_length=40, unique=True)
    entry = models.OneToOneField(
        Entry, verbose_name=_("entry"), on_delete=models.PROTECT, related_name="certificate"
    )
    contest = models.ForeignKey(
        Contest, verbose_name=_("contest"), on_delete=models.PROTECT, related_name="certificates"
    )
    beneficiary = models.ForeignKey(
        "beneficiaries.Beneficiary",
        verbose_name=_("holder"),
        on_delete=models.PROTECT,
        related_name="product_certificates",
    )
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    product_name = models.CharField(_("product name"), max_length=300)
    issued_on = models.DateField(_("issued on"))
    valid_until = models.DateField(_("valid until"))
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)

    objects = CertificateQuerySet.as_manager()

    SCOPE_PARENT = "beneficiary"

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_on", "number"]
        indexes = [models.Index(fields=["beneficiary", "valid_until"])]

    def __str__(self) -> str:
        return self.number

    def is_valid_on(self, day: datetime.date) -> bool:
        return (
            self.revoked_on is None
            and not self.is_archived
            and self.issued_on <= day <= self.valid_until
        )

    @property
    def level_words(self) -> str:
        return LEVEL_WORDS[Level(self.level)]
