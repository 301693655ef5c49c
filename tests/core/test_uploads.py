"""Evidence uploads are checked by content and size (issue 17, finding 6)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from dangshi.core.uploads import KINDS, MB, upload_check
from dangshi.errors import Invalid
from tests.practical.test_deeds_and_ratings import in_progress, matter

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
HTML = b"<!doctype html><html><script>fetch('/api/v1/me').then(r=>r.text()).then(alert)</script></html>"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)"/>'


def _xlsx() -> bytes:
    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


@pytest.mark.parametrize(("name", "data"), [
    ("page.html", HTML), ("logo.svg", SVG), ("photo.png", HTML), ("photo.png", SVG), ("scan.pdf", HTML),
    ("a.png", b"MZ\x90\x00 an exe"), ("a.docx", b"PK\x03\x04 not really a zip"),
])
def test_html_svg_and_renamed_html_uploads_are_refused(name, data):
    with pytest.raises(Invalid) as caught:
        upload_check(SimpleUploadedFile(name, data), kind="evidence", field="evidence")
    assert caught.value.field == "evidence"


def test_a_png_named_jpg_is_refused_for_its_mismatched_extension():
    with pytest.raises(Invalid, match="PNG"):
        upload_check(SimpleUploadedFile("photo.jpg", PNG), kind="evidence")


def test_a_file_over_the_kinds_cap_is_refused_before_it_is_read(tmp_path):
    cap = KINDS["evidence"][1]
    big = SimpleUploadedFile("big.png", PNG + b"\0" * (cap + 1 - len(PNG)))
    with pytest.raises(Invalid, match=f"{cap // MB} MB"):
        upload_check(big, kind="evidence")


@pytest.mark.parametrize(("name", "data"), [("p.png", PNG), ("p.JPG", b"\xff\xd8\xff\xe0" + b"\0" * 16),
                                            ("scan.pdf", b"%PDF-1.7\n"), ("sheet.xlsx", None)])
def test_photos_pdfs_and_office_files_are_accepted(name, data):
    upload = SimpleUploadedFile(name, data if data is not None else _xlsx())
    upload_check(upload, kind="evidence")
    assert upload.tell() == 0


def test_practical_evidence_refuses_html_named_png_through_the_page(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    m = in_progress(world, matter(world))
    response = world.client("admin_a").post(f"/api/v1/practical/matters/{m.pk}/progress", {
        "percent": 45, "note": "进展", "files": [SimpleUploadedFile("x.png", HTML, content_type="image/png")]})
    assert response.status_code == 422 and response.json()["field"] == "evidence"
    assert not list(tmp_path.rglob("x*.png"))  # nothing written
