"""``manage.py send_reminders``: the dry-run JSON, and idempotent recording of reminders."""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.core.management import call_command

from khuyencong.deadlines import reminders
from khuyencong.deadlines.models import Reminder
from khuyencong.projects.models import Status
from tests.deadlines.conftest import project_in
from tests.projects import factories as pf

D = datetime.date
pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def late_report(lang_son):
    project = project_in(lang_son, 2019)
    pf.walk(project, Status.IN_PROGRESS, D(2019, 1, 10))
    return project


def test_dry_run_prints_the_obligations_and_records_nothing(lang_son, late_report):
    data = json.loads(run("--as-of", "2019-03-20", "--dry-run", "--format", "json"))
    assert data["as_of"] == "2019-03-20"
    rows = {row["key"]: row for row in data["obligations"]}
    february = rows[f"monthly_progress:project:{late_report.pk}:2019-02"]
    assert february["due"] == "2019-02-25"
    assert february["late"] is True and february["late_days"] == 23
    assert february["users"] == ["canbo-ls"]
    assert february["record"] == {"type": "project", "id": late_report.pk}
    assert rows[f"monthly_progress:project:{late_report.pk}:2019-03"]["late"] is False
    assert Reminder.objects.count() == 0


def test_reminders_are_recorded_once_per_obligation_user_and_day(lang_son, late_report):
    other = type(lang_son.centre_user).objects.create(
        username="canbo-ls-2", role="centre_staff", scope_level="province",
        province=lang_son.province,
    )  # fmt: skip
    first = run("--as-of", "2019-03-20")
    assert "4 new reminders recorded" in first  # two reports, two centre users
    again = run("--as-of", "2019-03-20")
    assert "0 new reminders recorded" in again
    assert Reminder.objects.filter(user=other).count() == 2
    next_day = run("--as-of", "2019-03-21")
    assert "4 new reminders recorded" in next_day
    assert Reminder.objects.count() == 8


def test_the_digest_function_groups_by_user(lang_son, late_report):
    dues = reminders.due_reminders(D(2019, 3, 20))
    grouped = reminders.by_user(dues)
    assert {user.username for user in grouped} == {"canbo-ls"}
    assert len(grouped[lang_son.centre_user]) == 2


def test_a_bad_date_is_refused(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        run("--as-of", "20/03/2019")
