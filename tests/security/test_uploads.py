"""Issue 18, item 13: uploads.

A PDF naming its script with #xx escapes (``/J#61vaScript`` is ``/JavaScript``) passed the
active-content check, which compared raw bytes; names are now matched in either spelling. And
uploaded files were sent inline where the browser would open them (a contest dossier's PDF and
images): every view serving an uploaded file now sends it as an attachment, not sniffed.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from khuyencong.core.uploads import check_upload
from tests.trust.conftest import client_for, media_root, world  # noqa: F401 (fixtures)
from tests.trust.routes import DOWNLOADS, ROUTES


def pdf(body: bytes) -> bytes:
    return b"%PDF-1.7\n1 0 obj\n" + body + b"\nendobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.mark.parametrize(
    "body",
    [
        b"<< /Type /Catalog /OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >> >>",
        b"<< /Type /Catalog /OpenAction << /S /#4a#61#76#61#53#63#72#69#70#74 >> >>",
        b"<< /Type /Catalog /Op#65nAction << /S /J#61vaScript /#4AS (app.alert(1)) >> >>",
        b"<< /Type /Catalog /OpenAction 2 0 R >>\n2 0 obj << /S /x /#4A#53 (app.alert(1)) >>",
        b"<< /Type /Annot /#41A << /O << /S /J#61vaScr#69pt /#4a#53 3 0 R >> >> >>",
        b"<< /Type /Action /S /L#61unch /F (cmd.exe) >>",
        b"<< /Type /Action /S /#4c#61#75#6e#63#68/F(cmd.exe)>>",
        b"<</S/JavaScript/JS(x)>>",
    ],
    ids=[
        "J#61vaScript",
        "all escaped, lower case",
        "OpenAction escaped",
        "JS escaped",
        "AA escaped",
        "Launch escaped",
        "Launch escaped, no spaces",
        "plain, no spaces",
    ],
)
def test_active_content_is_refused_however_its_name_is_spelt(body):
    with pytest.raises(ValidationError) as refused:
        check_upload(SimpleUploadedFile("bao-cao.pdf", pdf(body)))
    assert refused.value.code == "file_unsafe"


@pytest.mark.parametrize(
    "body",
    [
        b"<< /Type /Catalog /OpenAction [3 0 R /Fit] >>",  # open at page 1: ordinary
        b"<< /JSONData (x) /JSX 1 /J#53ON 2 /Launcher 3 >>",  # names that only begin alike
    ],
    ids=["open view", "look-alike names"],
)
def test_ordinary_pdfs_are_accepted(body):
    assert check_upload(SimpleUploadedFile("bao-cao.pdf", pdf(body))).extension == "pdf"


def test_a_name_across_the_read_chunks_is_seen():
    body = b"<< /Filler (" + b"x" * (1024 * 1024 - 40) + b") /S /J#61vaScript /JS (x) >>"
    with pytest.raises(ValidationError):
        check_upload(SimpleUploadedFile("lon.pdf", pdf(body)))


@pytest.mark.django_db
def test_every_uploaded_file_is_served_as_an_attachment_never_sniffed(world):  # noqa: F811
    """Each file field's download route (tests/*/trust_routes.py register_download), fetched
    by a role that may read it: an attachment with its stored type, nosniff."""
    assert DOWNLOADS
    for label, name in DOWNLOADS.items():
        route = ROUTES[name]
        url = reverse(name, kwargs=route.url_kwargs(world, "A"))
        responses = [client_for(world, role).get(url) for role in world.users]
        served = [response for response in responses if response.status_code == 200]
        assert served, f"{label}: nobody could download {url}"
        for response in served:
            assert response["Content-Disposition"].startswith("attachment;"), label
            assert response["X-Content-Type-Options"] == "nosniff", label
