"""Forms of the product vote, in the one form style (core.forms)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from khuyencong.accounts import roles
from khuyencong.accounts.models import Organisation, Role, ScopeLevel, User
from khuyencong.beneficiaries.models import Beneficiary
from khuyencong.contests import services
from khuyencong.contests.models import (
    Certificate,
    CertificateValidityRule,
    ComplaintOutcome,
    ComplaintRule,
    Contest,
    Criterion,
    Eligibility,
    Entry,
    FileKind,
    JuryRole,
    JurySizeRule,
    Level,
    PhotoView,
    ProductGroup,
    Region,
    ScoreSheet,
    ThresholdRule,
)
from khuyencong.core.forms import StyledForm, StyledFormMixin, VersionedModelForm
from khuyencong.core.models import PublicHoliday
from khuyencong.places.models import AdminUnit
from khuyencong.projects.models import Project

DATE = forms.DateInput()
YES_NO_UNKNOWN = [("", _("Not answered")), ("yes", _("Yes")), ("no", _("No"))]


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, unit: AdminUnit) -> str:
        return unit.full_path


class ContestForm(VersionedModelForm):
    area = AreaChoiceField(
        label=_("Area"),
        queryset=AdminUnit.objects.none(),
        required=False,
        help_text=_("The commune, district or province of the contest; empty for region/nation."),
    )

    class Meta:
        model = Contest
        fields = [
            "name",
            "level",
            "year",
            "area",
            "region",
            "project",
            "organiser",
            "authority_name",
            "registration_opens",
            "registration_closes",
            "judging_on",
            "score_sheet",
        ]
        widgets = {
            "registration_opens": DATE,
            "registration_closes": DATE,
            "judging_on": DATE,
        }

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = AdminUnit.objects.filter(level__in=["province", "district", "commune"])
        projects = Project.objects.active().select_related("content_area")
        organisers = Organisation.objects.active()
        if user is not None and not roles.is_national(user):
            province_ids = roles.province_ids(user)
            units = units.filter(province_id__in=province_ids)
            projects = projects.filter(province_id__in=province_ids)
            # units of the user's province, or without one (the national agency)
            organisers = organisers.filter(
                Q(province_id__in=province_ids) | Q(province__isnull=True)
            )
        self.fields["area"].queryset = units.select_related("parent__parent").order_by(
            "era", "level", "name"
        )
        self.fields["project"].queryset = projects.filter(
            content_area__code="product_vote"
        ) | projects.filter(pk=self.instance.project_id or 0)
        self.fields["organiser"].queryset = organisers | Organisation.objects.filter(
            pk=self.instance.organiser_id or 0
        )
        self.fields["score_sheet"].queryset = ScoreSheet.objects.active()
        self.fields["score_sheet"].required = False
        self.fields["region"].choices = [("", "—"), *Region.choices]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if all(cleaned.get(name) for name in ("level", "registration_opens")):
            try:
                services.check_contest_setup(
                    level=cleaned["level"],
                    area=cleaned.get("area"),
                    region=cleaned.get("region", ""),
                    registration_opens=cleaned["registration_opens"],
                )
            except services.ContestError as error:
                raise forms.ValidationError(str(error)) from None
        return cleaned


def contest_accounts(contest: Contest) -> Any:
    """The accounts a contest's jury may use: active users of the contest's province (its 2025
    family included) and national users — not the accounts of other provinces."""
    users = User.objects.filter(is_active=True)
    if contest.province_id is None:
        return users
    family = AdminUnit.province_family_ids(contest.province_id)
    return users.filter(Q(province_id__in=family) | Q(scope_level=ScopeLevel.NATIONAL))


class JuryMemberForm(StyledForm):
    full_name = forms.CharField(label=_("Full name"), max_length=120)
    position = forms.CharField(label=_("Position and unit"), max_length=300, required=False)
    role = forms.ChoiceField(label=_("Role in the jury"), choices=JuryRole.choices)
    user = forms.ModelChoiceField(
        label=_("User account (to act in the system)"),
        queryset=User.objects.none(),
        required=False,
    )

    def __init__(self, *args: Any, contest: Contest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = contest_accounts(contest).order_by("username")


class JudgeForm(StyledForm):
    user = forms.ModelChoiceField(label=_("Jury member account"), queryset=User.objects.none())
    is_head = forms.BooleanField(label=_("Head of the panel"), required=False)
    expertise = forms.CharField(label=_("Expertise"), max_length=200, required=False)

    def __init__(self, *args: Any, contest: Contest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = (
            contest_accounts(contest).filter(role=Role.JURY_MEMBER).order_by("username")
        )


def _tristate(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class EntryForm(StyledForm):
    beneficiary = forms.ModelChoiceField(label=_("Establishment"), queryset=Beneficiary.objects)
    product_name = forms.CharField(label=_("Product name"), max_length=300)
    is_product_set = forms.BooleanField(label=_("Product set"), required=False)
    product_group = forms.ModelChoiceField(
        label=_("Product group"), queryset=ProductGroup.objects.none()
    )
    description = forms.CharField(
        label=_("Short description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    registered_on = forms.DateField(label=_("Registered on"), widget=forms.DateInput())
    own_product = forms.ChoiceField(
        label=_("Made by the establishment itself"), choices=YES_NO_UNKNOWN, required=False
    )
    not_copied = forms.ChoiceField(
        label=_("Not copied, intellectual property respected"),
        choices=YES_NO_UNKNOWN,
        required=False,
    )
    mass_producible = forms.ChoiceField(
        label=_("Can be produced in quantity"), choices=YES_NO_UNKNOWN, required=False
    )
    lower_certificate = forms.ModelChoiceField(
        label=_("Certificate of the level below (in this system)"),
        queryset=Certificate.objects.none(),
        required=False,
    )
    lower_certificate_number = forms.CharField(
        label=_("Or: number of a certificate issued outside the system"),
        max_length=60,
        required=False,
    )
    lower_certificate_level = forms.ChoiceField(
        label=_("Its level"), choices=[("", "—")], required=False
    )
    lower_certificate_valid_until = forms.DateField(
        label=_("Valid until"), required=False, widget=forms.DateInput()
    )

    def __init__(self, *args: Any, beneficiaries: QuerySet, contest: Contest, **kwargs: Any):
        super().__init__(*args, **kwargs)

        self.fields["beneficiary"].queryset = beneficiaries.order_by("name")
        self.fields["product_group"].queryset = ProductGroup.objects.selectable(
            contest.registration_opens
        )
        self.fields["lower_certificate"].queryset = Certificate.objects.active().filter(
            beneficiary__in=beneficiaries
        )
        self.fields["lower_certificate_level"].choices = [("", "—"), *Level.choices]

    def entry_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        for name in ("own_product", "not_copied", "mass_producible"):
            data[name] = _tristate(data[name])
        return data


class EntryFileForm(StyledForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=FileKind.choices)
    photo_view = forms.ChoiceField(
        label=_("View (photos)"), choices=[("", "—"), *PhotoView.choices], required=False
    )
    file = forms.FileField(label=_("File"))


class ReviewForm(StyledForm):
    decision = forms.ChoiceField(
        label=_("Eligibility"),
        choices=[
            (Eligibility.ELIGIBLE, _("Eligible")),
            (Eligibility.INELIGIBLE, _("Not eligible")),
        ],
    )
    eligibility_note = forms.CharField(
        label=_("Review note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    # the entry's version when the page was opened: a second reviewer is told, not overwritten
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ScoreCardForm(StyledForm):
    """One field per criterion of the sheet, plus the conflict-of-interest declaration."""

    conflict = forms.BooleanField(label=_("I have a conflict of interest"), required=False)
    conflict_reason = forms.CharField(
        label=_("Reason for the conflict of interest"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(self, *args: Any, criteria: list[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[self.field_name(criterion)] = forms.DecimalField(
                label=f"{criterion.code}. {criterion.name}",
                help_text=_("0 to %(max)s points") % {"max": _points(criterion.max_points)},
                min_value=Decimal(0),
                max_value=criterion.max_points,
                decimal_places=2,
                required=False,
                localize=True,
            )
        # the conflict declaration last
        self.order_fields([self.field_name(c) for c in criteria] + ["conflict", "conflict_reason"])

    @staticmethod
    def field_name(criterion: Criterion) -> str:
        return f"criterion_{criterion.pk}"

    def points(self) -> dict[int, Any]:
        return {c.pk: self.cleaned_data.get(self.field_name(c)) for c in self.criteria}

    def groups(self) -> list[tuple[Any, list[Any]]]:
        """(criteria group, bound fields) in sheet order, for the template."""
        grouped: dict[int, tuple[Any, list[Any]]] = {}
        for criterion in self.criteria:
            grouped.setdefault(criterion.group_id, (criterion.group, []))[1].append(
                self[self.field_name(criterion)]
            )
        return list(grouped.values())


def _points(value: Decimal) -> str:
    return f"{value.normalize():f}"


class AnnounceForm(StyledForm):
    announced_on = forms.DateField(label=_("Results announced on"), widget=forms.DateInput())
    recognised = forms.ModelMultipleChoiceField(
        label=_("Products the jury recognises"),
        queryset=Entry.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Only entries reaching the threshold can be chosen."),
    )

    def __init__(self, *args: Any, contest: Contest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        passing = contest.entries.eligible().filter(meets_threshold=True)
        self.fields["recognised"].queryset = passing
        self.fields["recognised"].initial = list(passing.values_list("pk", flat=True))


class DecisionForm(StyledForm):
    decision_number = forms.CharField(label=_("Decision number"), max_length=60)
    decision_date = forms.DateField(label=_("Decision date"), widget=forms.DateInput())
    signer_capacity = forms.CharField(
        label=_("Signing capacity"), max_length=80, required=False, help_text=_("e.g. KT. CHỦ TỊCH")
    )
    signer_position = forms.CharField(label=_("Signer's position"), max_length=80)
    signer_name = forms.CharField(label=_("Signer's name"), max_length=120)


class ComplaintForm(StyledForm):
    complainant = forms.CharField(label=_("Complainant"), max_length=300)
    received_on = forms.DateField(label=_("Received on"), widget=forms.DateInput())
    entry = forms.ModelChoiceField(
        label=_("Entry concerned"), queryset=Entry.objects.none(), required=False
    )
    content = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, contest: Contest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["entry"].queryset = contest.entries.active()


class ResolveForm(StyledForm):
    resolved_on = forms.DateField(label=_("Resolved on"), widget=forms.DateInput())
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ComplaintOutcome.choices)
    resolution = forms.CharField(label=_("Resolution"), widget=forms.Textarea(attrs={"rows": 3}))


class RevokeForm(StyledForm):
    revoked_on = forms.DateField(label=_("Revoked on"), widget=forms.DateInput())
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class VerifyForm(StyledForm):
    number = forms.CharField(label=_("Certificate number"), max_length=40)


# --------------------------------------------------------------------------------------------
# Dated rules (system administrator)

RULE_FIELDS = ["valid_from", "valid_to", "legal_basis", "article", "confirmed", "notes"]
RULE_WIDGETS = {"valid_from": DATE, "valid_to": DATE, "notes": forms.Textarea(attrs={"rows": 2})}


def rule_form(model: type) -> type[VersionedModelForm]:
    extra = {
        JurySizeRule: ["level", "allowed_sizes"],
        ThresholdRule: ["min_average"],
        CertificateValidityRule: ["years"],
        ComplaintRule: ["filing_working_days", "resolution_working_days"],
        PublicHoliday: ["date", "name", "kind"],
        ScoreSheet: ["name"],
    }[model]
    fields = extra + (["confirmed", "notes"] if model is PublicHoliday else RULE_FIELDS)
    meta = type(
        "Meta", (), {"model": model, "fields": fields, "widgets": {**RULE_WIDGETS, "date": DATE}}
    )
    return type(f"{model.__name__}Form", (VersionedModelForm,), {"Meta": meta})


class CriterionForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Criterion
        fields = ["code", "name", "max_points", "weight", "order"]
