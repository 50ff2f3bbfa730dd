"""Vietnamese public holidays 2018–2027: the seed rows of ``core.models.PublicHoliday``.

Sources and confidence (nothing here was read in the official notices, so every row is
seeded *unconfirmed*; an administrator ticks "confirmed" after checking the Government's
yearly notice):

- Fixed dates: 1/1, 30/4, 1/5, 2/9 (Labour Code 2012 Art. 115; Labour Code 2019 Art. 112 adds
  one day next to 2/9 from 2021, chosen each year). Hùng Kings' day is 10/3 of the lunar
  calendar.
- Lunar dates (Tết = 1/1 lunar, Giỗ Tổ = 10/3 lunar) computed with the Vietnamese lunar
  calendar algorithm (UTC+7); the Tết days off of each year are the Government's schedule as
  remembered or reported in the press ("SECONDARY" in the note when a press report was seen).
- 2027 is provisional: no schedule was known when this was written.
- Compensatory days ("nghỉ bù") follow the rule that a holiday falling on a weekend is given
  back on the next working day; swaps and make-up Saturdays are those reported for the year.

``seed_public_holidays()`` is idempotent and keeps administrators' edits: it only adds dates
that have no active row.
"""

from __future__ import annotations

import datetime

from khuyencong.core.models import PublicHoliday

D = datetime.date

NEW_YEAR = "Tết Dương lịch"
TET = "Tết Nguyên đán"
HUNG_KINGS = "Giỗ Tổ Hùng Vương (10/3 âm lịch)"
REUNIFICATION = "Ngày Chiến thắng (30/4)"
LABOUR = "Ngày Quốc tế Lao động (1/5)"
NATIONAL_DAY = "Quốc khánh (2/9)"
NATIONAL_DAY_NEXT = "Quốc khánh (ngày liền kề 2/9)"

FIXED_NOTE = "Ngày lễ cố định theo Bộ luật Lao động; chưa đối chiếu văn bản."
LUNAR_NOTE = "Ngày âm lịch tính theo lịch Việt Nam (UTC+7); chưa đối chiếu thông báo."
TET_NOTE = "Lịch nghỉ Tết theo thông báo hằng năm (nhớ lại, chưa đối chiếu văn bản)."
TET_NOTE_PRESS = "Lịch nghỉ Tết theo báo chí (SECONDARY), chưa đối chiếu thông báo."
NEXT_DAY_NOTE = "Ngày liền kề 2/9 do Thủ tướng quyết định hằng năm; chưa đối chiếu văn bản."
PROVISIONAL = "DỰ KIẾN: chưa có lịch nghỉ chính thức khi nhập dữ liệu."
COMPENSATORY_NOTE = "Nghỉ bù vì ngày lễ trùng ngày nghỉ hằng tuần; chưa đối chiếu văn bản."
SWAP_NOTE = "Hoán đổi ngày làm việc theo thông báo năm đó; chưa đối chiếu văn bản."

# Tết (lunar new year's day) per year, and the weekdays off around it.
TET_DAYS = {
    2018: (D(2018, 2, 16), [D(2018, 2, 14), D(2018, 2, 15), D(2018, 2, 16), D(2018, 2, 19),
                            D(2018, 2, 20)], TET_NOTE_PRESS),
    2019: (D(2019, 2, 5), [D(2019, 2, 4), D(2019, 2, 5), D(2019, 2, 6), D(2019, 2, 7),
                           D(2019, 2, 8)], TET_NOTE),
    2020: (D(2020, 1, 25), [D(2020, 1, 23), D(2020, 1, 24), D(2020, 1, 27), D(2020, 1, 28),
                            D(2020, 1, 29)], TET_NOTE),
    2021: (D(2021, 2, 12), [D(2021, 2, 10), D(2021, 2, 11), D(2021, 2, 12), D(2021, 2, 15),
                            D(2021, 2, 16)], TET_NOTE),
    2022: (D(2022, 2, 1), [D(2022, 1, 31), D(2022, 2, 1), D(2022, 2, 2), D(2022, 2, 3),
                           D(2022, 2, 4)], TET_NOTE),
    2023: (D(2023, 1, 22), [D(2023, 1, 20), D(2023, 1, 23), D(2023, 1, 24), D(2023, 1, 25),
                            D(2023, 1, 26)], TET_NOTE),
    2024: (D(2024, 2, 10), [D(2024, 2, 8), D(2024, 2, 9), D(2024, 2, 12), D(2024, 2, 13),
                            D(2024, 2, 14)], TET_NOTE),
    2025: (D(2025, 1, 29), [D(2025, 1, 27), D(2025, 1, 28), D(2025, 1, 29), D(2025, 1, 30),
                            D(2025, 1, 31)], TET_NOTE),
    2026: (D(2026, 2, 17), [D(2026, 2, 16), D(2026, 2, 17), D(2026, 2, 18), D(2026, 2, 19),
                            D(2026, 2, 20)], TET_NOTE_PRESS),
    2027: (D(2027, 2, 6), [D(2027, 2, 4), D(2027, 2, 5), D(2027, 2, 8), D(2027, 2, 9),
                           D(2027, 2, 10)], PROVISIONAL),
}  # fmt: skip

# Hùng Kings' day (10/3 lunar) per year.
HUNG_KINGS_DAYS = {
    2018: D(2018, 4, 25),
    2019: D(2019, 4, 14),
    2020: D(2020, 4, 2),
    2021: D(2021, 4, 21),
    2022: D(2022, 4, 10),
    2023: D(2023, 4, 29),
    2024: D(2024, 4, 18),
    2025: D(2025, 4, 7),
    2026: D(2026, 4, 26),
    2027: D(2027, 4, 16),
}

