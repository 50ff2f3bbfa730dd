"""What a person may change in a report before saving it: the narrative parts (each source's
paragraph, the solutions, next year's orientation and plan status) and the document details
(number, date, signer). The figures are never edited: they come from the projects.

``starting_edits(data)`` writes out the default texts (``compose.default_*``), so the preview
form starts from them and a saved report keeps exactly what it said; ``edits.apply(data)``
puts the edited texts into the ``ReportData``.
"""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass, field

from khuyencong.reports import compose
from khuyencong.reports.data import ReportData, Signer


def lines(text: str) -> tuple[str, ...]:
    """Items or paragraphs typed one per line (blank lines ignored)."""
    return tuple(line.strip() for line in text.replace("\r\n", "\n").split("\n") if line.strip())


@dataclass(frozen=True)
class ReportEdits:
    number: str = ""
    issued_on: datetime.date | None = None
    signer_capacity: str | None = None
    signer_position: str | None = None
    signer_name: str | None = None
    section_narratives: dict[str, str] = field(default_factory=dict)  # source code -> text
    solutions: tuple[str, ...] | None = None
    orientation: tuple[str, ...] | None = None
    next_year_text: str | None = None

    def apply(self, data: ReportData) -> ReportData:
        sections = tuple(
            dataclasses.replace(section, narrative=self.section_narratives[section.source_code])
            if section.source_code in self.section_narratives
            else section
            for section in data.sections
        )
        signer = Signer(
            capacity=_pick(self.signer_capacity, data.signer.capacity),
            position=_pick(self.signer_position, data.signer.position),
            name=_pick(self.signer_name, data.signer.name),
        )
        next_year = data.next_year
        if next_year is not None and self.next_year_text is not None:
            next_year = dataclasses.replace(next_year, text=self.next_year_text)
        return dataclasses.replace(
            data,
            number=self.number or data.number,
            issued_on=self.issued_on or data.issued_on,
            signer=signer,
            sections=sections,
            solutions=self.solutions if self.solutions is not None else data.solutions,
            orientation=self.orientation if self.orientation is not None else data.orientation,
            next_year=next_year,
        )


def _pick(edited: str | None, default: str) -> str:
    return default if edited is None else edited


def starting_edits(data: ReportData) -> ReportEdits:
    """The texts the report states by default, written out for editing."""
    next_year_text = None
    if data.next_year is not None:
        next_year_text = (
            data.next_year.text
            if data.next_year.text is not None
            else compose.default_next_year_text(data)
        )
    return ReportEdits(
        number=data.number,
        issued_on=data.issued_on,
        signer_capacity=data.signer.capacity,
        signer_position=data.signer.position,
        signer_name=data.signer.name,
        section_narratives={
            section.source_code: (
                section.narrative
                if section.narrative is not None
                else compose.default_source_narrative(section, data)
            )
            for section in data.sections
            if section.projects
        },
        solutions=data.solutions if data.solutions is not None else compose.default_solutions(data),
        orientation=(
            data.orientation if data.orientation is not None else compose.default_orientation(data)
        ),
        next_year_text=next_year_text,
    )
