"""Load the administrative units and the 2025 old -> new mapping from ``vietnamadminunits``.

The package ships an SQLite file with two tables — ``admin_units_legacy`` (63 provinces,
three levels, one row per commune) and ``admin_units`` (34 provinces, two levels) — and
``converter_2025.json`` with the mapping: ``DICT_PROVINCE`` (new province key -> old province
keys), ``DICT_PROVINCE_WARD_NO_DIVIDED`` (new province -> new commune key -> old full keys
"province_district_commune") and ``DICT_PROVINCE_WARD_DIVIDED`` (new province -> old full
key -> new communes, one of them ``isDefaultNewWard``).

Units are identified by (era, level, official code); successions by (predecessor,
successor). Loading is idempotent: a second run creates nothing and changes nothing, a
changed name or coordinate is updated, nothing is ever deleted (records point at units).
"""

from __future__ import annotations

import datetime
import importlib.resources
import json
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TextIO

from django.db import transaction
from django.db.models import F
from vietnamadminunits.database import get_data

from khuyencong.core import choices
from khuyencong.core.text import compact, normalize
from khuyencong.places.models import (
    CURRENT_START,
    LEGACY_END,
    AdminUnit,
    AdminUnitSuccession,
    Era,
    Level,
)

# (era, level, official code): how a unit is known across runs.
Ident = tuple[str, str, str]

LEGACY_FIELDS = [
    "province",
    "provinceShort",
    "provinceCode",
    "provinceLat",
    "provinceLon",
    "provinceKey",
    "district",
    "districtShort",
    "districtType",
    "districtCode",
    "districtLat",
    "districtLon",
    "districtKey",
    "ward",
    "wardShort",
    "wardType",
    "wardCode",
    "wardLat",
    "wardLon",
    "wardKey",
]
CURRENT_FIELDS = [
    "province",
    "provinceShort",
    "provinceCode",
    "provinceLat",
    "provinceLon",
    "provinceKey",
    "ward",
    "wardShort",
    "wardType",
    "wardCode",
    "wardLat",
    "wardLon",
    "wardKey",
]

# Fields the loader owns: compared on every run, updated when the package changes them.
UNIT_FIELDS = [
    "unit_type",
    "name",
    "short_name",
    "parent_id",
    "province_id",
    "valid_from",
    "valid_to",
    "latitude",
    "longitude",
    "key",
    "short_key",
    "search_text",
]
LEVELS = [Level.PROVINCE, Level.DISTRICT, Level.COMMUNE]
BATCH = 1000


class UnknownProvinceError(ValueError):
    """A province name given to the loader matches no province of the package."""

    def __init__(self, names: list[str]) -> None:
        self.names = names
        super().__init__(f"Unknown province(s): {', '.join(names)}")


@dataclass
class LoadStats:
    """What a load saw and did. ``units`` counts the units of the selection per era and
    level (whether created now or already there)."""

    units: dict[tuple[str, str], int] = field(default_factory=dict)
    created: int = 0
    updated: int = 0
    successions: int = 0
    successions_created: int = 0
    successions_updated: int = 0
    unmatched_keys: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, era: str, level: str) -> int:
        return self.units.get((era, level), 0)


@dataclass
class _UnitSpec:
    ident: Ident
    unit_type: str
    name: str
    short_name: str
    parent: Ident | None
    province: Ident
    latitude: float | None
    longitude: float | None
    key: str
    search_text: str

    @property
    def era(self) -> str:
        return self.ident[0]

    @property
    def level(self) -> str:
        return self.ident[1]


@dataclass
class _Selection:
    units: dict[Ident, _UnitSpec] = field(default_factory=dict)
    legacy_by_key: dict[str, Ident] = field(default_factory=dict)  # "prov_dist_ward" -> unit
    legacy_provinces: dict[str, Ident] = field(default_factory=dict)  # province key -> unit
    current_by_key: dict[tuple[str, str], Ident] = field(default_factory=dict)
    current_provinces: dict[str, Ident] = field(default_factory=dict)
    # (predecessor, successor) -> is_default
    successions: dict[tuple[Ident, Ident], bool] = field(default_factory=dict)
    unmatched: list[str] = field(default_factory=list)


