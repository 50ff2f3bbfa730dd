"""The inspection form (plan, record, follow up)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from khuyencong.core.dates import default_day
from khuyencong.core.forms import StyledForm
from khuyencong.projects.forms.common import VersionField
from khuyencong.projects.models import FollowUpStatus, Inspection, Project


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
    # the inspection's version when editing one, the project's when adding one
    expected_version = VersionField()

    FIELDS = (
        "planned_date",
        "held_date",
        "team",
        "findings",
        "recommendations",
        "follow_up_status",
        "follow_up_deadline",
    )

    def __init__(
        self,
        *args: Any,
        project: Project,
        instance: Inspection | None = None,
        **kwargs: Any,
    ) -> None:
        if instance is not None:
            kwargs["initial"] = {name: getattr(instance, name) for name in self.FIELDS}
        else:  # a new inspection: a day of the project's plan years, not today on past work
            plan = project.plan if project.plan_id else None
            day = default_day(plan.year, plan.end_year) if plan is not None else None
            kwargs.setdefault("initial", {}).setdefault("planned_date", day)
        super().__init__(*args, **kwargs)
        self.instance = instance
        self.fields["expected_version"].initial = (instance or project).version

    def service_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.FIELDS}
