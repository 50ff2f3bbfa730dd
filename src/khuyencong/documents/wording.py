"""Vietnamese report wording: the one module that says how a report writes things.

Reports are Vietnamese administrative documents: their wording is domain text in the
report's own language, not user-interface text. It is kept here as data and plain functions,
deliberately NOT routed through gettext (an English UI user still files a Vietnamese report,
and a translator must not be able to change what the report states). UI strings of the
reports app go through Django i18n as usual.

Rules chosen (each has table-driven tests in tests/reports/test_wording.py):

Money (integer VND, never floats)
  * ``money_short``: the form used in running text. The amount is written in the largest unit
    not above it (tỷ, triệu, nghìn): tỷ and triệu with at most three decimals after a comma,
    nghìn only whole, the integer part grouped with dots: "600 triệu đồng", "529 triệu
    đồng", "1,2 tỷ đồng", "1,25 tỷ đồng", "529,35 triệu đồng", "850 nghìn đồng", "1.000 tỷ
    đồng". An amount that this would have to round is written exactly instead
    ("1.250.500.000 đồng", "850.500 đồng"): a report never
    rounds money silently. The spoken compound form ("1 tỷ 250 triệu đồng") is not produced:
    reports and plans write decimals of the larger unit; ``parse_money`` still reads it.
  * ``money_exact``: "600.000.000 đồng" (tables, annexes, amounts in decisions).
  * ``money_words``: the amount in words as written on Vietnamese forms, first letter upper
    case, "đồng" and, for whole thousands, "chẵn": "Sáu trăm triệu đồng chẵn". Inner groups
    below one hundred are read in full ("một nghìn không trăm lẻ năm", "hai triệu không trăm
    lẻ một nghìn") and the count of tỷ is read as a number ("một nghìn không trăm lẻ một
    tỷ"). num2words (lang="vi") reads each group of three digits; this module joins the
    groups, because num2words 0.5.14 reads "1010" as "một nghìn lẻ mười" and 1.100 tỷ as
    "một nghìn tỷ một trăm tỷ".

Dates
  * running text: ``date_long`` "ngày 21 tháng 5 năm 2012", ``date_short`` "21/5/2012",
    ``month_year`` "tháng 5/2018";
  * the place-and-date line of a document (Decree 30/2020/NĐ-CP, Appendix I): days below 10
    and the months 1 and 2 get a leading zero: "Bắc Kạn, ngày 05 tháng 02 năm 2019".

Counts: two digits, as administrative reports write them: "03 đề án", "02/10 đề án"
(10 and above unchanged; nought is "không có đề án nào").

Lists: plain items are joined "A và B", "A, B và C"; as soon as one item carries its own
details (a comma or brackets inside it) or there are more than three items, items are
separated by semicolons ("A; B; C; D") so the reader can still tell them apart.

Places: unit types are lower case in running text: "xã Nông Thượng, thành phố Bắc Kạn",
"thị trấn Chợ Rã, huyện Ba Bể".

Periods: Q1…Q4 "quý I"…"quý IV", H1 "6 tháng đầu năm", 9M "9 tháng đầu năm", Y "cả năm"
(``period_label`` writes the whole year as "năm 2018").
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal

from num2words import num2words

# --------------------------------------------------------------------------------------------
# Numbers and money

# (unit, name, smallest step the short form can show in that unit)
_UNITS: tuple[tuple[int, str, int], ...] = (
    (1_000_000_000, "tỷ", 1_000_000),  # up to three decimals: 1,255 tỷ
    (1_000_000, "triệu", 1_000),  # up to three decimals: 529,35 triệu
    (1_000, "nghìn", 1_000),  # whole thousands only: 850 nghìn
)
_UNIT_VALUES = {"tỷ": 1_000_000_000, "triệu": 1_000_000, "nghìn": 1_000, "ngàn": 1_000}


def group_thousands(number: int) -> str:
    """1234567 -> "1.234.567" (Vietnamese groups thousands with dots)."""
    sign = "-" if number < 0 else ""
    return sign + f"{abs(number):,}".replace(",", ".")


def decimal_vi(value: Decimal | int, places: int = 3) -> str:
    """A decimal number the Vietnamese way, trailing zeros dropped: 1.25 -> "1,25"."""
    quantised = Decimal(value).quantize(Decimal(1).scaleb(-places))
    whole, _, fraction = f"{abs(quantised):f}".partition(".")
    text = group_thousands(int(whole))
    fraction = fraction.rstrip("0")
    sign = "-" if quantised < 0 else ""
    return sign + (f"{text},{fraction}" if fraction else text)


def _check_amount(amount: int) -> None:
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise TypeError(f"money is integer VND, got {amount!r}")
    if amount < 0:
        raise ValueError(f"money amounts are not negative, got {amount}")


def money_exact(amount: int) -> str:
    """600000000 -> "600.000.000 đồng"."""
    _check_amount(amount)
    return f"{group_thousands(amount)} đồng"


def money_short(amount: int) -> str:
    """The running-text form: "600 triệu đồng", "1,2 tỷ đồng", "850 nghìn đồng".

    See the module docstring for the rule; never rounds.
    """
    _check_amount(amount)
    for unit, name, step in _UNITS:
        if amount >= unit:
            if amount % step:
                return money_exact(amount)
            return f"{decimal_vi(Decimal(amount) / unit)} {name} đồng"
    return money_exact(amount)


_MONEY_TOKEN = re.compile(r"(\d[\d.]*(?:,\d+)?)\s*(tỷ|triệu|nghìn|ngàn)?", re.IGNORECASE)


def parse_money(text: str) -> int:
    """Reads money written in figures: "600 triệu đồng", "1,2 tỷ đồng", "600.000.000 đồng",
    "1 tỷ 250 triệu đồng" -> integer VND. Raises ValueError on anything else."""
    body = text.strip()
    body = re.sub(r"\s*(đồng|VNĐ|VND|đ)(\s+chẵn)?\.?$", "", body, flags=re.IGNORECASE)
    if not body:
        raise ValueError(f"no amount in {text!r}")
    total = Decimal(0)
    position = 0
    for match in _MONEY_TOKEN.finditer(body):
        if body[position : match.start()].strip():
            raise ValueError(f"cannot read money {text!r}")
        figures, unit = match.groups()
        value = Decimal(figures.replace(".", "").replace(",", "."))
        total += value * (_UNIT_VALUES[unit.lower()] if unit else 1)
        position = match.end()
    if body[position:].strip() or position == 0:
        raise ValueError(f"cannot read money {text!r}")
    if total != total.to_integral_value():
        raise ValueError(f"{text!r} is not a whole number of đồng")
    return int(total)


_BILLION = 1_000_000_000
_GROUP_SCALES = ("", "nghìn", "triệu")  # within a tỷ; beyond it the count of tỷ is read


def _group_words(group: int, *, inner: bool) -> str:
    """0 < group < 1000. An inner group (a higher group precedes it) is read with all its
    places: 5 -> "không trăm lẻ năm", 10 -> "không trăm mười"."""
    if not inner or group >= 100:
        return num2words(group, lang="vi")
    if group < 10:
        return f"không trăm lẻ {num2words(group, lang='vi')}"
    return f"không trăm {num2words(group, lang='vi')}"


def _words(number: int, *, inner: bool) -> str:
    if number >= _BILLION:
        # 1.001 tỷ is "một nghìn không trăm lẻ một tỷ": the count of tỷ is a number itself.
        billions, rest = divmod(number, _BILLION)
        text = f"{_words(billions, inner=inner)} tỷ"
        return f"{text} {_words(rest, inner=True)}" if rest else text
    words: list[str] = []
    for index in (2, 1, 0):
        group = number // 1000**index % 1000
        if group:
            words.append(_group_words(group, inner=inner or bool(words)))
            if _GROUP_SCALES[index]:
                words.append(_GROUP_SCALES[index])
    return " ".join(words)


def number_words(number: int) -> str:
    """A non-negative integer in Vietnamese words, lower case: 1005 -> "một nghìn không trăm
    lẻ năm". num2words reads each group of three digits; this function joins the groups."""
    if isinstance(number, bool) or not isinstance(number, int) or number < 0:
        raise ValueError(f"expected a non-negative integer, got {number!r}")
    if number == 0:
        return num2words(0, lang="vi")
    return _words(number, inner=False)


