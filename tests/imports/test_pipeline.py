"""Stages 2–5 of the beneficiary import: normalise, validate, match, commit (all or nothing)."""

from __future__ import annotations

import io

from khuyencong.accounts.models import Role
from khuyencong.beneficiaries.models import Beneficiary, search_text_for
from khuyencong.catalog.models import BeneficiaryKind
from khuyencong.documents.xlsx_reader import read_sheet
from khuyencong.spreadsheets.pipeline import BeneficiaryImporter, Report, run
from khuyencong.trust.models import AuditAction, AuditEntry
from tests.imports.conftest import BENEFICIARY_HEADERS, beneficiary_row, make_xlsx
from tests.projects import factories as pf


def sheet_of(rows):
    data = make_xlsx(BENEFICIARY_HEADERS, rows)
    return read_sheet(io.BytesIO(data), BeneficiaryImporter.columns)


def test_validate_reports_row_column_and_a_vietnamese_problem(staff):
    importer = BeneficiaryImporter(staff)
    report = Report()
    values = {"name": "", "kind": "Công ty", "tax_code": "4700123453", "address": "x"}
    assert importer.validate(7, values, report) is None
    problems = {(p["row"], p["column"]): p["message"] for p in report.problems}
    assert (7, "Tên cơ sở") in problems
    assert (7, "Loại hình") in problems
    assert "chữ số kiểm tra" in problems[(7, "Mã số thuế")]


def test_validate_normalises_codes_and_kinds(staff):
    importer = BeneficiaryImporter(staff)
    report = Report()
    values = {"name": " HTX  Ba Bể ", "kind": "htx", "tax_code": "470 012 3452", "address": "x"}
    item = importer.validate(2, values, report)
    assert not report.problems
    assert item.kind.code == "cooperative"
    assert item.tax_code == "4700123452"
    assert item.name == "HTX  Ba Bể".strip()


def test_tax_code_required_by_kind(staff):
    report = Report()
    BeneficiaryImporter(staff).validate(3, {"name": "A", "kind": "HTX", "address": "x"}, report)
    assert report.problems[0]["column"] == "Mã số thuế"


def test_a_good_file_is_imported_with_communes_and_audit_entries(staff, units):
    report = run(
        BeneficiaryImporter(staff), sheet_of([beneficiary_row(1), beneficiary_row(2)]), commit=True
    )
    assert report.errors == [] and report.created == 2
    row = Beneficiary.objects.get(name="Hộ kinh doanh Số 1")
    assert row.commune.name == "Xã Nông Thượng"
    assert row.province == units["06"]
    assert row.address == "thôn 1"
    assert row.search_text == search_text_for(row.name, row.tax_code)
    entry = AuditEntry.objects.for_object(row).get()
    assert (entry.user, entry.action, entry.reason) == (staff, AuditAction.CREATE, "import")


def test_imported_rows_are_in_the_audit_log_like_rows_made_by_hand(staff, units, monkeypatch):
    from khuyencong.core.text import normalize
    from khuyencong.spreadsheets import pipeline
    from khuyencong.trust.models import AuditAction, AuditEntry

    monkeypatch.setattr(pipeline, "INSERT_CHUNK", 1)  # one entry a chunk: none may be lost
    rows = [beneficiary_row(1), beneficiary_row(2), beneficiary_row(3)]
    run(BeneficiaryImporter(staff), sheet_of(rows), commit=True)
    imported = Beneficiary.objects.filter(name__startswith="Hộ kinh doanh Số")
    entries = AuditEntry.objects.filter(
        content_type__model="beneficiary",
        object_id__in=[str(pk) for pk in imported.values_list("pk", flat=True)],
    )
    assert entries.count() == 3
    assert sorted(entries.values_list("beneficiary_id", flat=True)) == sorted(
        imported.values_list("pk", flat=True)
    )
    for entry in entries:
        assert entry.user == staff and entry.action == AuditAction.CREATE
        assert entry.province == units["06"]
        assert {"field": "name", "old": None, "new": entry.object_repr} in entry.changes
        assert entry.search_text == normalize(f"{entry.object_repr} {staff.username}")


