"""The report composed from the seed fixture states every fact of the seed report.

Facts (counts, totals, titles, beneficiaries, places, statuses, assignment, headings) are
parsed from shared/seed/report-2018-bac-kan.txt by tests/reports/seed.py; the composed text
comes from samples.seed_report_2018() through compose.compose().
"""

from __future__ import annotations

import pytest

from khuyencong.documents import wording
from khuyencong.documents.docx import HEADING, ITEM
from khuyencong.reports.compose import compose, full_title
from khuyencong.reports.samples import seed_report_2018
from tests.reports.seed import ProjectFacts, seed_facts

FACTS = seed_facts()
DATA = seed_report_2018()
PARAGRAPHS = compose(DATA)
TEXTS = [paragraph.text for paragraph in PARAGRAPHS]
SECTION_ONE = TEXTS[: TEXTS.index(FACTS.headings[1])] if FACTS.headings[1] in TEXTS else TEXTS


def fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def lines_with(*needles: str) -> list[str]:
    """Composed item lines of part one holding every needle (case-insensitive)."""
    return [
        line
        for line in SECTION_ONE
        if line.startswith("– ") and all(fold(needle) in fold(line) for needle in needles)
    ]


def test_the_seed_was_read_completely():
    # Guards the parser: a regex that silently stops matching would make the tests vacuous.
    assert len(FACTS.headings) == 3
    assert [source.label for source in FACTS.sources] == [
        "Khuyến công quốc gia",
        "Khuyến công địa phương",
    ]
    assert len(FACTS.sources[0].projects) == 3
    assert len(FACTS.sources[1].groups) == 4
    assert sum(len(group.items) for group in FACTS.sources[1].groups) == 10
    assert len(FACTS.solutions) == 6


def test_title_is_the_seed_title():
    assert full_title(DATA) == FACTS.title


@pytest.mark.parametrize("index", range(3))
def test_part_headings_are_the_seed_headings(index):
    headings = [paragraph.text for paragraph in PARAGRAPHS if paragraph.kind == HEADING]
    assert headings[index] == FACTS.headings[index]


@pytest.mark.parametrize("source", FACTS.sources, ids=lambda source: source.label)
def test_source_paragraph_states_count_total_and_assignment(source):
    intro = [line for line in SECTION_ONE if line.startswith(f"Đối với {source.label}:")]
    assert len(intro) == 1, f"one paragraph for {source.label}"
    text = intro[0]
    assert (
        f"Năm {source.year}, {source.implementer} được giao thực hiện {source.count} đề án" in text
    )
    if source.content:
        assert f"{source.count} đề án {source.content} từ nguồn {source.source}" in text
    assert f"từ nguồn {source.source}, kinh phí" in text
    assert f"kinh phí {source.total}." in text
    if source.assigned_by:
        assert f"được {source.assigned_by} giao nhiệm vụ từ {source.assigned_month}." in text


@pytest.mark.parametrize("source", FACTS.sources, ids=lambda source: source.label)
def test_totals_in_text_equal_the_sum_of_project_budgets(source):
    section = next(section for section in DATA.sections if section.label == source.label)
    assert wording.parse_money(source.total) == section.total_budget
    assert int(source.count) == section.project_count


NATIONAL_PROJECTS = [project for source in FACTS.sources for project in source.projects]


@pytest.mark.parametrize("project", NATIONAL_PROJECTS, ids=lambda project: project.title[:40])
def test_each_listed_project_has_its_beneficiary_place_and_status_on_its_line(project):
    found = lines_with(f"– Đề án “{project.title}”", project.beneficiary)
    assert len(found) == 1, found
    line = found[0]
    assert f"đơn vị thụ hưởng là {project.beneficiary}, {project.place} {project.status}" in line


GROUPS = [group for source in FACTS.sources for group in source.groups]


@pytest.mark.parametrize("group", GROUPS, ids=lambda group: f"{group.count}-{group.status}")
def test_each_status_group_has_its_count_and_status(group):
    found = [
        line
        for line in SECTION_ONE
        if line.startswith(f"– {group.count}/{group.total} đề án {group.status} gồm: ")
    ]
    assert len(found) == 1, f"no line '{group.count}/{group.total} đề án {group.status}'"


GROUP_ITEMS = [(group, item) for group in GROUPS for item in group.items]


@pytest.mark.parametrize(
    ("group", "item"), GROUP_ITEMS, ids=[f"{g.status}-{i.title[:30]}" for g, i in GROUP_ITEMS]
)
def test_each_grouped_project_is_in_its_status_line(group, item: ProjectFacts):
    line = next(
        line
        for line in SECTION_ONE
        if line.startswith(f"– {group.count}/{group.total} đề án ")
        and f" đề án {group.status} gồm: " in line
    )
    assert fold(f"đề án “{item.title}") in fold(line)
    if item.trailing:
        assert fold(f"{item.title} {item.trailing}”") in fold(line)
    if item.place or item.beneficiary:
        assert f"tại {item.place} (đơn vị thụ hưởng là {item.beneficiary})" in line


def test_part_one_has_exactly_the_seed_lines_per_source():
    per_source: list[list[str]] = []
    for paragraph in PARAGRAPHS[: len(SECTION_ONE)]:
        if paragraph.text.startswith("Đối với "):
            per_source.append([])
        elif paragraph.kind == ITEM:
            per_source[-1].append(paragraph.text)
    expected = [len(source.projects) + len(source.groups) for source in FACTS.sources]
    assert [len(lines) for lines in per_source] == expected
    for lines in per_source:
        assert all(line.endswith(";") for line in lines[:-1])
        assert lines[-1].endswith(".")


def test_group_counts_add_up_to_the_source_count():
    for source in FACTS.sources:
        if source.groups:
            assert sum(int(group.count) for group in source.groups) == int(source.count)


def test_part_two_has_the_seed_solutions_in_order():
    start = TEXTS.index(FACTS.headings[1])
    end = TEXTS.index(FACTS.headings[2])
    solutions = TEXTS[start + 1 : end]
    assert len(solutions) == len(FACTS.solutions)
    for composed, seed in zip(solutions, FACTS.solutions, strict=True):
        # Same opening words; the defaults modernise details (the decree's full citation).
        assert fold(composed).split()[:6] == fold(seed).split()[:6]


def test_part_three_states_that_there_is_no_national_fund_source():
    start = TEXTS.index(FACTS.headings[2])
    composed = fold(" ".join(TEXTS[start + 1 :]))
    seed = fold(" ".join(FACTS.section_three))
    for fact in (
        "chưa có đề án nào đáp ứng được yêu cầu, mục tiêu của đề án khuyến công quốc gia",
        "chưa có “nguồn” để xây dựng kế hoạch kinh phí khuyến công quốc gia năm 2019",
        "đã nhận được nội dung đăng ký thực hiện kế hoạch khuyến công năm 2019",
        "chương trình khuyến công tỉnh bắc kạn giai đoạn 2016 – 2020",
    ):
        assert fact in seed, f"the seed no longer says {fact!r}"
        assert fact in composed
