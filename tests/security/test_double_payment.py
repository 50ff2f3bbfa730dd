"""Issue 18, item 5: the same payment recorded twice.

The review's attack: two browser tabs open the progress form of one project at the same
version, both post an advance of 5,000,000 đồng, and both land (disbursed 2 M → 12 M); over the
API a client could replay a progress update with a version that was still current. Every write
on a project's records now raises its version, so the second post is refused (nothing
written); API clients may also send an ``Idempotency-Key`` so that a retried request returns
the first answer instead of paying again.
"""

from __future__ import annotations

import datetime
import io
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db.models import Sum
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from khuyencong.accounts.models import Role
from khuyencong.core.models import VersionConflict
from khuyencong.documents.xlsx_reader import read_sheet
from khuyencong.projects import services
from khuyencong.projects.models import ProgressUpdate, Project, Status
from khuyencong.projects.services import SYSTEM
from khuyencong.spreadsheets import views
from khuyencong.spreadsheets.models import ImportJob, JobStatus
from khuyencong.spreadsheets.pipeline import run
from khuyencong.spreadsheets.pipeline_projects import ProgressImporter
from tests.api.conftest import ApiClient, token_for
from tests.imports.conftest import make_xlsx
from tests.projects.factories import make_plan, make_project, user, walk

pytestmark = pytest.mark.django_db
BACKEND = "django.contrib.auth.backends.ModelBackend"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def started():
    """A local-fund project of 100 M under way, 2 M already advanced (2019: cap 70 %)."""
    plan = make_plan(ceiling=1_000_000_000, year=2019)
    project = make_project(plan, budget=100_000_000)
    day = walk(project, Status.CONTRACTED) + datetime.timedelta(days=1)
    services.record_progress(
        project=project, actor=SYSTEM, date=day, progress_percent=10, disbursed_amount=2_000_000
    )
    return project, day + datetime.timedelta(days=1)


def disbursed(project: Project) -> int:
    return ProgressUpdate.objects.filter(project=project).aggregate(s=Sum("disbursed_amount"))["s"]


def progress_form(project: Project, version: int, day: datetime.date) -> dict:
    return {
        "date": day.isoformat(),
        "progress_percent": 20,
        "disbursed_amount": "5.000.000",
        "disbursement_kind": "advance",
        "note": "",
        "expected_version": version,
    }


def test_two_tabs_posting_the_same_advance_record_it_once(client, started):
    project, day = started
    client.force_login(user(Role.CENTRE_STAFF), backend=BACKEND)
    url = reverse("projects:progress", args=[project.pk])
    # both tabs open the form: each carries the version it was opened at
    seen = [client.get(url).context["form"]["expected_version"].value() for _tab in range(2)]
    assert seen[0] == seen[1] == project.version

    first = client.post(url, progress_form(project, seen[0], day))
    assert first.status_code == 302
    second = client.post(url, progress_form(project, seen[1], day))

    assert second.status_code == 200
    assert disbursed(project) == 7_000_000, "the second tab paid the same advance again"
    page = second.content.decode()
    assert "Người khác đã thay đổi đề án này" in page  # Vietnamese: nothing was saved
    assert "khoản chi này có thể đã được ghi nhận" in page
    # the form now carries the version the user has seen, their input kept
    project.refresh_from_db()
    assert second.context["form"].data["expected_version"] == str(project.version)
    assert second.context["form"].data["disbursed_amount"] == "5.000.000"


def test_the_api_refuses_a_replayed_progress_update(started):
    project, day = started
    api = ApiClient(token_for(user(Role.CENTRE_STAFF)))
    body = {
        "version": project.version,
        "date": day.isoformat(),
        "progress_percent": 20,
        "disbursed_amount": 5_000_000,
    }
    first = api.post(f"/projects/{project.pk}/progress", body)
    assert first.status_code == 201
    assert first.json()["project"]["version"] > project.version

    again = api.post(f"/projects/{project.pk}/progress", body)
    assert again.status_code == 409
    assert again.json()["current_version"] == first.json()["project"]["version"]
    assert disbursed(project) == 7_000_000


