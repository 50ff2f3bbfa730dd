"""Fail when a UI string has no Vietnamese translation, or one message has two meanings.

Runs ``makemessages`` for vi and en in every app that has a ``locale`` folder (each app keeps
its own catalog), then lists untranslated or fuzzy entries of the vi catalogs. A catalog whose
only change is makemessages' timestamp is left untouched, so the check keeps the tree clean.

Django merges the apps' catalogs into one: a msgid translated two ways in two apps shows the
first app's wording everywhere ("Unit" as "Đơn vị tính" on the events pages). A message used
in two meanings must carry a msgctxt (``pgettext``, ``{% translate "Unit" context "measure" %}``);
the check lists every msgid without context whose Vietnamese differs between catalogs.

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


# Messages translated differently in two catalogs when this check was written, mostly the same
# meaning worded two ways. Each is to be unified or given a msgctxt; none may be added.
KNOWN_TWO_WORDINGS = frozenset(
    {
        "Another active beneficiary already has this tax code.",
        "Approved ceiling (VND)",
        "Archived",
        "Clear",
        "Commune",
        "Created",
        "Details",
        "District",
        "Documents",
        "Failed",
        "Import",
        "Kind",
        "Number",
        "Officers trained per district",
        "Only the first 20 matches are shown: type more of the name.",
        "Participants",
        "Period",
        "Place",
        "Province",
        "Record",
        "Registration",
        "Search (without accents)",
        "The form is missing its version; reload the page.",
        "The plan year must be between %(first)s and %(last)s.",
        "The plan's year, or the first year of its period.",
        "This record is outside your area of responsibility.",
        "Title",
        "Total",
        "Training conferences and trade fairs",
        "article/clause",
        "confirmed",
        "content area",
        "content type",
        "event",
        "expired",
        "in use",
        "issued on",
        "kind",
        "place",
        "province",
        "short name",
    }
)
_ENTRY_LINE = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[0\])?) (".*")$')


def _unquote(text: str) -> str:
    import json

    return str(json.loads(text))


def vi_entries(po: Path) -> dict[str, str]:
    """msgid -> msgstr (the first form of a plural) of a catalog's entries without context."""
    entries = {}
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        parts: dict[str, str] = {}
        current = ""
        for line in block.splitlines():
            if line.startswith("#~"):
                break  # obsolete entry
            match = _ENTRY_LINE.match(line)
            if match:
                current = match.group(1).replace("[0]", "")
                parts[current] = _unquote(match.group(2))
            elif line.startswith('"') and current:
                parts[current] += _unquote(line)
        if parts.get("msgid") and "msgctxt" not in parts and parts.get("msgstr"):
            entries[parts["msgid"]] = parts["msgstr"]
    return entries


def two_meanings(root: Path = ROOT, known: frozenset[str] = KNOWN_TWO_WORDINGS) -> list[str]:
    """msgids without context translated differently in two vi catalogs (not yet known)."""
    wordings: dict[str, dict[str, list[str]]] = {}
    for po in sorted(root.glob("*/locale/vi/LC_MESSAGES/django.po")):
        app = po.parents[3].name
        for msgid, msgstr in vi_entries(po).items():
            wordings.setdefault(msgid, {}).setdefault(msgstr, []).append(app)
    return [
        f"“{msgid}” has {len(found)} translations: "
        + "; ".join(f"“{msgstr}” ({', '.join(apps)})" for msgstr, apps in found.items())
        + " — add a msgctxt to the uses that mean something else, or use one wording."
        for msgid, found in sorted(wordings.items())
        if len(found) > 1 and msgid not in known
    ]


def main(argv: list[str]) -> int:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khuyencong.settings")
    django.setup()
    root = Path(argv[1]).resolve() if len(argv) > 1 else ROOT
    problems = incomplete_catalogs(root) + two_meanings(root)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) in the Vietnamese catalogs.")
        return 1
    print("Vietnamese catalogs complete.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
