"""The judge's screens: the entries to score and one score card per entry.

A judge sees only their own cards while the panel is open; other judges' points appear
nowhere (not in this page, not in the contest page) until the chair closes the panel.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from khuyencong.contests import services
from khuyencong.contests.forms import ScoreCardForm
from khuyencong.contests.models import Contest, ContestStatus, ScoreCard
from khuyencong.contests.views.common import require, visible_entry


@login_required
def my_scoring(request: HttpRequest) -> HttpResponse:
    require(request, "contests.score")
    contests = []
    for contest in Contest.objects.active().judged_by(request.user).order_by("-judging_on"):
        judge = services.judge_for(request.user, contest)
        entries = list(
            contest.entries.eligible()
            .select_related("beneficiary", "product_group")
            .order_by("product_group__sort_order", "product_name")
        )
        cards = {card.entry_id: card for card in ScoreCard.objects.filter(judge=judge)}
        contests.append(
            {
                "contest": contest,
                "judge": judge,
                "rows": [(entry, cards.get(entry.pk)) for entry in entries],
                "open": contest.status == ContestStatus.JUDGING,
                "is_chair": services.is_chair(request.user, contest),
                "missing": len(services.missing_cards(contest))
                if contest.status == ContestStatus.JUDGING
                else 0,
            }
        )
    return render(request, "contests/my_scoring.html", {"contests": contests})


@login_required
def score_entry(request: HttpRequest, pk: int) -> HttpResponse:
    entry = visible_entry(request, pk)
    contest = entry.contest
    judge = services.judge_for(request.user, contest)
    if judge is None:
        raise PermissionDenied(_("You are not on the judging panel of this contest."))
    criteria = list(contest.score_sheet.criteria())
    card = ScoreCard.objects.filter(entry=entry, judge=judge).first()
    initial = {}
    if card is not None:
        initial = {f"criterion_{s.criterion_id}": s.points for s in card.scores.all()}
        initial.update(conflict=card.conflict_of_interest, conflict_reason=card.conflict_reason)
    editable = contest.status == ContestStatus.JUDGING
    form = ScoreCardForm(request.POST or None, criteria=criteria, initial=initial)
    if request.method == "POST":
        if not editable:
            messages.error(
                request, _("Scores can only be given while the contest is being judged.")
            )
            return redirect("contests:score", entry.pk)
        if form.is_valid():
            try:
                services.save_scorecard(
                    entry=entry,
                    user=request.user,
                    points=form.points(),
                    conflict=form.cleaned_data["conflict"],
                    conflict_reason=form.cleaned_data["conflict_reason"],
                    submit="draft" not in request.POST,
                )
            except services.ContestError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Your score card is saved."))
                return redirect("contests:my_scoring")
    context = {
        "entry": entry,
        "contest": contest,
        "form": form,
        "card": card,
        "editable": editable,
        "sheet": contest.score_sheet,
        "files": entry.files.active(),
    }
    return render(request, "contests/score_entry.html", context)
