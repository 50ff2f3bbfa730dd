"""Participants from Excel: all rows or none, row-level Vietnamese errors."""

from __future__ import annotations

import pytest

from khuyencong.events import imports
from khuyencong.events.models import EventKind, Participant, ParticipantKind
from khuyencong.trust.models import AuditAction, AuditEntry
from tests.accounts.factories import (
    THAI_NGUYEN,
    BeneficiaryFactory,
    UserFactory,
    a_commune_of,
)

from .factories import event, workbook

pytestmark = pytest.mark.django_db
HEADER = ["STT", "Họ và tên", "Loại", "Đơn vị", "Chức vụ", "Huyện", "Mã số thuế", "Gian hàng"]


def test_a_good_sheet_is_imported_with_districts_found_without_accents():
    training = event()
    content = workbook(
        [
            HEADER,
            [1, "Hoàng Thị Hà", "cán bộ", "Phòng KT-HT Na Rì", "Chuyên viên", "Na Ri", "", ""],
            [2, "Ma Văn Quân", "Cán bộ", "Phòng KT-HT Pác Nặm", "", "Huyện Pác Nặm", "", ""],
            [3, "Lưu Văn Hùng", "", "UBND xã Nông Thượng", "", "thanh pho bac kan", "", ""],
            [None, None, None, None, None, None, None, None],  # empty rows are skipped
        ],
        title_rows=2,
    )
    result = imports.import_participants(training, content)
    assert result.ok, result.errors
    rows = {p.name: p for p in Participant.objects.filter(event=training)}
    assert {name: p.district.short_name for name, p in rows.items()} == {
        "Hoàng Thị Hà": "Na Rì",
        "Ma Văn Quân": "Pác Nặm",
        "Lưu Văn Hùng": "Bắc Kạn",
    }
    # a training conference's participants are officers unless the sheet says otherwise
    assert {p.kind for p in rows.values()} == {ParticipantKind.OFFICER}
    entry = AuditEntry.objects.for_object(rows["Lưu Văn Hùng"]).get()  # in the audit trail too
    assert (entry.action, entry.reason) == (AuditAction.CREATE, "import")
    assert {"field": "name", "old": None, "new": "Lưu Văn Hùng"} in entry.changes


def test_one_bad_row_imports_nothing_and_every_bad_row_is_named():
    training = event()
    content = workbook(
        [
            HEADER,
            [1, "Đúng", "cán bộ", "", "", "Na Rì", "", ""],
            [2, "", "cán bộ", "", "", "Na Rì", "", ""],
            [3, "Sai huyện", "cán bộ", "", "", "Hà Đông", "", ""],
            [4, "Sai loại", "khách mời", "", "", "", "", ""],
            [5, "Sai MST", "cơ sở", "", "", "", "9999999999", ""],
            [6, "Sai gian hàng", "cơ sở", "", "", "", "", "nhiều"],
        ]
    )
    result = imports.import_participants(training, content)
    assert not result.ok
    assert not Participant.objects.filter(event=training).exists()
    assert result.errors == [
        "Dòng 3: thiếu họ và tên.",
        "Dòng 4: không có huyện “Hà Đông” thuộc Tỉnh Bắc Kạn.",
        "Dòng 5: “khách mời” không phải loại người tham dự (cơ sở hoặc cán bộ).",
        "Dòng 6: không có cơ sở đã đăng ký nào mang mã số thuế 9999999999.",
        "Dòng 7: cột gian hàng ghi “nhiều”: ghi x (có) hoặc để trống.",
    ]


def test_a_tax_code_links_the_registered_establishment_and_its_district():
    fair = event(kind=EventKind.TRADE_FAIR, title="Hội chợ")
    establishment = BeneficiaryFactory(tax_code="4700216442")
    content = workbook(
        [
            ["Tên cơ sở", "MST", "Gian hàng"],
            ["HTX Thành Ngân", "4700216442", "x"],
            ["HKD B", "", ""],
        ]
    )
    result = imports.import_participants(fair, content)
    assert result.ok, result.errors
    linked = Participant.objects.get(name="HTX Thành Ngân")
    assert linked.beneficiary == establishment
    assert linked.district == establishment.district
    assert linked.has_booth and linked.kind == ParticipantKind.ESTABLISHMENT
    assert not Participant.objects.get(name="HKD B").has_booth


def test_a_tax_code_outside_the_users_area_reads_as_unknown():
    """The import must not tell a Bắc Kạn officer that a tax code belongs to an establishment
    of another province: it answers as for a code nobody has (as the participant form's list,
    which offers only the user's area)."""
    fair = event(kind=EventKind.TRADE_FAIR, title="Hội chợ")
    officer_ = UserFactory()  # centre staff of Bắc Kạn
    BeneficiaryFactory(tax_code="4600100155", commune=a_commune_of(THAI_NGUYEN))
    content = workbook(
        [
            ["Tên cơ sở", "MST"],
            ["Cơ sở tỉnh khác", "4600100155"],
            ["Cơ sở không có", "9999999999"],
        ]
    )
    result = imports.import_participants(fair, content, user=officer_)
    assert not result.ok
    assert result.errors == [
        "Dòng 2: không có cơ sở nào trong địa bàn của bạn mang mã số thuế 4600100155.",
        "Dòng 3: không có cơ sở nào trong địa bàn của bạn mang mã số thuế 9999999999.",
    ]
    assert not Participant.objects.filter(event=fair).exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not a workbook", "Không đọc được tệp dưới dạng bảng tính"),
        (workbook([["Đơn vị", "Chức vụ"], ["A", "B"]]), "cột bắt buộc: Họ và tên"),
        (workbook([HEADER]), "không có dòng người tham dự"),
    ],
)
def test_files_that_cannot_be_used(content, message):
    with pytest.raises(imports.ImportFileError, match=message):
        imports.import_participants(event(), content)
    assert not Participant.objects.exists()


def test_a_sheet_reaching_far_is_refused_before_it_is_read():
    """Cells at A1 and XFD1048576 (a grid of 16384 × 1048576 cells if read): refused with a
    Vietnamese message, nothing saved, the process's peak memory barely moves."""
    import resource

    from tests.imports.conftest import far_apart_xlsx

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB
    with pytest.raises(imports.ImportFileError, match="quá lớn") as refused:
        imports.import_participants(event(), far_apart_xlsx(HEADER))
    assert "dòng 1048576 và cột 16384" in str(refused.value)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak < 200 * 1024
    assert not Participant.objects.exists()


def test_a_sheet_longer_than_the_limit_is_refused(monkeypatch):
    monkeypatch.setattr(imports, "MAX_ROWS", 3)
    rows = [[n, f"Người {n}", "cán bộ", "", "", "", "", ""] for n in range(20)]
    with pytest.raises(imports.ImportFileError, match="quá lớn"):
        imports.import_participants(event(), workbook([HEADER, *rows]))
    assert not Participant.objects.exists()


def test_rows_are_checked_by_the_participant_form_rules():
    """A name longer than the form allows was cut to 200 characters without a word; now the
    row is refused, naming its row and column, as the participant form would refuse it."""
    content = workbook([HEADER, [1, "Nguyễn " * 40, "cán bộ", "", "", "Na Rì", "", ""]])
    result = imports.import_participants(event(), content)
    assert not result.ok and not Participant.objects.exists()
    assert result.errors[0].startswith("Dòng 2, cột Họ và tên: ")
    assert "200" in result.errors[0]