_DIGIT_WORDS = {
    "không": 0,
    "một": 1,
    "mốt": 1,
    "hai": 2,
    "ba": 3,
    "bốn": 4,
    "tư": 4,
    "năm": 5,
    "lăm": 5,
    "sáu": 6,
    "bảy": 7,
    "tám": 8,
    "chín": 9,
}


def _parse_small(tokens: Sequence[str]) -> int:
    value = 0
    last = 0
    for token in tokens:
        if token in _DIGIT_WORDS:
            last = _DIGIT_WORDS[token]
            value += last
        elif token == "mười":
            value += 10
            last = 0
        elif token == "mươi":
            value += last * 9
            last = 0
        elif token == "trăm":
            value += last * 99
            last = 0
        elif token in {"lẻ", "linh"}:
            continue
        else:
            raise ValueError(f"unknown number word {token!r}")
    return value


def _parse_words(tokens: Sequence[str]) -> int:
    for scale, factor in (("tỷ", 10**9), ("triệu", 10**6), ("nghìn", 10**3), ("ngàn", 10**3)):
        if scale in tokens:
            at = len(tokens) - 1 - tokens[::-1].index(scale)
            left = _parse_words(tokens[:at]) if tokens[:at] else 1
            return left * factor + _parse_words(tokens[at + 1 :])
    return _parse_small(tokens)


