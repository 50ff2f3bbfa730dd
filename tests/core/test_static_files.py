"""Production static files: collectstatic with the hashed, compressed WhiteNoise storage."""

from __future__ import annotations

from django.core.management import call_command
from django.test import override_settings

MANIFEST = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


def test_collectstatic_succeeds_with_the_production_storage(tmp_path):
    # A vendored file referring to a missing file (e.g. a source map) breaks deployment.
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=MANIFEST):
        call_command("collectstatic", "--noinput", verbosity=0)
    manifest = (tmp_path / "staticfiles.json").read_text()
    for name in ("vendor/bootstrap/bootstrap.min.css", "vendor/htmx/htmx.min.js", "core/site.css"):
        assert f'"{name}"' in manifest
    assert list(tmp_path.glob("vendor/bootstrap/bootstrap.bundle.min.*.js.gz"))
