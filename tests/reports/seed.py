"""The seed report (shared/seed/report-2018-bac-kan.txt) read into facts.

The tests check the composed report against facts parsed here from the seed file itself, not
against copies typed into the tests. The seed lies beside the repository (``../shared`` from
the repository root; a worktree may sit deeper, so the parents are searched) or where
KHUYENCONG_SEED_DIR points.

Known slips in the seed, corrected before parsing (the system writes them correctly):
  * "thị trẫn Chợ Rã" for "thị trấn Chợ Rã";
  * a first project line broken after its title ("…nông lâm sản”,\\n\\nđơn vị thụ hưởng…");
  * titles with a missing opening quote (“) and one whose closing quote comes before
    "tỉnh Bắc Kạn năm 2018": titles are read from the text after "đề án" up to the closing
    quote, and what follows the quote is kept as a trailing qualifier to find as well.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from tests.seed_report import seed_path

ERRATA = {"thị trẫn": "thị trấn"}


@cache
def seed_text() -> str:
    text = seed_path().read_text(encoding="utf-8")
    for wrong, right in ERRATA.items():
        text = text.replace(wrong, right)
    return text


def paragraphs(text: str) -> list[str]:
    """Non-empty paragraphs; a paragraph ending in a comma continues in the next one."""
    parts = [" ".join(part.split()) for part in re.split(r"\n\s*\n", text) if part.strip()]
    joined: list[str] = []
    for part in parts:
        if joined and joined[-1].endswith(","):
            joined[-1] = f"{joined[-1]} {part}"
        else:
            joined.append(part)
    return joined


@dataclass
class ProjectFacts:
    title: str
    beneficiary: str = ""
    place: str = ""
    status: str = ""
    trailing: str = ""  # text after the closing quote that belongs to the title


@dataclass
class GroupFacts:
    count: str  # "02", as written
    total: str  # "10"
    status: str
    items: list[ProjectFacts] = field(default_factory=list)


@dataclass
class SourceFacts:
    label: str
    year: str
    implementer: str
    count: str  # "03", as written
    content: str  # "hỗ trợ ứng dụng máy móc thiết bị" or ""
    source: str  # "khuyến công quốc gia"
    total: str  # "600 triệu đồng", as written
    assigned_by: str = ""
    assigned_month: str = ""
    projects: list[ProjectFacts] = field(default_factory=list)
    groups: list[GroupFacts] = field(default_factory=list)


@dataclass
class SeedFacts:
    title: str
    headings: list[str]
    sources: list[SourceFacts]
    solutions: list[str]
    section_three: list[str]


_SOURCE = re.compile(
    r"^Đối với (?P<label>[^:]+): Năm (?P<year>\d{4}), (?P<implementer>.+?) được giao thực hiện "
    r"(?P<count>\d+) đề án (?P<content>.*?)từ nguồn (?P<source>.+?), kinh phí (?:là )?"
    r"(?P<total>[\d.,]+ (?:tỷ |triệu |nghìn )?đồng)\."
)
_ASSIGNED = re.compile(r"được (?P<by>[^.]+?) giao nhiệm vụ từ (?P<month>tháng \d{1,2}/\d{4})")
_PROJECT = re.compile(
    r"^– Đề án “(?P<title>[^”]+)”, đơn vị thụ hưởng là (?P<beneficiary>.+?), "
    r"(?P<place>(?:xã|phường|thị trấn) .+?, (?:huyện|thành phố|thị xã) .+?) "
    r"(?P<status>(?:đã|đang) .+?)[;.]$"
)
_GROUP = re.compile(
    r"^– (?P<count>\d+)/(?P<total>\d+) đề án (?P<status>.+?) (?:bao )?gồm: (?P<items>.+?)[;.]$"
)
_ITEM_TITLE = re.compile(r"^đề án “?(?P<title>[^“”]+)”")
_ITEM_BENEFICIARY = re.compile(r"\(đơn vị thụ hưởng là (?P<name>[^)]+)\)")
_ITEM_PLACE = re.compile(r"tại (?P<place>(?:xã|phường|thị trấn) [^()]+?)\s*(?:\(|$)")


def _item(text: str) -> ProjectFacts:
    title = _ITEM_TITLE.match(text)
    if title is None:
        raise ValueError(f"cannot read the project in {text!r}")
    rest = text[title.end() :]
    beneficiary = _ITEM_BENEFICIARY.search(rest)
    place = _ITEM_PLACE.search(rest)
    trailing = re.split(r" tại |\(", rest)[0].strip()
    return ProjectFacts(
        title=title["title"].strip(),
        beneficiary=beneficiary["name"] if beneficiary else "",
        place=place["place"] if place else "",
        trailing=trailing,
    )


def _items(text: str) -> list[ProjectFacts]:
    parts = [part for chunk in text.split("; ") for part in chunk.split(" và đề án ")]
    parts = [part if part.startswith("đề án") else f"đề án {part}" for part in parts]
    return [_item(part) for part in parts]


@cache
def seed_facts() -> SeedFacts:
    text = seed_text()
    lines = paragraphs(text)
    headings = [line for line in lines if re.match(r"^Thứ (nhất|hai|ba),", line)]
    one = lines.index(headings[0])
    two = lines.index(headings[1])
    three = lines.index(headings[2])

    sources: list[SourceFacts] = []
    for line in lines[one + 1 : two]:
        if match := _SOURCE.match(line):
            source = SourceFacts(**{key: value.strip() for key, value in match.groupdict().items()})
            if assigned := _ASSIGNED.search(line):
                source.assigned_by = assigned["by"]
                source.assigned_month = assigned["month"]
            sources.append(source)
        elif match := _PROJECT.match(line):
            sources[-1].projects.append(ProjectFacts(**match.groupdict()))
        elif match := _GROUP.match(line):
            group = GroupFacts(match["count"], match["total"], match["status"])
            group.items = _items(match["items"])
            sources[-1].groups.append(group)
        else:
            raise ValueError(f"seed line not understood: {line!r}")
    return SeedFacts(
        title=lines[0],
        headings=headings,
        sources=sources,
        solutions=[line for line in lines[two + 1 : three] if line.startswith("– ")],
        section_three=lines[three + 1 : -1],  # the last line is the signature
    )
