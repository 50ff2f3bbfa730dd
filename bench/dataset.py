"""The one synthetic data set of every benchmark: a whole country over fifteen years.

    from bench.dataset import generate
    counts = generate("national")      # 1,000,000 beneficiaries, 100,000 projects

Reproducible (fixed seed): the same size gives the same rows. Needs a migrated database with
the administrative units (``manage.py load_admin_units``: 63 legacy and 34 current
provinces) and the catalogs (seeded by the migrations). Plan years 2012–2026: plans up to 2025
belong to the 63 legacy provinces, the 2026 plans to the 34 current ones (reform of
1 July 2025); one plan per province, year and funding source, with its original version (the
ceiling). Every project has a valid event chain (``projects/lifecycle.py``: register →
appraise → approve → assign → contract → start → accept → settle, with adjustments, stop
requests and stops) whose status mix depends on the plan's age, progress updates with
disbursements from the contract on, a budget in its plan's source, a place (mostly a commune)
in its province and, for most, a beneficiary of that province.

Rows are written with bulk statements (PostgreSQL ``COPY``, SQLite ``executemany``), not the
ORM: no audit rows, no signals (a data set, not a record of edits). The national set loads
in a few minutes on either database.
"""

from __future__ import annotations

import bisect
import datetime
import itertools
import random
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SEED = 20261128
YEARS = tuple(range(2012, 2027))  # fifteen plan years
CURRENT_ERA_FROM = 2026  # plans of this year on belong to the current (34) provinces
TODAY = datetime.date(2026, 11, 28)
STAMP = datetime.datetime(2026, 11, 28, 8, 0, tzinfo=datetime.UTC)

# name -> (beneficiaries, projects)
SIZES = {
    "national": (1_000_000, 100_000),
    "large": (300_000, 30_000),
    "medium": (100_000, 10_000),
    "small": (5_000, 1_500),
    "tiny": (600, 200),
}

# Share of projects per funding source.
SOURCE_WEIGHTS = {"national": 0.3, "local": 0.66, "other": 0.04}
# Final status of a project by the age of its plan (years before 2026).
MAIN_PATH = (
    ("register", "registered"),
    ("appraise", "appraised"),
    ("approve", "approved"),
    ("assign", "assigned"),
    ("contract", "contracted"),
    ("start", "in_progress"),
    ("accept", "accepted"),
    ("settle", "settled"),
)
STATUS_BY_AGE = {
    "old": {"settled": 78, "accepted": 6, "stopped": 7, "appraised": 3, "registered": 2,
            "in_progress": 2, "adjustment_requested": 1, "stop_requested": 1},
    "recent": {"settled": 35, "accepted": 20, "in_progress": 20, "contracted": 5, "approved": 4,
               "assigned": 3, "stopped": 6, "adjustment_requested": 4, "stop_requested": 3},
    "current": {"registered": 10, "appraised": 10, "approved": 14, "assigned": 10,
                "contracted": 14, "in_progress": 28, "adjustment_requested": 5,
                "stop_requested": 4, "accepted": 4, "stopped": 1},
}  # fmt: skip
BENEFICIARY_KIND_WEIGHTS = {
    "household": 55,
    "cooperative": 14,
    "sme": 22,
    "cooperative_group": 6,
    "cooperative_union": 1,
    "other": 2,
}
TRADES = (
    "mây tre đan", "dệt thổ cẩm", "chế biến chè", "gốm sứ", "mộc mỹ nghệ", "chế biến nông sản",
    "cơ khí nhỏ", "may mặc", "sơn mài", "rèn", "đúc đồng", "chế biến thủy sản", "làm bánh đa",
    "nấu rượu", "chế biến gỗ", "thêu ren", "làm hương", "sản xuất miến dong", "chạm bạc",
    "chế biến dược liệu", "làm nón lá", "sản xuất gạch không nung", "chế biến cà phê",
    "sản xuất nước mắm", "dệt chiếu cói",
)  # fmt: skip
NAME_WORDS = (
    "Thành", "Phát", "Hưng", "Thịnh", "An", "Phúc", "Minh", "Đức", "Tân", "Hòa", "Bình",
    "Quang", "Trường", "Xuân", "Đông", "Nam", "Việt", "Hồng", "Long", "Khánh", "Ngân", "Lộc",
    "Tiến", "Đạt", "Hải", "Sơn", "Thủy", "Tâm", "Nguyên", "Vĩnh",
)  # fmt: skip
KIND_PREFIX = {
    "household": "Hộ kinh doanh",
    "cooperative": "Hợp tác xã",
    "sme": "Công ty TNHH",
    "cooperative_group": "Tổ hợp tác",
    "cooperative_union": "Liên hiệp HTX",
    "other": "Cơ sở",
}
TITLE_VERBS = (
    "Hỗ trợ ứng dụng máy móc thiết bị tiên tiến trong",
    "Xây dựng mô hình trình diễn kỹ thuật",
    "Đào tạo nghề, truyền nghề",
    "Hỗ trợ thiết kế mẫu mã, bao bì sản phẩm",
    "Hỗ trợ tham gia hội chợ, triển lãm sản phẩm",
    "Hỗ trợ đăng ký nhãn hiệu sản phẩm",
    "Hỗ trợ chuyển đổi số trong",
    "Hỗ trợ sản xuất sạch hơn trong",
)