def parse_number_words(text: str) -> int:
    """The inverse of ``number_words`` (also reads "linh", "ngàn", "đồng chẵn")."""
    cleaned = re.sub(r"\b(đồng|chẵn)\b|[.,]", " ", text.strip().lower())
    tokens = cleaned.split()
    if not tokens:
        raise ValueError("no number words")
    return _parse_words(tokens)


def capitalize_first(text: str) -> str:
    """Upper-cases the first letter only ("sáu trăm" -> "Sáu trăm"; str.capitalize would
    lower-case the rest)."""
    return text[:1].upper() + text[1:]


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def money_words(amount: int) -> str:
    """600000000 -> "Sáu trăm triệu đồng chẵn"; 1500 -> "Một nghìn năm trăm đồng"."""
    _check_amount(amount)
    words = f"{capitalize_first(number_words(amount))} đồng"
    if amount and amount % 1000 == 0:
        words += " chẵn"
    return words


def percent(value: int | Decimal) -> str:
    """50 -> "50%", Decimal("37.5") -> "37,5%"."""
    return f"{decimal_vi(Decimal(value), places=2)}%"


# --------------------------------------------------------------------------------------------
# Counts


def padded(number: int, width: int = 2) -> str:
    """3 -> "03", 10 -> "10" (reports write counts with two digits)."""
    if number < 0:
        raise ValueError("counts are not negative")
    return f"{number:0{width}d}"


def count_phrase(number: int, noun: str = "đề án") -> str:
    """3 -> "03 đề án"; 0 -> "không có đề án nào"."""
    if number == 0:
        return f"không có {noun} nào"
    return f"{padded(number)} {noun}"


def share(part: int, whole: int) -> str:
    """2, 10 -> "02/10"."""
    if part > whole:
        raise ValueError(f"{part} is more than {whole}")
    return f"{padded(part)}/{padded(whole)}"


# --------------------------------------------------------------------------------------------
# Quotes and lists

_QUOTES = "\"'“”‘’«»"


def quoted(title: str) -> str:
    """A title in Vietnamese curly quotes: “Hỗ trợ …” (existing outer quotes replaced)."""
    return f"“{title.strip().strip(_QUOTES).strip()}”"


def join_and(items: Sequence[str]) -> str:
    """ "A", "A và B", "A, B và C"."""
    items = [item for item in items if item]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} và {items[-1]}"


def join_semicolon(items: Sequence[str]) -> str:
    """ "A; B; C"."""
    return "; ".join(item for item in items if item)


