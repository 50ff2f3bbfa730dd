"""Catalog pages: an index with counts, one list per catalog, and (for system administrators)
create, edit, archive and restore. Catalogs are reference data: no area scope applies."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from khuyencong.accounts import roles
from khuyencong.catalog import forms
from khuyencong.catalog.filters import ContentAreaFilterSet, catalog_filterset
from khuyencong.catalog.models import (
    BeneficiaryKind,
    ContentArea,
    FundingSource,
    Industry,
    LegalBasis,
)
from khuyencong.core.views import (
    FilteredListView,
    PermissionCreateView,
    PermissionMixin,
    ScopedObjectMixin,
    VersionedUpdateView,
)

ENGLISH_NAME = gettext_lazy("English name")


def _date(value: Any) -> str:
    return date_format(value, "SHORT_DATE_FORMAT") if value else ""


@dataclass(frozen=True)
class Catalog:
    """How one catalog is listed and edited."""

    slug: str
    model: type
    form_class: type
    title: Promise
    filterset_class: type = field(default=None)  # type: ignore[assignment]
    select_related: tuple[str, ...] = ()
    details: Callable[[Any], str] = lambda obj: ""
    secondary_label: Promise = ENGLISH_NAME

    def name(self, obj: Any) -> str:
        return str(obj) if self.model is LegalBasis else obj.name

    def secondary(self, obj: Any) -> str:
        return obj.title if self.model is LegalBasis else obj.name_en


def _kind_details(kind: BeneficiaryKind) -> str:
    required = _("tax code required") if kind.tax_code_required else _("tax code optional")
    return f"{kind.short_name} · {required}"


def _basis_details(basis: LegalBasis) -> str:
    return f"{basis.issuer}, {_date(basis.issued_on)}"


def _article(obj: Industry | ContentArea) -> str:
    parts = [obj.article]
    if obj.legal_basis_id:
        parts.append(obj.legal_basis.number)
    return " · ".join(part for part in parts if part)


def _content_details(area: ContentArea) -> str:
    group = _("group") if area.parent_id is None else area.parent.name
    return f"{group} · {_article(area)}"


CATALOGS: dict[str, Catalog] = {
    spec.slug: spec
    for spec in [
        Catalog(
            "funding-sources",
            FundingSource,
            forms.FundingSourceForm,
            gettext_lazy("Funding sources"),
            details=lambda obj: obj.short_name,
        ),
        Catalog(
            "content-areas",
            ContentArea,
            forms.ContentAreaForm,
            gettext_lazy("Content areas"),
            filterset_class=ContentAreaFilterSet,
            select_related=("parent", "legal_basis"),
            details=_content_details,
        ),
        Catalog(
            "industries",
            Industry,
            forms.IndustryForm,
            gettext_lazy("Eligible industries"),
            select_related=("legal_basis",),
            details=_article,
        ),
        Catalog(
            "beneficiary-kinds",
            BeneficiaryKind,
            forms.BeneficiaryKindForm,
            gettext_lazy("Beneficiary kinds"),
            details=_kind_details,
        ),
        Catalog(
            "legal-bases",
            LegalBasis,
            forms.LegalBasisForm,
            gettext_lazy("Legal bases"),
            details=_basis_details,
            secondary_label=gettext_lazy("Title"),
        ),
    ]
}


class CatalogMixin:
    """Resolves the catalog named in the URL (404 for an unknown one)."""

    catalog: Catalog

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)  # type: ignore[misc]
        try:
            self.catalog = CATALOGS[kwargs["catalog"]]
        except KeyError as missing:
            raise Http404(_("No such catalog.")) from missing
        self.model = self.catalog.model

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        context["catalog"] = self.catalog
        context["can_manage"] = roles.check(self.request.user, "catalog.manage")  # type: ignore[attr-defined]
        return context

    def get_success_url(self) -> str:
        return reverse("catalog:list", args=[self.catalog.slug])


class ReferenceData(ScopedObjectMixin):
    """Catalogs are the same for everyone: skip the area scope of ScopedObjectMixin."""

    def get_queryset(self) -> QuerySet:
        return super(ScopedObjectMixin, self).get_queryset()


class CatalogIndexView(PermissionMixin, TemplateView):
    permission = "catalog.view"
    template_name = "catalog/index.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        rows = []
        for spec in CATALOGS.values():
            counts = spec.model.objects.aggregate(
                active=Count("pk", filter=Q(archived_at__isnull=True)),
                archived=Count("pk", filter=Q(archived_at__isnull=False)),
                unconfirmed=Count("pk", filter=Q(confirmed=False, archived_at__isnull=True)),
            )
            rows.append({"catalog": spec, **counts})
        context["rows"] = rows
        return context


class CatalogListView(CatalogMixin, FilteredListView, ReferenceData):
    permission = "catalog.view"
    template_name = "catalog/list.html"
    paginate_by = 50

    def get_queryset(self) -> QuerySet:
        self.filterset_class = self.catalog.filterset_class or catalog_filterset(self.model)
        return super().get_queryset().select_related(*self.catalog.select_related)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        spec = self.catalog
        context["rows"] = [
            {
                "obj": obj,
                "name": spec.name(obj),
                "secondary": spec.secondary(obj),
                "details": spec.details(obj),
            }
            for obj in context["object_list"]
        ]
        # the English name is data for the English interface and for those keeping the
        # catalog: others read the name in their language (a legal basis's title is shown)
        context["show_secondary"] = spec.model is LegalBasis or bool(context.get("can_manage"))
        return context


class CatalogCreateView(CatalogMixin, PermissionCreateView):
    permission = "catalog.manage"
    template_name = "catalog/form.html"

    def get_form_class(self) -> type:
        return self.catalog.form_class


class CatalogUpdateView(CatalogMixin, VersionedUpdateView, ReferenceData):
    permission = "catalog.manage"
    template_name = "catalog/form.html"

    def get_form_class(self) -> type:
        return self.catalog.form_class


class CatalogArchiveView(CatalogMixin, PermissionMixin, View):
    """POST only: archive (``restore=False``) or restore a row. Nothing is ever deleted."""

    permission = "catalog.manage"
    restore = False
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = get_object_or_404(self.model, pk=kwargs["pk"])
        if self.restore:
            obj.restore()
            messages.success(request, _("Restored: %(name)s") % {"name": obj.label})
        else:
            obj.archive()
            messages.success(request, _("Archived: %(name)s") % {"name": obj.label})
        return redirect(self.get_success_url())
