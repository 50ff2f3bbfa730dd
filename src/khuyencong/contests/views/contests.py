"""Contest list, detail, set-up (create, edit, jury, panel) and the workflow buttons."""

from __future__ import annotations

from typing import Any

import django_filters
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from khuyencong.accounts import roles
from khuyencong.accounts.models import Role
from khuyencong.catalog.filters import ArchivedFilterSet
from khuyencong.contests import selectors, services
from khuyencong.contests.forms import ContestForm, JudgeForm, JuryMemberForm
from khuyencong.contests.models import Contest, ContestStatus, Level
from khuyencong.contests.views.common import attempt, error_text, require, visible_contest
from khuyencong.core.bounds import YearFilter
from khuyencong.core.search import search
from khuyencong.core.views import FilteredListView, VersionedUpdateView


class ContestFilterSet(ArchivedFilterSet):
    level = django_filters.ChoiceFilter(
        label=gettext_lazy("Level"), choices=Level.choices, empty_label=gettext_lazy("All")
    )
    year = YearFilter(label=gettext_lazy("Year"))
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"),
        choices=ContestStatus.choices,
        empty_label=gettext_lazy("All"),
    )

    class Meta:
        model = Contest
        fields: list[str] = []


class ContestListView(FilteredListView):
    model = Contest
    permission = "contests.view"
    filterset_class = ContestFilterSet
    template_name = "contests/contest_list.html"

    def get_queryset(self) -> QuerySet:
        # contest_list applies the scope (and the jury member's own contests)
        self.filterset = self.filterset_class(
            self.request.GET or None,
            queryset=selectors.contest_list(self.request.user),
            request=self.request,
        )

        queryset = self.filterset.qs.annotate(
            entry_count=Count("entries", filter=Q(entries__archived_at__isnull=True)),
            certificate_count=Count("certificates", distinct=True),
        )
        return search(queryset, self.request.GET.get("q")).order_by("-year", "name", "pk")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["can_manage"] = roles.allowed(user, "contests.manage")
        context["can_rules"] = roles.allowed(user, "contests.rules")
        context["is_judge"] = roles.allowed(user, "contests.score")
        return context


def _stage(contest: Contest) -> int:
    order = list(ContestStatus.values)
    return order.index(contest.status)


@login_required
def contest_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contest = visible_contest(request, pk)
    user = request.user
    can_manage = roles.allowed(user, "contests.manage", contest)
    judge = services.judge_for(user, contest)
    is_chair = services.is_chair(user, contest)
    entries = list(selectors.entries_of(contest))
    if roles.role_of(user) == Role.BENEFICIARY:
        entries = [e for e in entries if e.beneficiary_id == user.beneficiary_id]
    context = {
        "contest": contest,
        "entries": entries,
        "jury": contest.jury.active().select_related("user"),
        "judges": contest.judges.active().select_related("user"),
        "can_manage": can_manage,
        "can_register": roles.allowed(user, "contests.register_entry")
        and contest.status == ContestStatus.REGISTRATION,
        "judge": judge,
        "is_chair": is_chair,
        "stage": _stage(contest),
        "statuses": ContestStatus,
        "today": timezone.localdate(),
    }
    if contest.status in {ContestStatus.PREPARING, ContestStatus.REGISTRATION}:
        context["setup_problems"] = services.setup_problems(contest)
    if contest.status == ContestStatus.JUDGING and (can_manage or is_chair or judge):
        context["progress"] = services.scoring_progress(contest)
        context["missing"] = len(services.missing_cards(contest))
    if contest.is_panel_closed:
        context["results"] = selectors.results_by_group(contest)
    if contest.results_announced_on:
        context["complaints"] = contest.complaints.active().select_related("entry")
        context["decision_problems"] = services.decision_problems(contest, timezone.localdate())
    if contest.status == ContestStatus.DECIDED:
        context["certificates"] = contest.certificates.active().select_related("beneficiary")
    return render(request, "contests/contest_detail.html", context)


@login_required
def contest_create(request: HttpRequest) -> HttpResponse:
    require(request, "contests.manage")
    form = ContestForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "expected_version"}
        try:
            contest = services.create_contest(actor=request.user, **fields)
        except services.ContestError as error:
            form.add_error(None, str(error))
        else:
            decision = roles.check(request.user, "contests.manage", contest)
            if not decision and contest.province_id is not None:
                form.add_error(None, decision.reason)
                contest.archive()
            else:
                messages.success(request, _("Created."))
                return redirect("contests:detail", contest.pk)
    return render(request, "contests/form.html", {"form": form, "title": _("New contest")})


class ContestUpdateView(VersionedUpdateView):
    model = Contest
    form_class = ContestForm
    permission = "contests.manage"
    scope_lookups = selectors.CONTEST_SCOPE
    template_name = "contests/form.html"

    def get_object(self, queryset: QuerySet | None = None) -> Contest:
        contest = super().get_object(queryset)
        if contest.status not in {ContestStatus.PREPARING, ContestStatus.REGISTRATION}:
            raise Http404(_("A contest being judged can no longer be edited."))
        return contest

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "title": self.object.name}

    def get_success_url(self) -> str:
        return reverse("contests:detail", args=[self.object.pk])


ACTIONS = {
    "open_registration": (services.open_registration, gettext_lazy("Registration is open.")),
    "start_judging": (services.start_judging, gettext_lazy("Judging has started.")),
    "close_panel": (services.close_panel, gettext_lazy("The panel is closed; results computed.")),
}


@login_required
@require_POST
def contest_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    contest = visible_contest(request, pk)
    if action not in ACTIONS:
        raise Http404(action)
    if action != "close_panel":  # the chair's own rule is checked by the service
        require(request, "contests.manage", contest)
    service, success = ACTIONS[action]
    return attempt(
        request,
        lambda: service(contest=contest, actor=request.user),
        str(success),
        "contests:detail",
        contest.pk,
    )


@login_required
def jury_add(request: HttpRequest, pk: int) -> HttpResponse:
    contest = visible_contest(request, pk)
    require(request, "contests.manage", contest)
    form = JuryMemberForm(request.POST or None, contest=contest)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_jury_member(contest=contest, actor=request.user, **form.cleaned_data)
        except services.ContestError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("Added to the jury."))
            return redirect("contests:detail", contest.pk)
    title = _("Add a jury member")
    return render(request, "contests/form.html", {"form": form, "title": title, "contest": contest})


@login_required
def judge_add(request: HttpRequest, pk: int) -> HttpResponse:
    contest = visible_contest(request, pk)
    require(request, "contests.manage", contest)
    form = JudgeForm(request.POST or None, contest=contest)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_judge(contest=contest, actor=request.user, **form.cleaned_data)
        except services.ContestError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("Added to the judging panel."))
            return redirect("contests:detail", contest.pk)
    title = _("Add a judge")
    return render(request, "contests/form.html", {"form": form, "title": title, "contest": contest})
