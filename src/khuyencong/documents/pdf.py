"""PDF from HTML with WeasyPrint: the one PDF path (reports, certificates). Stylesheets and
fonts come from static files on disk; nothing is fetched from the network."""

from __future__ import annotations

import atexit
import mimetypes
import re
import threading
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage

# WeasyPrint resolves the page's relative URLs against this address; nothing is fetched from
# it: ``StaticFileFetcher`` serves static files from disk and refuses anything else.
PDF_BASE_URL = "http://khuyencong.invalid/"


def static_file_path(relative: str) -> Path | None:
    """A static file on disk: collected (production, possibly hashed names) or found by the
    finders (development and tests)."""
    try:
        collected = Path(staticfiles_storage.path(relative))
    except NotImplementedError:  # remote storage
        collected = None
    if collected is not None and collected.is_file():
        return collected
    found = finders.find(relative)
    return Path(found) if found else None


def _static_fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFileFetcher(URLFetcher):
        """Serves the document's stylesheet and fonts from static files; never the network."""

        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            if url.startswith("data:image/png;base64,"):  # the charts' pictures, inline
                return super().fetch(url, headers)
            prefix = urljoin(PDF_BASE_URL, settings.STATIC_URL)
            if not url.startswith(prefix):
                raise ValueError(f"a report may only use static files, not {url}")
            relative = unquote(urlparse(url).path[len(urlparse(prefix).path) :])
            path = static_file_path(relative)
            if path is None:
                raise FileNotFoundError(f"static file {relative!r} not found")
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            if path.suffix == ".ttf":
                mime = "font/ttf"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})

    return StaticFileFetcher


# A static stylesheet as the document templates link it (a link with other attributes, a
# media query for instance, is left to WeasyPrint).
STATIC_STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"]+)">')
_STYLES_KEPT = 8
_styles = threading.local()
_style_caches: list[dict] = []  # every thread's, emptied at exit


@atexit.register
def _forget_styles() -> None:
    """Drop the kept font configurations while the interpreter still runs (each removes its
    temporary folder of fonts when collected)."""
    for kept in _style_caches:
        kept.clear()


def _pdf_styles(html: str) -> tuple[str, list[Any], Any]:
    """``html`` without its static stylesheet links, those stylesheets parsed, and the font
    configuration their ``@font-face`` rules filled: kept per thread, since making a font
    configuration loads the system's font list and copies each font file into a temporary
    folder, which cost more than laying out a report. Keyed by the linked stylesheets and
    their files' modification times: another page's fonts never leak into a document, and
    an edited stylesheet is read again. The stylesheets apply as they would linked (the
    documents have no other style than WeasyPrint's defaults, which both override)."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    prefix = settings.STATIC_URL
    links = [
        (match.group(0), match.group(1))
        for match in STATIC_STYLESHEET.finditer(html)
        if match.group(1).startswith(prefix)
    ]
    if not links:
        return html, [], None
    key = []
    for _tag, href in links:
        path = static_file_path(unquote(href[len(prefix) :]))
        key.append((href, path.stat().st_mtime_ns if path else None))
    kept = getattr(_styles, "kept", None)
    if kept is None:
        kept = _styles.kept = {}
        _style_caches.append(kept)
    elif len(kept) > _STYLES_KEPT:
        kept.clear()
    entry = kept.get(tuple(key))
    if entry is None:
        font_config = FontConfiguration()
        fetcher = _static_fetcher_class()(fail_on_errors=True)
        sheets = [
            CSS(url=urljoin(PDF_BASE_URL, href), url_fetcher=fetcher, font_config=font_config)
            for _tag, href in links
        ]
        entry = kept[tuple(key)] = (sheets, font_config)
    for tag, _href in links:
        html = html.replace(tag, "", 1)
    return html, *entry


def html_to_pdf(html: str) -> bytes:
    """WeasyPrint over a page whose stylesheets and fonts are static files (nothing fetched
    from the network): the one PDF path (reports, certificates)."""
    from weasyprint import HTML

    html, stylesheets, font_config = _pdf_styles(html)
    fetcher = _static_fetcher_class()(fail_on_errors=True)
    document = HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=fetcher)
    return document.write_pdf(stylesheets=stylesheets, font_config=font_config)
