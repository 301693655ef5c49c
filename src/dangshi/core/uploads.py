"""What a user may upload as evidence (practical matters, deeds, supervision tasks), checked by
content and size, never by the name or the browser's Content-Type alone.

The first bytes must be one of the formats of the upload's kind, and the name's extension must
be that format's: HTML, SVG (script in XML), or HTML renamed `.png` is refused, as is anything
over the kind's size cap. Files are served by `core.media` as attachments with `nosniff`."""

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.utils.translation import gettext as _

from dangshi.errors import Invalid

MB = 1024 * 1024


@dataclass(frozen=True)
class Format:
    name: str
    suffixes: frozenset[str]


JPEG = Format("JPEG", frozenset({".jpg", ".jpeg"}))
PNG = Format("PNG", frozenset({".png"}))
GIF = Format("GIF", frozenset({".gif"}))
WEBP = Format("WEBP", frozenset({".webp"}))
PDF = Format("PDF", frozenset({".pdf"}))
DOCX = Format("Word", frozenset({".docx"}))
XLSX = Format("Excel", frozenset({".xlsx"}))
IMAGES = (JPEG, PNG, GIF, WEBP)

# kind → (formats accepted, size cap in bytes)
KINDS: dict[str, tuple[tuple[Format, ...], int]] = {
    "photo": (IMAGES, 10 * MB),
    "evidence": ((*IMAGES, PDF, DOCX, XLSX), 20 * MB),
}


def sniff(head: bytes, fh=None) -> Format | None:
    """The format the first bytes announce (for a ZIP, what its members say), else None."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04") and fh is not None:
        try:
            with zipfile.ZipFile(fh) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        finally:
            fh.seek(0)
        if "[Content_Types].xml" in names:
            if "word/document.xml" in names:
                return DOCX
            if "xl/workbook.xml" in names:
                return XLSX
    return None


def upload_check(upload, *, kind: str, field: str = "file") -> Format:
    """Raise Invalid (naming `field`) unless `upload` is within its kind's size cap, its content
    is one of the kind's formats and its extension is that format's. Leaves it at offset 0."""
    formats, cap = KINDS[kind]
    name = getattr(upload, "name", "") or ""
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
    if size > cap:
        raise Invalid(_("文件过大:%(name)s 超过 %(mb)d MB。") % {"name": name, "mb": cap // MB}, field=field)
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    found = sniff(head, upload)
    allowed = " / ".join(f.name for f in formats)
    if found is None or found not in formats:
        raise Invalid(_("文件类型不支持:%(name)s(可上传 %(allowed)s)。") % {"name": name, "allowed": allowed},
                      field=field)
    if PurePath(name).suffix.lower() not in found.suffixes:
        raise Invalid(_("文件内容与扩展名不符:%(name)s 实为 %(fmt)s 文件。") % {"name": name, "fmt": found.name},
                      field=field)
    return found