def join_items(items: Sequence[str]) -> str:
    """The list rule of this module: "và" for up to three plain items, semicolons when an
    item has its own commas or brackets, or when there are more than three."""
    detailed = any(("," in item or "(" in item) for item in items)
    if detailed or len(items) > 3:
        return join_semicolon(items)
    return join_and(items)


# --------------------------------------------------------------------------------------------
# Dates and periods


def date_long(day: datetime.date) -> str:
    """ "ngày 21 tháng 5 năm 2012"."""
    return f"ngày {day.day} tháng {day.month} năm {day.year}"


def date_short(day: datetime.date) -> str:
    """ "21/5/2012"."""
    return f"{day.day}/{day.month}/{day.year}"


def month_year(day: datetime.date) -> str:
    """ "tháng 5/2018"."""
    return f"tháng {day.month}/{day.year}"


def document_date(place: str, day: datetime.date) -> str:
    """The place-and-date line of a document (Decree 30/2020/NĐ-CP): "Bắc Kạn, ngày 05 tháng
    7 năm 2018" (a leading zero for days below 10 and for months 1 and 2)."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


PERIOD_KINDS = ("Q1", "Q2", "Q3", "Q4", "H1", "9M", "Y")
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_PERIOD_NAMES = {
    "Q1": "quý I",
    "Q2": "quý II",
    "Q3": "quý III",
    "Q4": "quý IV",
    "H1": "6 tháng đầu năm",
    "9M": "9 tháng đầu năm",
    "Y": "cả năm",
}
# (first month, last month) of each period
_PERIOD_MONTHS = {
    "Q1": (1, 3),
    "Q2": (4, 6),
    "Q3": (7, 9),
    "Q4": (10, 12),
    "H1": (1, 6),
    "9M": (1, 9),
    "Y": (1, 12),
}


def _check_period(kind: str) -> None:
    if kind not in _PERIOD_NAMES:
        raise ValueError(f"unknown period {kind!r}; expected one of {', '.join(PERIOD_KINDS)}")


def period_name(kind: str) -> str:
    """ "Q1" -> "quý I", "H1" -> "6 tháng đầu năm", "9M" -> "9 tháng đầu năm", "Y" -> "cả năm"."""
    _check_period(kind)
    return _PERIOD_NAMES[kind]


def period_label(kind: str, year: int) -> str:
    """ "6 tháng đầu năm 2018", "quý I năm 2018", "9 tháng đầu năm 2018", "năm 2018"."""
    _check_period(kind)
    if kind == "Y":
        return f"năm {year}"
    if kind.startswith("Q"):
        return f"{_PERIOD_NAMES[kind]} năm {year}"
    return f"{_PERIOD_NAMES[kind]} {year}"


def period_start(kind: str, year: int) -> datetime.date:
    _check_period(kind)
    return datetime.date(year, _PERIOD_MONTHS[kind][0], 1)


def period_end(kind: str, year: int) -> datetime.date:
    """The last day of the period: H1 2018 -> 30/6/2018, Y -> 31/12."""
    _check_period(kind)
    last_month = _PERIOD_MONTHS[kind][1]
    if last_month == 12:
        return datetime.date(year, 12, 31)
    return datetime.date(year, last_month + 1, 1) - datetime.timedelta(days=1)


def period_remainder_label(kind: str, year: int) -> str | None:
    """What is left of the year after the period, as reports name it: H1 -> "6 tháng cuối
    năm 2018", Q1 -> "9 tháng cuối năm 2018", Q3/9M -> "quý IV năm 2018"; None at year end."""
    _check_period(kind)
    months_left = 12 - _PERIOD_MONTHS[kind][1]
    if months_left == 0:
        return None
    if months_left == 3:
        return f"quý {_ROMAN[4]} năm {year}"
    return f"{months_left} tháng cuối năm {year}"


# A report "to a date" (any as-of date instead of a quarter or half-year): the year so far.
TO_DATE = "D"


def period_to_date_label(day: datetime.date) -> str:
    """ "năm 2018 (đến ngày 15/8/2018)"."""
    return f"năm {day.year} (đến ngày {date_short(day)})"


def period_to_date_remainder(day: datetime.date) -> str | None:
    """ "những tháng cuối năm 2018"; None on 31 December."""
    if (day.month, day.day) == (12, 31):
        return None
    return f"những tháng cuối năm {day.year}"


