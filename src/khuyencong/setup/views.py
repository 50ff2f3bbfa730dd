"""The set-up pages at /setup/: the checklist, organisations, users, report settings, and the
invitation link's page. Views parse input, call one service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khuyencong.accounts import roles
from khuyencong.accounts.models import Organisation, Role, User
from khuyencong.core.models import VersionConflict
from khuyencong.core.text import day_text
from khuyencong.core.workflow import Refused
from khuyencong.documents import wording
from khuyencong.documents.docx import MOTTO, NATION, RECIPIENTS_HEADING
from khuyencong.places.models import AdminUnit, Level
from khuyencong.projects import procedure
from khuyencong.projects.models import ProcedureStep, ProvinceProcedureStep
from khuyencong.reports.builder import authority_for
from khuyencong.reports.data import Signer
from khuyencong.reports.models import ReportSettings
from khuyencong.setup import forms, services
from khuyencong.setup.checklist import checklist
from khuyencong.setup.models import Invitation
from khuyencong.trust.models import AuditAction, AuditEntry


def _can_manage_users(request: HttpRequest) -> bool:
    """Whether the set-up's "Users" tab leads anywhere for this user (no link to a 403)."""
    return roles.allowed(request.user, "accounts.manage_users")


def _province(request: HttpRequest, province_id: int, permission: str) -> AdminUnit:
    province = AdminUnit.objects.filter(pk=province_id, level=Level.PROVINCE).first()
    if province is None:
        raise Http404
    roles.require_page(request, permission)
    if not roles.in_scope(request.user, province):
        raise Http404  # another province's set-up is not shown, not even its existence
    return province


@login_required
def index(request: HttpRequest) -> HttpResponse:
    roles.require_page(request, "setup.view")
    user: Any = request.user
    if not roles.is_national(user):
        if user.province_id is None:
            raise Http404
        return redirect("setup:province", user.province_id)
    form = forms.ProvinceChoiceForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return redirect("setup:province", form.cleaned_data["province"].pk)
    return render(request, "setup/index.html", {"form": form})


@login_required
def province_page(request: HttpRequest, province_id: int) -> HttpResponse:
    province = _province(request, province_id, "setup.view")
    items = [(item, roles.allowed(request.user, item.permission)) for item in checklist(province)]
    return render(
        request,
        "setup/province.html",
        {
            "province": province,
            "items": items,
            "missing": sum(1 for item, _allowed in items if not item.done),
            "can_users": _can_manage_users(request),
        },
    )


# --- organisations ------------------------------------------------------------------------


@login_required
def organisations(request: HttpRequest, province_id: int) -> HttpResponse:
    province = _province(request, province_id, "setup.view")
    rows = (
        Organisation.objects.filter(province_id__in=AdminUnit.province_family_ids(province.pk))
        .select_related("district", "parent")
        .prefetch_related("former_names")
        .order_by("kind", "name")
    )
    can_edit = roles.allowed(request.user, "setup.organisations", province)
    form = forms.OrganisationForm(request.POST or None, province=province)
    if request.method == "POST":
        roles.require_page(request, "setup.organisations", province)
        if form.is_valid():
            data = form.cleaned_data
            try:
                created = services.create_organisation(
                    request.user,
                    province,
                    kind=data["kind"],
                    name=data["name"],
                    short_name=data["short_name"],
                    district=data["district"],
                    parent=data["parent"],
                    address=data["address"],
                )
            except Refused as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(request, _("“%(name)s” added.") % {"name": created.name})
                return redirect("setup:organisations", province.pk)
    return render(
        request,
        "setup/organisations.html",
        {
            "province": province,
            "rows": rows,
            "form": form,
            "can_edit": can_edit,
            "can_users": _can_manage_users(request),
        },
    )


@login_required
def rename(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation.objects.select_related("province"), pk=pk)
    if organisation.province is None:
        raise Http404
    province = _province(request, organisation.province.pk, "setup.organisations")
    form = forms.RenameForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.rename_organisation(
                request.user,
                organisation,
                name=form.cleaned_data["name"],
                since=form.cleaned_data["since"],
                note=form.cleaned_data["note"],
            )
        except Refused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("The new name is recorded; the former one is kept."))
            return redirect("setup:organisations", province.pk)
    return render(
        request,
        "setup/rename.html",
        {"province": province, "organisation": organisation, "form": form},
    )


# --- users --------------------------------------------------------------------------------


