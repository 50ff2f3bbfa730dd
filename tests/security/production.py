"""The production settings in a subprocess (DEBUG=0): what a deployment really gets."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def run_with_production_settings(code: str, var_dir: Path, **extra: str) -> str:
    """Run ``code`` after ``django.setup()`` with the settings of a production deployment (and
    ``extra`` environment variables); return what it printed."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DEBUG", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "API_DOCS_PUBLIC")
    }
    env.update(
        DEBUG="0",
        SECRET_KEY="p" * 20 + "-Xy9#kL2$mN8&qR4!tV6*wZ1@" * 3,
        ALLOWED_HOSTS="khuyencong.example.gov.vn",
        KHUYENCONG_VAR_DIR=str(var_dir),
        PYTHONPATH=str(REPO / "src"),
        DJANGO_SETTINGS_MODULE="khuyencong.settings",
        **extra,
    )
    result = subprocess.run(
        [sys.executable, "-c", "import django\ndjango.setup()\n" + code],
        env=env,
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout
