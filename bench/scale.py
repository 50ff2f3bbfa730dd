"""National scale: the synthetic country (``bench/dataset.py``) on SQLite and PostgreSQL, and
every figure as a ratio to a floor measured in the same run (a noisy machine moves both).

    make bench BENCH_ARGS="--only scale"                       national size (slow)
    PYTHONPATH=src python bench/run.py --only scale --size small --runs 5 --load-seconds 5

For each database (a throw-away SQLite file; a throw-away PostgreSQL database on
``BENCH_PG_URL``, default postgres://postgres@127.0.0.1:5432/khuyencong_bench, dropped at the
end) a child process migrates, loads the administrative units, generates the data set
(untimed), then measures through Django's test client as a national user:

- p50/p95 of the project list (province + year, paginated), project detail, beneficiary
  search without diacritics (whole register), dashboard (province-year and national),
  report generation (province-year DOCX+PDF+XLSX), Excel export (the province-year list) and
  import (a 1,000-row file, check only), and the queries each page runs;
- floors: the list and detail templates rendered again from the same context held in memory
  with the database blocked (render floor); Django admin's changelist over ``Project`` with
  the same filters and page size (the peer); python-docx/openpyxl/WeasyPrint writing the
  same paragraphs, rows and annex table plainly (document floor); reading the import file
  (import floor) and writing the exported rows with openpyxl (export floor). A page and
  the floors or peer it is compared with are timed in turn, run after run (``alternate``),
  and so are the two dashboards: a noisy moment of the machine falls on both sides alike;
- a 100,000-row import (``--import-rows``) in its own process: seconds and peak memory;
- throughput: gunicorn (``--workers``) with production settings (DEBUG=0) serving a mixed
  read load (list, detail, search, province dashboard) from a local load generator
  (``--clients`` threads, ``--load-seconds`` each), beside a bare view returning a static
  body of the same size; the workers' peak memory.

Results: ``var/bench-scale.json`` and a Markdown table on stdout (``--write-docs`` puts it in
docs/performance.md between the ``scale-results`` markers).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import http.client
import json
import os
import platform
import random
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/khuyencong_bench")
GOALS = {
    "render_floor": 2.0,  # list/detail <= 2 x their render floor
    "peer": 1.5,  # our list >= 1.5 x faster than the admin changelist
    "document_floor": 3.0,  # reports <= 3 x the document floor
    "bare_share": 0.08,  # mixed load >= 8 % of the bare view's req/s
    "search_vs_list": 2.0,  # search p95 <= 2 x list p95
    "national_vs_province": 5.0,  # national dashboard <= 5 x province dashboard
    "import_seconds": 30.0,
    "import_mb": 500.0,
}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def summary(values: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(statistics.median(values) * 1000, 2),
        "p95_ms": round(percentile(values, 0.95) * 1000, 2),
        "n": len(values),
    }


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --------------------------------------------------------------------------------------------
# Child process: one database


def django_setup(database_url: str, workdir: Path) -> None:
    """Production settings (``server_env``: DEBUG off, hashed static files), as the server."""
    os.environ.update(server_env(database_url, workdir, 0))
    os.environ["TASKS_BACKEND"] = "immediate"
    for path in (str(ROOT / "src"), str(ROOT)):
        if path not in sys.path:
            sys.path.insert(0, path)
    import django

    django.setup()


def prepare(size: str, workdir: Path) -> dict[str, Any]:
    """Migrate, load the units, generate the data set, make the benchmark user (untimed)."""
    from django.core.management import call_command

    from bench.dataset import generate, write_beneficiary_file
    from khuyencong.accounts.models import Role, ScopeLevel, User
    from khuyencong.places.loader import load_admin_units

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    subprocess.run(
        [sys.executable, "-m", "django", "compilemessages", "-v", "0"],
        check=False,
        cwd=ROOT / "src",
        capture_output=True,
    )
    load_admin_units()
    counts = generate(size, log=lambda message: print(f"   {message}", file=sys.stderr))
    user, _ = User.objects.get_or_create(
        username="bench",
        defaults={
            "role": Role.SYSTEM_ADMIN,
            "scope_level": ScopeLevel.NATIONAL,
            "is_staff": True,
            "is_superuser": True,
        },
    )
    user.set_password("bench-password-not-secret")
    user.save()
    write_beneficiary_file(workdir / "import-1000.xlsx", 1000)
    return {
        "counts": counts.as_dict(),
        "prepare_s": round(time.perf_counter() - started, 1),
        "user_id": user.pk,
    }


def busiest(year: int) -> tuple[int, int]:
    """(province id, plan year): the province with most projects in ``year`` (or any year)."""
    from django.db.models import Count

    from khuyencong.projects.models import Project

    row = (
        Project.objects.filter(plan__year=year)
        .values("province_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    if row is None:
        row = Project.objects.values("province_id", "plan__year").annotate(n=Count("pk"))
        row = row.order_by("-n").first()
        return row["province_id"], row["plan__year"]
    return row["province_id"], year


class Measure:
    """Timings through the test client (no test instrumentation: templates render as in
    production). ``get`` times one page; ``alternate`` times several steps in turn, run after
    run, so that a noisy moment of the machine falls on each of them alike (a page and its
    floor or its peer). The queries and bytes of each page are read from one more request,
    untimed (recording the queries costs time of its own). ``capture`` renders one more
    request with Django's test instrumentation to keep the page's context (the render
    floor's)."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.queries: dict[str, int] = {}
        self.bytes: dict[str, int] = {}

    def page(self, name: str, urls: list[str]) -> Callable[[int], Any]:
        """A step requesting ``urls`` in turn; each is requested once first (warm-up:
        imports, template loading, caches) and once to count its queries and bytes."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        for url in urls:
            self.client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(urls[-1])
        assert response.status_code == 200, (name, urls[-1], response.status_code)
        self.queries[name] = len(queries.captured_queries)
        self.bytes[name] = len(response.content)

        def step(run: int) -> Any:
            response = self.client.get(urls[run % len(urls)])
            assert response.status_code == 200, (name, urls[run % len(urls)])
            return response

        return step

    def get(self, name: str, urls: list[str], runs: int) -> dict[str, float]:
        return alternate(runs, {name: self.page(name, urls)})[name]

    def capture(self, url: str) -> Any:
        from django.test import utils
        from django.test.utils import setup_test_environment, teardown_test_environment

        if hasattr(utils._TestState, "saved_data"):  # already set up (under pytest)
            return self.client.get(url)
        setup_test_environment()
        try:
            return self.client.get(url)
        finally:
            teardown_test_environment()


def alternate(runs: int, steps: dict[str, Callable[[int], Any]]) -> dict[str, dict[str, float]]:
    """Each step once a run, in turn: the timings of steps compared in a ratio share the
    machine's moments."""
    timings: dict[str, list[float]] = {name: [] for name in steps}
    for run in range(runs):
        for name, step in steps.items():
            begin = time.perf_counter()
            step(run)
            timings[name].append(time.perf_counter() - begin)
    return {name: summary(values) for name, values in timings.items()}


def render_floor(response: Any) -> Callable[[int], None]:
    """A step rendering the response's template again from its context held in memory: form
    choices frozen to lists, the database blocked (a query fails the floor)."""
    from django.db import connection
    from django.template import engines

    contexts = response.context
    # the first copy is the page template's own context (later ones: included templates)
    context = contexts[0].flatten() if isinstance(contexts, list) else contexts.flatten()
    for value in list(context.values()):
        form = getattr(value, "form", value)
        for field in getattr(form, "fields", {}).values():
            if hasattr(field, "queryset"):
                field.widget.choices = list(field.choices)
    template_name = response.templates[0].name
    template = engines["django"].get_template(template_name)
    request = response.wsgi_request

    def refuse(*_args: Any) -> None:
        raise AssertionError("the render floor touched the database")

    def step(_run: int) -> None:
        with connection.execute_wrapper(refuse):
            template.render(context, request)

    step(0)  # warm-up
    return step


def report_and_floor(user: Any, province_id: int, year: int, runs: int) -> dict[str, Any]:
    from khuyencong.places.models import AdminUnit
    from khuyencong.reports import render
    from khuyencong.reports.builder import build_report

    province = AdminUnit.objects.get(pk=province_id)
    ours, floor = [], []
    for _run in range(runs + 1):
        begin = time.perf_counter()
        data = build_report(user=user, province=province, year=year, period="Y")
        files = [render.render_docx(data), render.render_pdf(data), render.render_xlsx(data)]
        ours.append(time.perf_counter() - begin)
        assert all(files)
        # The floor: the same paragraphs and rows written directly (the data already built).
        context = render.document_context(data)
        rows = [
            [number, section.label, project.title, project.content_area,
             project.beneficiary_label, project.place_label, project.budget, project.disbursed,
             project.status_line, project.reference]
            for number, (section, project) in enumerate(data.projects, start=1)
        ]  # fmt: skip
        begin = time.perf_counter()
        floor_files = document_floor(context, rows)
        floor.append(time.perf_counter() - begin)
        assert all(floor_files)
    return {
        "report": summary(ours[1:]),
        "document_floor": summary(floor[1:]),
        "projects_in_report": len(data.projects),
    }


def document_floor(context: dict[str, Any], rows: list[list[Any]]) -> list[bytes]:
    """python-docx, WeasyPrint and openpyxl writing the same paragraphs and rows, plainly:
    the DOCX and the PDF with the annex table of projects when the report has one."""
    import html
    import io

    from docx import Document
    from openpyxl import Workbook
    from weasyprint import HTML

    heads = [context["authority_name"], context["nation"], context["motto"], context["title"]]
    paragraphs = [paragraph.text for paragraph in context["paragraphs"]]
    annex = context.get("project_annex")
    document = Document()
    for text in heads + paragraphs:
        document.add_paragraph(text)
    if annex:
        table = document.add_table(rows=0, cols=len(annex["columns"]))
        for values in [annex["columns"], *annex["rows"], annex["total"]]:
            for cell, value in zip(table.add_row().cells, values, strict=True):
                cell.text = str(value)
    docx = io.BytesIO()
    document.save(docx)
    body = "".join(f"<p>{html.escape(text)}</p>" for text in heads + paragraphs)
    if annex:
        cells = [
            "<tr>" + "".join(f"<td>{html.escape(str(value))}</td>" for value in values) + "</tr>"
            for values in [*annex["rows"], annex["total"]]
        ]
        heading = "".join(f"<th>{html.escape(str(value))}</th>" for value in annex["columns"])
        body += (
            '<table style="width: 100%; border-collapse: collapse; font-size: 9pt">'
            f"<thead><tr>{heading}</tr></thead><tbody>{''.join(cells)}</tbody></table>"
        )
    pdf = HTML(string=f"<html><body>{body}</body></html>").write_pdf()
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    xlsx = io.BytesIO()
    workbook.save(xlsx)
    return [docx.getvalue(), pdf, xlsx.getvalue()]


def import_and_floor(user: Any, path: Path, runs: int) -> dict[str, Any]:
    from django.conf import settings

    from khuyencong.documents.xlsx_reader import read_sheet
    from khuyencong.spreadsheets.pipeline import BeneficiaryImporter, run

    ours, floor = [], []
    for _run in range(runs):
        begin = time.perf_counter()
        importer = BeneficiaryImporter(user, accept_possible_duplicates=True)
        report = run(
            importer,
            read_sheet(str(path), importer.columns, max_rows=settings.IMPORT_MAX_ROWS),
            commit=False,
        )
        ours.append(time.perf_counter() - begin)
        assert not report.errors, report.errors[:3]
        begin = time.perf_counter()
        from python_calamine import CalamineWorkbook

        workbook = CalamineWorkbook.from_path(str(path))
        rows = workbook.get_sheet_by_name(workbook.sheet_names[0]).to_python()
        floor.append(time.perf_counter() - begin)
        assert rows
    return {"import_check_1000": summary(ours), "import_floor": summary(floor)}


def export_floor(user: Any, province_id: int, year: int, runs: int) -> dict[str, float]:
    """openpyxl (write-only) writing the same exported values, fetched beforehand."""
    import io

    from openpyxl import Workbook

    from khuyencong.documents.export import rows_of
    from khuyencong.projects.columns import PROJECT_EXPORT
    from khuyencong.projects.kinds import with_member_count
    from khuyencong.projects.selectors import project_list

    queryset = with_member_count(
        project_list(user=user, filters={"province": province_id, "year": year}), None
    )
    rows = list(rows_of(queryset, PROJECT_EXPORT))
    timings = []
    for _run in range(runs):
        begin = time.perf_counter()
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("Danh sách")
        sheet.append([column.header for column in PROJECT_EXPORT])
        for row in rows:
            sheet.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        timings.append(time.perf_counter() - begin)
    return summary(timings)


def measure(
    user_id: int, workdir: Path, runs: int, *, import_file: str = "import-1000.xlsx"
) -> dict[str, Any]:
    """Every in-process measurement (``runs`` timed requests a page), as JSON-ready data."""
    from django.test import Client

    from khuyencong.accounts.models import User
    from khuyencong.beneficiaries.models import Beneficiary
    from khuyencong.projects.models import Project

    user = User.objects.get(pk=user_id)
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    rng = random.Random(1)
    province, year = busiest(2020)
    results: dict[str, Any] = {"province_id": province, "year": year}
    measure = Measure(client)
    base = f"province={province}&year={year}"
    pages = [f"/projects/?{base}&page={page}" for page in (1, 2, 3)]
    count = Project.objects.filter(province_id=province, plan__year=year).count()
    pages = pages[: max(1, min(3, (count + 24) // 25))]
    results["list_rows"] = count
    peer = [
        f"/__bench__/admin/projects/project/?province__id__exact={province}&plan__year={year}"
        + (f"&p={page}" if page > 1 else "")
        for page in range(1, len(pages) + 1)
    ]
    # the list, its floor and its peer in turn, run after run
    results.update(
        alternate(
            runs,
            {
                "list": measure.page("list", pages),
                "list_render_floor": render_floor(measure.capture(pages[-1])),
                "peer_admin_list": measure.page("peer_admin_list", peer),
            },
        )
    )
    ids = list(
        Project.objects.filter(province_id=province, plan__year=year).values_list("pk", flat=True)
    )
    details = [f"/projects/{pk}/" for pk in rng.sample(ids, min(len(ids), runs))]
    results.update(
        alternate(
            runs,
            {
                "detail": measure.page("detail", details),
                "detail_render_floor": render_floor(measure.capture(details[-1])),
            },
        )
    )
    words = ["may tre dan", "det tho cam", "che bien che", "gom su", "hop tac xa thanh",
             "co khi nho", "nuoc mam", "cong ty tnhh phat"]  # fmt: skip
    searches = [f"/beneficiaries/?q={word.replace(' ', '+')}" for word in words]
    results["beneficiary_search"] = measure.get("beneficiary_search", searches, runs)
    results["beneficiaries"] = Beneficiary.objects.count()
    results.update(
        alternate(
            runs,
            {
                "dashboard_province": measure.page(
                    "dashboard_province", [f"/dashboard/?year={year}&province={province}"]
                ),
                "dashboard_national": measure.page(
                    "dashboard_national", [f"/dashboard/?year={year}"]
                ),
            },
        )
    )
    results["export_xlsx"] = measure.get("export_xlsx", [f"/projects/?{base}&export=xlsx"], runs)
    results["export_floor"] = export_floor(user, province, year, runs)
    results.update(report_and_floor(user, province, year, max(1, runs // 3)))
    results.update(import_and_floor(user, workdir / import_file, max(1, runs // 3)))
    results["queries"] = measure.queries
    results["bytes"] = measure.bytes
    results["mixed_urls"] = (
        pages[:1] + details[:4] + searches[:2] + [f"/dashboard/?year={year}&province={province}"]
    )
    return results


def import_file(workdir: Path, rows: int) -> Path:
    return workdir / f"import-{rows}.xlsx"


def big_import(user_id: int, workdir: Path, rows: int) -> dict[str, Any]:
    """``rows`` beneficiaries imported (check + commit) into the generated register; the file
    is written beforehand by another process (``import-file``), so the peak memory measured
    here is the import's own."""
    from bench.imports_exports import import_beneficiaries

    return import_beneficiaries(user_id, str(import_file(workdir, rows)))


def child(argv: list[str]) -> int:
    step, database_url, workdir, payload = argv[0], argv[1], Path(argv[2]), json.loads(argv[3])
    django_setup(database_url, workdir)
    if step == "prepare":
        result = prepare(payload["size"], workdir)
    elif step == "measure":
        from django.core.management import call_command

        call_command("migrate", verbosity=0)  # a reused data set catches up (untimed)
        call_command("collectstatic", interactive=False, verbosity=0)
        result = measure(payload["user_id"], workdir, payload["runs"])
    elif step == "import-file":
        from bench.dataset import write_beneficiary_file

        # tax codes apart from the 1,000-row check file's: once imported they would make
        # that check refuse its rows on a reused data set (--reuse-postgresql)
        write_beneficiary_file(
            import_file(workdir, payload["rows"]), payload["rows"], first_code=5_000_000
        )
        result = {"file": str(import_file(workdir, payload["rows"]))}
    else:
        result = big_import(payload["user_id"], workdir, payload["rows"])
    print(json.dumps(result))
    return 0


def run_child(step: str, database_url: str, workdir: Path, payload: dict) -> dict[str, Any]:
    output = subprocess.run(
        [sys.executable, __file__, "--child", step, database_url, str(workdir),
         json.dumps(payload)],
        stdout=subprocess.PIPE,
        text=True,
        env=server_env(database_url, workdir, 0),
    )  # fmt: skip
    if output.returncode:
        raise SystemExit(f"{step} failed on {database_url}")
    return json.loads(output.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------------------------
# Throughput: gunicorn and a local load generator


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def session_cookie(database_url: str, workdir: Path, user_id: int) -> str:
    """A signed-in session for the benchmark user (created through the session store)."""
    code = (
        "import django, sys; django.setup();"
        "from django.contrib.sessions.backends.db import SessionStore;"
        "from khuyencong.accounts.models import User;"
        f"u = User.objects.get(pk={user_id}); s = SessionStore();"
        "s['_auth_user_id'] = str(u.pk);"
        "s['_auth_user_backend'] = 'django.contrib.auth.backends.ModelBackend';"
        "s['_auth_user_hash'] = u.get_session_auth_hash(); s.create(); print(s.session_key)"
    )
    output = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env=server_env(database_url, workdir, 0),
    )
    return output.stdout.strip().splitlines()[-1]


def server_env(database_url: str, workdir: Path, bare_bytes: int) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": f"{ROOT / 'src'}:{ROOT}",
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": database_url,
        "KHUYENCONG_VAR_DIR": str(workdir),
        "STATIC_ROOT": str(workdir / "static"),
        "DEBUG": "0",
        "SECRET_KEY": "bench-" + "k" * 60,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CONN_MAX_AGE": "60",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "AXES_ENABLED": "0",
        "LOG_LEVEL": "WARNING",
        "BENCH_BARE_BYTES": str(bare_bytes),
    }


def hammer(port: int, urls: list[str], cookie: str, clients: int, seconds: float) -> dict:
    """``clients`` threads, each on a kept-alive connection, cycling over ``urls``."""
    stop = time.perf_counter() + seconds
    done: list[int] = []
    failed: list[int] = []
    latencies: list[float] = []
    lock = threading.Lock()

    def worker(offset: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        ok = bad = 0
        mine = []
        index = offset
        while time.perf_counter() < stop:
            url = urls[index % len(urls)]
            index += 1
            begin = time.perf_counter()
            try:
                connection.request("GET", url, headers={"Cookie": f"sessionid={cookie}"})
                response = connection.getresponse()
                response.read()
                if response.status == 200:
                    ok += 1
                else:
                    bad += 1
            except (OSError, http.client.HTTPException):
                bad += 1
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            mine.append(time.perf_counter() - begin)
        with lock:
            done.append(ok)
            failed.append(bad)
            latencies.extend(mine)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return {
        "requests": sum(done),
        "errors": sum(failed),
        "rps": round(sum(done) / elapsed, 1),
        **(summary(latencies) if latencies else {}),
    }


def worker_memory_mb(master: int) -> float:
    """Largest peak resident memory (VmHWM) among the gunicorn master's children."""
    peak = 0.0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
        if fields.get("PPid", "").strip() == str(master) and "VmHWM" in fields:
            peak = max(peak, int(fields["VmHWM"].split()[0]) / 1024)
    return round(peak, 1)


def throughput(
    database_url: str, workdir: Path, user_id: int, urls: list[str], body: int, options: Any
) -> dict[str, Any]:
    env = server_env(database_url, workdir, body)
    cookie = session_cookie(database_url, workdir, user_id)
    port = free_port()
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    server = subprocess.Popen(
        [gunicorn, "-w", str(options.workers), "-b", f"127.0.0.1:{port}", "--log-level",
         "warning", "--timeout", "120", "khuyencong.wsgi"],
        env=env,
    )  # fmt: skip
    try:
        for _ in range(300):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        # warm every worker on every URL (imports, templates, connections)
        hammer(port, [*urls, "/__bench__/bare/"], cookie, options.workers * 2, 3)
        bare = hammer(port, ["/__bench__/bare/"], cookie, options.clients, options.load_seconds)
        mixed = hammer(port, urls, cookie, options.clients, options.load_seconds)
        memory = worker_memory_mb(server.pid)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    return {
        "workers": options.workers,
        "clients": options.clients,
        "seconds": options.load_seconds,
        "body_bytes": body,
        "bare": bare,
        "mixed": mixed,
        "share_of_bare": round(mixed["rps"] / bare["rps"], 3) if bare["rps"] else None,
        "worker_peak_mb": memory,
    }


# --------------------------------------------------------------------------------------------
# Databases and the run


def postgres_admin(sql: str) -> None:
    base = PG_URL.rsplit("/", 1)[0] + "/postgres"
    import psycopg

    with psycopg.connect(base, autocommit=True) as connection:
        connection.execute(sql)


def databases(options: Any, workdir: Path) -> list[tuple[str, str]]:
    found = []
    if "sqlite" in options.backends:
        found.append(("sqlite", f"sqlite:///{workdir / 'bench.sqlite3'}"))
    if "postgresql" in options.backends and options.reuse_postgresql:
        found.append(("postgresql", PG_URL))  # prepared before, in this work directory
    elif "postgresql" in options.backends:
        name = PG_URL.rsplit("/", 1)[1]
        try:
            postgres_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            postgres_admin(f'CREATE DATABASE "{name}"')
            (workdir / "prepared-postgresql.json").unlink(missing_ok=True)
            (workdir / "imported-postgresql.json").unlink(missing_ok=True)
            found.append(("postgresql", PG_URL))
        except Exception as error:
            print(f"   PostgreSQL unavailable ({error}): skipped", file=sys.stderr)
    return found


def ratios(result: dict[str, Any]) -> dict[str, float]:
    p50 = {key: value["p50_ms"] for key, value in result.items() if isinstance(value, dict)
           and "p50_ms" in value}  # fmt: skip
    p95 = {key: value["p95_ms"] for key, value in result.items() if isinstance(value, dict)
           and "p95_ms" in value}  # fmt: skip

    if "list" not in p50:  # the measurement failed
        return {}

    def ratio(a: float, b: float) -> float:
        return round(a / b, 2) if b else float("inf")

    found = {
        "list / render floor (p50)": ratio(p50["list"], p50["list_render_floor"]),
        "detail / render floor (p50)": ratio(p50["detail"], p50["detail_render_floor"]),
        "admin changelist / list (p50)": ratio(p50["peer_admin_list"], p50["list"]),
        "report / document floor (p50)": ratio(p50["report"], p50["document_floor"]),
        "export / export floor (p50)": ratio(p50["export_xlsx"], p50["export_floor"]),
        "import check / read floor (p50)": ratio(p50["import_check_1000"], p50["import_floor"]),
        "search p95 / list p95": ratio(p95["beneficiary_search"], p95["list"]),
        "national / province dashboard (p95)": ratio(
            p95["dashboard_national"], p95["dashboard_province"]
        ),
    }
    if "throughput" in result:
        found["mixed req/s / bare req/s"] = result["throughput"]["share_of_bare"]
    return found


VERDICTS = {
    "list / render floor (p50)": lambda v: v <= GOALS["render_floor"],
    "detail / render floor (p50)": lambda v: v <= GOALS["render_floor"],
    "admin changelist / list (p50)": lambda v: v >= GOALS["peer"],
    "report / document floor (p50)": lambda v: v <= GOALS["document_floor"],
    "search p95 / list p95": lambda v: v <= GOALS["search_vs_list"],
    "national / province dashboard (p95)": lambda v: v <= GOALS["national_vs_province"],
    "mixed req/s / bare req/s": lambda v: v is not None and v >= GOALS["bare_share"],
}
GOAL_TEXT = {
    "list / render floor (p50)": "≤ 2",
    "detail / render floor (p50)": "≤ 2",
    "admin changelist / list (p50)": "≥ 1.5",
    "report / document floor (p50)": "≤ 3",
    "search p95 / list p95": "≤ 2",
    "national / province dashboard (p95)": "≤ 5",
    "mixed req/s / bare req/s": "≥ 0.08",
}
TIMED = [
    ("list", "Project list (province + year, 25 a page)"),
    ("list_render_floor", "— its render floor"),
    ("peer_admin_list", "— peer: Django admin changelist"),
    ("detail", "Project detail"),
    ("detail_render_floor", "— its render floor"),
    ("beneficiary_search", "Beneficiary search, no diacritics"),
    ("dashboard_province", "Dashboard, province-year"),
    ("dashboard_national", "Dashboard, national year"),
    ("report", "Report province-year DOCX+PDF+XLSX"),
    ("document_floor", "— document floor"),
    ("export_xlsx", "Excel export (province-year list)"),
    ("export_floor", "— export floor (openpyxl)"),
    ("import_check_1000", "Excel import check, 1,000 rows"),
    ("import_floor", "— import floor (reading the file)"),
]


def markdown(report: dict[str, Any]) -> str:
    runs = report["runs"]
    names = list(runs)
    lines = [
        f"Size **{report['size']}** — {report['machine']} — {report['date']} — "
        f"`{report['command']}`",
        "",
    ]
    for name in names:
        counts = runs[name]["prepare"]["counts"]
        lines.append(
            f"- {name}: {counts['beneficiaries']:,} beneficiaries, {counts['projects']:,} "
            f"projects, {counts['plans']:,} plans, {counts['events']:,} events, "
            f"{counts['progress_updates']:,} progress updates; generated in "
            f"{counts['seconds'] if counts['seconds'] is not None else '—'} s (with migrations "
            "and units: "
            f"{runs[name]['prepare']['prepare_s']} s)"
        )
    lines += ["", "| Measure (ms) | " + " | ".join(f"{n} p50 | {n} p95" for n in names)
              + " | queries |", "|---|" + "---|---|" * len(names) + "---|"]  # fmt: skip
    for key, label in TIMED:
        cells = []
        for name in names:
            value = runs[name]["measure"].get(key, {})
            cells += [f"{value.get('p50_ms', '—')}", f"{value.get('p95_ms', '—')}"]
        queries = runs[names[0]]["measure"]["queries"].get(key, "")
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {queries} |")
    lines += ["", "| Ratio (same run) | goal | " + " | ".join(names) + " |",
              "|---|---|" + "---|" * len(names)]  # fmt: skip
    keys = list(runs[names[0]]["ratios"])
    for key in keys:
        cells = []
        for name in names:
            value = runs[name]["ratios"].get(key)
            check = VERDICTS.get(key)
            mark = "" if check is None or value is None else (" ✓" if check(value) else " ✗")
            cells.append(f"{value}{mark}")
        lines.append(f"| {key} | {GOAL_TEXT.get(key, '—')} | " + " | ".join(cells) + " |")
    lines += ["", "| Throughput | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    for key, label in (
        ("bare", "bare view req/s"),
        ("mixed", "mixed read load req/s"),
        ("mixed_p95", "mixed load p95 latency (ms)"),
        ("errors", "errors (mixed + bare)"),
        ("worker_peak_mb", "peak memory of a server worker (MB)"),
    ):
        cells = []
        for name in names:
            t = runs[name].get("throughput")
            if not t:
                cells.append("—")
            elif key in ("bare", "mixed"):
                cells.append(str(t[key]["rps"]))
            elif key == "mixed_p95":
                cells.append(str(t["mixed"].get("p95_ms", "—")))
            elif key == "errors":
                cells.append(str(t["mixed"]["errors"] + t["bare"]["errors"]))
            else:
                cells.append(str(t[key]))
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    if any("import" in runs[name] for name in names):
        lines += ["", "| Import into the generated register | " + " | ".join(names) + " |",
                  "|---|" + "---|" * len(names)]  # fmt: skip
        for key, label in (("rows", "rows"), ("seconds", "import task (s), goal ≤ 30"),
                           ("preview_s", "preview task (s)"),
                           ("peak_mb", "peak memory (MB), goal ≤ 500")):  # fmt: skip
            cells = [str(runs[name].get("import", {}).get(key, "—")) for name in names]
            lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def write_docs(text: str) -> None:
    path = ROOT / "docs" / "performance.md"
    content = path.read_text()
    start, end = "<!-- scale-results:start -->", "<!-- scale-results:end -->"
    if start in content:
        before, rest = content.split(start, 1)
        after = rest.split(end, 1)[1]
        content = f"{before}{start}\n{text}{end}{after}"
    else:
        content += f"\n{start}\n{text}{end}\n"
    path.write_text(content)


def machine() -> str:
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GB"
    except (OSError, ValueError, IndexError):
        pass
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()[0]
    return (
        f"{cpu}, {os.cpu_count()} cores{memory}, Python {platform.python_version()}, "
        f"load average {load:.1f} at the start"
    )


def measure_one(name: str, url: str, workdir: Path, options: Any, entry: dict) -> None:
    """Prepare (or reuse) one database, then every measurement, filling ``entry``."""
    started = time.perf_counter()
    prepared = workdir / f"prepared-{name}.json"
    if prepared.exists():  # --workdir of an earlier run: its data set is reused
        entry["prepare"] = json.loads(prepared.read_text())
    else:
        entry["prepare"] = run_child("prepare", url, workdir, {"size": options.size})
        prepared.write_text(json.dumps(entry["prepare"]))
    print(f"   prepared in {time.perf_counter() - started:.0f} s", flush=True)
    user_id = entry["prepare"]["user_id"]
    entry["measure"] = run_child(
        "measure", url, workdir, {"user_id": user_id, "runs": options.runs}
    )
    if options.load_seconds > 0:
        body = int(
            statistics.mean(
                entry["measure"]["bytes"][k]
                for k in ("list", "detail", "beneficiary_search", "dashboard_province")
            )
        )
        entry["throughput"] = throughput(
            url, workdir, user_id, entry["measure"]["mixed_urls"], body, options
        )  # fmt: skip
    imported = workdir / f"imported-{name}.json"
    if options.import_rows and imported.exists():  # its rows are in the register already
        print(f"   import: measured before on this data set ({imported.name})", flush=True)
        entry["import"] = json.loads(imported.read_text())
    elif options.import_rows:
        run_child("import-file", url, workdir, {"rows": options.import_rows})
        entry["import"] = run_child(
            "import", url, workdir, {"user_id": user_id, "rows": options.import_rows}
        )
        imported.write_text(json.dumps(entry["import"]))


def run(options: Any) -> dict[str, Any]:
    workdir = Path(options.workdir or tempfile.mkdtemp(prefix="kc-bench-scale-"))
    workdir.mkdir(parents=True, exist_ok=True)
    report: dict[str, Any] = {
        "size": options.size,
        "machine": machine(),
        "date": datetime.date.today().isoformat(),
        "command": "PYTHONPATH=src python bench/run.py --only scale " + " ".join(options.argv),
        "runs": {},
    }
    try:
        for name, url in databases(options, workdir):
            print(f"== scale: {name}, size {options.size}", flush=True)
            entry: dict[str, Any] = {}
            report["runs"][name] = entry
            try:
                measure_one(name, url, workdir, options, entry)
            except SystemExit as failure:  # one failed step: keep what was measured
                entry["error"] = str(failure)
                print(f"   {failure}", flush=True)
            entry["ratios"] = ratios({**entry.get("measure", {}), **entry})
            print(json.dumps(entry["ratios"], ensure_ascii=False), flush=True)
            (ROOT / "var").mkdir(exist_ok=True)
            (ROOT / "var" / "bench-scale.json").write_text(json.dumps(report, indent=2))
    finally:
        if "postgresql" in options.backends and not options.reuse_postgresql:
            with contextlib.suppress(Exception):  # nothing to drop
                postgres_admin(f'DROP DATABASE IF EXISTS "{PG_URL.rsplit("/", 1)[1]}" WITH (FORCE)')
        if not options.keep and not options.workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    return report


def parse(argv: list[str]) -> Any:
    parser = argparse.ArgumentParser(prog="bench scale")
    parser.add_argument("--size", default="national", help="national, large, medium, small…")
    parser.add_argument("--runs", type=int, default=20, help="timed requests per page")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--load-seconds", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--clients", type=int, default=6)
    parser.add_argument("--import-rows", type=int, default=None)
    parser.add_argument("--write-docs", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    parser.add_argument(
        "--workdir", help="work directory; a SQLite data set prepared there is reused"
    )
    parser.add_argument(
        "--reuse-postgresql",
        action="store_true",
        help="measure the database at BENCH_PG_URL as it is, prepared earlier with this "
        "--workdir (its prepared-postgresql.json); it is neither recreated nor dropped",
    )
    options, _rest = parser.parse_known_args(argv)
    options.backends = options.backends.split(",")
    if options.import_rows is None:
        options.import_rows = 100_000 if options.size == "national" else 0
    options.argv = argv
    return options


def main(argv: list[str]) -> int:
    options = parse(argv)
    report = run(options)
    (ROOT / "var").mkdir(exist_ok=True)
    (ROOT / "var" / "bench-scale.json").write_text(json.dumps(report, indent=2))
    report["runs"] = {name: entry for name, entry in report["runs"].items() if "measure" in entry}
    text = markdown(report)
    print(text)
    if options.write_docs:
        write_docs(text)
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        sys.exit(child(sys.argv[2:]))
    sys.exit(main(sys.argv[1:]))
