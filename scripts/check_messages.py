"""Fail when a UI string has no Vietnamese translation.

Runs ``makemessages`` for vi and en in every app that has a ``locale`` folder (each app keeps
its own catalog), then lists untranslated or fuzzy entries of the vi catalogs. A catalog whose
only change is makemessages' timestamp is left untouched, so the check keeps the tree clean.

Usage: scripts/check_messages.py [APPS_DIR]   (default: src/khuyencong)
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "src" / "khuyencong"
_TIMESTAMP = re.compile(rb'^"POT-Creation-Date: .*\\n"\n', re.MULTILINE)


def _update_catalogs(app_dir: Path) -> None:
    from django.core.management import call_command

    catalogs = list(app_dir.glob("locale/*/LC_MESSAGES/django.po"))
    before = {po: po.read_bytes() for po in catalogs}
    cwd = os.getcwd()
    os.chdir(app_dir)
    try:
        call_command("makemessages", locale=["vi", "en"], verbosity=0, no_obsolete=True)
    finally:
        os.chdir(cwd)
    for po, old in before.items():
        new = po.read_bytes()
        if new != old and _TIMESTAMP.sub(b"", new) == _TIMESTAMP.sub(b"", old):
            po.write_bytes(old)


def incomplete_catalogs(root: Path = ROOT) -> list[str]:
    """Problems found, one text block per incomplete vi catalog (empty when all is well)."""
    problems = []
    for locale_dir in sorted(root.glob("*/locale")):
        _update_catalogs(locale_dir.parent)
        po = locale_dir / "vi" / "LC_MESSAGES" / "django.po"
        if not po.exists():
            problems.append(f"{po}: missing")
            continue
        stats = subprocess.run(
            ["msgfmt", "--statistics", "-o", os.devnull, str(po)],
            capture_output=True,
            text=True,
            check=True,
        ).stderr.strip()
        if "untranslated" in stats or "fuzzy" in stats:
            listing = subprocess.run(
                ["msgattrib", "--only-fuzzy", "--no-wrap", str(po)],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            listing += subprocess.run(
                ["msgattrib", "--untranslated", "--no-wrap", str(po)],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            problems.append(f"{po}: {stats.splitlines()[-1]}\n{listing[:4000]}")
    return problems


def main(argv: list[str]) -> int:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khuyencong.settings")
    django.setup()
    root = Path(argv[1]).resolve() if len(argv) > 1 else ROOT
    problems = incomplete_catalogs(root)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} Vietnamese catalog(s) are incomplete.")
        return 1
    print("Vietnamese catalogs complete.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
