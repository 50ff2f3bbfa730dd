"""Two writes in one plan at the same time: the plan's tally counts both (PostgreSQL).

``services.refresh_tallies`` sums a plan's projects and rewrites its tally. Each write locks
only its own project; without a lock on what the sum reads, two progress updates on two
projects of one plan could each sum before the other commits, and the second tally written
would miss the first update. The writer locks the plan rows before summing: the second write
waits, then sums with the first one's state.
"""

from __future__ import annotations

import datetime
import threading
from unittest import mock

import pytest
from django.db import connection
from django.db.models import Sum

from khuyencong.demo.reference import seed_reference_data
from khuyencong.projects import services
from khuyencong.projects.models import PlanTally, ProgressUpdate, Status
from khuyencong.projects.services import SYSTEM

from .factories import make_plan, make_project, walk

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite serialises every write: no lost update"
)

# Long enough for both writers to reach the point between their sum and their write when
# nothing stops them (the bug); a writer that waits on the other's lock arrives only after
# the other has committed, and the first goes on alone once this runs out.
MEET_SECONDS = 3


@pytest.mark.transactional
@pytest.mark.django_db(transaction=True)
def test_two_progress_updates_in_one_plan_both_reach_its_tally():
    seed_reference_data()  # a flushed database (it runs with the browser tests): rule rows
    plan = make_plan(ceiling=10**12)
    projects = [make_project(plan, budget=100_000_000) for _ in range(2)]
    day = datetime.date(plan.year, 1, 10)
    for project in projects:
        day = max(day, walk(project, Status.CONTRACTED))
    day += datetime.timedelta(days=1)

    meet = threading.Barrier(2, timeout=MEET_SECONDS)
    write = PlanTally.objects.bulk_create
    met = []

    def write_after_both_summed(*args, **kwargs):
        """Between a writer's sum and its write: wait for the other writer to get here."""
        try:
            meet.wait()
            met.append(True)
        except threading.BrokenBarrierError:
            pass  # the other writer waits for this one's lock: go on alone
        return write(*args, **kwargs)

    errors: list[BaseException] = []

    def record(project, amount):
        try:
            services.record_progress(
                project=project,
                actor=SYSTEM,
                date=day,
                progress_percent=40,
                disbursed_amount=amount,
            )
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connection.close()

    amounts = (10_000_000, 20_000_000)
    with mock.patch.object(PlanTally.objects, "bulk_create", write_after_both_summed):
        threads = [
            threading.Thread(target=record, args=(project, amount))
            for project, amount in zip(projects, amounts, strict=True)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert not errors, errors
    assert ProgressUpdate.objects.filter(project__plan=plan).aggregate(s=Sum("disbursed_amount"))[
        "s"
    ] == sum(amounts)
    tally = PlanTally.objects.get(plan=plan)
    assert (tally.projects, tally.disbursed) == (2, sum(amounts)), (
        "a tally written from a sum that missed the other write",
        met,
    )
