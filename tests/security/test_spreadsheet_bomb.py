"""Issue 18, item 1: a 4.9 KB spreadsheet killed the server.

An .xlsx with one cell at A1 and one at XFD1048576 made calamine build a 16384 × 1048576 grid
(the process aborted; the job stayed "checking" for ever); XFD2000 cost 1.5 GB. Variants: the
sheet's ``<dimension>`` lying small, no dimension, rows and cells without references (their
places implied by their order), references quoted otherwise, the sheet in UTF-16, an .ods with
repeated rows and cells.

The reproductions run in a child Python whose address space is capped at 1 GB, so a regression
kills only that child: ``test_every_bomb_is_refused_by_every_reader``. The pages then refuse
each one with a Vietnamese message and leave no job busy; a read or a run over its memory or
time limit ends failed with a message; a job whose worker died is recovered as failed.
"""

from __future__ import annotations

import datetime
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

import khuyencong
from khuyencong.accounts.models import Role
from khuyencong.events.models import Participant
from khuyencong.spreadsheets.models import BUSY, ImportJob, ImportKind, JobStatus
from khuyencong.spreadsheets.template import COLUMNS
from tests.events.factories import event
from tests.imports.conftest import make_xlsx
from tests.projects import factories as pf

LOGIN = "django.contrib.auth.backends.ModelBackend"
TOO_LARGE = "quá lớn"

# --------------------------------------------------------------------------- the files

_CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    b'package/2006/content-types"><Default Extension="rels" ContentType="application/'
    b'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
    b'"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
    b'"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    b'spreadsheetml.worksheet+xml"/></Types>'
)
_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.'
    b'org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    b'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    b'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    b'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
    b'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships"><sheets><sheet name="D" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.'
    b'org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    b'openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    b'Target="worksheets/sheet1.xml"/></Relationships>'
)


def _cell(reference: str, text: str) -> str:
    at = f' r="{reference}"' if reference else ""
    return f'<c{at} t="inlineStr"><is><t>{text}</t></is></c>'


def _letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _xlsx(sheet_xml: str, *, encoding: str = "utf-8") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet_xml.encode(encoding))
    return buffer.getvalue()


def far_cell(headers: list[str], far: str, dimension: str | None, quote: str = '"') -> bytes:
    """The headings on row 1 and one cell at ``far``; ``dimension``: what the sheet declares
    (``None``: nothing)."""
    row = "".join(ch for ch in far if ch.isdigit())
    heads = "".join(_cell(f"{_letters(i + 1)}1", h) for i, h in enumerate(headers))
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    far_row = f'<row r={quote}{row}{quote}><c r={quote}{far}{quote} t="inlineStr">'
    return _xlsx(
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.'
        f'org/spreadsheetml/2006/main">{declared}<sheetData><row r="1">{heads}</row>'
        f"{far_row}<is><t>xa</t></is></c></row></sheetData></worksheet>"
    )


def unreferenced(headers: list[str], rows: int = 1_048_576, columns: int = 16_384) -> bytes:
    """No row or cell names its place: the last cell is at (rows, columns) by counting."""
    heads = "".join(_cell("", h) for h in headers)
    last = "<c/>" * (columns - 1) + _cell("", "xa")
    return _xlsx(
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.'
        f'org/spreadsheetml/2006/main"><sheetData><row>{heads}</row>{"<row/>" * (rows - 2)}'
        f"<row>{last}</row></sheetData></worksheet>"
    )


def utf16(headers: list[str]) -> bytes:
    heads = "".join(_cell(f"{_letters(i + 1)}1", h) for i, h in enumerate(headers))
    return _xlsx(
        '<?xml version="1.0" encoding="UTF-16"?><worksheet xmlns="http://schemas.openxmlformats.'
        f'org/spreadsheetml/2006/main"><sheetData><row r="1">{heads}</row><row r="1048576">'
        f"{_cell('XFD1048576', 'xa')}</row></sheetData></worksheet>",
        encoding="utf-16",
    )


