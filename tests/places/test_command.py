"""``manage.py load_admin_units``."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    with translation.override("vi"):
        call_command("load_admin_units", *args, stdout=out)
    return out.getvalue()


def test_prints_the_counts_in_vietnamese():
    output = run()
    assert (
        "Trước ngày 1/7/2025: 63 tỉnh/thành phố, 696 huyện/quận/thị xã/thành phố, "
        "10.035 xã/phường/thị trấn." in output
    )
    assert "Từ ngày 1/7/2025: 34 tỉnh/thành phố, 3.321 xã/phường/đặc khu." in output
    assert "Quan hệ kế thừa (cũ → mới): 10.665" in output
    assert "Đơn vị: thêm mới 0, cập nhật 0; quan hệ kế thừa: thêm mới 0, cập nhật 0" in output


def test_province_option():
    output = run("--province", "Bắc Kạn")
    assert "Trước ngày 1/7/2025: 1 tỉnh/thành phố, 8 huyện/quận/thị xã/thành phố, 108" in output
    assert "Từ ngày 1/7/2025: 1 tỉnh/thành phố, 92 xã/phường/đặc khu." in output


def test_unknown_province_is_an_error():
    with pytest.raises(CommandError, match="Atlantis"):
        run("--province", "Atlantis")
