"""The step (transition) form and the progress form."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from khuyencong.core.dates import default_day
from khuyencong.core.forms import StyledForm
from khuyencong.core.money import format_vnd
from khuyencong.projects import lifecycle, procedure
from khuyencong.projects.fields import MoneyField
from khuyencong.projects.forms.common import (
    BUDGET_FIELDS,
    BUDGET_LABELS,
    VersionField,
    attachment_fields,
    checked_file,
    style_new_fields,
)
from khuyencong.projects.models import Budget, DisbursementKind, DocumentType, EventKind, Project

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


def day_in_plan(project: Project, state: Any) -> datetime.date:
    """The day a step or progress form offers: in the project's plan years (not today on
    past work), not before the project's last recorded step or progress."""
    plan = project.plan if project.plan_id else None
    return default_day(
        plan.year if plan else None,
        plan.end_year if plan else None,
        not_before=getattr(state, "last_activity_date", None),
    )


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
        self.fields["effective_date"].initial = day_in_plan(project, state)
        guards = {guard.__name__ for guard in row.guards}
        if "document_given" in guards:
            self.fields["document_number"].required = True
            self.fields["document_number"].help_text = _(
                "The number of the decision, contract or minutes, e.g. 19/BB-NT."
            )
        day = self.fields["effective_date"].initial
        if row.kind in procedure.document_kinds(project, day):  # the province's own rule
            self.fields["document_number"].required = True
            self.fields["document_number"].help_text = _(
                "The province's procedure requires this step's document: give its number."
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
        self.fields["date"].initial = day_in_plan(project, state)
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
