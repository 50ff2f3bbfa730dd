"""No lost edits: every form that edits a record carries the version it was opened at, and of
two sessions editing the same record, the second to save is told and keeps its input.

The edit forms are found by walking the registered routes (so new ones are covered): a POST
form on a record's page that has data fields must carry ``expected_version`` unless its
route says why not (``unversioned="…"``, e.g. a form that only adds a new row).
"""

from __future__ import annotations

import pytest

from tests.trust.conftest import client_for
from tests.trust.forms import PageForm, page_forms
from tests.trust.helpers import body, route_url
from tests.trust.routes import Route, walked

pytestmark = pytest.mark.django_db

DATA_KINDS = {"text", "textarea", "select", "number", "date", "email", "file", "checkbox", "tel"}


def record_forms(world) -> list[tuple[Route, PageForm]]:
    found = []
    for _pattern, route in walked():
        if route.method != "get" or not route.obj:
            continue
        client = client_for(world, route.fuzz_role)
        url = route_url(route, world, "A")
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for form in page_forms(url, body(response)):
            if form.method == "post" and any(f.kind in DATA_KINDS for f in form.fields):
                found.append((route, form))
    return found


def test_every_edit_form_carries_the_version(world):
    world.make_all()
    missing = [
        f"{route.name}: {form.label}"
        for route, form in record_forms(world)
        if form.field("expected_version") is None and not route.unversioned
    ]
    assert not missing, (
        "forms on a record's page without an expected_version field (use "
        "core.forms.VersionedModelForm, or say why on the Route with unversioned=…):\n"
        + "\n".join(missing)
    )


def _edit_field(route: Route, form: PageForm) -> str:
    if route.edit_field:
        return route.edit_field
    for kinds in (("textarea",), ("text",)):
        for field in form.fields:
            if field.kind in kinds and field.name not in ("code", "tax_code", "q"):
                return field.name
    raise AssertionError(f"{route.name}: no text field to edit; set edit_field on the Route")


def test_second_writer_is_told_and_keeps_their_input(world):
    """Two sessions (two users) open the same edit form; the first saves; the second's save
    is refused with a message, the page shows their input, and the first's change stands."""
    world.make_all()
    edits = [(route, form) for route, form in record_forms(world) if form.field("expected_version")]
    assert edits, "no versioned edit form found: is discovery broken?"
    for route, form in edits:
        first = client_for(world, route.fuzz_role)
        second = client_for(world, "admin")
        page = form.page
        forms_first = {f.action: f for f in page_forms(page, body(first.get(page)))}
        forms_second = {f.action: f for f in page_forms(page, body(second.get(page)))}
        name = _edit_field(route, form)
        extra = route.post_data(world, "A")
        mine = forms_first[form.action].initial() | extra | {name: "Sửa lần một KQZFIRST"}
        theirs = forms_second[form.action].initial() | extra | {name: "Sửa lần hai KQZSECOND"}

        saved = first.post(form.action, mine)
        assert saved.status_code in (301, 302, 303), f"{form.label}: first save refused"
        refused = second.post(form.action, theirs)
        assert refused.status_code == 200, f"{form.label}: second save not refused"
        text = body(refused)
        assert "KQZSECOND" in text, f"{form.label}: the second writer's input is lost"
        errors = refused.context["form"].non_field_errors()
        assert errors, f"{form.label}: no message for the second writer"
        record = world.obj(route.obj, "A")
        record.refresh_from_db()
        stored = str(route.saved(record) if route.saved else getattr(record, name))
        assert "KQZFIRST" in stored, f"{form.label}: first save lost"
        assert "KQZSECOND" not in stored
