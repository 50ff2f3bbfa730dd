"""One shape for every status workflow: a refusal, a transition row and a table of rows.

Pure: no database, no HTTP. Each app writes its table as data (``projects.lifecycle``,
``registrations.workflow``, ``contests.services``) with its own wording; looking a step up,
checking that the table allows it from a status and listing the steps a status allows are
done here, once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Refused", "Table", "Transition"]


class Refused(Exception):
    """A step the rules do not allow; ``message`` says why, in the user's language."""

    def __init__(self, message: str, code: str = "refused"):
        self.message = message
        self.code = code
        super().__init__(message)


@dataclass(frozen=True)
class Transition:
    """One row: the step, the statuses it leaves from, where it leads, who may take it.

    ``target`` is a status, or a marker the app resolves (e.g. "back to the previous status");
    ``permission`` names an entry of ``accounts.roles.PERMISSIONS`` (``{fund}`` is filled by
    ``permission_for``); ``guards`` are the app's pure checks, each returning a problem or None.
    """

    kind: str
    sources: frozenset[str]
    target: str
    permission: str = ""
    guards: tuple[Callable[..., str | None], ...] = field(default=())
    summary: str = ""
    needs_reason: bool = False

    def permission_for(self, fund: str) -> str:
        return self.permission.format(fund=fund)


class Table:
    """The rows of one workflow, one per step, and the refusals worded by the app.

    ``unknown`` is a message with ``%(kind)s`` (None: an unknown step is a programming error,
    ``KeyError``); ``illegal`` one with ``%(step)s`` and ``%(status)s``, filled through
    ``step_label`` and ``status_label``.
    """

    def __init__(
        self,
        rows: Iterable[Transition],
        *,
        unknown: Any = None,
        illegal: Any,
        step_label: Callable[[str], str] = str,
        status_label: Callable[[str], str] = str,
    ) -> None:
        self.rows: tuple[Transition, ...] = tuple(rows)
        self.by_kind: dict[str, Transition] = {row.kind: row for row in self.rows}
        if len(self.by_kind) != len(self.rows):
            raise ValueError("A workflow table has one row per step.")
        self.unknown = unknown
        self.illegal = illegal
        self.step_label = step_label
        self.status_label = status_label

    def __iter__(self) -> Iterator[Transition]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def row(self, kind: str) -> Transition:
        """The row of ``kind``; ``Refused`` ("unknown") if the table has none."""
        try:
            return self.by_kind[kind]
        except KeyError:
            if self.unknown is None:
                raise
            raise Refused(str(self.unknown) % {"kind": kind}, "unknown") from None

    def check(self, row: Transition, status: str) -> None:
        """Refuse ("illegal") a step the table does not allow from ``status``."""
        if status not in row.sources:
            raise Refused(
                str(self.illegal)
                % {"step": self.step_label(row.kind), "status": self.status_label(status)},
                "illegal",
            )

    def available(self, status: str) -> list[Transition]:
        """The rows allowed from ``status`` (the UI's buttons; permissions and guards apply)."""
        return [row for row in self.rows if status in row.sources]