def test_an_imported_rows_audit_entry_is_that_of_a_row_made_by_hand(staff, units):
    """The bulk insert writes, as values, what trust.recording writes for a
    beneficiary saved through the ORM (same user, same reason): every column but the ids and
    the times."""
    from types import SimpleNamespace

    from khuyencong.catalog.models import Industry
    from khuyencong.core.text import normalize
    from khuyencong.places.models import AdminUnit
    from khuyencong.spreadsheets.pipeline import BeneficiaryItem, bulk_insert_beneficiaries
    from khuyencong.trust.models import AuditAction, AuditEntry

    commune = (
        AdminUnit.objects.communes().filter(province=units["06"]).exclude(parent=units["06"])[0]
    )  # a legacy commune in a district: province and district both set
    values = {
        "kind": BeneficiaryKind.objects.get(code="cooperative"),
        "name": "HTX  Mây tre đan Nông Thượng",
        "tax_code": "4700123452",
        "representative": "Lường Văn Á",
        "industry": Industry.objects.order_by("pk")[0],
        "phone": "0209 000 000",
        "email": "htx@example.vn",
        "notes": "Thành lập 2015",
    }
    by_hand = Beneficiary(**values, address="thôn Bản Pjạc", commune=commune)
    by_hand._history_user = staff
    by_hand._change_reason = "import"
    by_hand.save()
    by_hand.archive()  # frees the tax code for the imported twin
    item = BeneficiaryItem(
        row=2, name_key=normalize(values["name"]), address_text="", commune_code="",
        street="thôn Bản Pjạc",
        commune=SimpleNamespace(
            id=commune.pk, parent_id=commune.parent_id, province_id=commune.province_id,
            short_name=commune.short_name, unit_type=commune.unit_type,
        ),
        **values,
    )  # fmt: skip
    assert bulk_insert_beneficiaries([item], staff) == 1
    imported = Beneficiary.objects.exclude(pk=by_hand.pk).get(name=values["name"])

    def created(beneficiary):
        return (
            AuditEntry.objects.filter(action=AuditAction.CREATE)
            .for_object(beneficiary)
            .values()
            .get()
        )

    hand_entry, entry = created(by_hand), created(imported)
    own = {"id", "at", "object_id", "beneficiary_id", "prev_hash", "hash"}
    assert {k: v for k, v in entry.items() if k not in own} == {
        k: v for k, v in hand_entry.items() if k not in own
    }
    assert entry["object_id"] == str(imported.pk) and entry["beneficiary_id"] == imported.pk
    assert entry["at"] == imported.created_at
    assert entry["history_id"] is None  # no history rows any more
    # not vacuous: the compared values are those of this beneficiary
    assert entry["user_id"] == staff.pk and entry["reason"] == "import"
    assert entry["district_id"] == commune.parent_id and entry["province_id"] == units["06"].pk
    assert {change["field"] for change in entry["changes"]} >= {
        "kind", "name", "tax_code", "representative", "address", "commune", "industry",
        "phone", "email", "notes", "district", "province",
    }  # fmt: skip
    assert {"field": "tax_code", "old": None, "new": "4700123452"} in entry["changes"]


def test_one_bad_row_among_10000_imports_nothing_and_names_that_row(staff):
    rows = [beneficiary_row(n) for n in range(1, 10_001)]
    rows[6_789] = beneficiary_row(6_790, tax_code="4700123453")  # wrong check digit
    report = run(BeneficiaryImporter(staff), sheet_of(rows), commit=True)
    assert report.rows == 10_000
    assert [(p["row"], p["column"]) for p in report.errors] == [(6_791, "Mã số thuế")]
    assert report.created == 0
    assert not Beneficiary.objects.filter(name__startswith="Hộ kinh doanh Số").exists()


