"""Forms of the project screens: the list filter and as-of date, the step (transition) and
progress forms, project create/edit, inspections and documents.

Forms parse and check input only; the rules live in ``lifecycle`` and ``services``, whose
refusals the views show as form errors."""

from __future__ import annotations

import datetime
from typing import Any

import django_filters
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from khuyencong.accounts import roles
from khuyencong.accounts.models import Organisation
from khuyencong.beneficiaries.models import Beneficiary
from khuyencong.catalog.models import BeneficiaryKind, ContentArea, FundingSource
from khuyencong.core.forms import StyledForm
from khuyencong.core.money import format_vnd
from khuyencong.core.uploads import check_upload
from khuyencong.places.models import AdminUnit
from khuyencong.plans.models import Plan
from khuyencong.projects import lifecycle, services
from khuyencong.projects.fields import BeneficiaryPicker, MoneyField, PlaceField
from khuyencong.projects.models import (
    Budget,
    DisbursementKind,
    DocumentType,
    EventKind,
    FollowUpStatus,
    Inspection,
    KcqgType,
    Project,
    ProjectEvent,
    Status,
)
from khuyencong.projects.selectors import Phase


class AsOfForm(StyledForm):
    as_of = forms.DateField(label=_("As of"), required=False)


ORDER_CHOICES = [
    ("code", _("Code")),
    ("title", _("Title")),
    ("status", _("Status")),
    ("-progress", _("Work done (highest first)")),
    ("-disbursed", _("Disbursed (highest first)")),
    ("-budget", _("Budget (highest first)")),
    ("place", _("Place")),
]


def _provinces(request: Any) -> Any:
    units = AdminUnit.objects.provinces().order_by("era", "name")
    user = getattr(request, "user", None)
    if user is not None and not roles.is_national(user) and user.province_id:
        units = units.filter(pk__in=roles.province_ids(user))
    return units


def _districts(request: Any) -> Any:
    units = AdminUnit.objects.districts().with_path().order_by("name")  # labels show the path
    user = getattr(request, "user", None)
    if user is not None and not roles.is_national(user) and user.province_id:
        return units.filter(province_id__in=roles.province_ids(user))
    return units.none() if user is None else units.filter(province__isnull=False)


class ProjectFilter(django_filters.FilterSet):
    """The project list's filter form; ``selectors.project_list`` applies the values."""

    year = django_filters.NumberFilter(label=_("Year"))
    province = django_filters.ModelChoiceFilter(label=_("Province"), queryset=_provinces)
    district = django_filters.ModelChoiceFilter(label=_("District"), queryset=_districts)
    funding_source = django_filters.ModelChoiceFilter(
        label=_("Funding source"), queryset=FundingSource.objects.active(), to_field_name="code"
    )
    content_area = django_filters.ModelChoiceFilter(
        label=_("Content area"), queryset=ContentArea.objects.active()
    )
    phase = django_filters.ChoiceFilter(label=_("Situation"), choices=list(Phase.LABELS.items()))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Status.choices)
    beneficiary_kind = django_filters.ModelChoiceFilter(
        label=_("Beneficiary kind"), queryset=BeneficiaryKind.objects.active(), to_field_name="code"
    )
    as_of = django_filters.DateFilter(label=_("As of"), method="keep")
    order = django_filters.ChoiceFilter(label=_("Sort by"), choices=ORDER_CHOICES, method="keep")

    class Meta:
        model = Project
        fields: list[str] = []
        form = StyledForm

    def keep(self, queryset: Any, name: str, value: Any) -> Any:
        return queryset

    def selector_arguments(self) -> dict[str, Any]:
        """(filters, as_of, order) for ``project_list`` from the valid form."""
        data = self.form.cleaned_data if self.is_bound and self.form.is_valid() else {}
        filters = {
            "year": data.get("year"),
            "province": data.get("province"),
            "district": data.get("district"),
            "funding_source": getattr(data.get("funding_source"), "code", None),
            "content_area": data.get("content_area"),
            "phase": data.get("phase"),
            "status": data.get("status"),
            "beneficiary_kind": getattr(data.get("beneficiary_kind"), "code", None),
        }
        if filters["year"] is not None:
            filters["year"] = int(filters["year"])
        return {
            "filters": filters,
            "as_of": data.get("as_of"),
            "order": data.get("order") or "code",
        }


