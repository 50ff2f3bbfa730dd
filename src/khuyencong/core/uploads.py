"""Uploaded files: one validator (size + real type by magic bytes) and safe file names.

The browser-supplied content type and the file name are not trusted: the type is sniffed from
the first bytes and must agree with the extension. Allowed: PDF, Word (doc, docx), Excel
(xls, xlsx), JPEG and PNG. The size limit is ``settings.MAX_UPLOAD_SIZE``; the upload handler
below stops writing a bigger file to disk at the limit.

Refused as well: Office files with macros (a ``vbaProject.bin`` part), zip "bombs" (more than
``MAX_UNCOMPRESSED_SIZE`` once unpacked, or too many parts), a Word file named .xls (and the
reverse), and PDF files with active content (JavaScript, launch actions).

Files are stored under MEDIA_ROOT, which no URL serves: downloads go through views that check
the user's permission on the record (e.g. ``projects:document_download``) and send the file
with ``download_response``: as an attachment, never inline.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils.crypto import get_random_string
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _
from unidecode import unidecode

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy Office compound file (doc, xls)
ZIP = b"PK\x03\x04"  # Office Open XML is a zip (docx, xlsx)

# extension -> content type stored with the file
CONTENT_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
}
ALLOWED_EXTENSIONS = tuple(CONTENT_TYPES)
MAX_UNCOMPRESSED_SIZE = 200 * 1024 * 1024  # an Office file unpacked
MAX_ZIP_MEMBERS = 5000
# PDF names of active content: scripts and launching programs. (Not /OpenAction nor /AA:
# ordinary PDFs use them to set the opening view; the script or program they would run is
# named by these. Scripts inside compressed object streams are not seen.)
PDF_ACTIVE = (b"/JavaScript", b"/JS", b"/Launch")
# A PDF name ends at white space or a delimiter; any of its characters may be written as #xx
# (hex): /J#61vaScript is /JavaScript. One pattern per name, each character in either form.
_PDF_NAME_END = rb"(?=[\x00\t\n\x0c\r /<>\[\]()%{}]|$)"


def _pdf_name_pattern(name: bytes) -> bytes:
    def character(value: int) -> bytes:
        digits = f"{value:02x}"
        hex_form = b"".join(b"[%s%s]" % (d.encode(), d.upper().encode()) for d in digits)
        return b"(?:" + re.escape(bytes([value])) + b"|#" + hex_form + b")"

    return b"/" + b"".join(character(value) for value in name.lstrip(b"/")) + _PDF_NAME_END


_PDF_ACTIVE = re.compile(b"|".join(_pdf_name_pattern(name) for name in PDF_ACTIVE))


@dataclass(frozen=True)
class SniffedFile:
    extension: str
    content_type: str
    size: int


def _head(file: IO[bytes] | Any, length: int = 16) -> bytes:
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(length)
    file.seek(position)
    return head


class UnsafeContent(Exception):
    """The file is of an allowed type but carries something we refuse (macros, a bomb)."""


def _zip_kind(file: Any) -> str | None:
    """ "docx" or "xlsx" for an Office Open XML zip, ``None`` otherwise.

    Raises ``UnsafeContent`` for macros or an archive that unpacks to too much.
    """
    position = file.tell()
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError):
        return None
    finally:
        file.seek(position)
    names = {member.filename for member in members}
    if len(members) > MAX_ZIP_MEMBERS:
        raise UnsafeContent("too many parts")
    if sum(member.file_size for member in members) > MAX_UNCOMPRESSED_SIZE:
        raise UnsafeContent("unpacks to too much")
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise UnsafeContent("macros")
    if "[Content_Types].xml" not in names:
        return None
    if any(name.startswith("word/") for name in names):
        return "docx"
    if any(name.startswith("xl/") for name in names):
        return "xlsx"
    return None


def _chunks(file: Any, size: int = 1024 * 1024, overlap: int = 16) -> Iterator[bytes]:
    """The whole file in overlapping chunks (so a marker across a boundary is seen)."""
    position = file.tell()
    file.seek(0)
    tail = b""
    try:
        while True:
            chunk = file.read(size)
            if not chunk:
                break
            yield tail + chunk
            tail = chunk[-overlap:]
    finally:
        file.seek(position)


def _pdf_active(file: Any) -> bool:
    """Whether the PDF names active content (``PDF_ACTIVE``), written plainly or with #xx
    escapes. Read a chunk at a time, each cut after its last delimiter so no name is split."""
    position = file.tell()
    file.seek(0)
    carry = b""
    try:
        while chunk := file.read(1024 * 1024):
            data = carry + chunk
            cut = max(data.rfind(delimiter) for delimiter in (b" ", b"\n", b"\r", b"/", b"<", b">"))
            if cut <= 0 or len(data) - cut > 4096:  # no delimiter near the end: keep a tail
                cut = max(len(data) - 4096, 0)
            data, carry = data[:cut], data[cut:]
            if _PDF_ACTIVE.search(data):
                return True
        return _PDF_ACTIVE.search(carry) is not None
    finally:
        file.seek(position)


def _ole2_kind(file: Any) -> str | None:
    """ "doc" or "xls" for a legacy Office file (its stream names), ``None`` if unclear."""
    word = "WordDocument".encode("utf-16-le")
    book = ("Workbook".encode("utf-16-le"), "Book".encode("utf-16-le"))
    macros = ("Macros".encode("utf-16-le"), "_VBA_PROJECT".encode("utf-16-le"))
    kinds = set()
    for chunk in _chunks(file, overlap=32):
        if any(marker in chunk for marker in macros):
            raise UnsafeContent("macros")
        if word in chunk:
            kinds.add("doc")
        if any(marker in chunk for marker in book):
            kinds.add("xls")
    return kinds.pop() if len(kinds) == 1 else None


def sniff_type(file: Any) -> str | None:
    """The real kind of ``file`` from its bytes: pdf, png, jpg, ole2, docx, xlsx or ``None``."""
    head = _head(file)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(OLE2):
        return "ole2"
    if head.startswith(ZIP):
        return _zip_kind(file)
    return None


def _extension(name: str) -> str:
    return PurePath(name or "").suffix.lower().lstrip(".")


def _matches(extension: str, kind: str | None, file: Any = None) -> bool:
    if kind is None:
        return False
    if kind == "ole2":
        if extension not in {"doc", "xls"}:
            return False
        found = _ole2_kind(file) if file is not None else None
        return found is None or found == extension
    if kind == "jpg":
        return extension in {"jpg", "jpeg"}
    return extension == kind


def check_upload(file: Any) -> SniffedFile:
    """Validate size and type; return what was found. Raises ``ValidationError`` otherwise."""
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, 2)
        size = file.tell()
        file.seek(0)
    limit = settings.MAX_UPLOAD_SIZE
    if size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
            code="file_too_large",
        )
    if size == 0:
        raise ValidationError(_("The file is empty."), code="file_empty")
    extension = _extension(getattr(file, "name", ""))
    if extension not in CONTENT_TYPES:
        raise ValidationError(
            _("Only these file types are accepted: %(types)s.")
            % {"types": ", ".join(ALLOWED_EXTENSIONS)},
            code="file_type",
        )
    try:
        kind = sniff_type(file)
        matches = _matches(extension, kind, file)
        if matches and kind == "pdf" and _pdf_active(file):
            raise UnsafeContent("active content")
    except UnsafeContent as unsafe:
        raise ValidationError(
            _(
                "The file contains macros, scripts or other active content, or is damaged; "
                "save it without them (e.g. as PDF or .docx/.xlsx) and try again."
            ),
            code="file_unsafe",
        ) from unsafe
    if not matches:
        raise ValidationError(
            _("The file's content does not match its type (.%(ext)s).") % {"ext": extension},
            code="file_content",
        )
    return SniffedFile(extension=extension, content_type=CONTENT_TYPES[extension], size=size)


def download_response(file: Any, *, filename: str, content_type: str) -> FileResponse:
    """An uploaded file sent back: always as an attachment (a browser never opens an
    uploaded PDF, image or page inline, where a script in it would run) and with
    ``X-Content-Type-Options: nosniff`` (its type is the stored one, never guessed)."""
    response = FileResponse(file, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def validate_upload(file: Any) -> None:
    """Model/form field validator: see ``check_upload``."""
    check_upload(file)


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def sanitize_filename(name: str, *, max_length: int = 100) -> str:
    """A safe ASCII file name: no path, no accents, no spaces, a lower-case extension.

    "../Biên bản nghiệm thu (lần 1).PDF" -> "Bien_ban_nghiem_thu_lan_1.pdf"
    """
    base = PurePath((name or "").replace("\\", "/")).name
    ascii_name = unidecode(unicodedata.normalize("NFC", base))
    stem, _dot, ext = ascii_name.rpartition(".")
    if not stem:
        stem, ext = ext, ""
    stem = _UNSAFE.sub("_", stem).strip("._-") or "file"
    ext = _UNSAFE.sub("", ext).lower()
    stem = stem[: max_length - len(ext) - 1]
    return f"{stem}.{ext}" if ext else stem


@deconstructible
class UploadPath:
    """``upload_to`` callable: ``<prefix>/<owner id>/<random>_<safe name>``.

    ``owner_field`` names the attribute holding the owner's id (e.g. ``project_id``).
    """

    def __init__(self, prefix: str, owner_field: str):
        self.prefix = prefix
        self.owner_field = owner_field

    def __call__(self, instance: Any, filename: str) -> str:
        owner = getattr(instance, self.owner_field, None) or "unassigned"
        return f"{self.prefix}/{owner}/{get_random_string(8)}_{sanitize_filename(filename)}"

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, UploadPath)
            and other.prefix == self.prefix
            and other.owner_field == self.owner_field
        )

    def __hash__(self) -> int:
        return hash((self.prefix, self.owner_field))


class LimitedTemporaryFileUploadHandler(TemporaryFileUploadHandler):
    """Writes at most ``MAX_UPLOAD_SIZE`` + 1 bytes of a file to disk, but reports its real
    size, so that ``check_upload`` can say how big it was while the disk is spared."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        limit = settings.MAX_UPLOAD_SIZE + 1
        room = max(0, limit - self.received)
        self.received += len(raw_data)
        if room:
            self.file.write(raw_data[:room])

    def file_complete(self, file_size: int) -> Any:
        self.file.seek(0)
        self.file.size = self.received
        return self.file
