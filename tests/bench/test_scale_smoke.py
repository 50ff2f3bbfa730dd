"""The national-scale benchmark at a tiny size (CI smoke): the generator writes what it says
with the intended distributions, and every measurement produces a number. No timing goals
here: ``make bench`` measures them."""

from __future__ import annotations

import threading
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest

from bench import dataset, scale
from khuyencong.projects.models import ProgressUpdate, Project, ProjectEvent, StatePeriod, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def country() -> dataset.Counts:
    # the session's database holds every administrative unit (tests/conftest.py)
    return dataset.generate("tiny")


def test_the_generator_writes_what_it_counts(country: dataset.Counts) -> None:
    beneficiaries, projects = dataset.SIZES["tiny"]
    assert country.beneficiaries == beneficiaries
    assert country.projects == projects == Project.objects.count()
    assert country.events == ProjectEvent.objects.count() > projects  # a chain per project
    assert country.progress_updates == ProgressUpdate.objects.count() > 0
    assert set(country.years) == set(dataset.YEARS)  # fifteen plan years
    # 2012–2025 plans in the 63 legacy provinces, the 2026 ones in the 34 current provinces
    assert country.provinces["legacy"] > 40 and country.provinces["current"] >= 5
    assert sum(country.statuses.values()) == projects
    assert country.statuses["settled"] > projects * 0.3  # old plans are mostly settled
    assert {"in_progress", "stopped", "registered"} <= set(country.statuses)
    assert country.sources["local"] > country.sources["national"] > country.sources["other"]
    assert country.content_areas >= 10


def test_the_event_log_tells_the_cached_status(country: dataset.Counts) -> None:
    """Every chain is valid: replayed by the rules, the event log gives ``Project.status``
    (the generator writes the state rows as the services do)."""
    rows = StatePeriod.objects.filter(valid_to__isnull=True).values_list(
        "project__status", "status"
    )
    assert len(rows) == Project.objects.count()
    assert all(status == replayed for status, replayed in rows)
    first_kinds = set(ProjectEvent.objects.filter(sequence=1).values_list("kind", flat=True))
    assert first_kinds == {"register"}
    assert set(ProjectEvent.objects.values_list("to_status", flat=True)) <= set(Status.values)


def test_the_same_seed_gives_the_same_rows() -> None:
    lives = [
        dataset.project_life(
            dataset.random.Random(dataset.SEED), 2015, "settled", 10**8, 5 * 10**7, "local"
        )
        for _ in range(2)
    ]
    assert lives[0] == lives[1]
    assert [event[0] for event in lives[0].events][:3] == ["register", "appraise", "approve"]
    assert dataset.size_of("national") == (1_000_000, 100_000)
    assert dataset.size_of(500) == (5000, 500)


@pytest.mark.urls("bench.web")  # the peer (admin changelist) and the bare view
def test_every_measurement_produces_a_number(
    country: dataset.Counts, tmp_path: Path, django_user_model
) -> None:
    user = django_user_model.objects.create(
        username="bench", role="system_admin", scope_level="national", is_staff=True,
        is_superuser=True,
    )  # fmt: skip
    dataset.write_beneficiary_file(tmp_path / "import-20.xlsx", 20)
    results = scale.measure(user.pk, tmp_path, 2, import_file="import-20.xlsx")
    timed = [key for key, _label in scale.TIMED]
    for key in timed:
        assert results[key]["p50_ms"] > 0 and results[key]["p95_ms"] >= results[key]["p50_ms"]
    for page in ("list", "detail", "beneficiary_search", "dashboard_province", "peer_admin_list"):
        assert results["queries"][page] > 0
    ratios = scale.ratios(results)
    assert all(value > 0 for value in ratios.values())
    report = {
        "size": "tiny",
        "machine": scale.machine(),
        "date": "2026-11-28",
        "command": "pytest",
        "runs": {"sqlite": {"prepare": {"counts": country.as_dict(), "prepare_s": 0},
                            "measure": results, "ratios": ratios}},
    }  # fmt: skip
    table = scale.markdown(report)
    assert "| Project list (province + year, 25 a page) |" in table


def test_the_load_generator_counts_requests() -> None:
    def app(_environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
        return [b"ok"]

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args) -> None:
            pass

    server = make_server("127.0.0.1", 0, app, handler_class=Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        result = scale.hammer(server.server_port, ["/"], "none", 2, 0.3)
    finally:
        server.shutdown()
    assert result["requests"] > 0 and result["errors"] == 0 and result["rps"] > 0