# --------------------------------------------------------------------------- shared pieces


class VersionField(forms.IntegerField):
    """The record version the form was opened with (optimistic locking)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("error_messages", {"required": _MISSING_VERSION})
        super().__init__(min_value=1, **kwargs)


_MISSING_VERSION = _("The form is missing its version; reload the page.")


def style_new_fields(form: forms.Form) -> None:
    """Give fields added after ``StyledForm.__init__`` the same Bootstrap classes."""
    for field in form.fields.values():
        widget = field.widget
        if "class" in widget.attrs or isinstance(widget, forms.HiddenInput):
            continue
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs["class"] = "form-check-input"
        elif isinstance(widget, forms.Select):
            widget.attrs["class"] = "form-select"
        else:
            widget.attrs["class"] = "form-control"
        if isinstance(widget, forms.DateInput):
            widget.input_type = "date"
            widget.format = "%Y-%m-%d"


def checked_file(file: Any) -> Any:
    """A file passes ``core.uploads.check_upload`` (size, real type) or a form error."""
    if file:
        try:
            check_upload(file)
        except ValidationError as error:
            raise forms.ValidationError(error.messages, code=error.code) from None
    return file


def attachment_fields(form: forms.Form, *, doc_type: str | None = None) -> None:
    """Optional file attached to what the form records (an event or a progress update)."""
    form.fields["attachment"] = forms.FileField(
        label=_("Attach a file"),
        required=False,
        help_text=_("Optional. PDF, Word, Excel, JPEG or PNG, up to %(size)s.")
        % {"size": filesizeformat(settings.MAX_UPLOAD_SIZE)},
    )
    if doc_type is None:
        form.fields["attachment_type"] = forms.ChoiceField(
            label=_("Type of the attached file"),
            choices=DocumentType.choices,
            initial=DocumentType.OTHER,
            required=False,
        )
    form.fields["attachment_title"] = forms.CharField(
        label=_("Title of the attached file"),
        max_length=300,
        required=False,
        help_text=_("Leave empty to name it automatically."),
    )


# --------------------------------------------------------------------------- steps

# What kind of document a step's paper is, for a file attached to it.
STEP_DOCUMENT_TYPES = {
    EventKind.APPROVE: DocumentType.DECISION,
    EventKind.ASSIGN: DocumentType.DECISION,
    EventKind.APPROVE_ADJUSTMENT: DocumentType.DECISION,
    EventKind.REFUSE_ADJUSTMENT: DocumentType.DECISION,
    EventKind.APPROVE_STOP: DocumentType.DECISION,
    EventKind.REFUSE_STOP: DocumentType.DECISION,
    EventKind.CONTRACT: DocumentType.CONTRACT,
    EventKind.ACCEPT: DocumentType.ACCEPTANCE,
    EventKind.SETTLE: DocumentType.SETTLEMENT,
}
BUDGET_FIELDS = ("budget_national", "budget_local", "budget_counterpart", "budget_other")
BUDGET_LABELS = {
    "budget_national": _("National fund (VND)"),
    "budget_local": _("Local fund (VND)"),
    "budget_counterpart": _("Beneficiary counterpart (VND)"),
    "budget_other": _("Other sources (VND)"),
}


class TransitionForm(StyledForm):
    """One lifecycle step (a row of ``lifecycle.TRANSITIONS``) with its paperwork.

    Which fields are required follows the row's guards: a document number where
    ``document_given`` applies, a reason where ``reason_given`` does; acceptance takes an
    optional accepted value, settlement the settled amount, an approved adjustment the new
    budget. Everything else is checked by ``lifecycle.decide`` when the step is recorded.
    """

    effective_date = forms.DateField(
        label=_("Effective date"), help_text=_("The day the step takes effect.")
    )
    document_number = forms.CharField(label=_("Document number"), max_length=80, required=False)
    document_date = forms.DateField(label=_("Document date"), required=False)
    issuer = forms.CharField(
        label=_("Issued by"),
        max_length=200,
        required=False,
        help_text=_("The authority that issued the document, e.g. Sở Công Thương."),
    )
    reason = forms.CharField(
        label=_("Reason or note"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    expected_version = VersionField()

    def __init__(
        self,
        *args: Any,
        project: Project,
        row: lifecycle.Transition,
        state: Any,
        can_attach: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.project, self.row, self.state = project, row, state
        self.fields["expected_version"].initial = project.version
        self.fields["effective_date"].initial = datetime.date.today()
        guards = {guard.__name__ for guard in row.guards}
        if "document_given" in guards:
            self.fields["document_number"].required = True
            self.fields["document_number"].help_text = _(
                "The number of the decision, contract or minutes, e.g. 19/BB-NT."
            )
        if "reason_given" in guards:
            self.fields["reason"].required = True
            self.fields["reason"].label = _("Reason")
        self._add_money_fields(guards)
        if can_attach:
            attachment_fields(self, doc_type=self.attachment_type)
        style_new_fields(self)
        self.order_fields(
            [
                "effective_date",
                "document_number",
                "document_date",
                "issuer",
                "amount",
                *BUDGET_FIELDS,
                "reason",
            ]
        )

    def _add_money_fields(self, guards: set[str]) -> None:
        state = self.state
        if self.row.kind == EventKind.ACCEPT:
            self.fields["amount"] = MoneyField(
                label=_("Accepted value (VND)"),
                required=False,
                help_text=_(
                    "Optional: between the money already disbursed (%(disbursed)s) and the "
                    "project's budget from the plan (%(budget)s)."
                )
                % {
                    "disbursed": format_vnd(state.disbursed),
                    "budget": format_vnd(state.plan_budget),
                },
            )
        elif self.row.kind == EventKind.SETTLE:
            limit = state.plan_budget if state.accepted_amount is None else state.accepted_amount
            self.fields["amount"] = MoneyField(
                label=_("Settled amount (VND)"),
                help_text=_(
                    "Between the money already disbursed (%(disbursed)s) and the accepted "
                    "value or budget (%(limit)s)."
                )
                % {"disbursed": format_vnd(state.disbursed), "limit": format_vnd(limit)},
            )
        elif self.row.kind == EventKind.APPROVE_ADJUSTMENT:
            for name in BUDGET_FIELDS:
                self.fields[name] = MoneyField(
                    label=BUDGET_LABELS[name],
                    initial=getattr(self.project, name),
                    help_text=_("Unchanged amounts: an adjustment of content or timing only."),
                )

    @property
    def attachment_type(self) -> str:
        return STEP_DOCUMENT_TYPES.get(self.row.kind, DocumentType.OTHER)

    def clean_attachment(self) -> Any:
        return checked_file(self.cleaned_data.get("attachment"))

    def new_budget(self) -> Budget | None:
        """The budget an approved adjustment sets, or ``None`` when the money is unchanged."""
        if self.row.kind != EventKind.APPROVE_ADJUSTMENT:
            return None
        budget = Budget(*(self.cleaned_data[name] for name in BUDGET_FIELDS))
        return None if budget == self.project.budget else budget

    def service_arguments(self) -> dict[str, Any]:
        """Keyword arguments for ``services.project_transition``."""
        data = self.cleaned_data
        return {
            "kind": self.row.kind,
            "effective_date": data["effective_date"],
            "document_number": data.get("document_number", ""),
            "document_date": data.get("document_date"),
            "issuer": data.get("issuer", ""),
            "reason": data.get("reason", ""),
            "amount": data.get("amount"),
            "new_budget": self.new_budget(),
            "expected_version": data["expected_version"],
        }


# --------------------------------------------------------------------------- progress


class ProgressForm(StyledForm):
    """Work done (cumulative %) and money disbursed on a date (``services.record_progress``)."""

    date = forms.DateField(label=_("Date"))
    progress_percent = forms.IntegerField(
        label=_("Work done (%)"),
        min_value=0,
        max_value=100,
        help_text=_("Cumulative: the share of all the work done by this date."),
    )
    disbursed_amount = MoneyField(
        label=_("Amount disbursed (VND)"),
        required=False,
        empty_zero=True,
        help_text=_("Money paid on this date only (not a running total); empty if none."),
    )
    disbursement_kind = forms.ChoiceField(
        label=_("Disbursement kind"), choices=DisbursementKind.choices
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    expected_version = VersionField()

    def __init__(
        self, *args: Any, project: Project, state: Any, can_attach: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.project = project
        self.fields["expected_version"].initial = project.version
        self.fields["date"].initial = datetime.date.today()
        self.fields["progress_percent"].initial = state.progress_percent
        accepted = state.status in lifecycle.PAYMENT_STATUSES
        self.fields["disbursement_kind"].initial = (
            DisbursementKind.PAYMENT if accepted else DisbursementKind.ADVANCE
        )
        if can_attach:
            attachment_fields(self)
        style_new_fields(self)

    def clean_attachment(self) -> Any:
        return checked_file(self.cleaned_data.get("attachment"))

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "date": data["date"],
            "progress_percent": data["progress_percent"],
            "disbursed_amount": data["disbursed_amount"] or 0,
            "disbursement_kind": data["disbursement_kind"],
            "note": data.get("note", ""),
            "expected_version": data["expected_version"],
        }


# --------------------------------------------------------------------------- create / edit


def plans_for(user: Any) -> Any:
    return (
        roles.scope_queryset(user, Plan.objects.active(), district=None, beneficiary=None)
        .select_related("province", "funding_source")
        .order_by("-year", "province__name", "title")
    )


def beneficiaries_for(user: Any) -> Any:
    return roles.scope_queryset(
        user, Beneficiary.objects.active(), beneficiary="pk"
    ).select_related("commune")


def organisations_for(user: Any) -> Any:
    """Implementing units a user may choose: those of their province (a district officer's
    too: organisations have no district), every one for national users."""
    organisations = Organisation.objects.active().order_by("name")
    if roles.is_national(user):
        return organisations
    return organisations.filter(province_id__in=roles.province_ids(user))


def places_for(user: Any) -> Any:
    """Administrative units a user may place a project at (any level, in their area)."""
    units = AdminUnit.objects.all()
    if roles.is_national(user):
        return units
    if user.district_id:
        return units.filter(Q(pk=user.district_id) | Q(parent_id=user.district_id))
    return units.filter(province_id__in=roles.province_ids(user))


class ProjectForm(StyledForm):
    """A project's details, for ``services.create_project`` and ``services.update_project``.

    The place is chosen with the places picker among the units in force on the project's
    date (its start date, else its registration date); the beneficiary among those of the
    user's area. An approved project's plan and budget change only through an approved
    adjustment, so their fields are read-only then.
    """

    code = forms.CharField(label=_("Code"), max_length=40)
    title = forms.CharField(label=_("Title"), max_length=500)
    plan = forms.ModelChoiceField(label=_("Plan"), queryset=Plan.objects.none(), required=False)
    content_area = forms.ModelChoiceField(
        label=_("Content area"), queryset=ContentArea.objects.none()
    )
    kcqg_type = forms.ChoiceField(
        label=_("KCQG project type"),
        choices=[("", "—"), *KcqgType.choices],
        required=False,
        help_text=_("National-fund projects only."),
    )
    implementing_unit = forms.ModelChoiceField(
        label=_("Implementing unit"), queryset=Organisation.objects.none()
    )
    beneficiary = forms.ModelChoiceField(
        label=_("Beneficiary"),
        queryset=Beneficiary.objects.none(),
        required=False,
        widget=BeneficiaryPicker,
        help_text=_("Optional for group and programme-management projects."),
    )
    registered_on = forms.DateField(label=_("Registered on"))
    document_number = forms.CharField(
        label=_("Registration document number"), max_length=80, required=False
    )
    # Short labels: the fieldset's legend says "(VND)".
    budget_national = MoneyField(label=_("National fund"), empty_zero=True)
    budget_local = MoneyField(label=_("Local fund"), empty_zero=True)
    budget_counterpart = MoneyField(label=_("Counterpart"), empty_zero=True)
    budget_other = MoneyField(label=_("Other sources"), empty_zero=True)
    start_date = forms.DateField(label=_("Start date"), required=False)
    end_date = forms.DateField(label=_("End date"), required=False)
    expected_results = forms.CharField(
        label=_("Expected results"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    expected_version = VersionField(required=False)

    CREATE_ONLY = ("registered_on", "document_number")

    def __init__(
        self, *args: Any, user: Any, instance: Project | None = None, **kwargs: Any
    ) -> None:
        self.instance = instance
        if instance is not None:
            kwargs.setdefault("initial", {})
            kwargs["initial"] = {**self.initial_from(instance), **kwargs["initial"]}
        super().__init__(*args, **kwargs)
        self.user = user
        today = datetime.date.today()
        for name in BUDGET_FIELDS:
            self.fields[name].required = False
            self.fields[name].initial = self.fields[name].initial or 0
        self.fields["plan"].queryset = plans_for(user)
        self.fields["plan"].label_from_instance = lambda plan: (
            f"{plan.title} ({plan.province.short_name})"
        )
        areas = ContentArea.objects.selectable().filter(parent__isnull=False)
        current = getattr(instance, "content_area_id", None)
        if current:
            areas = ContentArea.objects.filter(Q(pk__in=areas.values("pk")) | Q(pk=current))
        self.fields["content_area"].queryset = areas.order_by(
            "parent__sort_order", "sort_order", "code"
        )
        organisations = organisations_for(user)
        self.fields["implementing_unit"].queryset = organisations
        if instance is None and not self.is_bound:
            own = getattr(user, "organisation", None)
            centre = organisations.filter(kind="centre").first()
            self.fields["implementing_unit"].initial = (
                own if own is not None and own.kind == "centre" else centre
            )
        self.fields["beneficiary"].queryset = beneficiaries_for(user)
        province_id = None if roles.is_national(user) else user.province_id
        self.fields["place"] = PlaceField(
            queryset=places_for(user), valid_on=self.project_date, province_id=province_id
        )
        self.fields["place"].help_text = _(
            "Commune, district or province, as in force on the project's start date (or its "
            "registration date)."
        )
        if instance is None:
            self.fields["registered_on"].initial = today
            self.fields.pop("expected_version")
        else:
            for name in self.CREATE_ONLY:
                self.fields.pop(name)
            self.fields["expected_version"].required = True
            if instance.events.filter(kind=EventKind.APPROVE).exists():
                for name in ("plan", *BUDGET_FIELDS):
                    self.fields[name].disabled = True
                    self.fields[name].help_text = _(
                        "Approved: changes only through an approved adjustment."
                    )
        self.order_fields(
            [
                "code",
                "title",
                "plan",
                "content_area",
                "kcqg_type",
                "implementing_unit",
                "beneficiary",
                "place",
                "registered_on",
                "document_number",
                *BUDGET_FIELDS,
                "start_date",
                "end_date",
                "expected_results",
            ]
        )
        style_new_fields(self)
        for field in self.fields.values():
            field.label = capfirst(field.label)

    FIELDSETS = (
        (
            _("Project"),
            (
                ("code", "col-md-4"),
                ("title", "col-md-8"),
                ("plan", "col-md-8"),
                ("kcqg_type", "col-md-4"),
                ("content_area", "col-12"),
            ),
        ),
        (
            _("Who and where"),
            (("implementing_unit", "col-12"), ("beneficiary", "col-12"), ("place", "col-12")),
        ),
        (_("Registration"), (("registered_on", "col-md-4"), ("document_number", "col-md-8"))),
        (
            _("Budget (VND)"),
            tuple((name, "col-md-6 col-xl-3") for name in BUDGET_FIELDS),
        ),
        (
            _("Period and results"),
            (("start_date", "col-md-6"), ("end_date", "col-md-6"), ("expected_results", "col-12")),
        ),
    )

    @property
    def fieldsets(self) -> list[tuple[Any, list[tuple[Any, str]]]]:
        """(legend, [(bound field, column classes)]) for ``projects/_fieldsets.html``."""
        groups = []
        for legend, names in self.FIELDSETS:
            fields = [(self[name], width) for name, width in names if name in self.fields]
            if fields:
                groups.append((legend, fields))
        return groups

    @staticmethod
    def initial_from(project: Project) -> dict[str, Any]:
        names = (
            "code",
            "title",
            "plan",
            "content_area",
            "kcqg_type",
            "implementing_unit",
            "beneficiary",
            "place",
            *BUDGET_FIELDS,
            "start_date",
            "end_date",
            "expected_results",
        )
        initial = {name: getattr(project, name) for name in names}
        initial["expected_version"] = project.version
        return initial

    def project_date(self) -> datetime.date | None:
        """The date the place must be in force on: start date, else registration date."""
        for name in ("start_date", "registered_on"):
            if name not in self.fields:
                continue
            raw = self[name].value() if self.is_bound else self.fields[name].initial
            try:
                day = self.fields[name].to_python(raw) if raw else None
            except ValidationError:
                day = None
            if day:
                return day
        if self.instance is not None:
            first = self.instance.events.order_by("sequence").first()
            return self.instance.start_date or (first.effective_date if first else None)
        return None

    def budget(self) -> Budget:
        return Budget(*(self.cleaned_data.get(name) or 0 for name in BUDGET_FIELDS))

    def create_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        names = (
            "code",
            "title",
            "plan",
            "content_area",
            "kcqg_type",
            "implementing_unit",
            "beneficiary",
            "place",
            "registered_on",
            "document_number",
            "start_date",
            "end_date",
            "expected_results",
        )
        return {**{name: data.get(name) for name in names}, "budget": self.budget()}

    def update_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        changes = {name: data.get(name) for name in services.EDITABLE_FIELDS}
        return {**changes, "expected_version": data["expected_version"]}


# --------------------------------------------------------------------------- inspections


class InspectionForm(StyledForm):
    planned_date = forms.DateField(label=_("Planned date"))
    held_date = forms.DateField(label=_("Held on"), required=False)
    team = forms.CharField(label=_("Inspection team"), max_length=500, required=False)
    findings = forms.CharField(
        label=_("Findings"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    recommendations = forms.CharField(
        label=_("Recommendations"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    follow_up_status = forms.ChoiceField(
        label=_("Follow-up"), choices=FollowUpStatus.choices, initial=FollowUpStatus.NONE
    )
    follow_up_deadline = forms.DateField(
        label=_("Follow-up deadline"),
        required=False,
        help_text=_("Needed while the follow-up is open; past it, the inspection is overdue."),
    )
    expected_version = VersionField(required=False)

    FIELDS = (
        "planned_date",
        "held_date",
        "team",
        "findings",
        "recommendations",
        "follow_up_status",
        "follow_up_deadline",
    )

    def __init__(self, *args: Any, instance: Inspection | None = None, **kwargs: Any) -> None:
        if instance is not None:
            initial = {name: getattr(instance, name) for name in self.FIELDS}
            kwargs["initial"] = {**initial, "expected_version": instance.version}
        super().__init__(*args, **kwargs)
        self.instance = instance
        if instance is None:
            self.fields.pop("expected_version")
        else:
            self.fields["expected_version"].required = True

    def service_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.FIELDS}


class InspectionFilter(django_filters.FilterSet):
    """The inspections list: follow-up situation (overdue first of all), province, year."""

    follow_up = django_filters.ChoiceFilter(
        label=_("Follow-up"),
        method="filter_follow_up",
        choices=[
            ("overdue", _("Overdue follow-ups")),
            (FollowUpStatus.OPEN, _("Open")),
            (FollowUpStatus.DONE, _("Done")),
            (FollowUpStatus.NONE, _("No follow-up")),
        ],
    )
    province = django_filters.ModelChoiceFilter(
        label=_("Province"), queryset=_provinces, field_name="project__province"
    )
    year = django_filters.NumberFilter(label=_("Year"), field_name="planned_date__year")

    class Meta:
        model = Inspection
        fields: list[str] = []
        form = StyledForm

    def filter_follow_up(self, queryset: Any, name: str, value: str) -> Any:
        if value == "overdue":
            return queryset.overdue(datetime.date.today())
        return queryset.filter(follow_up_status=value)


# --------------------------------------------------------------------------- documents


class DocumentForm(StyledForm):
    doc_type = forms.ChoiceField(label=_("Document type"), choices=DocumentType.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    number = forms.CharField(label=_("Number"), max_length=80, required=False)
    date = forms.DateField(label=_("Date"), required=False)
    event = forms.ModelChoiceField(
        label=_("Step"),
        queryset=ProjectEvent.objects.none(),
        required=False,
        help_text=_("Optional: the step of the project this document belongs to."),
    )
    file = forms.FileField(label=_("File"))

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = project.events.order_by("sequence")
        self.fields["event"].label_from_instance = lambda event: (
            f"{event.effective_date:%d/%m/%Y} — {event.get_kind_display()}"
            + (f" ({event.document_number})" if event.document_number else "")
        )
        self.fields["file"].help_text = _("PDF, Word, Excel, JPEG or PNG, up to %(size)s.") % {
            "size": filesizeformat(settings.MAX_UPLOAD_SIZE)
        }

    def clean_file(self) -> Any:
        return checked_file(self.cleaned_data.get("file"))
