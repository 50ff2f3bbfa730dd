"""Where the seed report lives: the one locator for every test that checks facts against it.

The authoritative copy is the team's ``shared/seed/report-2018-bac-kan.txt`` beside the
repository (CI lays ``shared/`` there); ``$KHUYENCONG_SEED_DIR`` overrides. A clone without
``shared/`` uses the verbatim copy kept in ``docs/seed/`` (a test checks the two are identical
whenever both exist).
"""

from __future__ import annotations

import os
from pathlib import Path

SEED_NAME = "report-2018-bac-kan.txt"
REPO_ROOT = Path(__file__).resolve().parents[1]
REPO_COPY = REPO_ROOT / "docs" / "seed" / SEED_NAME


def shared_seed_path() -> Path | None:
    override = os.environ.get("KHUYENCONG_SEED_DIR")
    candidates = [Path(override) / SEED_NAME] if override else []
    candidates += [parent / "shared" / "seed" / SEED_NAME for parent in REPO_ROOT.parents]
    return next((path for path in candidates if path.is_file()), None)


def seed_path() -> Path:
    path = shared_seed_path() or REPO_COPY
    if not path.is_file():
        raise FileNotFoundError(f"seed report {SEED_NAME} missing: expected {REPO_COPY}")
    return path
