"""Bad input: hypothesis fills every form of every page (found by walking the registered
routes, so new forms are fuzzed as they appear) with hostile data — huge strings, control
characters, wrong types, SQL and HTML injection, impossible dates, negative and huge
numbers, files that lie about their type — as a user allowed to use the form.

For each case: no server error (status < 500, no exception); a refused submission (no
redirect) changes no row of any table of the project (history and audit rows included); an
accepted one leads to a page where the hostile text is escaped.
"""

from __future__ import annotations

import io
import os
import re
import traceback
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.trust.conftest import client_for
from tests.trust.forms import PageForm, page_forms
from tests.trust.helpers import body, changed, fingerprint, route_url, undone
from tests.trust.routes import walked

pytestmark = pytest.mark.django_db

# Cases per form (TRUST_FUZZ_EXAMPLES=50 for a deeper run); bounded so `make test` stays fast.
POST_EXAMPLES = int(os.environ.get("TRUST_FUZZ_EXAMPLES", "10"))
GET_EXAMPLES = max(2, POST_EXAMPLES // 3)
XSS = ("<script>kqzxss()</script>", '"><img src=x onerror=kqzxss()>')
HOSTILE_TEXT = [
    "",
    " ",
    "x" * 20_000,
    "Đề án " * 2000,
    "\x00",
    "a\x00b\x01c\x1f",
    "\x1b[31mred",
    "\u202egnp.exe",
    "\r\n\r\nSet-Cookie: x=1",
    *XSS,
    "' OR '1'='1",
    "1; DROP TABLE beneficiaries_beneficiary; --",
    "Robert'); DELETE FROM projects_project;--",
    "{{ 7|add:7 }}{% debug %}",
    "%(x)s %s %n",
    "../../../etc/passwd",
    "-1",
    "-100000000000",
    "99999999999999999999999999999",
    "1e400",
    "NaN",
    "-0",
    "0x1F",
    "3.14",
    "1.000.000",
    "2018-02-30",
    "31/02/2018",
    "0000-00-00",
    "9999-12-31",
    "10000-01-01",
    "12/31/2018",
    "true",
    "[]",
    "null",
    "😀" * 50,
    "１２３",
    "١٢٣",
    "Z̵̡̛̯̫",
]


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


HOSTILE_FILES = [
    ("quyet-dinh.pdf", b"MZ\x90\x00 this is an executable"),
    ("../../../../tmp/evil.pdf", b"%PDF-1.4\n%%EOF\n"),
    ("shell.php", b"<?php system($_GET['c']); ?>"),
    ("script.pdf", b"%PDF-1.4\n1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>"),
    ("empty.pdf", b""),
    ("macro.docx", _zip({"[Content_Types].xml": b"<x/>", "word/vbaProject.bin": b"x"})),
    ("page.html", b"<html><script>kqzxss()</script></html>"),
    ("image.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),
    ("t\u00ean c\u00f3 d\u1ea5u \u0111\u1eb7c bi\u1ec7t;rm -rf.pdf", b"%PDF-1.4\n%%EOF\n"),
]

FIGURES = {"forms": 0, "cases": 0, "accepted": 0, "server_errors": 0}


def value_strategy(field):
    hostile = st.sampled_from(HOSTILE_TEXT)
    anything = st.one_of(
        hostile,
        st.text(max_size=40),
        st.integers(min_value=-(10**15), max_value=10**15).map(str),
        st.dates().map(lambda d: d.isoformat()),
    )
    if field.kind == "file":
        return st.one_of(st.none(), st.sampled_from(HOSTILE_FILES))
    if field.kind == "select" and field.options:
        return st.one_of(st.sampled_from(field.options), anything)
    return st.one_of(st.just(field.value), anything)


def fuzz_form(client, form: PageForm, problems: list[str], success: tuple[int, ...]) -> None:
    examples = POST_EXAMPLES if form.method == "post" else GET_EXAMPLES

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(st.data())
    def case(data):
        values = {}
        for field in form.fields:
            value = data.draw(value_strategy(field), label=field.name)
            if field.kind == "file":
                if value is not None:
                    values[field.name] = SimpleUploadedFile(value[0], value[1])
            else:
                values[field.name] = value
        FIGURES["cases"] += 1
        shown = {k: (v if not isinstance(v, str) else v[:60]) for k, v in values.items()}
        with undone():
            before = fingerprint()
            try:
                if form.method == "post":
                    response = client.post(form.action, values)
                else:
                    response = client.get(form.action, values)
                text = body(response)
            except Exception:
                FIGURES["server_errors"] += 1
                problems.append(
                    f"{form.label}: server error with {shown}\n{traceback.format_exc(limit=-3)}"
                )
                return
            after = fingerprint()
            status = response.status_code
            if status >= 500:
                FIGURES["server_errors"] += 1
                problems.append(f"{form.label}: {status} with {shown}")
                return
            accepted = form.method == "post" and status in success
            FIGURES["accepted"] += accepted
            if form.method == "post" and not accepted and changed(before, after):
                problems.append(
                    f"{form.label}: refused ({status}) but wrote {changed(before, after)} "
                    f"with {shown}"
                )
            pages = [text]
            if accepted and response.get("Location"):
                follow = client.get(response["Location"])
                if follow.status_code >= 500:
                    problems.append(f"{form.label}: the page after saving fails with {shown}")
                pages.append(body(follow))
            for page in pages:
                for attack in XSS:
                    if attack in page:
                        problems.append(f"{form.label}: unescaped {attack!r} in the page")

    case()


def test_every_form_survives_hostile_input(world):
    world.make_all()
    problems: list[str] = []
    seen: set[tuple[str, str, str]] = set()
    for _pattern, route in walked():
        if route.method != "get" or not route.fuzz:
            continue
        client = client_for(world, route.fuzz_role)
        url = route_url(route, world, "A")
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for form in page_forms(url, body(response)):
            path = re.sub(r"\d+", "N", form.action.split("?")[0])
            key = (form.method, path, ",".join(f.name for f in form.fields))
            if key in seen:
                continue
            seen.add(key)
            FIGURES["forms"] += 1
            fuzz_form(client, form, problems, route.fuzz_success)
    print(
        f"\nfuzz: {FIGURES['forms']} forms, {FIGURES['cases']} cases "
        f"({FIGURES['accepted']} accepted), {FIGURES['server_errors']} server errors"
    )
    assert FIGURES["forms"] >= 5, "the walk found (almost) no forms: is discovery broken?"
    assert not problems, "\n".join(problems[:40])