def test_duplicates_against_the_registry_and_within_the_file(staff, units):
    Beneficiary.objects.create(
        kind=BeneficiaryKind.objects.get(code="cooperative"),
        name="HTX Nông Thượng",
        tax_code="4700123452",
        commune=units["01852"] if "01852" in units else units["02152"],
    )
    rows = [
        beneficiary_row(1, kind="HTX", tax_code="4700123452", name="HTX Khác"),
        beneficiary_row(2, name="htx nong thuong"),
        beneficiary_row(3, kind="HTX", tax_code="0100109106", name="Công ty A"),
        beneficiary_row(4, kind="HTX", tax_code="0100109106", name="Công ty B"),
    ]
    report = run(BeneficiaryImporter(staff), sheet_of(rows), commit=True)
    errors = {p["row"]: p["message"] for p in report.errors}
    assert set(errors) == {2, 5}  # taken in the registry; repeated in the file
    assert "HTX Nông Thượng" in errors[2]
    assert "dòng 4" in errors[5]
    warnings = {p["row"] for p in report.warnings}
    assert 3 in warnings  # same name, same commune
    assert report.created == 0


def test_possible_duplicates_need_the_users_confirmation(staff, units):
    Beneficiary.objects.create(
        kind=BeneficiaryKind.objects.get(code="household"),
        name="Hộ kinh doanh Số 1",
        commune=units["01852"] if "01852" in units else units["02152"],
    )
    sheet = sheet_of([beneficiary_row(1)])
    blocked = run(BeneficiaryImporter(staff), sheet, commit=True)
    assert blocked.warnings and blocked.created == 0
    accepted = run(BeneficiaryImporter(staff, accept_possible_duplicates=True), sheet, commit=True)
    assert accepted.created == 1


def test_a_commune_outside_the_users_area_is_refused(staff):
    rows = [beneficiary_row(1, address="Phường Ba Đình, Thành phố Hà Nội")]
    report = run(BeneficiaryImporter(staff), sheet_of(rows), commit=True)
    assert "ngoài" in report.errors[0]["message"]


def test_ambiguous_places_wait_for_the_users_choice(db):
    from khuyencong.places.models import AdminUnit
    from khuyencong.spreadsheets.addresses import UnitIndex

    index = UnitIndex()
    shared = next(v for k, v in index.by_name.items() if k[0] == "legacy" and len(v) > 1)
    unit = AdminUnit.objects.get(pk=shared[0].id)
    province = AdminUnit.objects.get(pk=unit.province_id)
    admin = pf.user(Role.SYSTEM_ADMIN)
    sheet = sheet_of([beneficiary_row(1, address=f"{unit.name}, {province.name}")])
    report = run(BeneficiaryImporter(admin), sheet, commit=True)
    assert report.created == 0 and not report.errors
    assert report.ambiguities[0]["row"] == 2
    chosen = run(BeneficiaryImporter(admin, choices={"2": shared[1].id}), sheet, commit=True)
    assert chosen.created == 1
    assert Beneficiary.objects.get(name="Hộ kinh doanh Số 1").commune_id == shared[1].id


def test_a_role_without_the_import_permission(db):
    jury = pf.user(Role.JURY_MEMBER)
    report = run(BeneficiaryImporter(jury), sheet_of([beneficiary_row(1)]), commit=True)
    assert report.errors and report.created == 0


def test_a_row_is_refused_with_the_web_forms_own_messages(staff):
    """One rule per fact: the import cleans each row with the beneficiary form's fields and
    tax code rules, so the same bad values give the same messages on the page and in the
    import's report."""
    from khuyencong.beneficiaries.forms import BeneficiaryForm

    htx = BeneficiaryKind.objects.get(code="cooperative")
    bad = {"name": "A" * 256, "email": "không-phải-email", "phone": "0" * 40}
    form = BeneficiaryForm(data={**bad, "kind": htx.pk, "tax_code": ""}, user=staff)
    assert not form.is_valid()
    report = Report()
    values = {**bad, "kind": "HTX", "tax_code": "", "address": "x"}
    assert BeneficiaryImporter(staff).validate(4, values, report) is None
    problems = {p["column"]: p["message"] for p in report.problems}
    headers = {
        "name": "Tên cơ sở",
        "email": "Email",
        "phone": "Điện thoại",
        "tax_code": "Mã số thuế",
    }
    for field, header in headers.items():
        assert problems[header] == form.errors[field][0], field