def openpyxl_far(headers: list[str]) -> bytes:
    """The review's file, as a spreadsheet program writes it (openpyxl): 4.9 KB."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    sheet["XFD1048576"] = "xa"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


_ODS_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:'
    'tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry '
    'manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.'
    'spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" '
    'manifest:media-type="text/xml"/></manifest:manifest>'
)


def ods(headers: list[str], rows: int = 2000, columns: int = 16_384) -> bytes:
    """Rows and cells repeated (``number-…-repeated``) up to one value at (rows, columns)."""

    def cell(text: str) -> str:
        return (
            '<table:table-cell office:value-type="string"><text:p>'
            f"{text}</text:p></table:table-cell>"
        )

    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:'
        'names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:'
        'xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'office:version="1.2"><office:body><office:spreadsheet><table:table table:name="D">'
        f"<table:table-row>{''.join(cell(h) for h in headers)}</table:table-row>"
        f'<table:table-row table:number-rows-repeated="{rows - 2}"><table:table-cell '
        f'table:number-columns-repeated="{columns}"/></table:table-row><table:table-row>'
        f'<table:table-cell table:number-columns-repeated="{columns - 1}"/>{cell("xa")}'
        "</table:table-row></table:table></office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", _ODS_MANIFEST)
        archive.writestr("content.xml", content)
    return buffer.getvalue()


BOMBS = {
    "openpyxl A1 + XFD1048576": lambda h: openpyxl_far(h),
    "XFD1048576": lambda h: far_cell(h, "XFD1048576", "A1:XFD1048576"),
    "XFD2000": lambda h: far_cell(h, "XFD2000", "A1:XFD2000"),
    "lying dimension": lambda h: far_cell(h, "XFD1048576", "A1:C2"),
    "lying dimension XFD2000": lambda h: far_cell(h, "XFD2000", "A1:C2"),
    "no dimension": lambda h: far_cell(h, "XFD1048576", None),
    "references in single quotes": lambda h: far_cell(h, "XFD1048576", None, quote="'"),
    "no references": lambda h: unreferenced(h),
    "no references, wide": lambda h: unreferenced(h, rows=3),
    "no references, long": lambda h: unreferenced(h, columns=3),
    "UTF-16 sheet": utf16,
}
ODS_BOMBS = {"ods repeated": lambda h: ods(h), "ods repeated, long": lambda h: ods(h, 1_048_000)}


def headings(kind: str) -> list[str]:
    return [column.header for column in COLUMNS[kind]]


# ---------------------------------------------------------------- in a capped child process

# Every reader of the project (each import kind's columns, the events' participants) on every
# bomb, in a Python whose address space is capped at 1 GB: before the limits, calamine built
# the grid and the process aborted (or, for XFD2000, read 16384-column rows).
CAPPED = """
import json, resource, sys
limit = 1024 ** 3
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
import django
django.setup()
from django.utils import translation
from khuyencong.events import imports
from khuyencong.documents.xlsx_reader import SheetError, read_sheet
from khuyencong.spreadsheets.template import COLUMNS
translation.activate("vi")
outcome = {}
for path in sys.argv[1:]:
    name = path.rsplit("/", 1)[-1]
    kind = name.split("--")[0]
    try:
        if kind == "participants":
            imports.read_rows(open(path, "rb").read())
        else:
            read_sheet(path, COLUMNS[kind], max_rows=200_000)
    except (SheetError, imports.ImportFileError) as error:
        outcome[name] = "refused: " + str(error)
    else:
        outcome[name] = "read"
    print(name, outcome[name][:60], file=sys.stderr, flush=True)
