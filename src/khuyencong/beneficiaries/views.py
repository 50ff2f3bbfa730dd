"""Beneficiary registry pages: list, detail, create, edit, archive and restore.

Thin: permissions and scope come from accounts.roles, rules from taxcode/duplicates/forms.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic.detail import SingleObjectMixin

from khuyencong.accounts import roles
from khuyencong.beneficiaries import duplicates, panels
from khuyencong.beneficiaries.columns import BENEFICIARY_EXPORT
from khuyencong.beneficiaries.filters import BeneficiaryFilterSet
from khuyencong.beneficiaries.forms import BeneficiaryForm
from khuyencong.beneficiaries.models import Beneficiary
from khuyencong.core.views import (
    FilteredListView,
    PermissionCreateView,
    ScopedDetailView,
    ScopedObjectMixin,
    VersionedUpdateView,
)
from khuyencong.trust.models import AuditEntry

SCOPE = {"province": "province", "district": "district", "beneficiary": "pk"}
TAX_CODE_TAKEN = gettext_lazy("Another active beneficiary already has this tax code.")


def _related(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("kind", "commune", "district", "province", "industry")


class BeneficiaryListView(FilteredListView):
    model = Beneficiary
    permission = "beneficiaries.view"
    scope_lookups = SCOPE
    filterset_class = BeneficiaryFilterSet
    template_name = "beneficiaries/list.html"
    export_columns = BENEFICIARY_EXPORT
    export_filename = "don-vi-thu-huong"
    # Past the count cap a search is shown newest first: the matches are found through the
    # search index, and their rows read in primary-key order, never all sorted by name.
    capped_ordering = ("-pk",)
    capped_ordering_note = gettext_lazy("Shown newest first.")

    def get_queryset(self) -> QuerySet:
        return _related(super().get_queryset())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_create"] = roles.check(self.request.user, "beneficiaries.create")
        return context


class BeneficiaryDetailView(ScopedDetailView):
    model = Beneficiary
    permission = "beneficiaries.view"
    scope_lookups = SCOPE
    template_name = "beneficiaries/detail.html"

    def get_queryset(self) -> QuerySet:
        return _related(super().get_queryset()).select_related("commune__parent__parent")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user, obj = self.request.user, self.object
        context["can_edit"] = roles.check(user, "beneficiaries.edit", obj)
        context["can_archive"] = roles.check(user, "beneficiaries.archive", obj)
        # the last changes, from the audit trail (the record's history page has them all)
        context["history"] = AuditEntry.objects.for_object(obj).select_related("user")[:10]
        # sections of the apps above (support history: dashboard.support_history)
        context["panels"] = panels.render(self.request, obj)
        return context


class BeneficiaryFormMixin:
    """Passes the user to the form; reports a tax code taken by a concurrent save."""

    form_class = BeneficiaryForm
    template_name = "beneficiaries/form.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()  # type: ignore[misc]
        kwargs["user"] = self.request.user  # type: ignore[attr-defined]
        return kwargs

    def get_success_url(self) -> str:
        return reverse("beneficiaries:detail", args=[self.object.pk])  # type: ignore[attr-defined]

    def save_checked(self, form: BeneficiaryForm, save: Any) -> HttpResponse:
        try:
            with transaction.atomic():
                return save(form)
        except IntegrityError:
            # Someone registered the same tax code between our check and our save.
            form.note_tax_code_owner(
                duplicates.active_tax_code_owner(
                    form.cleaned_data.get("tax_code", ""), exclude_pk=form.instance.pk
                )
            )
            form.add_error("tax_code", str(TAX_CODE_TAKEN))
            return self.render_to_response(self.get_context_data(form=form))  # type: ignore[attr-defined]


class BeneficiaryCreateView(BeneficiaryFormMixin, PermissionCreateView):
    model = Beneficiary
    permission = "beneficiaries.create"

    def form_valid(self, form: BeneficiaryForm) -> HttpResponse:
        form.instance.locate()
        decision = roles.check(self.request.user, self.permission, form.instance)
        if not decision:
            raise PermissionDenied(decision.reason)
        return self.save_checked(form, super().form_valid)


class BeneficiaryUpdateView(BeneficiaryFormMixin, VersionedUpdateView):
    model = Beneficiary
    permission = "beneficiaries.edit"
    scope_lookups = SCOPE

    def get_object(self, queryset: QuerySet | None = None) -> Beneficiary:
        obj = super().get_object(queryset)
        decision = roles.check(self.request.user, self.permission, obj)
        if not decision:
            raise PermissionDenied(decision.reason)
        return obj

    def form_valid(self, form: BeneficiaryForm) -> HttpResponse:
        return self.save_checked(form, super().form_valid)


class BeneficiaryArchiveView(ScopedObjectMixin, SingleObjectMixin, View):
    """POST only. Archive (``restore=False``) or restore, within the user's scope."""

    model = Beneficiary
    permission = "beneficiaries.archive"
    scope_lookups = SCOPE
    restore = False
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.get_object()
        decision = roles.check(request.user, self.permission, obj)
        if not decision:
            raise PermissionDenied(decision.reason)
        if not self.restore:
            obj.archive()
            messages.success(request, _("Archived: %(name)s") % {"name": obj.name})
        elif owner := duplicates.active_tax_code_owner(obj.tax_code, exclude_pk=obj.pk):
            messages.error(request, duplicates.restore_refused(request.user, obj.tax_code, owner))
        else:
            obj.restore()
            messages.success(request, _("Restored: %(name)s") % {"name": obj.name})
        return redirect("beneficiaries:detail", obj.pk)
