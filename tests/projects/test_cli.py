"""``manage.py projects``: a province's projects with their status as of a date."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from khuyencong.demo.projects import load_bac_kan_2018_projects

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("projects", *args, stdout=out)
    return out.getvalue()


def test_json_as_of_30_june_2018_matches_the_seed_statuses():
    load_bac_kan_2018_projects()
    report = json.loads(
        run("--province", "bac kan", "--year", "2018", "--as-of", "2018-06-30", "--format", "json")
    )
    assert report["as_of"] == "2018-06-30"
    national, local = report["plans"]
    assert (national["ceiling"], national["allocated"], national["free"]) == (600_000_000,) * 2 + (
        0,
    )
    assert [p["status"] for p in national["projects"]] == [
        "in_progress",
        "assigned",
        "stop_requested",
    ]
    assert national["projects"][1]["under_review"] is True
    assert local["ceiling"] == 529_000_000 and len(local["projects"]) == 10
    phases = [p["phase"] for p in local["projects"]]
    assert phases.count("completed") == 2 and phases.count("not_started") == 2


def test_table_output_and_errors():
    load_bac_kan_2018_projects()
    text = run("--province", "Bắc Kạn", "--year", "2018", "--as-of", "2018-06-30")
    assert "600.000.000" in text and "529.000.000" in text
    assert "BK-KCQG-2018-03" in text and "stop_requested" in text
    year_end = run("--province", "Bắc Kạn", "--year", "2018")
    assert "settled" in year_end
    with pytest.raises(CommandError):
        run("--province", "Atlantis", "--year", "2018")
    with pytest.raises(CommandError):
        run("--province", "Bắc Kạn", "--year", "2018", "--as-of", "30/06/2018")