def load_admin_units(provinces: list[str] | None = None, stdout: TextIO | None = None) -> LoadStats:
    """Load (or refresh) the units and successions; ``provinces`` limits it to some provinces.

    ``provinces`` holds names such as ``["Bắc Kạn"]`` (short or full, accents optional). Each
    legacy province named is loaded with its districts and communes, together with the
    current province it merged into (with that province's communes) and the successions
    among the loaded units (every current province keeps the name of a legacy one). Raises
    ``UnknownProvinceError`` for a name matching no legacy province.
    """
    started = time.perf_counter()
    mapping = read_converter_data()
    legacy_rows = get_data(fields=LEGACY_FIELDS, table="admin_units_legacy")
    current_rows = get_data(fields=CURRENT_FIELDS, table="admin_units")
    legacy_keys, current_keys = _selected_province_keys(
        provinces, legacy_rows, current_rows, mapping["DICT_PROVINCE"]
    )
    selection = _Selection()
    _add_legacy(selection, [r for r in legacy_rows if r["provinceKey"] in legacy_keys])
    _add_current(selection, [r for r in current_rows if r["provinceKey"] in current_keys])
    _add_successions(selection, mapping, legacy_keys, current_keys)

    stats = LoadStats(unmatched_keys=selection.unmatched)
    for spec in selection.units.values():
        era_level = (str(spec.era), str(spec.level))
        stats.units[era_level] = stats.units.get(era_level, 0) + 1
    stats.successions = len(selection.successions)
    with transaction.atomic():
        pks = _save_units(selection, stats)
        _save_successions(selection, pks, stats)
        choices.invalidate()  # bulk writes send no signal: the kept choice lists must hear
    stats.seconds = time.perf_counter() - started
    if stdout is not None and stats.unmatched_keys:
        stdout.write(f"Unmatched package keys: {', '.join(stats.unmatched_keys[:20])}\n")
    return stats


def read_converter_data() -> dict[str, Any]:
    """The package's ``data/converter_2025.json`` (read where the package is installed)."""
    resource = importlib.resources.files("vietnamadminunits").joinpath("data/converter_2025.json")
    return json.loads(resource.read_text(encoding="utf-8"))


# -- what to load -----------------------------------------------------------------------


def _selected_province_keys(
    names: list[str] | None,
    legacy_rows: list[dict[str, Any]],
    current_rows: list[dict[str, Any]],
    province_map: dict[str, list[str]],
) -> tuple[set[str], set[str]]:
    legacy_all = {r["provinceKey"]: (r["province"], r["provinceShort"]) for r in legacy_rows}
    current_all = {r["provinceKey"]: (r["province"], r["provinceShort"]) for r in current_rows}
    if names is None:
        return set(legacy_all), set(current_all)

    def matching(provinces: dict[str, tuple[str, str]], wanted: str) -> set[str]:
        return {
            key
            for key, (full, short) in provinces.items()
            if wanted in (normalize(full), normalize(short))
        }

    legacy_keys: set[str] = set()
    unknown = []
    for name in names:
        found = matching(legacy_all, normalize(name))
        legacy_keys |= found
        if not found:
            unknown.append(name)
    if unknown:
        raise UnknownProvinceError(unknown)
    current_keys = {new for new, olds in province_map.items() if legacy_keys.intersection(olds)}
    return legacy_keys, current_keys & set(current_all)


def _province_type(full_name: str) -> str:
    return "Thành phố" if full_name.startswith("Thành phố") else "Tỉnh"


def _search_text(name: str, short_name: str, ancestors: Iterable[str], code: str) -> str:
    # Own names first, then the short names of the parents (so "cuong loi na ri" narrows the
    # communes of Na Rì) and the official code.
    return normalize(" ".join([name, short_name, *ancestors, code]))[:255]


