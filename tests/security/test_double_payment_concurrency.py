"""Issue 18, item 5, at the same instant (PostgreSQL): two requests paying the same advance.

Two API calls post the same progress update (5,000,000 đồng) on one project at the same time,
as two tabs or a client retrying too early would. Without a key, the project's row lock
serialises them and the raised version refuses the second (409); with the same
``Idempotency-Key``, the second waits on the key's unique constraint until the first commits,
then returns the first answer. Either way the money is recorded once.
"""

from __future__ import annotations

import contextlib
import datetime
import threading
from unittest import mock

import pytest
from django.db import connection
from django.db.models import Sum

from khuyencong.accounts.models import Role
from khuyencong.api.models import IdempotencyKey
from khuyencong.demo.reference import seed_reference_data
from khuyencong.projects import services
from khuyencong.projects.models import ProgressUpdate, Status
from khuyencong.projects.services import SYSTEM
from tests.api.conftest import ApiClient, token_for
from tests.projects.factories import make_plan, make_project, user, walk

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite serialises every write: no race to lose"
)

# Long enough for both requests to reach the point after their write when nothing keeps
# them apart (the bug); a request waiting on the other's lock arrives only after the other
# committed, and the first goes on alone once this runs out.
MEET_SECONDS = 3


@pytest.mark.transactional
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("key", [None, "5c0d6a3e-two-tabs"])
def test_two_simultaneous_posts_of_one_advance_pay_it_once(key):
    seed_reference_data()  # a flushed database (it runs with the browser tests): rule rows
    plan = make_plan(ceiling=1_000_000_000, year=2019)
    project = make_project(plan, budget=100_000_000)
    day = walk(project, Status.CONTRACTED) + datetime.timedelta(days=1)
    services.record_progress(
        project=project, actor=SYSTEM, date=day, progress_percent=10, disbursed_amount=2_000_000
    )
    project.refresh_from_db()
    raw = token_for(user(Role.CENTRE_STAFF))
    body = {
        "version": project.version,
        "date": (day + datetime.timedelta(days=1)).isoformat(),
        "progress_percent": 20,
        "disbursed_amount": 5_000_000,
    }

    meet = threading.Barrier(2, timeout=MEET_SECONDS)
    refresh = services.refresh_states

    def refresh_after_both_wrote(*args, **kwargs):
        """After a request's write, before its commit: wait for the other to get here."""
        # broken: the other request waits for this one's lock, so this one goes on alone
        with contextlib.suppress(threading.BrokenBarrierError):
            meet.wait()
        return refresh(*args, **kwargs)

    answers: list = []
    errors: list[BaseException] = []

    def post():
        try:
            api = ApiClient(raw)
            if key:
                api.headers["Idempotency-Key"] = key
            response = api.post(f"/projects/{project.pk}/progress", body)
            answers.append((response.status_code, response.json()))
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connection.close()

    with mock.patch.object(services, "refresh_states", refresh_after_both_wrote):
        threads = [threading.Thread(target=post) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

    assert not errors, errors
    total = ProgressUpdate.objects.filter(project=project).aggregate(s=Sum("disbursed_amount"))
    assert total["s"] == 7_000_000, answers
    codes = sorted(status for status, _body in answers)
    if key:
        assert codes == [201, 201]
        assert answers[0][1] == answers[1][1]  # the second is the first's answer
        assert IdempotencyKey.objects.count() == 1
    else:
        assert codes == [201, 409]
