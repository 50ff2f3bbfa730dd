"""Vietnamese by default, English on request; catalogs checked by scripts/check_messages.py."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.accounts.factories import UserFactory

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_home_page_renders_in_vietnamese_and_in_english(client):
    client.force_login(UserFactory())
    vi = client.get(reverse("home")).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    en = client.get(reverse("home")).content.decode()
    assert "Đơn vị thụ hưởng" in vi and "Beneficiaries" not in vi
    assert "Beneficiaries" in en and "Đơn vị thụ hưởng" not in en
    assert "Lập kế hoạch, theo dõi và báo cáo" in vi
    assert "Plan, track and report" in en
    assert vi != en


def _check_messages_module():
    spec = importlib.util.spec_from_file_location(
        "check_messages", REPO / "scripts" / "check_messages.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def fake_app(tmp_path):
    """A throw-away app directory with one template string and an empty locale folder."""
    app = tmp_path / "fakeapp"
    (app / "templates").mkdir(parents=True)
    (app / "locale").mkdir()
    (app / "templates" / "page.html").write_text(
        '{% load i18n %}{% translate "A string nobody translated" %}', encoding="utf-8"
    )
    return tmp_path


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext tools are missing")
def test_message_check_fails_on_an_untranslated_string_and_passes_once_translated(fake_app):
    check = _check_messages_module()
    problems = check.incomplete_catalogs(fake_app)
    assert len(problems) == 1
    assert "A string nobody translated" in problems[0]
    assert "1 untranslated message" in problems[0]

    po = fake_app / "fakeapp" / "locale" / "vi" / "LC_MESSAGES" / "django.po"
    text = po.read_text(encoding="utf-8")
    text = text.replace(
        'msgid "A string nobody translated"\nmsgstr ""',
        'msgid "A string nobody translated"\nmsgstr "Một chuỗi chưa ai dịch"',
    )
    po.write_text(text, encoding="utf-8")
    assert check.incomplete_catalogs(fake_app) == []

    # a fuzzy entry counts as untranslated
    po.write_text(
        text.replace(
            'msgid "A string nobody translated"', '#, fuzzy\nmsgid "A string nobody translated"'
        ),
        encoding="utf-8",
    )
    problems = check.incomplete_catalogs(fake_app)
    assert len(problems) == 1 and "fuzzy" in problems[0]


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext tools are missing")
def test_message_check_script_exit_code(fake_app):
    result = subprocess.run(
        [".venv/bin/python", "scripts/check_messages.py", str(fake_app)],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={
            "PYTHONPATH": "src",
            "DJANGO_SETTINGS_MODULE": "khuyencong.settings",
            "PATH": "/usr/bin:/bin",
        },
    )
    assert result.returncode == 1
    assert "problem(s) in the Vietnamese catalogs" in result.stdout


def _catalog(root: Path, app: str, entries: str) -> None:
    folder = root / app / "locale" / "vi" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    header = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    (folder / "django.po").write_text(header + entries, encoding="utf-8")


def test_message_check_catches_a_message_with_two_meanings(tmp_path):
    """Django merges the catalogs: "Unit" would read "Đơn vị tính" on the events pages."""
    check = _check_messages_module()
    _catalog(tmp_path, "registrations", 'msgid "Unit"\nmsgstr "Đơn vị tính"\n')
    _catalog(
        tmp_path,
        "events",
        'msgid "Unit"\nmsgstr "Đơn vị"\n\nmsgid "Name"\nmsgstr "Tên"\n\n'
        '#~ msgid "Old"\n#~ msgstr "Cũ"\n',
    )
    _catalog(tmp_path, "people", 'msgid "Name"\nmsgstr "Tên"\n\n#~ msgid "Old"\n#~ msgstr "Xưa"\n')
    [problem] = check.two_meanings(tmp_path, known=frozenset())
    assert "“Unit” has 2 translations" in problem
    assert "“Đơn vị tính” (registrations)" in problem and "“Đơn vị” (events)" in problem
    assert check.two_meanings(tmp_path, known=frozenset({"Unit"})) == []

    # a msgctxt tells the meanings apart: no longer reported
    events = tmp_path / "events" / "locale" / "vi" / "LC_MESSAGES" / "django.po"
    text = events.read_text(encoding="utf-8")
    events.write_text(text.replace('msgid "Unit"', 'msgctxt "organisation"\nmsgid "Unit"'))
    assert check.two_meanings(tmp_path, known=frozenset()) == []


def test_the_app_catalogs_give_one_wording_per_message():
    assert _check_messages_module().two_meanings() == []


@pytest.mark.parametrize(
    ("path", "absent", "present"),
    [
        ("projects/templates/projects/inspection_list.html", '"Held" %}', '"Held" context'),
        ("events/templates/events/detail.html", '"Unit" %}', '"Unit" context "organisation"'),
    ],
)
def test_messages_with_two_meanings_carry_their_context(path, absent, present):
    text = (REPO / "src" / "khuyencong" / path).read_text(encoding="utf-8")
    assert absent not in text and present in text