def _add_legacy(selection: _Selection, rows: list[dict[str, Any]]) -> None:
    for row in rows:
        province: Ident = (Era.LEGACY, Level.PROVINCE, row["provinceCode"])
        if province not in selection.units:
            selection.units[province] = _UnitSpec(
                ident=province,
                unit_type=_province_type(row["province"]),
                name=row["province"],
                short_name=row["provinceShort"],
                parent=None,
                province=province,
                latitude=row["provinceLat"],
                longitude=row["provinceLon"],
                key=row["provinceKey"],
                search_text=_search_text(
                    row["province"], row["provinceShort"], [], row["provinceCode"]
                ),
            )
            selection.legacy_provinces[row["provinceKey"]] = province
        district: Ident = (Era.LEGACY, Level.DISTRICT, row["districtCode"])
        if district not in selection.units:
            selection.units[district] = _UnitSpec(
                ident=district,
                unit_type=row["districtType"],
                name=row["district"],
                short_name=row["districtShort"],
                parent=province,
                province=province,
                latitude=row["districtLat"],
                longitude=row["districtLon"],
                key=row["districtKey"],
                search_text=_search_text(
                    row["district"],
                    row["districtShort"],
                    [row["provinceShort"]],
                    row["districtCode"],
                ),
            )
        old_key = f"{row['provinceKey']}_{row['districtKey']}_{row['wardKey'] or ''}"
        if not row["wardCode"]:
            # The island districts without communes (Bạch Long Vĩ, Cồn Cỏ, Hoàng Sa, Lý Sơn,
            # Côn Đảo): the mapping names them "province_district_".
            selection.legacy_by_key[old_key] = district
            continue
        commune: Ident = (Era.LEGACY, Level.COMMUNE, row["wardCode"])
        selection.units[commune] = _UnitSpec(
            ident=commune,
            unit_type=row["wardType"],
            name=row["ward"],
            short_name=row["wardShort"],
            parent=district,
            province=province,
            latitude=row["wardLat"],
            longitude=row["wardLon"],
            key=row["wardKey"],
            search_text=_search_text(
                row["ward"],
                row["wardShort"],
                [row["districtShort"], row["provinceShort"]],
                row["wardCode"],
            ),
        )
        selection.legacy_by_key[old_key] = commune


def _add_current(selection: _Selection, rows: list[dict[str, Any]]) -> None:
    for row in rows:
        province: Ident = (Era.CURRENT, Level.PROVINCE, row["provinceCode"])
        if province not in selection.units:
            selection.units[province] = _UnitSpec(
                ident=province,
                unit_type=_province_type(row["province"]),
                name=row["province"],
                short_name=row["provinceShort"],
                parent=None,
                province=province,
                latitude=row["provinceLat"],
                longitude=row["provinceLon"],
                key=row["provinceKey"],
                search_text=_search_text(
                    row["province"], row["provinceShort"], [], row["provinceCode"]
                ),
            )
            selection.current_provinces[row["provinceKey"]] = province
        commune: Ident = (Era.CURRENT, Level.COMMUNE, row["wardCode"])
        selection.units[commune] = _UnitSpec(
            ident=commune,
            unit_type=row["wardType"],
            name=row["ward"],
            short_name=row["wardShort"],
            parent=province,
            province=province,
            latitude=row["wardLat"],
            longitude=row["wardLon"],
            key=row["wardKey"],
            search_text=_search_text(
                row["ward"], row["wardShort"], [row["provinceShort"]], row["wardCode"]
            ),
        )
        selection.current_by_key[(row["provinceKey"], row["wardKey"])] = commune