# --------------------------------------------------------------------------------------------
# Places, names, citations


def place_label(units: Iterable[tuple[str, str]]) -> str:
    """Units from the smallest, as (unit type, name): [("Xã", "Nông Thượng"), ("Thành phố",
    "Bắc Kạn")] -> "xã Nông Thượng, thành phố Bắc Kạn" (unit types lower case in text)."""
    return ", ".join(f"{unit_type.strip().lower()} {name.strip()}" for unit_type, name in units)


# Establishment-type prefixes and the abbreviations reports use for them (longest first).
_ABBREVIATIONS: tuple[tuple[str, str], ...] = (
    ("Liên hiệp hợp tác xã", "Liên hiệp HTX"),
    ("Công ty trách nhiệm hữu hạn", "Công ty TNHH"),
    ("Công ty cổ phần", "Công ty CP"),
    ("Doanh nghiệp tư nhân", "DNTN"),
    ("Hợp tác xã", "HTX"),
    ("Hộ kinh doanh", "HKD"),
    ("Tổ hợp tác", "THT"),
)


def establishment_name(name: str) -> str:
    """ "Hợp tác xã Nông nghiệp Tân Thành" -> "HTX Nông nghiệp Tân Thành" (idempotent)."""
    stripped = " ".join(name.split())
    for long, short in _ABBREVIATIONS:
        if stripped.lower().startswith(long.lower() + " "):
            return short + stripped[len(long) :]
    return stripped


def legal_citation(kind: str, number: str, day: datetime.date, issuer: str, subject: str) -> str:
    """ "Nghị định số 45/2012/NĐ-CP ngày 21/5/2012 của Chính phủ về khuyến công"."""
    return f"{kind} số {number} ngày {date_short(day)} của {issuer} về {subject}"


def document_citation(
    kind: str, number: str = "", day: datetime.date | None = None, issuer: str = ""
) -> str:
    """ "Quyết định số 123/QĐ-UBND ngày 15/1/2024 của UBND tỉnh Lạng Sơn": the parts recorded,
    the others left out (never invented); "" when neither number, date nor issuer is known."""
    number, issuer = " ".join(number.split()), " ".join(issuer.split())
    if not (number or day or issuer):
        return ""
    text = kind
    if number:
        text += f" số {number}"
    if day is not None:
        text += f" ngày {date_short(day)}"
    if issuer:
        text += f" của {issuer}"
    return text


def recipient_lines(recipients: Sequence[str]) -> list[str]:
    """The "Nơi nhận" list (Decree 30): "- A;" for each, the last ending with a full stop."""
    lines = [f"- {item.strip().rstrip(';.')}" for item in recipients if item.strip()]
    return [line + ("." if index == len(lines) - 1 else ";") for index, line in enumerate(lines)]


# --------------------------------------------------------------------------------------------
# Project statuses. Keys are the values of data.ReportStatus.
#
# A status has two phrases: the predicate after one named project ("Đề án “…” đã triển khai
# ký kết hợp đồng …") and the predicate after a count ("02/10 đề án xin dừng thực hiện gồm:").
# "{percent}" is the work done; "{note}" the reason (after "do") or, for a project under
# review, what is being studied.

STATUS_LINE: dict[str, str] = {
    "completed": "đã hoàn thành",
    "in_progress": "đã hoàn thành được {percent} khối lượng công việc",
    "contract_signed": "đã triển khai ký kết hợp đồng và thực hiện theo kế hoạch",
    "under_review": (
        "đang nghiên cứu {note} để xem xét xin điều chỉnh nội dung hỗ trợ "
        "hoặc xin dừng thực hiện đề án"
    ),
    "adjustment_requested": "đã có văn bản xin điều chỉnh nội dung hỗ trợ",
    "stop_requested": "đã có văn bản xin dừng thực hiện",
    "stopped": "đã dừng thực hiện",
    "not_started": "chưa thực hiện",
}
STATUS_GROUP: dict[str, str] = {
    "completed": "đã hoàn thành",
    "in_progress": "đã hoàn thành được {percent} khối lượng công việc",
    "contract_signed": "đã ký kết hợp đồng và đang thực hiện theo kế hoạch",
    "under_review": "đang xem xét xin điều chỉnh nội dung hỗ trợ hoặc xin dừng thực hiện",
    "adjustment_requested": "xin điều chỉnh nội dung hỗ trợ",
    "stop_requested": "xin dừng thực hiện",
    "stopped": "đã dừng thực hiện",
    "not_started": "chưa thực hiện",
}
# Statuses whose line phrase takes the reason as "… do {note}".
STATUS_WITH_REASON = frozenset({"adjustment_requested", "stop_requested", "stopped"})
UNDER_REVIEW_DEFAULT_NOTE = "phương án thực hiện"