@login_required
def users(request: HttpRequest, province_id: int) -> HttpResponse:
    province = _province(request, province_id, "accounts.manage_users")
    rows = (
        User.objects.filter(province_id__in=AdminUnit.province_family_ids(province.pk))
        .exclude(role=Role.BENEFICIARY)
        .select_related("organisation", "district")
        .order_by("-is_active", "last_name", "first_name")
    )
    form = forms.InviteForm(request.POST or None, actor=request.user, province=province)
    link = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation, token = services.invite_user(
                request.user,
                services.NewUser(
                    email=data["email"],
                    full_name=data["full_name"],
                    role=data["role"],
                    province=province,
                    district=data["district"],
                    organisation=data["organisation"],
                    phone=data["phone"],
                ),
            )
        except Refused as refused:
            form.add_error(None, refused.message)
        else:
            link = request.build_absolute_uri(reverse("setup:accept", args=[token]))
            if data["send_email"]:
                services.send_invitation(invitation, link)
                messages.success(
                    request, _("The invitation was sent to %(email)s.") % {"email": data["email"]}
                )
                return redirect("setup:users", province.pk)
            form = forms.InviteForm(actor=request.user, province=province)
    devices = set(
        services.TOTPDevice.objects.filter(user__in=rows, confirmed=True).values_list(
            "user_id", flat=True
        )
    )
    open_invitations = {
        invitation.user_id: invitation
        for invitation in Invitation.objects.active().filter(user__in=rows, accepted_at=None)
    }
    listed = [
        {
            "user": row,
            "two_factor": row.pk in devices,
            "invitation": open_invitations.get(row.pk),
            "manageable": bool(roles.check_grant(request.user, row.role, row.province_id))
            and row.pk != request.user.pk,
        }
        for row in rows
    ]
    return render(
        request,
        "setup/users.html",
        {"province": province, "rows": listed, "form": form, "link": link},
    )


def _user_action(request: HttpRequest, pk: int) -> tuple[User, AdminUnit]:
    target = get_object_or_404(User, pk=pk)
    if target.province_id is None:
        raise Http404
    province = _province(request, target.province_id, "accounts.manage_users")
    return target, province


@login_required
@require_POST
def deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    target, province = _user_action(request, pk)
    form = forms.DeactivateForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        if request.POST.get("action") == "reactivate":
            services.reactivate_user(request.user, target)
            messages.success(request, _("%(user)s can sign in again.") % {"user": target})
        else:
            services.deactivate_user(request.user, target, reason)
            messages.success(request, _("%(user)s can no longer sign in.") % {"user": target})
    except Refused as refused:
        messages.error(request, refused.message)
    return redirect("setup:users", province.pk)


@login_required
@require_POST
def reinvite(request: HttpRequest, pk: int) -> HttpResponse:
    """A new one-time link for an invited user whose link expired or was lost; shown on the
    users page (and e-mailed when asked)."""
    target, province = _user_action(request, pk)
    try:
        invitation, token = services.reinvite_user(request.user, target)
    except Refused as refused:
        messages.error(request, refused.message)
        return redirect("setup:users", province.pk)
    link = request.build_absolute_uri(reverse("setup:accept", args=[token]))
    if request.POST.get("send_email"):
        services.send_invitation(invitation, link)
        messages.success(
            request, _("The invitation was sent to %(email)s.") % {"email": target.email}
        )
        return redirect("setup:users", province.pk)
    messages.info(
        request,
        _("A new one-time link for %(user)s (shown only now): %(link)s")
        % {"user": target, "link": link},
    )
    return redirect("setup:users", province.pk)


@login_required
@require_POST
def reset_two_factor(request: HttpRequest, pk: int) -> HttpResponse:
    target, province = _user_action(request, pk)
    try:
        services.reset_two_factor(request.user, target)
    except Refused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request,
            _("Two-factor sign-in of %(user)s was reset: they set it up again.") % {"user": target},
        )
    return redirect("setup:users", province.pk)


def accept(request: HttpRequest, token: str) -> HttpResponse:
    """The invitation link (no sign-in needed): the invited person chooses a password."""
    try:
        invitation = services.open_invitation(token)
    except Refused as refused:
        status = 410 if refused.code in ("used", "expired") else 404
        return render(
            request, "setup/accept_refused.html", {"message": refused.message}, status=status
        )
    form = forms.AcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.accept_invitation(
                token, form.cleaned_data["password"], form.cleaned_data["password_again"]
            )
        except Refused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("Your password is set: sign in with your e-mail address."))
            return redirect("login")
    return render(request, "setup/accept.html", {"form": form, "invitation": invitation})


# --- report settings ----------------------------------------------------------------------


def _preview_context(province: AdminUnit, values: dict[str, str]) -> dict[str, Any]:
    authority = authority_for(province, timezone.localdate())
    return {
        "authority_parent": authority.parent,
        "authority_name": authority.name,
        "nation": NATION,
        "motto": MOTTO,
        "number_line": f"Số:       /{values.get('symbol', '')}",
        "recipients_heading": RECIPIENTS_HEADING,
        "recipients": wording.recipient_lines(
            [line for line in values.get("recipients", "").splitlines() if line.strip()]
        ),
        "signer": Signer(
            capacity=values.get("signer_capacity", ""),
            position=values.get("signer_position", ""),
            name=values.get("signer_name", ""),
        ),
    }