@dataclass
class Counts:
    """What ``generate`` wrote, and the distributions the smoke test checks."""

    size: str
    beneficiaries: int = 0
    projects: int = 0
    plans: int = 0
    plan_versions: int = 0
    events: int = 0
    progress_updates: int = 0
    organisations: int = 0
    provinces: dict[str, int] = field(default_factory=dict)  # era -> provinces with projects
    years: dict[int, int] = field(default_factory=dict)
    statuses: dict[str, int] = field(default_factory=dict)
    sources: dict[str, int] = field(default_factory=dict)
    content_areas: int = 0  # distinct content areas used
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {key: value for key, value in self.__dict__.items()}


def size_of(size: str | int) -> tuple[int, int]:
    """(beneficiaries, projects) of a named size, or N projects and 10 × N beneficiaries."""
    if isinstance(size, int) or str(size).isdigit():
        projects = int(size)
        return projects * 10, projects
    return SIZES[size]


# --------------------------------------------------------------------------------------------
# Bulk writing


class Table:
    """Bulk rows into a model's table: ``columns`` vary per row, every other concrete column
    takes its model default (timestamps: ``STAMP``)."""

    def __init__(self, model: Any, columns: Iterable[str]) -> None:
        from django.db import connection

        self.model = model
        self.columns = list(columns)
        self.fixed: dict[str, Any] = {}
        for model_field in model._meta.concrete_fields:
            name = model_field.attname
            if name in self.columns or model_field.primary_key:
                continue
            if name in ("created_at", "updated_at", "recorded_at"):
                value = STAMP
            elif model_field.has_default():
                value = model_field.get_default()
            elif model_field.null:
                value = None
            else:
                value = ""
            self.fixed[name] = value
        self.vendor = connection.vendor

    def _adapt(self, value: Any) -> Any:
        if self.vendor == "sqlite" and isinstance(value, datetime.datetime):
            return value.astimezone(datetime.UTC).replace(tzinfo=None).isoformat(" ")
        if self.vendor == "sqlite" and isinstance(value, datetime.date):
            return value.isoformat()
        return value

    def write(self, rows: Iterable[tuple]) -> int:
        from django.db import connection

        names = self.columns + list(self.fixed)
        tail = tuple(self._adapt(value) for value in self.fixed.values())
        quoted = ", ".join(connection.ops.quote_name(name) for name in names)
        table = connection.ops.quote_name(self.model._meta.db_table)
        count = 0
        connection.ensure_connection()
        if self.vendor == "postgresql":
            statement = f"COPY {table} ({quoted}) FROM STDIN"
            with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
                for row in rows:
                    copy.write_row(row + tail)
                    count += 1
            return count
        marks = ", ".join("?" * len(names))
        sql = f"INSERT INTO {table} ({quoted}) VALUES ({marks})"
        raw = connection.connection.cursor()
        adapt = self._adapt
        iterator = iter(rows)
        while chunk := list(itertools.islice(iterator, 20_000)):
            raw.executemany(sql, [tuple(adapt(v) for v in row) + tail for row in chunk])
            count += len(chunk)
        raw.close()
        return count


def reset_sequences(*models: Any) -> None:
    from django.core.management.color import no_style
    from django.db import connection

    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def next_id(model: Any) -> int:
    from django.db.models import Max

    return (model._base_manager.aggregate(top=Max("pk"))["top"] or 0) + 1


# --------------------------------------------------------------------------------------------
# Reference data read from the database


@dataclass
class Geography:
    """Provinces by era with a weight each (population-like), their districts and communes."""

    provinces: dict[str, list[int]]  # era -> province ids
    weights: dict[int, float]
    names: dict[int, str]
    communes: dict[int, list[tuple[int, int | None, str]]]  # province -> (id, district, short)
    districts: dict[int, list[int]]


def read_geography(rng: random.Random) -> Geography:
    from khuyencong.places.models import AdminUnit

    provinces: dict[str, list[int]] = defaultdict(list)
    names = {}
    for pk, era, name in (
        AdminUnit.objects.filter(level="province")
        .order_by("era", "code")
        .values_list("pk", "era", "name")
    ):
        provinces[era].append(pk)
        names[pk] = name
    if len(provinces["legacy"]) < 1 or len(provinces["current"]) < 1:
        raise RuntimeError("No administrative units: run `manage.py load_admin_units` first.")
    weights = {pk: rng.lognormvariate(0, 0.5) for pk in names}
    communes: dict[int, list[tuple[int, int | None, str]]] = defaultdict(list)
    districts: dict[int, list[int]] = defaultdict(list)
    for pk, level, province_id, parent_id, short in (
        AdminUnit.objects.exclude(level="province")
        .order_by("pk")
        .values_list("pk", "level", "province_id", "parent_id", "short_name")
    ):
        if level == "district":
            districts[province_id].append(pk)
        else:
            communes[province_id].append(
                (pk, parent_id if parent_id != province_id else None, short)
            )
    return Geography(dict(provinces), weights, names, dict(communes), dict(districts))


class Picker:
    """Fast weighted choice over a fixed table (cumulative weights, bisect)."""

    def __init__(self, table: dict[Any, float]) -> None:
        self.keys = list(table)
        self.cumulative = list(itertools.accumulate(table.values()))

    def __call__(self, rng: random.Random) -> Any:
        return self.keys[bisect.bisect(self.cumulative, rng.random() * self.cumulative[-1])]


def tax_codes(start: int) -> Iterator[str]:
    """Valid, unique 10-digit tax codes (check digit) from a sequence."""
    from khuyencong.beneficiaries.taxcode import with_check_digit

    sequence = start
    while True:
        sequence += 1
        code = with_check_digit(f"{sequence:09d}")
        if code and code[2:9] != "0000000":
            yield code


# --------------------------------------------------------------------------------------------
# The generator


