"""Projects (đề án khuyến công), their life as events, progress, inspections and documents.

The rules (which transitions exist, their guards and who may do them) live in
``projects/lifecycle.py``; writes go through ``projects/services.py``; reads as of a date
through ``projects/selectors.py``. ``Project.status`` is a copy of the latest event's
``to_status`` and ``StatePeriod`` the log replayed by the rules: the truth for any date is the
event log.
"""

from __future__ import annotations

import datetime
from typing import Any, NamedTuple

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from khuyencong.accounts.models import Role
from khuyencong.core.models import AppendOnly, ArchivableQuerySet, DatedRule, DomainModel
from khuyencong.core.text import normalize
from khuyencong.core.uploads import UploadPath, validate_upload
from khuyencong.places.models import PlaceAsWritten, ScopedByPlace, ScopedThrough


class Status(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    APPRAISED = "appraised", _("Appraised")
    APPROVED = "approved", _("Approved")
    ASSIGNED = "assigned", _("Assigned")
    CONTRACTED = "contracted", _("Contract signed")
    IN_PROGRESS = "in_progress", _("In progress")
    ACCEPTED = "accepted", _("Accepted")
    SETTLED = "settled", _("Settled")
    ADJUSTMENT_REQUESTED = "adjustment_requested", _("Adjustment requested")
    STOP_REQUESTED = "stop_requested", _("Stop requested")
    STOPPED = "stopped", _("Stopped")


class EventKind(models.TextChoices):
    REGISTER = "register", _("Registration")
    APPRAISE = "appraise", _("Appraisal")
    APPROVE = "approve", _("Approval")
    ASSIGN = "assign", _("Assignment")
    CONTRACT = "contract", _("Contract signed")
    START = "start", _("Work started")
    ACCEPT = "accept", _("Acceptance")
    SETTLE = "settle", _("Settlement")
    REQUEST_ADJUSTMENT = "request_adjustment", _("Adjustment requested")
    APPROVE_ADJUSTMENT = "approve_adjustment", _("Adjustment approved")
    REFUSE_ADJUSTMENT = "refuse_adjustment", _("Adjustment refused")
    REQUEST_STOP = "request_stop", _("Stop requested")
    APPROVE_STOP = "approve_stop", _("Stop decided")
    REFUSE_STOP = "refuse_stop", _("Stop refused")
    UNDER_REVIEW = "under_review", _("Under review (adjustment or stop considered)")
    # the status a project had when its history was loaded from earlier records (import
    # baseline): not a decision, and no date or document is derived from it
    TAKEN_OVER = "taken_over", _("Taken over from earlier records")


class KcqgType(models.TextChoices):
    """Types of national-fund projects (TT 36/2013 Art. 2)."""

    POINT = "diem", _("Flagship project (đề án điểm)")
    GROUP = "nhom", _("Group project (đề án nhóm)")
    BENEFICIARY = "doi_tuong", _("Per-beneficiary project (theo đối tượng)")


class ProjectKind(models.TextChoices):
    """Who a project supports (TT 36/2013 Art. 2; TT 46/2012 Art. 10 for group projects)."""

    SINGLE = "single", _("For one beneficiary")
    GROUP = "group", _("Group project (đề án lập theo nhóm)")
    CENTRE = "centre", _("Implemented by the centre itself")


class DisbursementKind(models.TextChoices):
    ADVANCE = "advance", _("Advance")
    PAYMENT = "payment", _("Payment")


class Budget(NamedTuple):
    """A project's budget per source, in integer VND."""

    national: int = 0
    local: int = 0
    counterpart: int = 0
    other: int = 0

    @property
    def total(self) -> int:
        return self.national + self.local + self.counterpart + self.other

    @property
    def support(self) -> int:
        """State support: everything but the beneficiary's counterpart."""
        return self.national + self.local + self.other

    def in_source(self, code: str) -> int:
        """The part paid from funding source ``code`` (national / local / other)."""
        return {"national": self.national, "local": self.local, "other": self.other}.get(code, 0)

    def as_fields(self) -> dict[str, int]:
        return {f"budget_{name}": value for name, value in self._asdict().items()}


def source_code(plan_source_code: str | None, budget: Budget) -> str:
    """The funding source a project takes its money from: its plan's; without a plan,
    guessed from the budget."""
    if plan_source_code:
        return plan_source_code
    if budget.national:
        return "national"
    return "local" if budget.local or not budget.other else "other"


class ProjectQuerySet(ArchivableQuerySet):
    def in_plan(self, plan: Any) -> ProjectQuerySet:
        return self.filter(plan=plan)

    def for_year(self, year: int) -> ProjectQuerySet:
        return self.filter(plan__year=year)

    def in_province(self, province_ids: set[int] | list[int]) -> ProjectQuerySet:
        return self.filter(province_id__in=province_ids)


class Project(ScopedByPlace, DomainModel):
    code = models.CharField(_("code"), max_length=40)
    title = models.CharField(_("title"), max_length=500)
    content_area = models.ForeignKey(
        "catalog.ContentArea", verbose_name=_("content area"), on_delete=models.PROTECT
    )
    kcqg_type = models.CharField(
        _("KCQG project type"), max_length=16, choices=KcqgType.choices, blank=True
    )
    kind = models.CharField(
        _("kind of project"),
        max_length=16,
        choices=ProjectKind.choices,
        default=ProjectKind.SINGLE,
        help_text=_(
            "A group project names no beneficiary when approved: its participants are added "
            "later by dated decisions. A project the centre implements itself (information, "
            "training, fairs, programme management) has no beneficiary."
        ),
    )
    group_size = models.PositiveIntegerField(
        _("units to support"),
        null=True,
        blank=True,
        help_text=_("Group projects: how many establishments the approval plans to support."),
    )
    allocation = models.ForeignKey(
        "plans.Allocation",
        verbose_name=_("allocation batch"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
        help_text=_("National-fund projects: the letter or decision (batch) that assigned it."),
    )
    plan = models.ForeignKey(
        "plans.Plan",
        verbose_name=_("plan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    implementing_unit = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("implementing unit"),
        on_delete=models.PROTECT,
        related_name="implemented_projects",
    )
    beneficiary = models.ForeignKey(
        "beneficiaries.Beneficiary",
        verbose_name=_("beneficiary"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
        help_text=_("Only for a project for one beneficiary."),
    )
    place = models.ForeignKey(
        "places.AdminUnit",
        verbose_name=_("place"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Commune, district or province, as valid at the project's date."),
    )
    budget_national = models.BigIntegerField(_("national fund (VND)"), default=0)
    budget_local = models.BigIntegerField(_("local fund (VND)"), default=0)
    budget_counterpart = models.BigIntegerField(_("beneficiary counterpart (VND)"), default=0)
    budget_other = models.BigIntegerField(_("other sources (VND)"), default=0)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    expected_results = models.TextField(_("expected results"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=24,
        choices=Status.choices,
        default=Status.REGISTERED,
        editable=False,
        help_text=_("Current status; the event log is the record for any date."),
    )
    search_text = models.CharField(max_length=1000, db_index=True, editable=False)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="project_unique_code"),
            models.CheckConstraint(
                condition=Q(budget_national__gte=0)
                & Q(budget_local__gte=0)
                & Q(budget_counterpart__gte=0)
                & Q(budget_other__gte=0),
                name="project_budget_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(kind=ProjectKind.SINGLE, beneficiary__isnull=False)
                | Q(kind__in=[ProjectKind.GROUP, ProjectKind.CENTRE], beneficiary__isnull=True),
                name="project_beneficiary_by_kind",
            ),
            models.CheckConstraint(
                condition=Q(group_size__isnull=True) | Q(kind=ProjectKind.GROUP),
                name="project_group_size_only_for_groups",
            ),
        ]
        indexes = [
            models.Index(fields=["province", "status"]),
            models.Index(fields=["plan", "status"]),
            models.Index(fields=["province", "plan", "archived_at"]),  # lists: province-year
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"

    def save(self, *args, **kwargs):
        beneficiary = self.beneficiary.name if self.beneficiary_id else ""
        self.search_text = normalize(" ".join(filter(None, [self.code, self.title, beneficiary])))
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    # scope hooks read by accounts.roles
    @property
    def scope_beneficiary_id(self) -> int | None:
        return self.beneficiary_id

    @property
    def funding_source_code(self) -> str:
        """The plan's funding source code; without a plan, guessed from the budget."""
        return source_code(self.plan.funding_source.code if self.plan_id else None, self.budget)

    @property
    def fund(self) -> str:
        """ "national" or "local": which authority decides (see lifecycle.TRANSITIONS)."""
        return "national" if self.funding_source_code == "national" else "local"

    @property
    def budget(self) -> Budget:
        return Budget(
            national=self.budget_national,
            local=self.budget_local,
            counterpart=self.budget_counterpart,
            other=self.budget_other,
        )

    @property
    def plan_budget(self) -> int:
        """The budget in the plan's funding source: the money this project takes from the plan."""
        return self.budget.in_source(self.funding_source_code)

    @property
    def total_budget(self) -> int:
        return self.budget.total


class ProjectEventQuerySet(models.QuerySet):
    def effective(self) -> ProjectEventQuerySet:
        """The events that count: not annulled (``Annulment``). Every reader of the log
        (replay, status, reports, API lists of what stands) goes through it."""
        return self.filter(annulment__isnull=True)

    def in_replay_order(self) -> ProjectEventQuerySet:
        """In the order the rules replay them: a correction takes the place of the event it
        corrects (``corrects_sequence``), else the recording order (``sequence``)."""
        return self.order_by(Coalesce("corrects_sequence", "sequence"), "sequence")


class ProjectEvent(AppendOnly):
    """One step in a project's life, effective on a date, with its document and actor.

    Never changed: a mistaken event is annulled (``Annulment``), and a correction is a new
    event (``corrects_sequence``) that takes the annulled one's place in the replay.
    """

    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="events"
    )
    sequence = models.PositiveIntegerField(_("sequence"))
    kind = models.CharField(_("event"), max_length=24, choices=EventKind.choices)
    effective_date = models.DateField(_("effective date"))
    document_number = models.CharField(_("document number"), max_length=80, blank=True)
    document_date = models.DateField(_("document date"), null=True, blank=True)
    issuer = models.CharField(
        _("issued by"),
        max_length=200,
        blank=True,
        help_text=_("The authority that issued the document, e.g. Cục Công Thương địa phương."),
    )
    reason = models.TextField(_("reason"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty for history loaded from earlier records."),
    )
    from_status = models.CharField(
        _("from status"), max_length=24, choices=Status.choices, blank=True
    )
    to_status = models.CharField(_("to status"), max_length=24, choices=Status.choices)
    amount = models.BigIntegerField(
        _("amount (VND)"),
        null=True,
        blank=True,
        help_text=_(
            "Accepted value, settled value, or on a stop decision the money already disbursed."
        ),
    )
    # Budget snapshot: set by events that fix the budget (registration, approval, adjustment).
    budget_national = models.BigIntegerField(_("national fund (VND)"), null=True, blank=True)
    budget_local = models.BigIntegerField(_("local fund (VND)"), null=True, blank=True)
    budget_counterpart = models.BigIntegerField(
        _("beneficiary counterpart (VND)"), null=True, blank=True
    )
    budget_other = models.BigIntegerField(_("other sources (VND)"), null=True, blank=True)
    corrects_sequence = models.PositiveIntegerField(
        _("corrects event no."),
        null=True,
        blank=True,
        editable=False,
        help_text=_("A correction: the sequence of the first event it replaces."),
    )

    objects = ProjectEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("project event")
        verbose_name_plural = _("project events")
        ordering = ["project", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "sequence"], name="projectevent_unique_sequence"
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="projectevent_amount_not_negative",
            ),
        ]
        indexes = [models.Index(fields=["project", "effective_date", "sequence"])]

    def __str__(self) -> str:
        return f"{self.project.code} #{self.sequence} {self.get_kind_display()}"

    @property
    def replay_key(self) -> tuple[int, int]:
        """Its place in the replay (``ProjectEventQuerySet.in_replay_order``), in Python."""
        return (self.corrects_sequence or self.sequence, self.sequence)

    @property
    def annulled(self) -> Annulment | None:
        """Its annulment, if any (select_related("annulment") to read it without a query)."""
        return annulment_of(self)

    @property
    def budget(self) -> Budget | None:
        if self.budget_national is None:
            return None
        return Budget(
            self.budget_national, self.budget_local, self.budget_counterpart, self.budget_other
        )


# the events that fixed a project's budget in its plan: its approval, or an import baseline
# taken over in an approved (or later) status
APPROVING = models.Q(kind=EventKind.APPROVE) | models.Q(
    kind=EventKind.TAKEN_OVER, budget_national__isnull=False
)


class ProgressUpdateQuerySet(models.QuerySet):
    def effective(self) -> ProgressUpdateQuerySet:
        """The progress entries that count: not annulled (``Annulment``)."""
        return self.filter(annulment__isnull=True)


class ProgressUpdate(AppendOnly):
    """Work done (%) and money disbursed on a date. Cumulative %; amounts are per update.

    Never changed: a mistaken entry is annulled (``Annulment``)."""

    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)

    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="progress_updates",
    )
    date = models.DateField(_("date"))
    progress_percent = models.PositiveSmallIntegerField(
        _("work done (%)"), validators=[MaxValueValidator(100)]
    )
    disbursed_amount = models.BigIntegerField(_("amount disbursed (VND)"), default=0)
    disbursement_kind = models.CharField(
        _("disbursement kind"),
        max_length=16,
        choices=DisbursementKind.choices,
        default=DisbursementKind.ADVANCE,
    )
    note = models.TextField(_("note"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ProgressUpdateQuerySet.as_manager()

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["project", "date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress_percent__lte=100), name="progress_percent_max_100"
            ),
            models.CheckConstraint(
                condition=Q(disbursed_amount__gte=0), name="progress_disbursed_not_negative"
            ),
        ]
        indexes = [models.Index(fields=["project", "date"])]

    def __str__(self) -> str:
        return f"{self.project.code} {self.date:%d/%m/%Y} {self.progress_percent}%"

    @property
    def annulled(self) -> Annulment | None:
        """Its annulment, if any (select_related("annulment") to read it without a query)."""
        return annulment_of(self)


def annulment_of(row: ProjectEvent | ProgressUpdate) -> Annulment | None:
    try:
        return row.annulment  # type: ignore[union-attr]
    except ObjectDoesNotExist:
        return None


class Annulment(AppendOnly):
    """A recorded event or progress entry annulled (hủy), dated, attributed and with its
    reason; the annulled row stays as it was, shown struck through. A correction is an
    annulment with its ``replacement``: the event recorded in the annulled one's place.

    Written only by ``services.annul_event``, ``annul_progress`` and ``correct_event``, after
    ``lifecycle.annulment_problem`` found the remaining history acceptable to the rules."""

    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="annulments"
    )
    event = models.OneToOneField(
        ProjectEvent,
        verbose_name=_("annulled event"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="annulment",
    )
    progress_update = models.OneToOneField(
        ProgressUpdate,
        verbose_name=_("annulled progress update"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="annulment",
    )
    replacement = models.OneToOneField(
        ProjectEvent,
        verbose_name=_("corrected by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaces",
    )
    reason = models.TextField(_("reason"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("annulled by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    # set before the save, read by trust.recording (the audit trail's why and who)
    _change_reason: str
    _history_user: Any

    class Meta:
        verbose_name = _("annulment")
        verbose_name_plural = _("annulments")
        ordering = ["project", "recorded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(event__isnull=False, progress_update__isnull=True)
                | Q(event__isnull=True, progress_update__isnull=False, replacement__isnull=True),
                name="annulment_one_record",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.event_id or ''}{self.progress_update_id or ''}"


class StatePeriod(models.Model):
    """A project's state from ``valid_from`` until ``valid_to`` (excluded; None: still
    current): one row per date on which its replayed state changes.

    Derived, never the record: ``projects.states.write_states`` replays the project's event
    log and progress through ``lifecycle`` (the only definition of status, phase and money) and
    rewrites its rows; ``projects.services`` calls it in the transaction of every event,
    progress update and edit, migrations for every project (and ``fill_missing_states`` after
    each ``migrate``), and so must any load that writes records without the services (the
    benchmark's bulk generator does). ``selectors.annotate_as_of`` joins the row valid on a
    day. ``budget_*``: the budget in force (the latest snapshot, else the project's own);
    ``plan_budget``: its part in the plan's funding source; ``phase`` and ``allocated``:
    ``lifecycle.phase_of`` and ``lifecycle.allocated_amount``, stored so SQL filters and sums
    them without re-implementing them.
    """

    audit_exempt = "derived from the event log by the services (projects.states), never typed"

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="states")
    valid_from = models.DateField()
    valid_to = models.DateField(null=True)
    status = models.CharField(max_length=24, choices=Status.choices)
    under_review = models.BooleanField(default=False)
    phase = models.CharField(max_length=24)
    progress = models.PositiveSmallIntegerField(default=0)
    disbursed = models.BigIntegerField(default=0)
    advanced = models.BigIntegerField(default=0)
    accepted = models.BigIntegerField(null=True)
    settled = models.BigIntegerField(null=True)
    retained = models.BigIntegerField(null=True)
    budget_national = models.BigIntegerField(default=0)
    budget_local = models.BigIntegerField(default=0)
    budget_counterpart = models.BigIntegerField(default=0)
    budget_other = models.BigIntegerField(default=0)
    plan_budget = models.BigIntegerField(default=0)
    allocated = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("state of a project over a period")
        verbose_name_plural = _("states of projects over periods")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "valid_from"], name="stateperiod_unique_start"
            ),
            # the current row: the join for "every record" is a unique index lookup
            models.UniqueConstraint(
                fields=["project"],
                condition=Q(valid_to__isnull=True),
                name="stateperiod_one_current",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.status} ({self.valid_from}–{self.valid_to or ''})"


class PlanTally(models.Model):
    """A plan's counted projects in one province, summed on their current state: the grouping
    the dashboard's "by plan year" chart and the plans' figures (``projects.plan_selectors``)
    read for every record (2,705 rows at national scale instead of 100,000 projects).

    A cache, never the record: ``projects.services.refresh_tallies`` sums the plan's current
    ``StatePeriod`` rows, after locking the plan rows (so two writes in one plan cannot each
    sum without the other), in the transaction of every write that can change them
    (``refresh_states``, a project's edit or archiving) and after every ``migrate``; a tally
    whose plan lost its projects in that province stays with zeros. Counted: what
    ``selectors.counted_projects`` keeps (not archived, in a plan, registered).
    """

    audit_exempt = "derived from the event log by the services (projects.states), never typed"

    plan = models.ForeignKey("plans.Plan", on_delete=models.PROTECT, related_name="+")
    province = models.ForeignKey("places.AdminUnit", on_delete=models.PROTECT, related_name="+")
    projects = models.PositiveIntegerField(default=0)
    allocated = models.BigIntegerField(default=0)
    disbursed = models.BigIntegerField(default=0)
    settled = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("tally of a plan's projects")
        verbose_name_plural = _("tallies of plans' projects")
        constraints = [
            models.UniqueConstraint(fields=["plan", "province"], name="plantally_unique_pair")
        ]

    def __str__(self) -> str:
        return f"{self.plan_id}/{self.province_id}: {self.projects}"


class AdvanceCapRule(DatedRule):
    """How much of a project's support may be advanced before acceptance (dated data).

    The most specific rule valid on the day wins (a funding-source rule before a general one).
    """

    # Declared as created (no schema change): a start date is required.
    valid_from = models.DateField(_("valid from"))
    funding_source = models.ForeignKey(
        "catalog.FundingSource",
        verbose_name=_("funding source"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Empty: applies to every source."),
    )
    percent = models.PositiveSmallIntegerField(
        _("cap (percent of support)"), validators=[MaxValueValidator(100)]
    )
    legal_basis = models.ForeignKey(
        "catalog.LegalBasis",
        verbose_name=_("legal basis"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    article = models.CharField(_("article/clause"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("advance cap rule")
        verbose_name_plural = _("advance cap rules")
        ordering = ["valid_from"]
        constraints = [
            models.CheckConstraint(condition=Q(percent__lte=100), name="advancecap_percent_max"),
        ]

    def __str__(self) -> str:
        return f"{self.percent}% ({self.valid_from:%d/%m/%Y}–)"

    @classmethod
    def rule_on(cls, day: datetime.date, funding_source_code: str | None) -> AdvanceCapRule | None:
        rules = (
            cls.objects.active()
            .valid_on(day)
            .filter(Q(funding_source__isnull=True) | Q(funding_source__code=funding_source_code))
            .order_by(models.F("funding_source").asc(nulls_last=True), "-valid_from")
        )
        return rules.first()


class ProcedureStep(models.TextChoices):
    """The steps of a project as a province's procedure names them (``projects.procedure``
    maps each to the lifecycle's transitions)."""

    APPRAISE = "appraise", _("Appraisal")
    APPROVE = "approve", _("Approval")
    ASSIGN = "assign", _("Assignment")
    CONTRACT = "contract", _("Contract signed")
    IMPLEMENT = "implement", _("Start of work and progress")
    ACCEPT = "accept", _("Acceptance")
    SETTLE = "settle", _("Settlement")
    REQUEST = "request", _("Requests to adjust or stop, review notes")
    DECIDE_REQUEST = "decide_request", _("Decisions on adjustments and stops")


class ProvinceProcedureStep(DatedRule):
    """One step of a province's own procedure for its local-fund (and other non-national)
    projects, from ``valid_from``: who records it, whether it needs its document (its number), the
    province's deadline for it. The row with the latest ``valid_from`` on or before
    a step's effective date decides (``projects.procedure``); without one the national table
    applies. A change is a new row (dated); rows are audited like every domain record."""

    view_permission = "setup.view"  # its history: who may see the province's set-up

    valid_from = models.DateField(_("valid from"))
    province = models.ForeignKey(
        "places.AdminUnit",
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    step = models.CharField(_("step"), max_length=20, choices=ProcedureStep.choices)
    roles = models.JSONField(
        _("roles"), default=list, help_text=_("The roles who record this step.")
    )
    document_required = models.BooleanField(_("document required"), default=False)
    deadline_days = models.PositiveSmallIntegerField(_("deadline (days)"), null=True, blank=True)

    class Meta:
        verbose_name = _("step of a province's procedure")
        verbose_name_plural = _("steps of provinces' procedures")
        ordering = ["province", "step", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "step", "valid_from"],
                condition=Q(archived_at__isnull=True),
                name="procedure_one_active_row_per_step_and_day",
            )
        ]
        indexes = [models.Index(fields=["province", "step", "valid_from"])]

    def __str__(self) -> str:
        return f"{self.get_step_display()} ({self.valid_from:%d/%m/%Y}–)"

    @property
    def scope_province_id(self) -> int | None:
        return self.province_id

    @property
    def role_labels(self) -> list[str]:
        return [str(role.label) for role in Role if role in self.roles]


class GroupMemberQuerySet(ArchivableQuerySet):
    def on(self, day: datetime.date | None) -> GroupMemberQuerySet:
        """Participants on ``day`` (None: today's and every earlier one still in)."""
        queryset = self.active()
        if day is None:
            return queryset.filter(left_on__isnull=True)
        return queryset.filter(joined_on__lte=day).filter(
            Q(left_on__isnull=True) | Q(left_on__gt=day)
        )


class GroupMember(ScopedThrough, PlaceAsWritten, DomainModel):
    """A participant of a group project (đề án lập theo nhóm), attached by a dated decision
    of the department with its own support amount and place; it leaves (a change of
    beneficiary, TT 36/2013 Art. 11) by another dated decision, never by deletion."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="members"
    )
    beneficiary = models.ForeignKey(
        "beneficiaries.Beneficiary",
        verbose_name=_("beneficiary"),
        on_delete=models.PROTECT,
        related_name="group_memberships",
    )
    place = models.ForeignKey(
        "places.AdminUnit",
        verbose_name=_("place"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Where this participant is supported, as valid on the decision's date."),
    )
    support_amount = models.BigIntegerField(_("support amount (VND)"))
    joined_on = models.DateField(_("added on"))
    decision_number = models.CharField(_("decision number"), max_length=80)
    decision_date = models.DateField(_("decision date"))
    issuer = models.CharField(_("issued by"), max_length=200, help_text=_("E.g. Sở Công Thương."))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    leave_decision_number = models.CharField(
        _("decision number (leaving)"), max_length=80, blank=True
    )
    leave_reason = models.TextField(_("reason for leaving"), blank=True)

    objects = GroupMemberQuerySet.as_manager()

    SCOPE_PARENT = "project"

    class Meta:
        verbose_name = _("group project participant")
        verbose_name_plural = _("group project participants")
        ordering = ["project", "joined_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "beneficiary"],
                condition=Q(archived_at__isnull=True, left_on__isnull=True),
                name="groupmember_unique_current",
            ),
            models.CheckConstraint(
                condition=Q(support_amount__gte=0), name="groupmember_amount_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="groupmember_leaves_after_joining",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project.code} — {self.beneficiary}"


class FollowUpStatus(models.TextChoices):
    NONE = "none", _("No follow-up")
    OPEN = "open", _("Open")
    DONE = "done", _("Done")


class InspectionQuerySet(ArchivableQuerySet):
    def overdue(self, day: datetime.date | None = None) -> InspectionQuerySet:
        day = day or timezone.localdate()
        return self.filter(follow_up_status=FollowUpStatus.OPEN, follow_up_deadline__lt=day)


class Inspection(ScopedThrough, DomainModel):
    """A planned or held inspection visit (kiểm tra, giám sát) and its follow-up."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="inspections"
    )
    planned_date = models.DateField(_("planned date"))
    held_date = models.DateField(_("held on"), null=True, blank=True)
    team = models.CharField(_("inspection team"), max_length=500, blank=True)
    findings = models.TextField(_("findings"), blank=True)
    recommendations = models.TextField(_("recommendations"), blank=True)
    follow_up_deadline = models.DateField(_("follow-up deadline"), null=True, blank=True)
    follow_up_status = models.CharField(
        _("follow-up"), max_length=8, choices=FollowUpStatus.choices, default=FollowUpStatus.NONE
    )

    objects = InspectionQuerySet.as_manager()

    SCOPE_PARENT = "project"

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["project", "planned_date"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(follow_up_status="open") | Q(follow_up_deadline__isnull=False),
                name="inspection_open_followup_has_deadline",
            )
        ]

    def __str__(self) -> str:
        return f"{self.project.code} {self.planned_date:%d/%m/%Y}"

    def is_overdue(self, day: datetime.date | None = None) -> bool:
        day = day or timezone.localdate()
        return (
            self.follow_up_status == FollowUpStatus.OPEN
            and self.follow_up_deadline is not None
            and self.follow_up_deadline < day
        )


class DocumentType(models.TextChoices):
    DECISION = "decision", _("Decision")
    CONTRACT = "contract", _("Contract")
    ACCEPTANCE = "acceptance", _("Acceptance minutes")
    SETTLEMENT = "settlement", _("Settlement papers")
    OTHER = "other", _("Other")


class ProjectDocument(ScopedThrough, DomainModel):
    """A file on a project: decision, contract, acceptance minutes, settlement papers …"""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="documents"
    )
    event = models.ForeignKey(
        ProjectEvent,
        verbose_name=_("event"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    progress_update = models.ForeignKey(
        ProgressUpdate,
        verbose_name=_("progress update"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attachments",
    )
    doc_type = models.CharField(_("document type"), max_length=16, choices=DocumentType.choices)
    number = models.CharField(_("number"), max_length=80, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(
        _("file"),
        upload_to=UploadPath("projects", "project_id"),
        max_length=300,
        validators=[validate_upload],
    )
    original_name = models.CharField(_("original file name"), max_length=255, editable=False)
    size = models.PositiveBigIntegerField(_("size (bytes)"), editable=False, default=0)
    content_type = models.CharField(_("content type"), max_length=120, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    SCOPE_PARENT = "project"

    class Meta:
        verbose_name = _("project document")
        verbose_name_plural = _("project documents")
        ordering = ["project", "date", "id"]

    def __str__(self) -> str:
        return self.title
