"""Register and edit a project: the form and the choices a user may make."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from khuyencong.accounts import roles
from khuyencong.accounts.models import Organisation
from khuyencong.beneficiaries.models import Beneficiary
from khuyencong.catalog.models import ContentArea
from khuyencong.core.forms import StyledForm
from khuyencong.plans.models import Allocation, Plan
from khuyencong.projects import services
from khuyencong.projects.fields import BeneficiaryPicker, MoneyField, PlaceField
from khuyencong.projects.forms.common import BUDGET_FIELDS, VersionField, style_new_fields
from khuyencong.projects.kinds import allocation_text
from khuyencong.projects.models import APPROVING, Budget, KcqgType, Project, ProjectKind
from khuyencong.projects.references import (
    beneficiaries_for,
    organisations_for,
    places_for,
    plans_for,
)

__all__ = ["ProjectForm", "beneficiaries_for", "organisations_for", "places_for", "plans_for"]


KIND_CHOICES = [
    (ProjectKind.SINGLE, _("A project for one beneficiary")),
    (ProjectKind.GROUP, _("A group project (several establishments)")),
    (ProjectKind.CENTRE, _("A project the centre implements itself")),
]


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
    # not required: a form sent without it (an older page, a script) lets the service infer
    # it from the beneficiary and the KCQG type (``services.infer_kind``)
    kind = forms.ChoiceField(
        label=_("Kind of project"),
        choices=KIND_CHOICES,
        required=False,
        widget=forms.RadioSelect(attrs={"data-project-kind": ""}),
        help_text=_(
            "A group project names no beneficiary: the department adds its participants by "
            "decision once it is approved. A project the centre implements itself has none "
            "either; its place may be the province or a district."
        ),
    )
    group_size = forms.IntegerField(
        label=_("Units to support"),
        min_value=1,
        max_value=10_000,
        required=False,
        help_text=_("Group projects: how many establishments the approval plans to support."),
    )
    allocation = forms.ModelChoiceField(
        label=_("Allocation batch"),
        queryset=Allocation.objects.none(),
        required=False,
        help_text=_("National-fund projects: the letter or decision (batch) that assigned it."),
    )
    implementing_unit = forms.ModelChoiceField(
        label=_("Implementing unit"), queryset=Organisation.objects.none()
    )
    beneficiary = forms.ModelChoiceField(
        label=_("Beneficiary"),
        queryset=Beneficiary.objects.none(),
        required=False,
        widget=BeneficiaryPicker,
        help_text=_(
            "Only for a project for one beneficiary: a group project's participants are added "
            "by decision once it is approved."
        ),
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
        today = timezone.localdate()
        for name in BUDGET_FIELDS:
            self.fields[name].required = False
            self.fields[name].initial = self.fields[name].initial or 0
        self.fields["plan"].queryset = plans_for(user)
        self.fields["allocation"].queryset = (
            Allocation.objects.active()
            .filter(plan__in=plans_for(user))
            .select_related("plan")
            .order_by("-plan__year", "plan_id", "batch")
        )
        self.fields["allocation"].label_from_instance = lambda batch: (
            f"{allocation_text(batch)} ({batch.plan.title})"
        )
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
        national = roles.is_national(user)
        self.fields["place"] = PlaceField(
            queryset=places_for(user),
            province_id=None if national else user.province_id,
            district_id=None if national else user.district_id,
            valid_on=self.project_date,
            search_on=self.project_date if instance is not None else None,
        )
        self.fields["place"].help_text = _(
            "Commune, district or province, as in force on the project's start date (or its "
            "registration date)."
        )
        if instance is None:
            self.fields["kind"].initial = ProjectKind.SINGLE
            self.fields["registered_on"].initial = today
            self.fields.pop("expected_version")
        else:
            for name in self.CREATE_ONLY:
                self.fields.pop(name)
            self.fields["expected_version"].required = True
            if instance.events.effective().filter(APPROVING).exists():
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
                "kind",
                "group_size",
                "allocation",
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
                ("kind", "col-md-8"),
                ("group_size", "col-md-4"),
                ("allocation", "col-12"),
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
            "kind",
            "group_size",
            "allocation",
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
            first = self.instance.events.effective().order_by("sequence").first()
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
            "kind",
            "group_size",
            "allocation",
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