def generate(size: str | int = "national", *, seed: int = SEED, log: Any = None) -> Counts:
    """Write the data set into the current (empty) database; returns what was written."""
    import time

    from django.db import connection, transaction

    from khuyencong.accounts.models import Organisation
    from khuyencong.beneficiaries.models import Beneficiary, search_text_for
    from khuyencong.catalog.models import BeneficiaryKind, ContentArea, FundingSource
    from khuyencong.core.text import normalize
    from khuyencong.plans.models import Plan, PlanVersion
    from khuyencong.projects.models import ProgressUpdate, Project, ProjectEvent

    say = log or (lambda _message: None)
    started = time.perf_counter()
    n_beneficiaries, n_projects = size_of(size)
    counts = Counts(size=str(size))
    rng = random.Random(seed)
    geo = read_geography(rng)
    kinds = {kind.code: kind.pk for kind in BeneficiaryKind.objects.all()}
    sources = {source.code: source.pk for source in FundingSource.objects.all()}
    # Projects sit in leaf content areas (the groups' children), a few areas far more used.
    areas = list(
        ContentArea.objects.filter(children__isnull=True).order_by("sort_order", "code")
    ) or list(ContentArea.objects.order_by("sort_order", "code"))
    area_pick = Picker({area.pk: rng.paretovariate(1.2) for area in areas})
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous = OFF")

    with transaction.atomic():
        # ---- organisations: the national agency, a department and a centre per province
        organisation_id = next_id(Organisation)
        centres: dict[int, int] = {}
        organisations = []
        organisations.append(
            (organisation_id, "national_agency", "Cục Khuyến công (dữ liệu thử)", None, None)
        )
        organisation_id += 1
        for province_id, name in geo.names.items():
            department = organisation_id
            organisations.append(
                (department, "department", f"Sở Công Thương {name}", province_id, None)
            )
            organisations.append(
                (department + 1, "centre", f"Trung tâm Khuyến công {name}", province_id, department)
            )
            centres[province_id] = department + 1
            organisation_id += 2
        counts.organisations = Table(
            Organisation, ["id", "kind", "name", "province_id", "parent_id"]
        ).write(organisations)

        # ---- beneficiaries
        say(f"beneficiaries: {n_beneficiaries}")
        beneficiary_start = next_id(Beneficiary)
        by_province: dict[int, list[int]] = defaultdict(list)
        names_by_id: dict[int, str] = {}
        kind_pick = Picker(BENEFICIARY_KIND_WEIGHTS)
        province_pick = {
            era: Picker({pk: geo.weights[pk] for pk in ids if geo.communes.get(pk)})
            for era, ids in geo.provinces.items()
        }
        codes = tax_codes(100_000_000 + seed % 1000 * 100_000)
        # The projects link beneficiaries among the first ``linked`` of each province (their
        # names go into the projects' search text): kept in memory, not the whole register.
        linked = max(50, 2 * n_projects // max(1, len(geo.names)))

        def beneficiary_rows() -> Iterator[tuple]:
            for offset in range(n_beneficiaries):
                pk = beneficiary_start + offset
                era = "current" if rng.random() < 0.4 else "legacy"
                province_id = province_pick[era](rng)
                commune, district, place = rng.choice(geo.communes[province_id])
                kind = kind_pick(rng)
                trade = rng.choice(TRADES)
                name = (
                    f"{KIND_PREFIX[kind]} {trade} {rng.choice(NAME_WORDS)} "
                    f"{rng.choice(NAME_WORDS)} {place}"
                )
                tax = next(codes) if kind != "household" or rng.random() < 0.1 else ""
                if len(by_province[province_id]) < linked:
                    by_province[province_id].append(pk)
                    names_by_id[pk] = name
                yield (
                    pk,
                    kinds[kind],
                    name,
                    tax,
                    f"thôn {rng.randint(1, 30)}",
                    commune,
                    district,
                    province_id,
                    f"09{rng.randint(10_000_000, 99_999_999)}",
                    search_text_for(name, tax),
                )

        counts.beneficiaries = Table(
            Beneficiary,
            ["id", "kind_id", "name", "tax_code", "address", "commune_id", "district_id",
             "province_id", "phone", "search_text"],
        ).write(beneficiary_rows())  # fmt: skip

        # ---- projects, plans, events, progress
        say(f"projects: {n_projects}")
        year_pick = Picker({year: 1 + 0.04 * (year - YEARS[0]) for year in YEARS})
        plan_ids: dict[tuple[int, int, str], int] = {}
        plan_money: Counter[int] = Counter()
        plan_start = next_id(Plan)
        project_start = next_id(Project)
        event_id = next_id(ProjectEvent)
        progress_id = next_id(ProgressUpdate)
        events: list[tuple] = []
        progress: list[tuple] = []
        statuses: Counter[str] = Counter()
        years: Counter[int] = Counter()
        used_sources: Counter[str] = Counter()
        used_areas: set[int] = set()
        era_provinces: dict[str, set[int]] = defaultdict(set)
        source_pick = Picker(SOURCE_WEIGHTS)
        status_pick = {age: Picker(table) for age, table in STATUS_BY_AGE.items()}

        def project_rows() -> Iterator[tuple]:
            nonlocal event_id, progress_id
            for offset in range(n_projects):
                pk = project_start + offset
                year = year_pick(rng)
                era = "current" if year >= CURRENT_ERA_FROM else "legacy"
                province_id = province_pick[era](rng)
                source = source_pick(rng)
                key = (province_id, year, source)
                plan_id = plan_ids.setdefault(key, plan_start + len(plan_ids))
                roll = rng.random()
                if roll < 0.8:
                    place, district, _short = rng.choice(geo.communes[province_id])
                elif roll < 0.95 and geo.districts.get(province_id):
                    place = district = rng.choice(geo.districts[province_id])
                else:
                    place, district = province_id, None
                beneficiary = None
                pool = by_province.get(province_id)
                if pool and rng.random() < 0.75:
                    beneficiary = rng.choice(pool)
                area = area_pick(rng)
                scale = {"national": 800, "local": 250, "other": 150}[source]
                support = int(rng.lognormvariate(0, 0.6) * scale) * 1_000_000 + 50_000_000
                budget = {"national": 0, "local": 0, "other": 0}
                budget[source] = support
                counterpart = int(support * rng.uniform(0.3, 2.0)) // 1_000_000 * 1_000_000
                age = TODAY.year - year
                status = status_pick["old" if age >= 3 else "recent" if age >= 1 else "current"](
                    rng
                )
                code = f"{year}-{source[:2].upper()}-{pk:07d}"
                trade = rng.choice(TRADES)
                title = f"{rng.choice(TITLE_VERBS)} {trade}"
                beneficiary_name = names_by_id.get(beneficiary, "") if beneficiary else ""
                search = normalize(" ".join(filter(None, [code, title, beneficiary_name])))
                plan_money[plan_id] += support
                statuses[status] += 1
                years[year] += 1
                used_sources[source] += 1
                used_areas.add(area)
                era_provinces[era].add(province_id)
                life = project_life(rng, year, status, support, counterpart, source)
                for sequence, (kind, day, to_status, from_status, amount, snapshot) in enumerate(
                    life.events, start=1
                ):
                    snap = (
                        (budget["national"], budget["local"], counterpart, budget["other"])
                        if snapshot
                        else (None, None, None, None)
                    )
                    events.append(
                        (event_id, pk, sequence, kind, day, from_status, to_status, amount, *snap)
                    )
                    event_id += 1
                for day, percent, amount, kind in life.progress:
                    progress.append((progress_id, pk, day, percent, amount, kind))
                    progress_id += 1
                yield (
                    pk,
                    code,
                    title,
                    area,
                    plan_id,
                    centres[province_id],
                    beneficiary,
                    place,
                    province_id,
                    district,
                    budget["national"],
                    budget["local"],
                    counterpart,
                    budget["other"],
                    life.start,
                    life.end,
                    status,
                    search,
                    "single" if beneficiary is not None else "centre",
                )

        # Plans first (the projects refer to them): their keys come from a dry pass over the
        # same random stream, so build the project rows in memory (100,000 tuples: fine).
        rows = list(project_rows())
        plans = []
        versions = []
        for (province_id, year, source), plan_id in sorted(plan_ids.items(), key=lambda i: i[1]):
            title = f"Kế hoạch khuyến công {year} ({source}) — {geo.names[province_id]}"
            plans.append(
                (
                    plan_id,
                    province_id,
                    year,
                    year,
                    sources[source],
                    title,
                    "Bộ Công Thương" if source == "national" else "UBND tỉnh",
                    f"{plan_id}/QĐ-{year}",
                    datetime.date(year - 1, 12, 20),
                    "approved",
                    normalize(title),
                )
            )
            ceiling = plan_money[plan_id] * 21 // 20 // 1_000_000 * 1_000_000
            versions.append((plan_id, 1, "original", datetime.date(year, 1, 5), ceiling))
        counts.plans = Table(
            Plan,
            ["id", "province_id", "year", "end_year", "funding_source_id", "title",
             "approving_authority", "decision_number", "decision_date", "status", "search_text"],
        ).write(plans)  # fmt: skip
        counts.plan_versions = Table(
            PlanVersion, ["plan_id", "number", "kind", "effective_date", "ceiling"]
        ).write(versions)
        counts.projects = Table(
            Project,
            ["id", "code", "title", "content_area_id", "plan_id", "implementing_unit_id",
             "beneficiary_id", "place_id", "province_id", "district_id", "budget_national",
             "budget_local", "budget_counterpart", "budget_other", "start_date", "end_date",
             "status", "search_text", "kind"],
        ).write(rows)  # fmt: skip
        del rows
        say(f"events: {len(events)}, progress updates: {len(progress)}")
        counts.events = Table(
            ProjectEvent,
            ["id", "project_id", "sequence", "kind", "effective_date", "from_status", "to_status",
             "amount", "budget_national", "budget_local", "budget_counterpart", "budget_other"],
        ).write(events)  # fmt: skip
        counts.progress_updates = Table(
            ProgressUpdate,
            ["id", "project_id", "date", "progress_percent", "disbursed_amount",
             "disbursement_kind"],
        ).write(progress)  # fmt: skip
        reset_sequences(Organisation, Beneficiary, Plan, PlanVersion, Project, ProjectEvent)
        reset_sequences(ProgressUpdate)
    from khuyencong.projects.services import fill_missing_states, refresh_all_tallies

    say(f"project states: {fill_missing_states()}")  # what the services write with each record
    say(f"plan tallies: {refresh_all_tallies()}")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            # What autovacuum leaves a production database in after the inserts (the
            # visibility map that index-only scans need, hint bits set); servers tuned for
            # tests, as this machine's, run without autovacuum. (VACUUM cannot run in a
            # transaction: a test's generated data is only analysed.)
            cursor.execute("VACUUM (ANALYZE)")
        else:
            cursor.execute("ANALYZE")
    counts.provinces = {era: len(ids) for era, ids in era_provinces.items()}
    counts.years = dict(sorted(years.items()))
    counts.statuses = dict(statuses.most_common())
    counts.sources = dict(used_sources.most_common())
    counts.content_areas = len(used_areas)
    counts.seconds = round(time.perf_counter() - started, 1)
    return counts


@dataclass
class Life:
    events: list[tuple]  # (kind, date, to_status, from_status, amount, budget snapshot?)
    progress: list[tuple]  # (date, percent, amount, disbursement kind)
    start: datetime.date | None
    end: datetime.date | None


def project_life(
    rng: random.Random, year: int, status: str, support: int, counterpart: int, source: str
) -> Life:
    """A valid event chain (lifecycle.TRANSITIONS) ending in ``status``, with progress."""
    day = datetime.date(year, 1, 10) + datetime.timedelta(days=rng.randint(0, 60))
    events: list[tuple] = []
    progress: list[tuple] = []
    current = ""

    def step(kind: str, to_status: str, amount: int | None = None, snapshot: bool = False) -> None:
        nonlocal day, current
        day = min(day + datetime.timedelta(days=rng.randint(7, 28)), TODAY)
        events.append((kind, day, to_status, current, amount, snapshot))
        current = to_status

    working_end = {
        "adjustment_requested": "in_progress",
        "stop_requested": "in_progress",
        "stopped": "in_progress",
    }.get(status, status)
    target = [s for _k, s in MAIN_PATH].index(working_end)
    start = end = None
    disbursed = 0
    for kind, to_status in MAIN_PATH[: target + 1]:
        if kind == "accept":
            percent = 100
            remaining = support - disbursed
            if remaining > 0:
                progress.append((day, percent, remaining, "payment"))
                disbursed = support
            step(kind, to_status, amount=support + counterpart)
            end = day
            continue
        if kind == "settle":
            step(kind, to_status, amount=int(support * rng.uniform(0.92, 1.0)))
            continue
        step(kind, to_status, snapshot=kind in ("register", "approve"))
        if kind == "start":
            start = day
            # Progress while in progress: 1–4 updates; an advance first.
            updates = rng.randint(1, 4)
            percent = 0
            for number in range(updates):
                day = min(day + datetime.timedelta(days=rng.randint(10, 45)), TODAY)
                percent = min(95, percent + rng.randint(10, 40))
                amount = int(support * percent / 100 * 0.8) - disbursed
                amount = max(0, amount // 1_000_000 * 1_000_000)
                kind_name = "advance" if number == 0 else "payment"
                progress.append((day, percent, amount, kind_name))
                disbursed += amount
            if status == "settled" and rng.random() < 0.1:
                step("request_adjustment", "adjustment_requested")
                step("approve_adjustment", "in_progress", snapshot=False)
    if status == "adjustment_requested":
        step("request_adjustment", "adjustment_requested")
    elif status in ("stop_requested", "stopped"):
        step("request_stop", "stop_requested")
        if status == "stopped":
            step("approve_stop", "stopped", amount=disbursed)
    return Life(events, progress, start, end)


def write_beneficiary_file(
    path: Path, rows: int, *, seed: int = 7, first_code: int = 1_000_000
) -> None:
    """An N-row beneficiary import file: addresses in legacy (3-level) and current (2-level)
    form over 3,000 communes of the whole country, a street per row; a third of the rows
    with a valid, unique tax code (outside the generated register's range, from
    ``first_code`` on)."""
    from openpyxl import Workbook

    from khuyencong.beneficiaries.taxcode import with_check_digit
    from khuyencong.places.models import AdminUnit

    rng = random.Random(seed)
    communes = list(AdminUnit.objects.communes().select_related("parent__parent").order_by("pk"))
    communes = rng.sample(communes, min(3000, len(communes)))
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Dữ liệu")
    sheet.append(["STT", "Tên cơ sở", "Loại hình", "Mã số thuế", "Địa chỉ", "Điện thoại"])
    sequence = first_code
    for n in range(1, rows + 1):
        unit = communes[n % len(communes)]
        address = ", ".join(
            [f"thôn {rng.randint(1, 30)}", *(u.name for u in [unit, *unit.ancestors[::-1]])]
        )
        code = ""
        kind = "Hộ kinh doanh"
        if n % 3 == 0:
            while not code:
                sequence += 1
                code = with_check_digit(f"09{sequence:07d}") or ""
            kind = "HTX"
        sheet.append([n, f"Cơ sở sản xuất thử nghiệm số {n}", kind, code, address, "0209 000 000"])
    workbook.save(path)
