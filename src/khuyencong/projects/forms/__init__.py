"""Forms of the project screens: the list filter and as-of date, the step (transition) and
progress forms, project create/edit, inspections and documents.

Forms parse and check input only; the rules live in ``lifecycle`` and ``services``, whose
refusals the views show as form errors."""

from khuyencong.projects.forms.common import VersionField
from khuyencong.projects.forms.documents import DocumentForm
from khuyencong.projects.forms.groups import MemberEndForm, MemberForm
from khuyencong.projects.forms.inspections import InspectionForm
from khuyencong.projects.forms.lists import AsOfForm, InspectionFilter, ProjectFilter
from khuyencong.projects.forms.records import (
    ProjectForm,
    beneficiaries_for,
    organisations_for,
    places_for,
    plans_for,
)
from khuyencong.projects.forms.steps import ProgressForm, TransitionForm

__all__ = [
    "AsOfForm",
    "DocumentForm",
    "InspectionFilter",
    "InspectionForm",
    "MemberEndForm",
    "MemberForm",
    "ProgressForm",
    "ProjectFilter",
    "ProjectForm",
    "TransitionForm",
    "VersionField",
    "beneficiaries_for",
    "organisations_for",
    "places_for",
    "plans_for",
]
