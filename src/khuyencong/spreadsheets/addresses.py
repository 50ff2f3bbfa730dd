"""Match a free-text address (legacy three-level or current two-level) to a commune.

``vietnamadminunits.parse_address`` reads the address both ways (LEGACY: commune, district,
province of the 63 provinces; FROM_2025: commune, province of the 34). A reading counts only
when the names it found are really written in the address (the parser infers a province
from a commune name, and reads an old province name as a new commune of that name); then:

- one reading found a commune -> that commune;
- both found a commune: a district written means the old three-level address (legacy);
  without one, the address has the current two-level form (current);
- only the old reading, with a commune name shared by several communes of the province
  and no district to say which -> *ambiguous*: the candidates go to the user;
- an official commune code ("Mã xã") wins over the text; a code used in both eras is
  ambiguous unless the text names one of them.

Results are cached on the administrative part of the address (the last three comma parts),
so 100,000 rows with a few thousand distinct communes parse quickly.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from vietnamadminunits import parse_address

from khuyencong.core.models import covers
from khuyencong.core.text import compact, normalize
from khuyencong.places.models import AdminUnit, AdminUnitSuccession, Era, Level


@dataclass(frozen=True)
class Candidate:
    id: int
    era: str
    label: str  # "Xã Cường Lợi, Huyện Na Rì, Tỉnh Bắc Kạn"
    province_id: int
    parent_id: int | None
    valid_from: datetime.date | None = None
    valid_to: datetime.date | None = None
    short_name: str = ""  # "Nông Hạ": the place as written
    unit_type: str = ""  # "Xã"

    def valid_on(self, day: datetime.date) -> bool:
        return covers(self.valid_from, self.valid_to, day)


@dataclass
class Match:
    unit: Candidate | None = None
    candidates: list[Candidate] = field(default_factory=list)
    street: str = ""
    # the unit the address names when it was no longer in force on the record's date: the
    # record keeps its name and links ``unit``, its successor (or asks which, if several)
    former: Candidate | None = None
    # the units the address names, none of them in force on the record's date
    elsewhere: list[Candidate] = field(default_factory=list)

    @property
    def ambiguous(self) -> bool:
        return self.unit is None and len(self.candidates) > 1

    @property
    def not_at_date(self) -> bool:
        return self.unit is None and not self.candidates and bool(self.elsewhere)


class UnitIndex:
    """Every commune, by era and code, by era/province and name key (one query each)."""

    def __init__(self) -> None:
        communes = AdminUnit.objects.communes().values_list(
            "pk", "era", "code", "name", "short_key", "province_id", "parent_id",
            "valid_from", "valid_to", "short_name", "unit_type",
        )  # fmt: skip
        names: dict[int, str] = {}
        # provinces and districts by their short name's key, to read an address the parser
        # does not know (a unit merged before 2025, loaded from the unit history)
        self.upper_by_key: dict[str, list[int]] = defaultdict(list)
        self.upper_key: dict[int, str] = {}
        for pk, name, short_key in AdminUnit.objects.exclude(level=Level.COMMUNE).values_list(
            "pk", "name", "short_key"
        ):
            names[pk] = name
            self.upper_by_key[short_key].append(pk)
            self.upper_key[pk] = short_key
        self.by_code: dict[tuple[str, str], Candidate] = {}
        self.by_name: dict[tuple[str, int, str], list[Candidate]] = defaultdict(list)
        self.by_id: dict[int, Candidate] = {}
        for (
            pk, era, code, name, short_key, province_id, parent_id, start, end, short, kind,
        ) in communes:  # fmt: skip
            parts = [name]
            if parent_id and parent_id != province_id:
                parts.append(names.get(parent_id, ""))
            parts.append(names.get(province_id, ""))
            label = ", ".join(p for p in parts if p)
            candidate = Candidate(pk, era, label, province_id, parent_id, start, end, short, kind)
            self.by_code[(era, code)] = candidate
            self.by_name[(era, province_id, short_key)].append(candidate)
            self.by_id[pk] = candidate
        self.province_by_code = {
            (era, code): pk
            for pk, era, code in AdminUnit.objects.provinces().values_list("pk", "era", "code")
        }
        self.province_ids = set(self.province_by_code.values())
        self.successors: dict[int, set[int]] = defaultdict(set)
        for old, new in AdminUnitSuccession.objects.values_list("predecessor_id", "successor_id"):
            self.successors[old].add(new)


_TYPE_WORDS = {"xa", "phuong", "thi", "tran", "dac", "khu"}
_DISTRICT_WORDS = (
    *("huyện ", "quận ", "thị xã ", "thành phố ", "tp ", "tp."),
    *("huyen ", "quan ", "thi xa ", "thanh pho "),
)


_UNIT_PREFIXES = (
    *("thi tran ", "thi xa ", "thanh pho ", "dac khu ", "xa ", "phuong ", "huyen "),
    *("quan ", "tinh ", "tp "),
)


def _unit_key(text: str) -> str:
    """ "Xã Nông Hạ" -> "nongha": a unit's name without its type, as ``short_key``."""
    name = normalize(text.replace(".", " "))
    for prefix in _UNIT_PREFIXES:
        if name.startswith(prefix):
            name = name[len(prefix) :]
            break
    return compact(name)