def _add_successions(
    selection: _Selection, mapping: dict[str, Any], legacy_keys: set[str], current_keys: set[str]
) -> None:
    def old_unit(old_key: str) -> Ident | None:
        unit = selection.legacy_by_key.get(old_key)
        if unit is None and old_key.split("_", 1)[0] in legacy_keys:
            selection.unmatched.append(old_key)
        return unit

    def new_unit(province_key: str, ward_key: str) -> Ident | None:
        unit = selection.current_by_key.get((province_key, ward_key))
        if unit is None and province_key in current_keys:
            selection.unmatched.append(f"{province_key}_{ward_key}")
        return unit

    def add(old: Ident | None, new: Ident | None, is_default: bool) -> None:
        if old is not None and new is not None:
            selection.successions[(old, new)] = is_default

    for new_key, old_keys in mapping["DICT_PROVINCE"].items():
        for old_key in old_keys:
            add(
                selection.legacy_provinces.get(old_key),
                selection.current_provinces.get(new_key),
                True,
            )
    for province_key, wards in mapping["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        if province_key not in current_keys:
            continue
        for ward_key, old_keys in wards.items():
            new = new_unit(province_key, ward_key)
            for old_key in old_keys:
                add(old_unit(old_key), new, True)
    for province_key, divided in mapping["DICT_PROVINCE_WARD_DIVIDED"].items():
        if province_key not in current_keys:
            continue
        for old_key, new_wards in divided.items():
            old = old_unit(old_key)
            for ward in new_wards:
                add(old, new_unit(province_key, ward["newWardKey"]), bool(ward["isDefaultNewWard"]))


# -- writing ------------------------------------------------------------------------------


def _validity(era: str) -> tuple[datetime.date | None, datetime.date | None]:
    return (None, LEGACY_END) if era == Era.LEGACY else (CURRENT_START, None)


def _save_units(selection: _Selection, stats: LoadStats) -> dict[Ident, int]:
    existing: dict[Ident, dict[str, Any]] = {
        (row["era"], row["level"], row["code"]): row
        for row in AdminUnit.objects.order_by().values("id", "era", "level", "code", *UNIT_FIELDS)
    }
    pks: dict[Ident, int] = {ident: row["id"] for ident, row in existing.items()}
    for level in LEVELS:
        to_create: list[AdminUnit] = []
        to_update: list[AdminUnit] = []
        for spec in selection.units.values():
            if spec.level != level:
                continue
            current = existing.get(spec.ident)
            valid_from, valid_to = _validity(spec.era)
            if current is not None and spec.era == Era.LEGACY:
                # the snapshot claims no start: a start loaded from the unit history stays
                valid_from = current["valid_from"]
            values = {
                "unit_type": spec.unit_type,
                "name": spec.name,
                "short_name": spec.short_name,
                "parent_id": pks[spec.parent] if spec.parent else None,
                # A new province points at itself once it has a primary key (below).
                "province_id": pks.get(spec.province),
                "valid_from": valid_from,
                "valid_to": valid_to,
                "latitude": spec.latitude,
                "longitude": spec.longitude,
                "key": spec.key,
                "short_key": compact(spec.short_name),
                "search_text": spec.search_text,
            }
            if current is None:
                to_create.append(
                    AdminUnit(era=spec.era, level=spec.level, code=spec.ident[2], **values)
                )
            elif any(current[name] != value for name, value in values.items()):
                to_update.append(AdminUnit(id=current["id"], **values))
        AdminUnit.objects.bulk_create(to_create, batch_size=BATCH)
        AdminUnit.objects.bulk_update(to_update, UNIT_FIELDS, batch_size=BATCH)
        stats.created += len(to_create)
        stats.updated += len(to_update)
        if to_create:
            if level == Level.PROVINCE:
                AdminUnit.objects.filter(level=Level.PROVINCE, province__isnull=True).update(
                    province_id=F("id")
                )
            pks.update(
                ((era, level, code), pk)
                for era, code, pk in AdminUnit.objects.filter(level=level)
                .order_by()
                .values_list("era", "code", "id")
            )
    return pks


def _save_successions(selection: _Selection, pks: dict[Ident, int], stats: LoadStats) -> None:
    existing = {
        (pred, succ): (pk, is_default)
        for pk, pred, succ, is_default in AdminUnitSuccession.objects.order_by().values_list(
            "id", "predecessor_id", "successor_id", "is_default"
        )
    }
    to_create: list[AdminUnitSuccession] = []
    to_update: list[AdminUnitSuccession] = []
    for (old, new), is_default in selection.successions.items():
        pair = (pks[old], pks[new])
        current = existing.get(pair)
        if current is None:
            to_create.append(
                AdminUnitSuccession(
                    predecessor_id=pair[0],
                    successor_id=pair[1],
                    is_default=is_default,
                    effective_date=CURRENT_START,
                )
            )
        elif current[1] != is_default:
            to_update.append(AdminUnitSuccession(id=current[0], is_default=is_default))
    AdminUnitSuccession.objects.bulk_create(to_create, batch_size=BATCH)
    AdminUnitSuccession.objects.bulk_update(to_update, ["is_default"], batch_size=BATCH)
    stats.successions_created = len(to_create)
    stats.successions_updated = len(to_update)