def status_line(status: str, progress: int | Decimal | None = None, note: str = "") -> str:
    """The predicate after one named project:
    ("stop_requested", note="đơn vị gặp khó khăn về thị trường tiêu thụ") ->
    "đã có văn bản xin dừng thực hiện do đơn vị gặp khó khăn về thị trường tiêu thụ"."""
    template = STATUS_LINE[status]
    if status == "in_progress":
        if progress is None:
            raise ValueError("a project in progress needs its percentage of work done")
        template = template.format(percent=percent(progress))
    elif status == "under_review":
        template = template.format(note=note.strip() or UNDER_REVIEW_DEFAULT_NOTE)
    if status in STATUS_WITH_REASON and note.strip():
        template = f"{template} do {note.strip()}"
    return template


def status_group(status: str, progress: int | Decimal | None = None) -> str:
    """The predicate after a count: "in_progress", 50 -> "đã hoàn thành được 50% khối lượng
    công việc"."""
    template = STATUS_GROUP[status]
    if status == "in_progress":
        if progress is None:
            raise ValueError("a project in progress needs its percentage of work done")
        template = template.format(percent=percent(progress))
    return template


# Short status names for charts and tables (the sentence forms are STATUS_LINE/STATUS_GROUP).
STATUS_SHORT: dict[str, str] = {
    "completed": "Đã hoàn thành",
    "in_progress": "Đang thực hiện",
    "contract_signed": "Đã ký hợp đồng",
    "under_review": "Đang xem xét điều chỉnh, dừng",
    "adjustment_requested": "Xin điều chỉnh",
    "stop_requested": "Xin dừng thực hiện",
    "stopped": "Đã dừng thực hiện",
    "not_started": "Chưa thực hiện",
}

# --------------------------------------------------------------------------------------------
# Content areas as a count of projects names them: "03 đề án hỗ trợ ứng dụng máy móc thiết bị".
# Keys are catalog ContentArea codes; an area without a phrase is not summarised.
CONTENT_PHRASES: dict[str, str] = {
    "vocational_training": "đào tạo nghề, truyền nghề",
    "demo_model": "xây dựng mô hình trình diễn kỹ thuật",
    "machinery": "hỗ trợ ứng dụng máy móc thiết bị",
    "sxsh_pilot": "xây dựng mô hình thí điểm sản xuất sạch hơn",
    "product_vote": "bình chọn sản phẩm công nghiệp nông thôn tiêu biểu",
    "trade_fair": "hội chợ, triển lãm",
    "brand": "hỗ trợ xây dựng, đăng ký nhãn hiệu",
    "design_packaging": "hỗ trợ thiết kế mẫu mã, bao bì sản phẩm",
    "information": "thông tin, tuyên truyền",
    "pollution_treatment": "hỗ trợ xử lý ô nhiễm môi trường",
    "digital_transformation": "hỗ trợ chuyển đổi số",
}


def compact_money(amount: int) -> str:
    """Chart labels: "600 tr", "1,25 tỷ", "850 nghìn" (rounded to three significant decimals:
    a label, not a statement of money; the text and the annex carry the exact amounts)."""
    _check_amount(amount)
    for unit, name in ((1_000_000_000, "tỷ"), (1_000_000, "tr"), (1_000, "nghìn")):
        if amount >= unit:
            return f"{decimal_vi(Decimal(amount) / unit, places=2)} {name}"
    return group_thousands(amount)