def _input(data: dict[str, Any]) -> services.ReportSettingsInput:
    return services.ReportSettingsInput(
        symbol=data.get("symbol") or "",
        signer_capacity=data.get("signer_capacity") or "",
        signer_position=data.get("signer_position") or "",
        signer_name=data.get("signer_name") or "",
        recipients=data.get("recipients") or "",
        local_programme=data.get("local_programme") or "",
        focus_areas=data.get("focus_areas") or "",
    )


@login_required
def report_settings(request: HttpRequest, province_id: int) -> HttpResponse:
    province = _province(request, province_id, "setup.report_settings")
    row = ReportSettings.objects.active().filter(province=province).first()
    initial: dict[str, Any] = {
        "symbol": "BC-SCT",
        "signer_position": "GIÁM ĐỐC",
    }
    if row is not None:
        initial = {
            name: getattr(row, name)
            for name in (
                "symbol",
                "signer_capacity",
                "signer_position",
                "signer_name",
                "recipients",
                "local_programme",
                "focus_areas",
            )
        }
        initial["expected_version"] = row.version
    form = forms.ReportSettingsForm(request.POST or None, initial=initial)
    preview_values = {key: str(value) for key, value in initial.items()}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        preview_values = {key: str(value or "") for key, value in data.items()}
        try:
            services.save_report_settings(
                request.user, province, _input(data), data.get("expected_version")
            )
        except Refused as refused:
            form.add_error(None, refused.message)
        except VersionConflict:
            form.add_error(
                None,
                _("Someone saved these settings meanwhile: reload the page to see their version."),
            )
        else:
            messages.success(request, _("The report settings are saved."))
            return redirect("setup:report_settings", province.pk)
    return render(
        request,
        "setup/report_settings.html",
        {
            "province": province,
            "form": form,
            "doc": _preview_context(province, preview_values),
            "can_users": _can_manage_users(request),
        },
    )


@login_required
@require_POST
def report_settings_preview(request: HttpRequest, province_id: int) -> HttpResponse:
    """The header and signature block as typed (htmx, on every change); nothing is saved."""
    province = _province(request, province_id, "setup.report_settings")
    try:
        values = services.clean_report_settings(_input(request.POST.dict()))
    except Refused as refused:
        return render(request, "setup/_preview.html", {"problem": refused.message})
    return render(request, "setup/_preview.html", {"doc": _preview_context(province, values)})


# --- the province's own procedure ---------------------------------------------------------


def _procedure_rows(province: AdminUnit, day: Any) -> list[Any]:
    rules = procedure.procedure_on(province.pk, day)
    return [rules[step.value] for step in ProcedureStep]


def _changes(province: AdminUnit) -> list[tuple[Any, Any]]:
    """Every row written for the province, with who wrote it (from the audit trail)."""
    rows = procedure.history(province)
    content_type = ContentType.objects.get_for_model(ProvinceProcedureStep)
    authors = {
        entry.object_id: entry.user
        for entry in AuditEntry.objects.filter(
            content_type=content_type,
            object_id__in=[str(row.pk) for row in rows],
            action=AuditAction.CREATE,
        ).select_related("user")
    }
    return [(row, authors.get(str(row.pk))) for row in rows]


@login_required
def procedure_page(request: HttpRequest, province_id: int) -> HttpResponse:
    """The province's procedure for its local-fund projects, as a table, on a day (today, or
    the day asked: old projects keep the rule of their date), and its dated changes."""
    province = _province(request, province_id, "setup.view")
    form = forms.ProcedureDayForm(request.GET or None)
    day = timezone.localdate()
    if form.is_bound and form.is_valid() and form.cleaned_data.get("day"):
        day = form.cleaned_data["day"]
    return render(
        request,
        "setup/procedure.html",
        {
            "province": province,
            "day": day,
            "day_form": form,
            "rules": _procedure_rows(province, day),
            "changes": _changes(province),
            "can_edit": roles.allowed(request.user, "projects.procedure", province),
            "can_users": _can_manage_users(request),
        },
    )


@login_required
def procedure_edit(request: HttpRequest, province_id: int) -> HttpResponse:
    """Change the procedure from a date (``procedure.save_procedure``)."""
    province = _province(request, province_id, "projects.procedure")
    last = procedure.last_change(province)
    day = max(timezone.localdate(), last) if last else timezone.localdate()
    rules = procedure.procedure_on(province.pk, day)
    form = forms.ProcedureForm(
        request.POST or None,
        rules=rules,
        initial={"valid_from": day, "expected_version": procedure.procedure_version(province)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            procedure.save_procedure(
                request.user,
                province,
                valid_from=data["valid_from"],
                steps=form.steps(),
                notes=data["notes"],
                expected_version=data["expected_version"],
            )
        except Refused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(
                request,
                _("The procedure is changed from %(date)s.")
                % {"date": day_text(data["valid_from"])},
            )
            return redirect("setup:procedure", province.pk)
    return render(
        request,
        "setup/procedure_edit.html",
        {"province": province, "form": form, "can_users": _can_manage_users(request)},
    )