def test_every_write_on_a_project_raises_its_version(started):
    project, day = started
    staff = user(Role.CENTRE_STAFF)
    seen = project.version

    def refused_at(version, write):
        with pytest.raises(VersionConflict):
            write(version)

    def progress(version):
        return services.record_progress(
            project=project, actor=staff, date=day, progress_percent=20, expected_version=version
        )

    def document(version):
        return services.add_document(
            project=project,
            actor=staff,
            doc_type="other",
            title="Biên bản",
            file=SimpleUploadedFile("bb.pdf", PDF, content_type="application/pdf"),
            expected_version=version,
        )

    def inspection(version):
        return services.create_inspection(
            project=project, actor=staff, planned_date=day, expected_version=version
        )

    for write in (progress, document, inspection):
        write(seen)
        project.refresh_from_db()
        assert project.version == seen + 1, write.__name__
        refused_at(seen, write)  # the same write from a form opened before: refused
        seen = project.version

    visit = project.inspections.get()
    services.update_inspection(
        inspection=visit, actor=staff, expected_version=visit.version, team="Đoàn kiểm tra"
    )
    project.refresh_from_db()
    assert project.version == seen + 1, "editing an inspection is a write on its project"


# --------------------------------------------------------------------------- Idempotency-Key


def progress_body(project: Project, day: datetime.date, amount: int = 5_000_000) -> dict:
    return {
        "version": project.version,
        "date": day.isoformat(),
        "progress_percent": 20,
        "disbursed_amount": amount,
    }


def keyed(api: ApiClient, key: str) -> ApiClient:
    api.headers = {**api.headers, "Idempotency-Key": key}
    return api


def test_a_retry_with_the_same_key_returns_the_first_answer_and_pays_once(started):
    project, day = started
    api = keyed(ApiClient(token_for(user(Role.CENTRE_STAFF))), "9b1f0c1e-retry")
    body = progress_body(project, day)
    first = api.post(f"/projects/{project.pk}/progress", body)
    assert first.status_code == 201
    again = api.post(f"/projects/{project.pk}/progress", body)
    assert again.status_code == 201
    assert again.json() == first.json()
    assert disbursed(project) == 7_000_000
    assert ProgressUpdate.objects.filter(project=project).count() == 2  # the 2 M and this one


def test_the_same_key_with_another_request_is_refused_in_vietnamese(started):
    project, day = started
    api = keyed(ApiClient(token_for(user(Role.CENTRE_STAFF))), "key-1")
    assert (
        api.post(f"/projects/{project.pk}/progress", progress_body(project, day)).status_code == 201
    )
    project.refresh_from_db()
    other = api.post(f"/projects/{project.pk}/progress", progress_body(project, day, 1_000_000))
    assert other.status_code == 422
    item = other.json()["detail"][0]
    assert (item["loc"], item["type"]) == (["header", "Idempotency-Key"], "idempotency_key_reused")
    assert "đã được dùng cho một yêu cầu khác" in item["msg"]
    assert disbursed(project) == 7_000_000


def test_a_refused_request_leaves_its_key_free(started):
    project, day = started
    api = keyed(ApiClient(token_for(user(Role.CENTRE_STAFF))), "key-2")
    stale = {**progress_body(project, day), "version": project.version + 5}
    assert api.post(f"/projects/{project.pk}/progress", stale).status_code == 409
    fixed = api.post(f"/projects/{project.pk}/progress", progress_body(project, day))
    assert fixed.status_code == 201
    assert disbursed(project) == 7_000_000


def test_keys_belong_to_their_user_and_token(started):
    project, day = started
    staff = user(Role.CENTRE_STAFF)
    body = progress_body(project, day)
    first = keyed(ApiClient(token_for(staff)), "shared").post(
        f"/projects/{project.pk}/progress", body
    )
    assert first.status_code == 201
    # the same key from another token (or another user) is not a retry of that request:
    # it is processed, and the stale version refuses it
    for caller in (staff, user(Role.CENTRE_STAFF)):
        api = keyed(ApiClient(token_for(caller)), "shared")
        assert api.post(f"/projects/{project.pk}/progress", body).status_code == 409
    assert disbursed(project) == 7_000_000


def test_a_malformed_key_is_refused(started):
    project, day = started
    api = keyed(ApiClient(token_for(user(Role.CENTRE_STAFF))), "x" * 300)
    response = api.post(f"/projects/{project.pk}/progress", progress_body(project, day))
    assert response.status_code == 400
    assert response.json()["detail"][0]["loc"] == ["header", "Idempotency-Key"]
    assert disbursed(project) == 2_000_000


