"""Pure parts: the snapshot round trip, changes between snapshots, the chart definition and its
two renderings, edits, the to-a-date period and the long status groups."""

from __future__ import annotations

import dataclasses
import datetime
import json
import re
from xml.etree import ElementTree

import pytest
from hypothesis import given
from hypothesis import strategies as st

from khuyencong.documents import charts, wording
from khuyencong.reports import compose, snapshot
from khuyencong.reports.changes import ADDED, CHANGED, REMOVED, changes_between
from khuyencong.reports.charts import report_charts
from khuyencong.reports.data import Period, ProjectLine, ReportStatus
from khuyencong.reports.edits import ReportEdits, lines, starting_edits
from khuyencong.reports.samples import seed_report_2018

SEED = seed_report_2018()


def test_snapshot_round_trips_through_json():
    data = starting_edits(SEED).apply(SEED)
    assert snapshot.load(json.loads(json.dumps(snapshot.dump(data)))) == data


@given(
    percent=st.integers(min_value=1, max_value=99),
    budget=st.integers(min_value=0, max_value=10**13),
    disbursed=st.none() | st.integers(min_value=0, max_value=10**13),
)
def test_snapshot_keeps_every_figure(percent, budget, disbursed):
    line = ProjectLine(
        title="Đề án “thử”",
        status=ReportStatus.IN_PROGRESS,
        progress_percent=percent,
        budget=budget,
        disbursed=disbursed,
        reference="X-1",
        project_id=7,
    )
    section = dataclasses.replace(SEED.sections[1], projects=(line,))
    data = dataclasses.replace(SEED, sections=(section,))
    assert snapshot.load(json.loads(json.dumps(snapshot.dump(data)))) == data


def test_snapshot_refuses_an_unknown_version():
    raw = snapshot.dump(SEED)
    raw["version"] = 99
    with pytest.raises(ValueError):
        snapshot.load(raw)


def _with(data, reference, **changes):
    sections = []
    for section in data.sections:
        projects = tuple(
            dataclasses.replace(p, **changes) if p.reference == reference else p
            for p in section.projects
        )
        sections.append(dataclasses.replace(section, projects=projects))
    return dataclasses.replace(data, sections=tuple(sections))


def test_changes_between_two_snapshots():
    before = SEED
    after = _with(SEED, "KCĐP-2018-03", status=ReportStatus.COMPLETED, progress_percent=None)
    after = _with(after, "KCQG-2018-01", disbursed=100_000_000)
    extra = ProjectLine(title="Đề án bổ sung", status=ReportStatus.NOT_STARTED, reference="NEW-1")
    local = after.sections[1]
    after = dataclasses.replace(
        after,
        sections=(
            dataclasses.replace(
                after.sections[0],
                projects=tuple(
                    p for p in after.sections[0].projects if p.reference != "KCQG-2018-03"
                ),
            ),
            dataclasses.replace(local, projects=(*local.projects, extra)),
        ),
    )
    found = {c.reference: c for c in changes_between(snapshot.dump(before), snapshot.dump(after))}
    assert set(found) == {"KCĐP-2018-03", "KCQG-2018-01", "NEW-1", "KCQG-2018-03"}
    info = found["KCĐP-2018-03"]
    assert info.kind == CHANGED and info.status_changed and not info.budget_changed
    assert info.old_status == "Đã hoàn thành được 50% khối lượng công việc"
    assert info.new_status == "Đã hoàn thành"
    money = found["KCQG-2018-01"]
    assert money.disbursed_changed and not money.status_changed
    assert (money.old_disbursed, money.new_disbursed) == (0, 100_000_000)
    assert found["NEW-1"].kind == ADDED and found["KCQG-2018-03"].kind == REMOVED
    assert changes_between(snapshot.dump(before), snapshot.dump(before)) == []


