"""Stand-in for ``khuyencong.places.loader`` (places branch): a minimal loader from the
``vietnamadminunits`` dataset. Legacy provinces/districts/communes of the requested provinces,
all current provinces, and the province-level 2025 successions. Idempotent."""

from __future__ import annotations

import datetime
import json
import sqlite3
from pathlib import Path

import vietnamadminunits

from khuyencong.core.text import normalize
from khuyencong.places.models import AdminUnit, AdminUnitSuccession, Era, Level

DATA = Path(vietnamadminunits.__file__).parent / "data"
LEGACY_END = datetime.date(2025, 6, 30)
CURRENT_START = datetime.date(2025, 7, 1)


def _rows(sql: str, *params: object) -> list[sqlite3.Row]:
    with sqlite3.connect(DATA / "dataset.db") as conn:
        conn.row_factory = sqlite3.Row
        return conn.execute(sql, params).fetchall()


def _unit(
    era: str,
    level: str,
    code: str,
    unit_type: str,
    name: str,
    short: str,
    key: str,
    **extra: object,
) -> AdminUnit:
    valid = {"valid_to": LEGACY_END} if era == Era.LEGACY else {"valid_from": CURRENT_START}
    unit, _ = AdminUnit.objects.update_or_create(
        era=era,
        level=level,
        code=code,
        defaults={
            "unit_type": unit_type,
            "name": name,
            "short_name": short,
            "key": key,
            "search_text": normalize(name),
            **valid,
            **extra,
        },
    )
    return unit


def _type_of(full: str, short: str) -> str:
    return full[: len(full) - len(short)].strip()


def load_admin_units(provinces: list[str] | None = None) -> None:
    wanted = {normalize(p) for p in provinces} if provinces else None
    legacy_by_key: dict[str, AdminUnit] = {}
    for row in _rows(
        "select distinct province, provinceShort, provinceCode, provinceKey from admin_units_legacy"
    ):
        unit = _unit(
            Era.LEGACY,
            Level.PROVINCE,
            row["provinceCode"],
            _type_of(row["province"], row["provinceShort"]),
            row["province"],
            row["provinceShort"],
            row["provinceKey"],
        )
        if unit.province_id != unit.pk:
            unit.province = unit
            unit.save(update_fields=["province"])
        legacy_by_key[row["provinceKey"]] = unit
    current_by_key: dict[str, AdminUnit] = {}
    for row in _rows(
        "select distinct province, provinceShort, provinceCode, provinceKey from admin_units"
    ):
        unit = _unit(
            Era.CURRENT,
            Level.PROVINCE,
            row["provinceCode"],
            _type_of(row["province"], row["provinceShort"]),
            row["province"],
            row["provinceShort"],
            row["provinceKey"],
        )
        if unit.province_id != unit.pk:
            unit.province = unit
            unit.save(update_fields=["province"])
        current_by_key[row["provinceKey"]] = unit
    mapping = json.loads((DATA / "converter_2025.json").read_text())["DICT_PROVINCE"]
    for new_key, old_keys in mapping.items():
        for old_key in old_keys:
            AdminUnitSuccession.objects.get_or_create(
                predecessor=legacy_by_key[old_key], successor=current_by_key[new_key]
            )
    districts: dict[str, AdminUnit] = {}
    for row in _rows("select * from admin_units_legacy order by wardCode"):
        if wanted is not None and normalize(row["provinceShort"]) not in wanted:
            continue
        province = legacy_by_key[row["provinceKey"]]
        district = districts.get(row["districtCode"])
        if district is None:
            district = districts[row["districtCode"]] = _unit(
                Era.LEGACY,
                Level.DISTRICT,
                row["districtCode"],
                row["districtType"],
                row["district"],
                row["districtShort"],
                row["districtKey"],
                parent=province,
                province=province,
            )
        if row["wardCode"]:
            _unit(
                Era.LEGACY,
                Level.COMMUNE,
                row["wardCode"],
                row["wardType"],
                row["ward"],
                row["wardShort"],
                row["wardKey"],
                parent=district,
                province=province,
            )
