"""What changed between two saved reports: the projects whose status or money differ.

Compares the snapshots (``snapshot.dump``) project by project, matched by their code
(``ProjectLine.reference``). Pure functions on the stored JSON: the comparison shows what the
two reports *said*, whatever happened to the projects since.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from khuyencong.documents import wording

ADDED = "added"
REMOVED = "removed"
CHANGED = "changed"


@dataclass(frozen=True)
class ProjectChange:
    reference: str
    title: str
    source: str
    kind: str  # ADDED, REMOVED or CHANGED
    old_status: str = ""  # the status as the report worded it
    new_status: str = ""
    old_budget: int | None = None
    new_budget: int | None = None
    old_disbursed: int | None = None
    new_disbursed: int | None = None
    project_id: int | None = None

    @property
    def status_changed(self) -> bool:
        return self.old_status != self.new_status

    @property
    def budget_changed(self) -> bool:
        return self.old_budget != self.new_budget

    @property
    def disbursed_changed(self) -> bool:
        return self.old_disbursed != self.new_disbursed


def _status_text(line: dict[str, Any]) -> str:
    return wording.capitalize_first(
        wording.status_line(
            line["status"], line.get("progress_percent"), line.get("status_note", "")
        )
    )


def project_index(snapshot: dict[str, Any]) -> dict[str, tuple[str, dict[str, Any]]]:
    """Project lines of a snapshot by code: (source label, line)."""
    index = {}
    for section in snapshot.get("sections", []):
        for line in section.get("projects", []):
            key = line.get("reference") or f"{section['source_code']}:{line['title']}"
            index[key] = (section["label"], line)
    return index


def changes_between(old: dict[str, Any], new: dict[str, Any]) -> list[ProjectChange]:
    """Projects added, removed, or whose status, budget or disbursement changed, in the newer
    report's order (removed ones last)."""
    before = project_index(old)
    after = project_index(new)
    found: list[ProjectChange] = []
    for key, (source, line) in after.items():
        common = {
            "reference": line.get("reference", ""),
            "title": line["title"],
            "source": source,
            "new_status": _status_text(line),
            "new_budget": line.get("budget"),
            "new_disbursed": line.get("disbursed"),
            "project_id": line.get("project_id"),
        }
        if key not in before:
            found.append(ProjectChange(kind=ADDED, **common))
            continue
        _source, previous = before[key]
        change = ProjectChange(
            kind=CHANGED,
            old_status=_status_text(previous),
            old_budget=previous.get("budget"),
            old_disbursed=previous.get("disbursed"),
            **common,
        )
        if change.status_changed or change.budget_changed or change.disbursed_changed:
            found.append(change)
    for key, (source, line) in before.items():
        if key not in after:
            found.append(
                ProjectChange(
                    reference=line.get("reference", ""),
                    title=line["title"],
                    source=source,
                    kind=REMOVED,
                    old_status=_status_text(line),
                    old_budget=line.get("budget"),
                    old_disbursed=line.get("disbursed"),
                    project_id=line.get("project_id"),
                )
            )
    return found