def test_chart_svg_is_well_formed_and_links_only_on_screen():
    chart = charts.BarChart(
        key="k",
        title="Đề án theo <nội dung> & “nguồn”",
        categories=("Một", "Hai"),
        series=(charts.Series("A", (3, 0)), charts.Series("B", (1, 2))),
        links=("/projects/?a=1&b=2", ""),
    )
    screen = charts.to_svg(chart, links=True)
    document = charts.to_svg(chart)
    for svg in (screen, document):
        ElementTree.fromstring(svg)  # well-formed XML, titles escaped
    assert 'href="/projects/?a=1&amp;b=2"' in screen
    assert "href" not in document
    assert len(re.findall(r"<rect [^>]*><title>", document)) == 4  # one bar per value


def test_chart_png_is_a_picture_of_the_same_chart():
    chart = report_charts(SEED)[0]
    png = charts.to_png(chart)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width = int.from_bytes(png[16:20], "big")
    assert width == charts.WIDTH * 1.5  # zoom 1.5 of the SVG's width


def test_report_charts_state_the_report_figures():
    status, money = report_charts(SEED)
    counts = dict(
        zip(status.categories, zip(*(s.values for s in status.series), strict=True), strict=True)
    )
    assert counts["Đã hoàn thành"] == (0, 2)
    assert counts["Xin dừng thực hiện"] == (1, 2)
    assert money.series[0].values == (600_000_000, 529_000_000)
    assert money.label(600_000_000) == "600 tr"


def test_a_chart_needs_one_value_per_category():
    with pytest.raises(ValueError):
        charts.BarChart(key="x", title="x", categories=("a",), series=(charts.Series("s", (1, 2)),))
    with pytest.raises(ValueError):
        charts.BarChart(key="x", title="x", categories=("a",), series=(charts.Series("s", (-1,)),))


def test_edits_replace_only_the_narrative_and_document_details():
    edits = ReportEdits(
        number="12",
        issued_on=datetime.date(2018, 7, 9),
        signer_name="Người Ký",
        section_narratives={"local": "Đoạn đã sửa."},
        solutions=("Một giải pháp.",),
        next_year_text="Kế hoạch năm sau đã sửa.",
    )
    edited = edits.apply(SEED)
    text = compose.as_text(compose.compose(edited))
    assert "Đoạn đã sửa. Kết quả như sau:" in text
    assert "– Một giải pháp." in text and "Kế hoạch năm sau đã sửa." in text
    assert edited.number_line == "Số: 12/BC-SCT" and edited.signer.name == "Người Ký"
    assert edited.signer.position == SEED.signer.position
    assert [s.total_budget for s in edited.sections] == [s.total_budget for s in SEED.sections]


def test_starting_edits_write_out_the_default_texts():
    start = starting_edits(SEED)
    assert start.solutions == compose.default_solutions(SEED)
    assert start.next_year_text == compose.default_next_year_text(SEED)
    assert compose.compose(start.apply(SEED)) == compose.compose(SEED)
    assert lines("a\r\n\r\n b \n") == ("a", "b")


def test_a_period_to_any_date():
    period = Period(kind=wording.TO_DATE, year=2018, until=datetime.date(2018, 8, 15))
    assert period.label == "năm 2018 (đến ngày 15/8/2018)"
    assert period.end == datetime.date(2018, 8, 15)
    assert period.remainder_label == "những tháng cuối năm 2018"
    with pytest.raises(ValueError):
        Period(kind=wording.TO_DATE, year=2018)
    with pytest.raises(ValueError):
        Period(kind="H1", year=2018, until=datetime.date(2018, 6, 30))


def test_a_long_status_group_refers_to_the_annex():
    many = tuple(
        ProjectLine(title=f"Đề án {n}", status=ReportStatus.NOT_STARTED)
        for n in range(compose.GROUP_ITEMS_MAX + 1)
    )
    group = compose.status_groups(many)[0]
    line = compose.group_line(group, 20)
    assert line == "13/20 đề án chưa thực hiện (danh mục chi tiết tại Phụ lục kèm theo)"


@pytest.mark.parametrize(
    ("amount", "label"),
    [(0, "0"), (850_000, "850 nghìn"), (529_000_000, "529 tr"), (1_250_000_000, "1,25 tỷ")],
)
def test_compact_money(amount, label):
    assert wording.compact_money(amount) == label