print(json.dumps(outcome))
"""

PARTICIPANT_HEADINGS = ["Họ và tên", "Loại", "Đơn vị", "Huyện"]


def test_every_bomb_is_refused_by_every_reader(tmp_path):
    paths = []
    for kind in [*ImportKind.values, "participants"]:
        heads = PARTICIPANT_HEADINGS if kind == "participants" else headings(kind)
        bombs = dict(BOMBS) if kind == "participants" else {**BOMBS, **ODS_BOMBS}
        for label, build in bombs.items():
            suffix = ".ods" if label.startswith("ods") else ".xlsx"
            path = tmp_path / f"{kind}--{label.replace(' ', '_')}{suffix}"
            path.write_bytes(build(heads))
            paths.append(str(path))
    assert len(Path(paths[0]).read_bytes()) < 6000  # the review's file: 4.9 KB
    done = subprocess.run(
        [sys.executable, "-c", CAPPED, *paths],
        capture_output=True,
        text=True,
        timeout=900,
        env={
            "PYTHONPATH": str(Path(khuyencong.__file__).parent.parent),
            "DJANGO_SETTINGS_MODULE": "khuyencong.settings",
            "PATH": "/usr/bin:/bin",
        },
    )
    assert done.returncode == 0, done.stderr[-3000:]
    outcome = json.loads(done.stdout.strip().splitlines()[-1])
    assert set(outcome) == {Path(path).name for path in paths}
    for name, result in outcome.items():
        assert result.startswith("refused: "), (name, result)
        # a Vietnamese message that says why: too large, or needing too much to read
        assert TOO_LARGE in result or "bộ nhớ" in result, (name, result)


# ----------------------------------------------------------------------------- the pages

BOMB_FILES = {
    "XFD1048576": lambda h: far_cell(h, "XFD1048576", "A1:XFD1048576"),
    "lying dimension XFD2000": lambda h: far_cell(h, "XFD2000", "A1:C2"),
    "no dimension": lambda h: far_cell(h, "XFD1048576", None),
    "no references": lambda h: unreferenced(h, rows=3),
}


@pytest.mark.django_db
@pytest.mark.parametrize("label", list(BOMB_FILES))
@pytest.mark.parametrize("kind", ImportKind.values)
def test_imports_refuse_the_bombs_and_leave_no_job_running(kind, label, client):
    client.force_login(pf.user(Role.SYSTEM_ADMIN), backend=LOGIN)
    data = BOMB_FILES[label](headings(kind))
    client.post("/imports/", {"kind": kind, "file": SimpleUploadedFile("xa.xlsx", data)})
    job = ImportJob.objects.get()
    assert job.status == JobStatus.INVALID
    assert TOO_LARGE in job.message and "cột 16384" in job.message
    assert not ImportJob.objects.filter(status__in=BUSY).exists()
    assert TOO_LARGE in client.get(f"/imports/{job.pk}/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("label", list(BOMB_FILES))
def test_the_participant_import_refuses_the_bombs(label, client):
    from tests.accounts.factories import UserFactory

    client.force_login(UserFactory(), backend=LOGIN)
    made = event()
    url = reverse("events:participant_import", args=[made.pk])
    data = BOMB_FILES[label](PARTICIPANT_HEADINGS)
    response = client.post(url, {"file": SimpleUploadedFile("ds.xlsx", data)})
    assert response.status_code == 200
    assert TOO_LARGE in response.content.decode()
    assert not Participant.objects.exists()


# ------------------------------------------------------------------ limits of a run, recovery


def _beneficiary_file() -> bytes:
    return make_xlsx(["Tên cơ sở", "Loại hình", "Địa chỉ"], [["A", "HTX", "x"]] * 3000)


@pytest.mark.django_db
def test_a_read_over_its_memory_limit_ends_failed_with_a_message(client, settings):
    """A sparse sheet within the limits (a cell at AW200000: a grid of 9.8 million cells, some
    300 MB to build) read with 1 MB to spare: the child dies, the job says why. (The grid is
    one block, mapped afresh: the parent's free memory inherited by the child cannot hold it.)"""
    settings.SHEET_READ_MEMORY_MB = 1
    client.force_login(pf.user(Role.SYSTEM_ADMIN), backend=LOGIN)
    data = far_cell(["Tên cơ sở", "Loại hình", "Địa chỉ"], "AW200000", "A1:AW200000")
    upload = SimpleUploadedFile("ds.xlsx", data)
    client.post("/imports/", {"kind": "beneficiaries", "file": upload})
    job = ImportJob.objects.get()
    assert job.status == JobStatus.FAILED, job.message
    assert "bộ nhớ" in job.message and "1 MB" in job.message


@pytest.mark.django_db
def test_a_read_over_its_time_limit_ends_failed_with_a_message(client, settings):
    settings.SHEET_READ_SECONDS = 0
    client.force_login(pf.user(Role.SYSTEM_ADMIN), backend=LOGIN)
    upload = SimpleUploadedFile("ds.xlsx", _beneficiary_file())
    client.post("/imports/", {"kind": "beneficiaries", "file": upload})
    job = ImportJob.objects.get()
    assert job.status == JobStatus.FAILED
    assert "lâu hơn" in job.message


@pytest.mark.django_db
def test_a_run_over_its_time_limit_ends_failed_with_a_message(client, settings):
    settings.IMPORT_TIME_LIMIT = 0
    client.force_login(pf.user(Role.SYSTEM_ADMIN), backend=LOGIN)
    upload = SimpleUploadedFile("ds.xlsx", _beneficiary_file())
    client.post("/imports/", {"kind": "beneficiaries", "file": upload})
    job = ImportJob.objects.get()
    assert job.status == JobStatus.FAILED
    assert "quá 0 phút nên đã bị dừng" in job.message
    assert job.finished_at is not None


@pytest.mark.django_db
@pytest.mark.parametrize("status", [JobStatus.CHECKING, JobStatus.COMMITTING])
def test_a_job_whose_worker_died_is_recovered_as_failed(status, client, settings):
    """A killed worker leaves its job busy: with no sign of life for IMPORT_STALE_AFTER, the
    import pages (or manage.py recover_imports) mark it failed; a live job is left alone."""
    user = pf.user(Role.SYSTEM_ADMIN)
    client.force_login(user, backend=LOGIN)
    long_ago = timezone.now() - datetime.timedelta(seconds=settings.IMPORT_STALE_AFTER + 60)
    dead = ImportJob.objects.create(
        user=user,
        kind="beneficiaries",
        file=SimpleUploadedFile("a.xlsx", b"x"),
        original_name="a.xlsx",
        status=status,
        started_at=long_ago,
        heartbeat_at=long_ago,
    )
    alive = ImportJob.objects.create(
        user=user,
        kind="beneficiaries",
        file=SimpleUploadedFile("b.xlsx", b"x"),
        original_name="b.xlsx",
        status=status,
        started_at=long_ago,
        heartbeat_at=timezone.now(),
    )
    html = client.get(f"/imports/{dead.pk}/").content.decode()
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert dead.status == JobStatus.FAILED and "không hoàn tất" in dead.message
    assert "không hoàn tất" in html
    assert alive.status == status
    ImportJob.objects.filter(pk=alive.pk).update(heartbeat_at=long_ago)
    out = io.StringIO()
    call_command("recover_imports", stdout=out)
    alive.refresh_from_db()
    assert alive.status == JobStatus.FAILED and "1" in out.getvalue()