def test_events_carrying_money_honour_the_key(started):
    project, day = started
    services.record_progress(project=project, actor=SYSTEM, date=day, progress_percent=100)
    project.refresh_from_db()
    api = keyed(ApiClient(token_for(user(Role.DEPARTMENT_LEADER))), "accept-1")
    body = {
        "version": project.version,
        "kind": "accept",
        "effective_date": (day + datetime.timedelta(days=1)).isoformat(),
        "document_number": "19/BB-NT",
        "amount": 90_000_000,
    }
    first = api.post(f"/projects/{project.pk}/events", body)
    assert first.status_code == 201, first.json()
    again = api.post(f"/projects/{project.pk}/events", body)
    assert (again.status_code, again.json()) == (201, first.json())
    assert project.events.filter(kind="accept").count() == 1


def test_old_keys_are_pruned(started):
    from khuyencong.api.models import IdempotencyKey  # here: the module runs on older code too

    project, day = started
    api = keyed(ApiClient(token_for(user(Role.CENTRE_STAFF))), "old")
    assert (
        api.post(f"/projects/{project.pk}/progress", progress_body(project, day)).status_code == 201
    )
    IdempotencyKey.objects.update(created_at=timezone.now() - IdempotencyKey.KEEP * 2)
    call_command("prune_idempotency_keys", stdout=io.StringIO())
    assert not IdempotencyKey.objects.exists()


# --------------------------------------------------------------------------- imports

PROGRESS_HEADERS = [
    "Mã đề án",
    "Ngày",
    "Khối lượng (%)",
    "Số tiền giải ngân (đồng)",
    "Loại giải ngân",
]


def progress_sheet(rows):
    return read_sheet(io.BytesIO(make_xlsx(PROGRESS_HEADERS, rows)), ProgressImporter.columns)


def test_a_progress_import_goes_through_the_same_version_rule(client, started):
    project, day = started
    staff = user(Role.CENTRE_STAFF)
    client.force_login(staff, backend=BACKEND)
    url = reverse("projects:progress", args=[project.pk])
    opened = client.get(url).context["form"]["expected_version"].value()
    when = day.strftime("%d/%m/%Y")
    report = run(
        ProgressImporter(staff),
        progress_sheet([[project.code, when, 20, 5_000_000, "Tạm ứng"]]),
        commit=True,
    )
    assert (report.errors, report.created) == ([], 1)
    project.refresh_from_db()
    assert project.version == opened + 1
    # the same advance typed in a form opened before the import: refused
    assert client.post(url, progress_form(project, opened, day)).status_code == 200
    assert disbursed(project) == 7_000_000


def test_the_same_progress_file_imported_twice_asks_before_paying_again(started):
    project, day = started
    staff = user(Role.CENTRE_STAFF)
    rows = [[project.code, day.strftime("%d/%m/%Y"), 20, 5_000_000, "Tạm ứng"]]
    assert run(ProgressImporter(staff), progress_sheet(rows), commit=True).created == 1
    again = run(ProgressImporter(staff), progress_sheet(rows), commit=True)
    assert again.created == 0 and not again.errors
    assert "Có thể trùng lặp" in again.warnings[0]["message"]
    assert disbursed(project) == 7_000_000
    # a second identical row in one file is flagged too
    twice = run(ProgressImporter(staff), progress_sheet(rows * 2))
    assert [w["row"] for w in twice.warnings] == [2, 3]


def test_two_commits_of_one_import_job_write_it_once(client, started, settings, tmp_path):
    """Two tabs (or a double click) post "commit" on a checked job: each read it ready."""
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    project, day = started
    staff = user(Role.CENTRE_STAFF)
    client.force_login(staff, backend=BACKEND)
    data = make_xlsx(PROGRESS_HEADERS, [[project.code, day.strftime("%d/%m/%Y"), 20, 5_000_000]])
    client.post("/imports/", {"kind": "progress", "file": SimpleUploadedFile("td.xlsx", data)})
    job = ImportJob.objects.get()
    assert job.status == JobStatus.READY

    load = views._job

    def read_before_the_other_tab_committed(request, pk):
        """This tab read the job ready; then the other tab's commit landed."""
        job = load(request, pk)
        client_b = Client()
        client_b.force_login(staff, backend=BACKEND)
        with mock.patch.object(views, "_job", load):
            client_b.post(f"/imports/{pk}/choose/", {"commit": "1"})
        return job

    with mock.patch.object(views, "_job", read_before_the_other_tab_committed):
        client.post(f"/imports/{job.pk}/choose/", {"commit": "1"})
    assert disbursed(project) == 7_000_000
    job.refresh_from_db()
    assert (job.status, job.created_count) == (JobStatus.DONE, 1)
