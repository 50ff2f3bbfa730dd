"""reports/wording.py: table-driven cases for each rule, hypothesis for the round trips."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from num2words import num2words

from khuyencong.documents import wording

MILLION = 1_000_000


# --------------------------------------------------------------------------------- money


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (600 * MILLION, "600 triệu đồng"),
        (529 * MILLION, "529 triệu đồng"),
        (1_200 * MILLION, "1,2 tỷ đồng"),
        (1_250 * MILLION, "1,25 tỷ đồng"),
        (1_255 * MILLION, "1,255 tỷ đồng"),
        (2_000 * MILLION, "2 tỷ đồng"),
        (1_000_000 * MILLION, "1.000 tỷ đồng"),
        (529_350_000, "529,35 triệu đồng"),
        (1 * MILLION, "1 triệu đồng"),
        (850_000, "850 nghìn đồng"),
        (1_000, "1 nghìn đồng"),
        (999, "999 đồng"),
        (0, "0 đồng"),
        # would need rounding: written exactly
        (1_250_500_000, "1.250.500.000 đồng"),
        (529_350_500, "529.350.500 đồng"),
        (850_500, "850.500 đồng"),
    ],
)
def test_money_short(amount, text):
    assert wording.money_short(amount) == text


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (600 * MILLION, "600.000.000 đồng"),
        (1_250_500_000, "1.250.500.000 đồng"),
        (850_000, "850.000 đồng"),
        (5, "5 đồng"),
    ],
)
def test_money_exact(amount, text):
    assert wording.money_exact(amount) == text


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (600 * MILLION, "Sáu trăm triệu đồng chẵn"),
        (529 * MILLION, "Năm trăm hai mươi chín triệu đồng chẵn"),
        (1_250 * MILLION, "Một tỷ hai trăm năm mươi triệu đồng chẵn"),
        (850_000, "Tám trăm năm mươi nghìn đồng chẵn"),
        (1_500, "Một nghìn năm trăm đồng"),
        (1_005, "Một nghìn không trăm lẻ năm đồng"),
        (2_001_000, "Hai triệu không trăm lẻ một nghìn đồng chẵn"),
        (1_000_010_000, "Một tỷ không trăm mười nghìn đồng chẵn"),
        (115 * MILLION, "Một trăm mười lăm triệu đồng chẵn"),
        (21, "Hai mươi mốt đồng"),
        (0, "Không đồng"),
    ],
)
def test_money_words(amount, text):
    assert wording.money_words(amount) == text


@pytest.mark.parametrize("bad", [-1, 1.5, Decimal("10"), True, "600"])
def test_money_is_a_non_negative_integer(bad):
    with pytest.raises((TypeError, ValueError)):
        wording.money_short(bad)


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("600 triệu đồng", 600 * MILLION),
        ("1,2 tỷ đồng", 1_200 * MILLION),
        ("1 tỷ 250 triệu đồng", 1_250 * MILLION),
        ("600.000.000 đồng", 600 * MILLION),
        ("850 nghìn đồng", 850_000),
        ("529 triệu đồng.", 529 * MILLION),
    ],
)
def test_parse_money(text, amount):
    assert wording.parse_money(text) == amount


@pytest.mark.parametrize("text", ["", "đồng", "sáu trăm triệu đồng", "1,5 đồng", "600 triệu abc"])
def test_parse_money_refuses_what_it_cannot_read(text):
    with pytest.raises(ValueError):
        wording.parse_money(text)


@given(st.integers(min_value=0, max_value=10**6))
def test_money_short_round_trips_for_multiples_of_a_million(millions):
    amount = millions * MILLION
    assert wording.parse_money(wording.money_short(amount)) == amount


@given(st.integers(min_value=0, max_value=10**15))
def test_money_short_never_rounds(amount):
    assert wording.parse_money(wording.money_short(amount)) == amount
    assert wording.parse_money(wording.money_exact(amount)) == amount


@given(st.integers(min_value=0, max_value=10**18 - 1))
def test_number_words_round_trip(number):
    assert wording.parse_number_words(wording.number_words(number)) == number


@given(
    st.lists(st.sampled_from([0, *range(100, 1000)]), min_size=1, max_size=3), st.integers(1, 999)
)
def test_number_words_agree_with_num2words_where_it_reads_all_places(groups, leading):
    # Below a thousand tỷ, num2words reads inner groups of 100–999 (and zero groups) the way
    # forms do. It differs for inner groups below 100 ("một nghìn lẻ mười") and from a
    # thousand tỷ on ("một nghìn tỷ một trăm tỷ"): wording joins the groups itself.
    number = int(str(leading) + "".join(f"{group:03d}" for group in groups))
    assert wording.number_words(number) == num2words(number, lang="vi")


@given(st.integers(min_value=0, max_value=10**15))
def test_money_words_form(amount):
    words = wording.money_words(amount)
    assert words[0].isupper()
    assert words[1:] == words[1:].lower()
    assert words.endswith(" đồng chẵn" if amount and amount % 1000 == 0 else " đồng")
    assert wording.parse_number_words(words) == amount


@pytest.mark.parametrize(
    ("value", "text"), [(50, "50%"), (Decimal("37.5"), "37,5%"), (100, "100%")]
)
def test_percent(value, text):
    assert wording.percent(value) == text


# --------------------------------------------------------------------------------- counts


@pytest.mark.parametrize(
    ("number", "text"),
    [(3, "03 đề án"), (10, "10 đề án"), (125, "125 đề án"), (0, "không có đề án nào")],
)
def test_count_phrase(number, text):
    assert wording.count_phrase(number) == text


@pytest.mark.parametrize(
    ("part", "whole", "text"), [(2, 10, "02/10"), (4, 10, "04/10"), (3, 3, "03/03")]
)
def test_share(part, whole, text):
    assert wording.share(part, whole) == text


def test_share_refuses_a_part_larger_than_the_whole():
    with pytest.raises(ValueError):
        wording.share(11, 10)


@given(st.integers(min_value=0, max_value=10**6))
def test_padded_keeps_the_number_with_at_least_two_digits(number):
    text = wording.padded(number)
    assert int(text) == number
    assert len(text) == max(2, len(str(number)))


# --------------------------------------------------------------------------------- quotes, lists


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("Hỗ trợ thiết kế", "“Hỗ trợ thiết kế”"),
        ('"Hỗ trợ thiết kế"', "“Hỗ trợ thiết kế”"),
        ("“Hỗ trợ thiết kế” ", "“Hỗ trợ thiết kế”"),
    ],
)
def test_quoted(title, text):
    assert wording.quoted(title) == text


@pytest.mark.parametrize(
    ("items", "text"),
    [
        ([], ""),
        (["A"], "A"),
        (["A", "B"], "A và B"),
        (["A", "B", "C"], "A, B và C"),
        (["A", "B", "C", "D"], "A; B; C; D"),  # more than three: semicolons
        (["A", "B, xã C"], "A; B, xã C"),  # an item with its own comma: semicolons
        (["A (B)", "C"], "A (B); C"),
    ],
)
def test_join_items(items, text):
    assert wording.join_items(items) == text


plain_words = (
    st.text(alphabet="abcdeđêơư ", min_size=1, max_size=12)
    .map(str.strip)
    .filter(lambda word: word and " và " not in f" {word} ")
)


@given(st.lists(plain_words, min_size=2, max_size=3))
def test_join_and_splits_back_into_the_items(items):
    text = wording.join_and(items)
    head, last = text.rsplit(" và ", 1)
    assert [*head.split(", "), last] == items


@given(st.lists(plain_words, min_size=4, max_size=10))
def test_long_lists_use_semicolons(items):
    assert wording.join_items(items).split("; ") == items


# --------------------------------------------------------------------------------- dates, periods


def test_dates_in_running_text():
    day = datetime.date(2012, 5, 21)
    assert wording.date_long(day) == "ngày 21 tháng 5 năm 2012"
    assert wording.date_short(day) == "21/5/2012"
    assert wording.month_year(datetime.date(2018, 5, 1)) == "tháng 5/2018"


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (datetime.date(2018, 7, 5), "Bắc Kạn, ngày 05 tháng 7 năm 2018"),
        (datetime.date(2019, 2, 5), "Bắc Kạn, ngày 05 tháng 02 năm 2019"),
        (datetime.date(2019, 1, 15), "Bắc Kạn, ngày 15 tháng 01 năm 2019"),
        (datetime.date(2018, 12, 21), "Bắc Kạn, ngày 21 tháng 12 năm 2018"),
    ],
)
def test_document_date_pads_days_below_ten_and_months_one_and_two(day, text):
    assert wording.document_date("Bắc Kạn", day) == text


@pytest.mark.parametrize(
    ("kind", "name", "label", "end", "rest"),
    [
        ("Q1", "quý I", "quý I năm 2018", datetime.date(2018, 3, 31), "9 tháng cuối năm 2018"),
        ("Q2", "quý II", "quý II năm 2018", datetime.date(2018, 6, 30), "6 tháng cuối năm 2018"),
        ("Q3", "quý III", "quý III năm 2018", datetime.date(2018, 9, 30), "quý IV năm 2018"),
        ("Q4", "quý IV", "quý IV năm 2018", datetime.date(2018, 12, 31), None),
        (
            "H1",
            "6 tháng đầu năm",
            "6 tháng đầu năm 2018",
            datetime.date(2018, 6, 30),
            "6 tháng cuối năm 2018",
        ),
        (
            "9M",
            "9 tháng đầu năm",
            "9 tháng đầu năm 2018",
            datetime.date(2018, 9, 30),
            "quý IV năm 2018",
        ),
        ("Y", "cả năm", "năm 2018", datetime.date(2018, 12, 31), None),
    ],
)
def test_periods(kind, name, label, end, rest):
    assert wording.period_name(kind) == name
    assert wording.period_label(kind, 2018) == label
    assert wording.period_end(kind, 2018) == end
    assert wording.period_remainder_label(kind, 2018) == rest
    assert wording.period_start(kind, 2018) < end


def test_unknown_period_is_refused():
    with pytest.raises(ValueError, match="unknown period"):
        wording.period_label("H3", 2018)


@given(st.sampled_from(wording.PERIOD_KINDS), st.integers(min_value=2000, max_value=2100))
def test_period_end_is_the_last_day_of_a_month(kind, year):
    end = wording.period_end(kind, year)
    assert (end + datetime.timedelta(days=1)).day == 1
    assert end.year == year


# --------------------------------------------------------------------------------- places, names


@pytest.mark.parametrize(
    ("units", "text"),
    [
        ([("Xã", "Nông Thượng"), ("Thành phố", "Bắc Kạn")], "xã Nông Thượng, thành phố Bắc Kạn"),
        ([("Thị trấn", "Chợ Rã"), ("Huyện", "Ba Bể")], "thị trấn Chợ Rã, huyện Ba Bể"),
        ([("Phường", "Đức Xuân")], "phường Đức Xuân"),
        ([], ""),
    ],
)
def test_place_label_lower_cases_unit_types(units, text):
    assert wording.place_label(units) == text


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("Hợp tác xã Nông nghiệp Tân Thành", "HTX Nông nghiệp Tân Thành"),
        ("hợp tác xã Thành Ngân", "HTX Thành Ngân"),
        ("Hộ kinh doanh Lại Văn Tú", "HKD Lại Văn Tú"),
        ("Công ty trách nhiệm hữu hạn Đinh Lâm", "Công ty TNHH Đinh Lâm"),
        ("Liên hiệp hợp tác xã Bắc Kạn", "Liên hiệp HTX Bắc Kạn"),
        ("HTX Thành Long", "HTX Thành Long"),
        ("Hợp tác xã", "Hợp tác xã"),  # nothing after the type: left alone
    ],
)
def test_establishment_name(name, short):
    assert wording.establishment_name(name) == short
    assert wording.establishment_name(short) == short


def test_legal_citation():
    citation = wording.legal_citation(
        "Nghị định", "45/2012/NĐ-CP", datetime.date(2012, 5, 21), "Chính phủ", "khuyến công"
    )
    assert citation == "Nghị định số 45/2012/NĐ-CP ngày 21/5/2012 của Chính phủ về khuyến công"


def test_recipient_lines():
    assert wording.recipient_lines(["Như trên;", " UBND tỉnh (b/c) ", "", "Lưu: VT"]) == [
        "- Như trên;",
        "- UBND tỉnh (b/c);",
        "- Lưu: VT.",
    ]


def test_capitalize_first_keeps_the_rest():
    assert wording.capitalize_first("sáu trăm CNNT") == "Sáu trăm CNNT"
    assert wording.lower_first("Hỗ trợ CNNT") == "hỗ trợ CNNT"


# --------------------------------------------------------------------------------- statuses


@pytest.mark.parametrize(
    ("status", "progress", "note", "text"),
    [
        ("completed", None, "", "đã hoàn thành"),
        ("in_progress", 50, "", "đã hoàn thành được 50% khối lượng công việc"),
        ("contract_signed", None, "", "đã triển khai ký kết hợp đồng và thực hiện theo kế hoạch"),
        (
            "under_review",
            None,
            "thị trường máy móc thiết bị",
            "đang nghiên cứu thị trường máy móc thiết bị để xem xét xin điều chỉnh nội dung hỗ trợ "
            "hoặc xin dừng thực hiện đề án",
        ),
        (
            "under_review",
            None,
            "",
            "đang nghiên cứu phương án thực hiện để xem xét xin điều chỉnh nội dung hỗ trợ hoặc "
            "xin dừng thực hiện đề án",
        ),
        (
            "stop_requested",
            None,
            "đơn vị gặp khó khăn về thị trường tiêu thụ",
            "đã có văn bản xin dừng thực hiện do đơn vị gặp khó khăn về thị trường tiêu thụ",
        ),
        ("stop_requested", None, "", "đã có văn bản xin dừng thực hiện"),
        ("stopped", None, "thiếu vốn đối ứng", "đã dừng thực hiện do thiếu vốn đối ứng"),
        ("not_started", None, "ignored", "chưa thực hiện"),
    ],
)
def test_status_line(status, progress, note, text):
    assert wording.status_line(status, progress, note) == text


@pytest.mark.parametrize(
    ("status", "progress", "text"),
    [
        ("completed", None, "đã hoàn thành"),
        ("in_progress", 50, "đã hoàn thành được 50% khối lượng công việc"),
        ("stop_requested", None, "xin dừng thực hiện"),
        ("not_started", None, "chưa thực hiện"),
    ],
)
def test_status_group(status, progress, text):
    assert wording.status_group(status, progress) == text


def test_work_in_progress_needs_its_percentage():
    with pytest.raises(ValueError):
        wording.status_line("in_progress")
    with pytest.raises(ValueError):
        wording.status_group("in_progress")


def test_every_report_status_has_both_phrases():
    from khuyencong.reports.data import ReportStatus

    assert set(wording.STATUS_LINE) == set(ReportStatus) == set(wording.STATUS_GROUP)
