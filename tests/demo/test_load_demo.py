"""manage.py load_demo: the Bắc Kạn 2018 demo, one user per role, idempotent."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.management import CommandError, call_command
from django.db import models
from django.test import override_settings

from khuyencong.accounts import roles
from khuyencong.accounts.models import Organisation, OrganisationKind, Role, ScopeLevel, User
from khuyencong.beneficiaries import taxcode
from khuyencong.beneficiaries.models import Beneficiary
from khuyencong.catalog.models import BeneficiaryKind
from khuyencong.demo import loader
from khuyencong.demo import run as demo_run
from khuyencong.places.models import Era

pytestmark = pytest.mark.django_db

SEED = {  # name: (commune, district, kind)
    "HTX Nông nghiệp Tân Thành": ("Xã Nông Thượng", "Bắc Kạn", "cooperative"),
    "HTX Thành Ngân": ("Xã Cường Lợi", "Huyện Na Rì", "cooperative"),
    "Công ty TNHH Đinh Lâm": ("Thị trấn Chợ Rã", "Huyện Ba Bể", "sme"),
    "HKD Lại Văn Tú": ("Xã Quang Phong", "Huyện Na Rì", "household"),
    "HTX Thành Long": ("Xã Yên Hân", "Huyện Chợ Mới", "cooperative"),
    "HKD Sằm Văn Thường": ("Xã Côn Minh", "Huyện Na Rì", "household"),
}


def run() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_organisations():
    run()
    bac_kan = loader.bac_kan()
    assert (bac_kan.era, bac_kan.name) == (Era.LEGACY, "Tỉnh Bắc Kạn")
    department = Organisation.objects.get(kind=OrganisationKind.DEPARTMENT)
    centre = Organisation.objects.get(kind=OrganisationKind.CENTRE)
    assert department.province == bac_kan
    assert centre.name == "Trung tâm Khuyến công và Xúc tiến thương mại tỉnh Bắc Kạn"
    assert (centre.province, centre.parent) == (bac_kan, department)
    agency = Organisation.objects.get(kind=OrganisationKind.NATIONAL_AGENCY)
    assert agency.name == "Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công"
    assert agency.province is None


def test_national_agency_keeps_the_name_the_2018_report_uses():
    run()
    agency = loader.national_agency()
    assert agency.name_on(datetime.date(2018, 5, 15)) == "Cục Công Thương địa phương"
    assert agency.name_on(datetime.date(2025, 10, 1)) == agency.name


@override_settings(NATIONAL_AGENCY_NAME="Cục Khuyến công (tên cấu hình)")
def test_national_agency_name_is_configurable():
    run()
    assert loader.national_agency().name == "Cục Khuyến công (tên cấu hình)"


def test_the_six_beneficiaries_of_the_seed_at_their_2018_communes():
    run()
    beneficiaries = {b.name: b for b in Beneficiary.objects.select_related("commune", "district")}
    assert set(beneficiaries) == set(SEED)
    bac_kan = loader.bac_kan()
    for name, (commune, district, kind) in SEED.items():
        beneficiary = beneficiaries[name]
        assert beneficiary.commune.name == commune
        assert beneficiary.commune.era == Era.LEGACY
        assert district in beneficiary.district.name
        assert beneficiary.province == bac_kan
        assert beneficiary.kind.code == kind
        assert beneficiary.industry is not None


def test_tax_codes_are_valid_and_only_for_registered_businesses():
    run()
    for beneficiary in Beneficiary.objects.all():
        if beneficiary.kind.code == "household":
            assert beneficiary.tax_code == ""
            continue
        code = beneficiary.tax_code
        assert len(code) == 10 and code.startswith("47")
        assert taxcode.normalize(code) == code  # valid, in canonical form
        assert "giả định" in beneficiary.notes  # says the code is invented


def test_one_user_per_role_with_a_working_scope():
    output = run()
    users = {u.username: u for u in User.objects.all()}
    assert {u.role for u in users.values()} == set(Role)
    expected = {
        "admin": (Role.SYSTEM_ADMIN, ScopeLevel.NATIONAL),
        "quocgia": (Role.NATIONAL_AGENCY, ScopeLevel.NATIONAL),
        "lanhdao": (Role.DEPARTMENT_LEADER, ScopeLevel.PROVINCE),
        "canbo": (Role.CENTRE_STAFF, ScopeLevel.PROVINCE),
        "huyen": (Role.DISTRICT_OFFICER, ScopeLevel.DISTRICT),
        "htx": (Role.BENEFICIARY, ScopeLevel.PROVINCE),
        "quantri": (Role.PROVINCE_ADMIN, ScopeLevel.PROVINCE),
        "giamkhao": (Role.JURY_MEMBER, ScopeLevel.PROVINCE),
        "giamkhao2": (Role.JURY_MEMBER, ScopeLevel.PROVINCE),
        "giamkhao3": (Role.JURY_MEMBER, ScopeLevel.PROVINCE),
    }
    assert {name: (u.role, u.scope_level) for name, u in users.items()} == expected
    for user in users.values():
        user.full_clean()
        assert user.check_password(loader.DEMO_PASSWORD)
        validate_password(loader.DEMO_PASSWORD, user)
        assert user.username in output
    assert loader.DEMO_PASSWORD in output
    assert users["admin"].is_superuser
    assert users["canbo"].organisation == loader.centre()
    assert users["huyen"].district.name == "Huyện Na Rì"
    assert users["htx"].beneficiary.name == "HTX Thành Ngân"

    everything = Beneficiary.objects.all()

    def seen(username):
        scoped = roles.scope_queryset(users[username], everything, beneficiary="pk")
        return set(scoped.values_list("name", flat=True))

    assert seen("quocgia") == seen("canbo") == set(SEED)
    assert seen("huyen") == {"HTX Thành Ngân", "HKD Lại Văn Tú", "HKD Sằm Văn Thường"}
    assert seen("htx") == {"HTX Thành Ngân"}


def test_output_lists_the_logins_in_vietnamese():
    output = run()
    assert "Tài khoản minh hoạ (tên đăng nhập / mật khẩu / vai trò):" in output
    assert "canbo" in output and "Cán bộ Trung tâm Khuyến công" in output


def test_running_twice_changes_nothing_but_resets_demo_passwords():
    run()
    counts = (Organisation.objects.count(), Beneficiary.objects.count(), User.objects.count())
    canbo = User.objects.get(username="canbo")
    canbo.set_password("mot-mat-khau-khac")
    canbo.role = Role.JURY_MEMBER
    canbo.save()
    beneficiary = Beneficiary.objects.get(name="HTX Thành Ngân")
    beneficiary.phone = "0209 123 456"
    beneficiary.save()
    run()
    assert counts == (
        Organisation.objects.count(),
        Beneficiary.objects.count(),
        User.objects.count(),
    )
    canbo.refresh_from_db()
    assert canbo.check_password(loader.DEMO_PASSWORD) and canbo.role == Role.CENTRE_STAFF
    beneficiary.refresh_from_db()
    assert beneficiary.phone == "0209 123 456"  # records people edited are left alone


def test_missing_administrative_units_give_a_clear_error(monkeypatch):
    # as if the units were not loaded: the demo looks for a province code nobody has
    monkeypatch.setattr(loader, "BAC_KAN_CODE", "99")
    with pytest.raises(CommandError, match="99") as error:
        run()
    assert "load_admin_units" in str(error.value)
    assert not Organisation.objects.exists() and not User.objects.exists()


def test_a_commune_that_is_not_the_expected_one_is_reported(monkeypatch):
    wrong = loader.DemoBeneficiary("HTX Sai Xã", "cooperative", "02173", "Cường Lợi", "art5_a")
    monkeypatch.setattr(loader, "BENEFICIARIES", [*loader.BENEFICIARIES, wrong])
    with pytest.raises(CommandError, match="02173"):
        run()
    assert not Beneficiary.objects.exists()


def test_missing_catalogs_are_seeded():
    models.QuerySet.delete(BeneficiaryKind.objects.all())  # bypass the archive-only guard
    run()
    assert BeneficiaryKind.objects.filter(code="cooperative").exists()
    assert Beneficiary.objects.count() == len(SEED)


def test_steps_are_extensible_and_all_or_nothing(monkeypatch):
    calls = []

    def later_step() -> str:
        calls.append(loader.centre().name)
        return "later step done"

    def load_counted_things() -> dict[str, int]:
        return {"things_created": 0, "things": 13}

    monkeypatch.setattr(demo_run, "STEPS", [*demo_run.STEPS, later_step, load_counted_things])
    output = run()
    assert "later step done" in output
    assert "load_counted_things: things_created 0, things 13" in output
    assert calls == ["Trung tâm Khuyến công và Xúc tiến thương mại tỉnh Bắc Kạn"]

    # (the demo's contest refers to its judges: delete a user nothing refers to)
    # (users are never deleted by the app: the test removes the row itself)
    quocgia = User.objects.filter(username="quocgia")
    quocgia._raw_delete(quocgia.db)

    def failing_step() -> str:
        raise loader.DemoError("không được")

    monkeypatch.setattr(demo_run, "STEPS", [*demo_run.STEPS, failing_step])
    with pytest.raises(CommandError, match="không được"):
        run()
    assert not User.objects.filter(username="quocgia").exists()  # recreated, then rolled back