@lru_cache(maxsize=100_000)
def _parse(tail: str, mode: str) -> tuple[str | None, ...] | None:
    """The parser's reading of ``tail`` (cached: the parser compiles regular expressions on
    every call, and a file repeats the same communes)."""
    try:
        parsed: Any = parse_address(tail, mode=mode, keep_street=False)
    except Exception:  # the parser raises on text it cannot read at all
        return None
    return (
        parsed.ward_code,
        parsed.short_ward,
        parsed.short_province,
        parsed.short_district,
        parsed.province_code,
    )


def _written(name: str | None, text_key: str) -> bool:
    """Whether ``name`` is in the address ("Trạm Tấu (Thị trấn)": the part before "(")."""
    return bool(name) and compact(name.split("(")[0]) in text_key


class AddressMatcher:
    def __init__(self, index: UnitIndex | None = None):
        self.index = index or UnitIndex()
        self._cache: dict[str, tuple[list[Candidate], Candidate | None, bool]] = {}

    def match(self, text: str, code: str = "", on: datetime.date | None = None) -> Match:
        """The commune ``text`` (or ``code``) names; with ``on``, the one in force that day:
        an old name no longer in force leads to its successor (``Match.former`` keeps the
        name), a name of no unit that day gives ``Match.not_at_date``."""
        found = self._match(text, code)
        return found if on is None else self._at_date(found, on)

    def _at_date(self, found: Match, day: datetime.date) -> Match:
        pool = list(dict.fromkeys([*([found.unit] if found.unit else []), *found.candidates]))
        if not pool:
            return found
        valid = [c for c in pool if c.valid_on(day)]
        if found.unit is not None and found.unit in valid:
            return Match(unit=found.unit, candidates=valid, street=found.street)
        if valid:
            unit = valid[0] if len(valid) == 1 else None
            return Match(unit=unit, candidates=valid, street=found.street)
        written = found.unit or (pool[0] if len(pool) == 1 else None)
        successors: dict[int, Candidate] = {}
        for candidate in [written] if written else pool:
            successors.update((c.id, c) for c in self._successors_on(candidate, day))
        if written is not None and successors:
            chosen = list(successors.values())
            unit = chosen[0] if len(chosen) == 1 else None
            return Match(unit=unit, candidates=chosen, street=found.street, former=written)
        return Match(street=found.street, elsewhere=pool)

    def _successors_on(self, unit: Candidate, day: datetime.date) -> list[Candidate]:
        """The units ``unit`` became that are in force on ``day`` (following later changes)."""
        if unit.valid_to is None or unit.valid_to >= day:
            return []  # not yet in force: nothing it became
        found: list[Candidate] = []
        frontier, seen = [unit.id], {unit.id}
        while frontier:
            following = []
            for pk in frontier:
                for successor_id in sorted(self.index.successors.get(pk, ())):
                    successor = self.index.by_id.get(successor_id)
                    if successor is None or successor_id in seen:
                        continue
                    seen.add(successor_id)
                    if successor.valid_on(day):
                        found.append(successor)
                    elif successor.valid_to is not None and successor.valid_to < day:
                        following.append(successor_id)
            frontier = following
        return found

    def _match(self, text: str, code: str = "") -> Match:
        parts = [part.strip() for part in (text or "").split(",") if part.strip()]
        if code:
            return self._by_code(code.strip(), ", ".join(parts[-3:]), ", ".join(parts[:-3]))
        # "…, commune, district, province" (old) or "…, commune, province" (current, or old
        # without a district): the administrative part is the last three or two parts.
        looks_old = len(parts) >= 3 and parts[-2].lower().startswith(_DISTRICT_WORDS)
        for size in (3, 2) if looks_old else (2, 3):
            if size > len(parts) or (size == 3 and not looks_old and len(parts) == 2):
                continue
            tail = ", ".join(parts[-size:])
            key = tail.lower()
            if key not in self._cache:
                self._cache[key] = self._read(tail)
            candidates, chosen, _unused = self._cache[key]
            if chosen is not None or candidates:
                return Match(unit=chosen, candidates=candidates, street=", ".join(parts[:-size]))
        return self._by_names(parts)

    def _by_names(self, parts: list[str]) -> Match:
        """Commune, (district,) province read by the loaded units' names alone: the units the
        parser does not know (merged before 2025, loaded from the unit history)."""
        for size in (3, 2):
            if len(parts) < size:
                continue
            tail = parts[-size:]
            provinces = [
                pk
                for pk in self.index.upper_by_key.get(_unit_key(tail[-1]), [])
                if pk in self.index.province_ids
            ]
            found: list[Candidate] = []
            for province_id in provinces:
                for era in (Era.LEGACY, Era.CURRENT):
                    named = self.index.by_name.get((era, province_id, _unit_key(tail[0])), [])
                    if size == 3:
                        district = _unit_key(tail[1])
                        named = [
                            c for c in named if self.index.upper_key.get(c.parent_id) == district
                        ]
                    found.extend(named)
            if found:
                unit = found[0] if len(found) == 1 else None
                return Match(unit=unit, candidates=found, street=", ".join(parts[:-size]))
        return Match()

    def _by_code(self, code: str, tail: str, street: str) -> Match:
        found = [
            self.index.by_code[(era, code)]
            for era in (Era.LEGACY, Era.CURRENT)
            if (era, code) in self.index.by_code
        ]
        if len(found) > 1 and tail:
            text_key = compact(tail)
            named = [c for c in found if _written(c.label.split(", ")[0], text_key)]
            if len(named) == 1:
                found = named
            elif named:  # the same name in both eras: let the rest of the address decide
                key = normalize(tail)
                if key not in self._cache:
                    self._cache[key] = self._read(tail)
                chosen = self._cache[key][1]
                found = [chosen] if chosen in found else found
        if len(found) == 1:
            return Match(unit=found[0], candidates=found, street=street or tail)
        return Match(candidates=found, street=street)

    def _by_name(self, era: str, province_code: str | None, tail: str) -> list[Candidate]:
        province_id = self.index.province_by_code.get((era, province_code or ""))
        parts = [part.strip() for part in tail.split(",")]
        if province_id is None or len(parts) < 2:
            return []
        words = normalize(parts[-2]).split()
        while words and words[0] in _TYPE_WORDS:
            words = words[1:]
        return self.index.by_name.get((era, province_id, "".join(words)), [])

    def _read(self, tail: str) -> tuple[list[Candidate], Candidate | None, bool]:
        text_key = compact(tail)
        readings: dict[str, Candidate] = {}
        shared: list[Candidate] = []
        district_written = False
        for era, mode in ((Era.LEGACY, "LEGACY"), (Era.CURRENT, "FROM_2025")):
            parsed = _parse(tail, mode)
            if parsed is None:
                continue
            ward_code, short_ward, short_province, short_district, province_code = parsed
            if not _written(short_province, text_key):
                continue
            if not ward_code or not _written(short_ward, text_key):
                # The parser wants a district in old addresses: look the commune up by name
                # in the province ("Xã Cường Lợi, Tỉnh Bắc Kạn").
                named = self._by_name(era, province_code, tail)
                if len(named) > 1:
                    shared = shared or named
                elif named:
                    readings[era] = named[0]
                continue
            candidate = self.index.by_code.get((era, ward_code))
            if candidate is None:
                continue
            readings[era] = candidate
            if era == Era.LEGACY:
                district_written = _written(short_district, text_key)
                if not district_written:
                    same = self.index.by_name.get(
                        (era, candidate.province_id, compact(short_ward)), []
                    )
                    if len(same) > 1:
                        shared = same
        legacy, current = readings.get(Era.LEGACY), readings.get(Era.CURRENT)
        if legacy and district_written:  # only old addresses have a district
            return [c for c in (legacy, current) if c], legacy, False
        if current:  # commune, province: the current two-level form
            return [c for c in (current, legacy) if c], current, False
        if shared:
            return shared, None, False
        return ([legacy] if legacy else []), legacy, False
