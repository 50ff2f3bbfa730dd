"""Backup and restore: the demo data and uploaded files go into one archive and come back
into an emptied instance with 0 rows and 0 files lost (counts and checksums compared, table
by table); a non-empty instance is refused; the commands work end to end on fresh
databases."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.core.files.storage import default_storage

from khuyencong.demo.run import load_demo
from khuyencong.projects.models import Project
from khuyencong.trust import backup as backups
from khuyencong.trust.models import AuditEntry

REPO = Path(__file__).resolve().parents[2]
FIGURES: dict[str, int] = {}


def stored_file_names() -> set[str]:
    """Every file a record points to (the demo's contest dossiers, the world's documents…)."""
    from django.apps import apps
    from django.db import models

    names: set[str] = set()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                values = model._base_manager.exclude(**{field.name: ""}).values_list(
                    field.name, flat=True
                )
                names.update(value for value in values if value)
    return names


@pytest.mark.django_db
def test_round_trip_of_the_demo_loses_no_row_and_no_file(world):
    load_demo()
    world.make_all()  # two provinces' records, history, audit rows and an uploaded file each
    documents = [world.obj("document", side) for side in ("A", "A2", "B")]
    before = {t.label: t.model._base_manager.count() for t in backups.tables()}
    archive = io.BytesIO()
    manifest = backups.backup(archive)
    assert {label: entry["rows"] for label, entry in manifest["tables"].items()} == before
    assert len(manifest["files"]) == len(stored_file_names()) > len(documents)
    assert before["projects.Project"] >= 16 and before["trust.AuditEntry"] > 100

    backups.wipe()
    for name in list(backups.stored_files(default_storage)):
        default_storage.delete(name)
    assert Project.objects.count() == 0 and AuditEntry.objects.count() == 0
    archive.seek(0)
    backups.restore(archive)

    after = {t.label: t.model._base_manager.count() for t in backups.tables()}
    assert after == before
    assert backups.verify(manifest) == []
    for document in documents:
        with default_storage.open(document.file.name, "rb") as handle:
            assert b"KQZ" in handle.read()
    FIGURES.update(
        tables=len(before), rows=sum(before.values()), files=len(manifest["files"]), lost=0
    )
    print(f"\nbackup round trip: {FIGURES}")
    # the restored instance works: ids continue after the restored ones
    project = world.obj("project", "A")
    fresh = Project.objects.get(pk=project.pk)
    fresh.title = "Sau khi phục hồi"
    fresh.save()
    assert AuditEntry.objects.order_by("-id").first().object_id == str(project.pk)


@pytest.fixture
def without_places(monkeypatch):
    """The refusal tests need no administrative units in their archives (faster)."""
    every = backups.tables
    monkeypatch.setattr(
        backups, "tables", lambda: [t for t in every() if t.model._meta.app_label != "places"]
    )


@pytest.mark.django_db
def test_restore_refuses_an_instance_in_use_and_changes_nothing(world, without_places):
    world.obj("document", "A")
    archive = io.BytesIO()
    backups.backup(archive)
    archive.seek(0)
    counts = {t.label: t.model._base_manager.count() for t in backups.tables()}
    with pytest.raises(backups.BackupError, match="empty instance"):
        backups.restore(archive)
    assert {t.label: t.model._base_manager.count() for t in backups.tables()} == counts


@pytest.mark.django_db
def test_a_damaged_archive_is_refused_and_leaves_no_file(world, without_places):
    world.obj("document", "A")
    archive = io.BytesIO()
    backups.backup(archive)
    archive.seek(0)
    damaged = io.BytesIO()
    with (
        tarfile.open(fileobj=archive, mode="r:gz") as source,
        tarfile.open(fileobj=damaged, mode="w:gz") as target,
    ):
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == "data/projects.Project.jsonl":
                data = data.replace(b"KQZALPHAPROJECTX", b"KQZALPHAPROJECTY")
            member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    backups.wipe()
    for name in list(backups.stored_files(default_storage)):
        default_storage.delete(name)
    damaged.seek(0)
    with pytest.raises(backups.BackupError, match=r"projects\.Project"):
        backups.restore(damaged)
    assert Project.objects.count() == 0
    assert list(backups.stored_files(default_storage)) == []


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "django", *args],
        env=env,
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
        check=False,
    )


def test_the_commands_round_trip_into_a_fresh_instance(tmp_path):
    """backup on one instance, restore on a freshly migrated one (own SQLite files)."""
    base = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    base.update(PYTHONPATH=str(REPO / "src"), DJANGO_SETTINGS_MODULE="khuyencong.settings")
    first = base | {"KHUYENCONG_VAR_DIR": str(tmp_path / "one")}
    second = base | {"KHUYENCONG_VAR_DIR": str(tmp_path / "two")}
    archive = tmp_path / "backup.tar.gz"
    script = (
        "import django; django.setup();"
        "from khuyencong.places.loader import load_admin_units;"
        "load_admin_units(['Bắc Kạn']);"
        "from khuyencong.demo.run import load_demo; load_demo()"
    )
    for step in (
        _manage(first, "migrate", "--noinput", "-v", "0"),
        subprocess.run(
            [sys.executable, "-c", script],
            env=first,
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        ),
        _manage(first, "backup", "-o", str(archive)),
        _manage(second, "migrate", "--noinput", "-v", "0"),
        _manage(second, "restore", str(archive)),
    ):
        assert step.returncode == 0, step.stdout + step.stderr
    assert "restored and verified" in step.stdout
    again = _manage(second, "restore", str(archive))
    assert again.returncode != 0 and "empty instance" in again.stderr
    with tarfile.open(archive) as opened:
        manifest = json.load(opened.extractfile("manifest.json"))
    assert manifest["tables"]["projects.Project"]["rows"] >= 13