# The day next to 2/9 (from 2021), as chosen for the year.
NATIONAL_DAY_NEXT_DAYS = {
    2021: (D(2021, 9, 3), NEXT_DAY_NOTE),
    2022: (D(2022, 9, 1), NEXT_DAY_NOTE),
    2023: (D(2023, 9, 1), NEXT_DAY_NOTE),
    2024: (D(2024, 9, 3), NEXT_DAY_NOTE),
    2025: (D(2025, 9, 1), NEXT_DAY_NOTE),
    2026: (D(2026, 9, 1), PROVISIONAL),
    2027: (D(2027, 9, 3), PROVISIONAL),
}

# (date, name, kind, note): compensatory days, swapped days off and make-up Saturdays.
OTHER_DAYS = [
    (D(2018, 9, 3), f"Nghỉ bù {NATIONAL_DAY}", "compensatory", COMPENSATORY_NOTE),
    (D(2019, 4, 15), f"Nghỉ bù {HUNG_KINGS}", "compensatory", COMPENSATORY_NOTE),
    (D(2019, 4, 29), "Nghỉ hoán đổi dịp 30/4–1/5", "swapped", SWAP_NOTE),
    (D(2019, 5, 4), "Làm bù cho ngày 29/4/2019", "make_up", SWAP_NOTE),
    (D(2021, 5, 3), f"Nghỉ bù {LABOUR}", "compensatory", COMPENSATORY_NOTE),
    (D(2022, 1, 3), f"Nghỉ bù {NEW_YEAR}", "compensatory", COMPENSATORY_NOTE),
    (D(2022, 4, 11), f"Nghỉ bù {HUNG_KINGS}", "compensatory", COMPENSATORY_NOTE),
    (D(2022, 5, 2), f"Nghỉ bù {REUNIFICATION}", "compensatory", COMPENSATORY_NOTE),
    (D(2022, 5, 3), f"Nghỉ bù {LABOUR}", "compensatory", COMPENSATORY_NOTE),
    (D(2023, 1, 2), f"Nghỉ bù {NEW_YEAR}", "compensatory", COMPENSATORY_NOTE),
    (D(2023, 5, 2), f"Nghỉ bù {HUNG_KINGS}", "compensatory", COMPENSATORY_NOTE),
    (D(2023, 5, 3), f"Nghỉ bù {REUNIFICATION}", "compensatory", COMPENSATORY_NOTE),
    (D(2023, 9, 4), f"Nghỉ bù {NATIONAL_DAY}", "compensatory", COMPENSATORY_NOTE),
    (D(2024, 4, 29), "Nghỉ hoán đổi dịp 30/4–1/5", "swapped", SWAP_NOTE),
    (D(2024, 5, 4), "Làm bù cho ngày 29/4/2024", "make_up", SWAP_NOTE),
    (D(2025, 5, 2), "Nghỉ hoán đổi dịp 30/4–1/5", "swapped", SWAP_NOTE),
    (D(2025, 4, 26), "Làm bù cho ngày 2/5/2025", "make_up", SWAP_NOTE),
    (D(2026, 4, 27), f"Nghỉ bù {HUNG_KINGS}", "compensatory", COMPENSATORY_NOTE),
    (D(2027, 5, 3), f"Nghỉ bù {LABOUR}", "compensatory", PROVISIONAL),
]

FIRST_YEAR, LAST_YEAR = 2018, 2027


def holiday_rows() -> list[tuple[datetime.date, str, str, str]]:
    """Every seed row as (date, name, kind, note), sorted by date, one per date."""
    rows: dict[datetime.date, tuple[datetime.date, str, str, str]] = {}

    def add(day: datetime.date, name: str, kind: str, note: str) -> None:
        rows.setdefault(day, (day, name, kind, note))

    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        add(D(year, 1, 1), NEW_YEAR, "holiday", FIXED_NOTE)
        new_year_day, tet_days, tet_note = TET_DAYS[year]
        for day in tet_days:
            offset = (day - new_year_day).days
            label = "mùng 1 Tết" if offset == 0 else ("trước Tết" if offset < 0 else "sau Tết")
            add(day, f"{TET} ({label})", "holiday", tet_note)
        add(HUNG_KINGS_DAYS[year], HUNG_KINGS, "holiday", LUNAR_NOTE)
        add(D(year, 4, 30), REUNIFICATION, "holiday", FIXED_NOTE)
        add(D(year, 5, 1), LABOUR, "holiday", FIXED_NOTE)
        add(D(year, 9, 2), NATIONAL_DAY, "holiday", FIXED_NOTE)
        if year in NATIONAL_DAY_NEXT_DAYS:
            day, note = NATIONAL_DAY_NEXT_DAYS[year]
            add(day, NATIONAL_DAY_NEXT, "holiday", note)
    for day, name, kind, note in OTHER_DAYS:
        add(day, name, kind, note)
    return [rows[day] for day in sorted(rows)]


def seed_public_holidays(holiday_model=None) -> int:
    """Adds the seed rows whose date has no active row yet; returns how many were added.

    ``holiday_model`` lets a data migration pass its historical model.
    """
    if holiday_model is None:
        holiday_model = PublicHoliday
    taken = set(
        holiday_model.objects.filter(archived_at__isnull=True).values_list("date", flat=True)
    )
    new = [
        holiday_model(date=day, name=name, kind=kind, confirmed=False, notes=note)
        for day, name, kind, note in holiday_rows()
        if day not in taken
    ]
    holiday_model.objects.bulk_create(new)
    return len(new)
