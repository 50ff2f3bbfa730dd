"""Report forms: the scope and period of a report, and the texts editable before saving."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from khuyencong.accounts import roles
from khuyencong.core.bounds import BoundedIntegerField
from khuyencong.core.forms import StyledForm
from khuyencong.places.models import AdminUnit
from khuyencong.reports.data import ReportData
from khuyencong.reports.edits import ReportEdits, lines, starting_edits
from khuyencong.reports.models import PERIOD_CHOICES
from khuyencong.reports.periods import PeriodRefused, check_period

NATIONWIDE = ""


def province_choices(user: Any) -> Any:
    units = AdminUnit.objects.provinces().order_by("era", "name")
    if roles.is_national(user):
        return units
    return units.filter(pk__in=roles.province_ids(user))


class ReportScopeForm(StyledForm):
    """Which report: the scope (a province, or the whole country for national users), the
    plan year and the period, or any as-of date."""

    province = forms.ModelChoiceField(
        label=gettext_lazy("Province"), queryset=AdminUnit.objects.none(), required=False
    )
    year = forms.IntegerField(label=gettext_lazy("Plan year"), min_value=2000, max_value=2100)
    period = forms.ChoiceField(
        label=gettext_lazy("Report period"), choices=PERIOD_CHOICES, initial="H1"
    )
    as_of = forms.DateField(
        label=gettext_lazy("Status as of"),
        required=False,
        help_text=gettext_lazy("Empty: the last day of the period. Required for “Up to a date”."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        field = self.fields["province"]
        field.queryset = province_choices(user)
        if roles.is_national(user):
            field.empty_label = _("Whole country")
        else:
            field.required = True
            field.empty_label = None
            if user.province_id and not self.is_bound:
                field.initial = user.province_id

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        period, year, as_of = cleaned.get("period"), cleaned.get("year"), cleaned.get("as_of")
        if period and year is not None and not self.has_error("as_of"):
            try:
                check_period(period, year, as_of)  # the API's and the command's rule too
            except PeriodRefused as refused:
                self.add_error(refused.field, refused.message)
        return cleaned

    def query(self) -> dict[str, str]:
        """The cleaned values as URL parameters (the preview and the saved report use them)."""
        data = self.cleaned_data
        values = {
            "province": str(data["province"].pk) if data.get("province") else NATIONWIDE,
            "year": str(data["year"]),
            "period": data["period"],
        }
        if data.get("as_of"):
            values["as_of"] = data["as_of"].isoformat()
        return values


TEXTAREA = {"rows": 4}


class ReportEditForm(StyledForm):
    """The narrative parts and document details, starting from the report's default texts.
    Solutions and orientation are typed one item (paragraph) per line."""

    number = forms.CharField(label=gettext_lazy("Number"), required=False, max_length=30)
    issued_on = forms.DateField(label=gettext_lazy("Date of the report"))
    signer_capacity = forms.CharField(
        label=gettext_lazy("Signing on behalf"), required=False, max_length=60
    )
    signer_position = forms.CharField(label=gettext_lazy("Signer's position"), max_length=60)
    signer_name = forms.CharField(
        label=gettext_lazy("Signer's name"), required=False, max_length=120
    )
    solutions = forms.CharField(
        label=gettext_lazy("Part two: solutions (one per line)"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
    )
    orientation = forms.CharField(
        label=gettext_lazy("Part three: objectives and orientation (one paragraph per line)"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
    )

    def __init__(self, *args: Any, data_for: ReportData, **kwargs: Any) -> None:
        start = starting_edits(data_for)
        kwargs.setdefault(
            "initial",
            {
                "number": start.number,
                "issued_on": start.issued_on,
                "signer_capacity": start.signer_capacity,
                "signer_position": start.signer_position,
                "signer_name": start.signer_name,
                "solutions": "\n".join(start.solutions or ()),
                "orientation": "\n".join(start.orientation or ()),
            },
        )
        super().__init__(*args, **kwargs)
        self.report = data_for
        self.section_fields: list[tuple[str, str]] = []
        for section in data_for.sections:
            if not section.projects:
                continue
            name = f"narrative_{section.source_code}"
            self.fields[name] = forms.CharField(
                label=_("Paragraph on the %(source)s projects") % {"source": section.label},
                widget=forms.Textarea(attrs=TEXTAREA),
                required=False,
                initial=start.section_narratives.get(section.source_code, ""),
            )
            self.section_fields.append((name, section.source_code))
        if data_for.next_year is not None:
            self.fields["next_year_text"] = forms.CharField(
                label=_("Part three: where the %(year)s plan stands")
                % {"year": data_for.next_year.year},
                widget=forms.Textarea(attrs={"rows": 6}),
                required=False,
                initial=start.next_year_text,
            )
        for field in self.fields.values():  # the fields added here get the form style too
            if isinstance(field.widget, forms.Textarea):
                classes = set(field.widget.attrs.get("class", "").split())
                field.widget.attrs["class"] = " ".join(
                    sorted(classes | {"form-control", "kc-narrative"})
                )
        self.order_fields(
            [
                "number",
                "issued_on",
                *[name for name, _code in self.section_fields],
                "solutions",
                "orientation",
                "next_year_text",
                "signer_capacity",
                "signer_position",
                "signer_name",
            ]
        )

    def to_edits(self) -> ReportEdits:
        data = self.cleaned_data
        return ReportEdits(
            number=data.get("number", ""),
            issued_on=data.get("issued_on"),
            signer_capacity=data.get("signer_capacity", ""),
            signer_position=data.get("signer_position", ""),
            signer_name=data.get("signer_name", ""),
            section_narratives={code: data.get(name, "") for name, code in self.section_fields},
            solutions=lines(data.get("solutions", "")),
            orientation=lines(data.get("orientation", "")),
            next_year_text=data.get("next_year_text") if "next_year_text" in self.fields else None,
        )


class SinceForm(StyledForm):
    since = forms.ModelChoiceField(
        label=gettext_lazy("Compare with"), queryset=None, required=False
    )

    def __init__(self, *args: Any, queryset: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["since"].queryset = queryset


# --------------------------------------------------------------------------------------------
# Sign-off steps (reports.signoff): each form carries the version the page was opened at


class SignoffForm(StyledForm):
    expected_version = BoundedIntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, report: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if report is not None and not self.is_bound:
            self.fields["expected_version"].initial = report.version


class SubmitForm(SignoffForm):
    pass


class ReturnForm(SignoffForm):
    note = forms.CharField(
        label=gettext_lazy("Why it is returned"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class IssueForm(SignoffForm):
    number = forms.CharField(label=gettext_lazy("Number"), max_length=30)
    issued_on = forms.DateField(label=gettext_lazy("Date of issue"))

    def __init__(self, *args: Any, report: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, report=report, **kwargs)
        if report is not None and not self.is_bound:
            self.fields["number"].initial = report.number
            self.fields["issued_on"].initial = report.issued_on
        symbol = report.snapshot.get("symbol") if report is not None else None
        if symbol:
            self.fields["number"].help_text = _("The document symbol is added: %(symbol)s.") % {
                "symbol": f"…/{symbol}"
            }


class SendForm(SignoffForm):
    sent_on = forms.DateField(label=gettext_lazy("Sent on"))
    sent_to = forms.CharField(
        label=gettext_lazy("Sent to (one per line)"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, report: Any = None, recipients: str = "", **kwargs: Any) -> None:
        super().__init__(*args, report=report, **kwargs)
        if report is not None and not self.is_bound:
            # the day it is issued (the report's own date, never today on past work)
            self.fields["sent_on"].initial = report.issued_on
            self.fields["sent_to"].initial = recipients
