"""User uploads are never served as a page of the site (issue 17, finding 6)."""

import pytest
from django.test import Client


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "practical").mkdir()
    (tmp_path / "practical" / "x.html").write_bytes(b"<html><script>alert(document.cookie)</script></html>")
    (tmp_path / "practical" / "p.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 16)
    (tmp_path / "practical" / "s.svg").write_bytes(b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>')
    return tmp_path


@pytest.mark.parametrize("name", ["x.html", "s.svg"])
def test_an_uploaded_html_or_svg_file_downloads_instead_of_running_on_the_sites_origin(db, media, name):
    response = Client().get(f"/media/practical/{name}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_photos_show_inline_with_nosniff(db, media):
    response = Client().get("/media/practical/p.png")
    assert response["Content-Type"] == "image/png" and response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_paths_outside_media_root_are_not_served(db, media):
    for url in ("/media/../settings.py", "/media/%2e%2e/%2e%2e/etc/passwd", "/media/practical/../../x"):
        assert Client().get(url).status_code in (400, 404)
