"""Shared view pieces: the one list style (filter + search + table + pagination, htmx aware),
permission mixins that ask the signed-in user (``User.permission_decision``: accounts.roles),
and the versioned edit view."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.views.generic import CreateView, DetailView, ListView, UpdateView, View

from khuyencong.core import panels
from khuyencong.core.models import VersionConflict
from khuyencong.core.pagination import COUNT_CAP, CappedPaginator
from khuyencong.core.search import is_searched, search


class PermissionMixin(LoginRequiredMixin):
    """Requires ``permission`` (a name from accounts.roles.PERMISSIONS)."""

    permission: str = ""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        decision = request.user.permission_decision(self.permission)
        if not decision:
            raise PermissionDenied(decision.reason)
        return super().dispatch(request, *args, **kwargs)


if TYPE_CHECKING:
    from django.core.paginator import _SupportsPagination

    class _ObjectsView(View):
        """What ScopedObjectMixin is mixed into: a list, detail or edit view."""

        def get_queryset(self) -> QuerySet: ...

else:
    _ObjectsView = object


class ScopedObjectMixin(PermissionMixin, _ObjectsView):
    """Loads the object through the user's scope: out-of-scope objects are 404, never shown."""

    scope_lookups: dict[str, str | None] = {}

    def get_queryset(self) -> QuerySet:
        user = self.request.user
        assert user.is_authenticated  # PermissionMixin.dispatch let only signed-in users in
        return user.scoped(super().get_queryset(), **self.scope_lookups)


class FilteredListView(ScopedObjectMixin, ListView):
    """The one list page style.

    A django-filter ``filterset_class`` plus accent-insensitive ``q`` search, paginated on the
    database. An htmx request gets only the table partial (``#list-results``). A searched list
    counts at most ``count_cap`` matches (core.pagination); past it, it is shown in
    ``capped_ordering`` when the view names one (an order its indexes serve), else its own.
    """

    filterset_class: Any = None
    paginate_by = 25
    search_field = "search_text"
    template_partial = "results"
    # Excel export of the filtered list (all pages): the app's column spec (a
    # documents.export.ExportColumns, e.g. beneficiaries/columns.py) and a file name; the
    # page then shows the "Xuất Excel" button (core/_export_button.html).
    export_columns: Any = None
    export_filename = "danh-sach"
    count_cap = COUNT_CAP
    capped_ordering: tuple[str, ...] = ()
    capped_ordering_note: Any = ""  # says the order past the cap ("Shown newest first.")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.GET.get("export") == "xlsx" and self.export_columns:
            return self.export_columns.response(self.get_export_queryset(), self.export_filename)
        return super().get(request, *args, **kwargs)

    def get_export_queryset(self) -> QuerySet:
        """The rows the export writes (all pages): the page's by default."""
        return self.get_queryset()

    def get_queryset(self) -> QuerySet:
        queryset = super().get_queryset()
        self.filterset = self.filterset_class(
            self.request.GET or None, queryset=queryset, request=self.request
        )
        queryset = self.filterset.qs if self.filterset.is_bound else queryset
        return search(queryset, self.request.GET.get("q"), self.search_field)

    def get_paginator(
        self,
        queryset: _SupportsPagination[Any],
        per_page: int,
        orphans: int = 0,
        allow_empty_first_page: bool = True,
        **kwargs: Any,
    ) -> Paginator:
        if not is_searched(self.request.GET.get("q")):
            return super().get_paginator(
                queryset, per_page, orphans, allow_empty_first_page, **kwargs
            )
        return CappedPaginator(
            queryset,
            per_page,
            orphans,
            allow_empty_first_page,
            cap=self.count_cap,
            capped_ordering=self.capped_ordering,
            **kwargs,
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        context["q"] = self.request.GET.get("q", "")
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_string"] = query.urlencode()
        if self.export_columns:
            query["export"] = "xlsx"
            context["export_url"] = f"?{query.urlencode()}"
        return context

    def get_template_names(self) -> list[str]:
        names = super().get_template_names()
        htmx = getattr(self.request, "htmx", None)  # set by django-htmx's middleware
        if htmx and not htmx.boosted:
            return [f"{name}#{self.template_partial}" for name in names]
        return names


class ScopedDetailView(ScopedObjectMixin, DetailView):
    pass


class VersionedUpdateView(ScopedObjectMixin, UpdateView):
    """Edit through a ``VersionedModelForm``: a stale save shows a message, keeps the input."""

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            response = super().form_valid(form)
        except VersionConflict as conflict:
            form.add_error(
                None,
                _(
                    "Someone else saved this record (version %(version)s) after you opened it. "
                    "Your changes were not saved: compare them with the current record below, "
                    "then reload the page and apply them again."
                )
                % {"version": conflict.current.version},
            )
            return self.render_to_response(
                self.get_context_data(form=form, current=conflict.current)
            )
        messages.success(self.request, _("Saved."))
        return response


class PermissionCreateView(PermissionMixin, CreateView):
    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, _("Created."))
        return response


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"home_panels": panels.home_panels(request)})


@login_required
def coming_soon(request: HttpRequest) -> HttpResponse:
    return render(request, "core/coming_soon.html")


# Error pages (wired in urls.py and settings.CSRF_FAILURE_VIEW): in the site's layout, saying
# what happened and what to do next. 403 shows the refusal's reason (roles.check names who can
# do the step); 500 renders from a self-contained template, without the database or the
# request context, and never shows a traceback.


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/errors/404.html", status=404)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    reason = str(exception or "").strip()
    return render(request, "core/errors/403.html", {"reason": reason}, status=403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    # Django's reason is a technical English sentence: logged by Django, not shown
    return render(request, "core/errors/csrf.html", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    try:
        content = loader.get_template("core/errors/500.html").render({})
    except Exception:  # the error page itself must not fail: plain text as the last resort
        content = "<!doctype html><title>500</title><h1>Lỗi hệ thống / Server error</h1>"
    return HttpResponseServerError(content)
