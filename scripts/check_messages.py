"""Fail when a UI string has no Vietnamese translation.

Runs ``makemessages`` for vi and en in every app that has a ``locale`` folder (each app keeps
its own catalog), then lists untranslated or fuzzy entries of the vi catalogs with msgattrib.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import django
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent / "src" / "khuyencong"


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khuyencong.settings")
    django.setup()
    problems = 0
    for locale_dir in sorted(ROOT.glob("*/locale")):
        app_dir = locale_dir.parent
        cwd = os.getcwd()
        os.chdir(app_dir)
        try:
            call_command("makemessages", locale=["vi", "en"], verbosity=0, no_obsolete=True)
        finally:
            os.chdir(cwd)
        po = locale_dir / "vi" / "LC_MESSAGES" / "django.po"
        if not po.exists():
            continue
        stats = subprocess.run(
            ["msgfmt", "--statistics", "-o", os.devnull, str(po)],
            capture_output=True,
            text=True,
            check=True,
        ).stderr.strip()
        if "untranslated" in stats or "fuzzy" in stats:
            problems += 1
            print(f"{po.relative_to(ROOT)}: {stats}")
            listing = subprocess.run(
                ["msgattrib", "--untranslated", "--no-wrap", str(po)],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            print(listing[:4000])
    if problems:
        print(f"{problems} Vietnamese catalog(s) are incomplete.")
        return 1
    print("Vietnamese catalogs complete.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
