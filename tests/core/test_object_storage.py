"""Uploads in S3 (core/storage.py), against moto's S3 server started here on 127.0.0.1."""

import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import boto3
import pytest
import requests
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from dangshi.reports.models import Briefing

BUCKET = "dangshi-test"
CREDS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing", "region_name": "us-east-1"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def s3_server():
    port = _free_port()
    server = subprocess.Popen([str(Path(sys.executable).parent / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):  # moto loads its services on the first request: give it 30 s
            try:
                requests.get(endpoint, timeout=5)
                break
            except requests.RequestException:
                time.sleep(0.1)
        boto3.client("s3", endpoint_url=endpoint, **CREDS).create_bucket(Bucket=BUCKET)
        yield endpoint
    finally:
        server.terminate()
        server.wait(10)


@pytest.fixture
def on_s3(settings, s3_server):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "dangshi.core.storage.MediaStorage", "OPTIONS": {
        "bucket_name": BUCKET, "endpoint_url": s3_server, "access_key": "testing", "secret_key": "testing",
        "region_name": "us-east-1", "addressing_style": "path", "signature_version": "s3v4",
        "querystring_expire": 300, "file_overwrite": False, "default_acl": None}}}
    settings.S3_SIGNED_URL_SECONDS = 120
    # (changing STORAGES resets Django's storages and default_storage: test/signals.py)
    return boto3.client("s3", endpoint_url=s3_server, **CREDS)


def _briefing(world) -> Briefing:
    b = Briefing(org=world.branch_a, kind="week", period="2021-W23", start="2021-06-07", end="2021-06-13", number=1)
    b.file.save("BRA-2021-W23.docx", ContentFile(b"PK briefing bytes"), save=False)
    b.save()
    return b


@pytest.mark.django_db
def test_an_upload_lands_in_the_bucket(world, on_s3):
    b = _briefing(world)
    assert on_s3.get_object(Bucket=BUCKET, Key=b.file.name)["Body"].read() == b"PK briefing bytes"


@pytest.mark.django_db
def test_a_private_file_redirects_its_reader_to_a_short_lived_signed_url(world, on_s3):
    b = _briefing(world)
    response = world.client("admin_a").get(f"/reports/console/briefings/{b.pk}.docx")
    assert response.status_code == 302
    url = response["Location"]
    assert "X-Amz-Signature=" in url and "X-Amz-Expires=120" in url
    fetched = requests.get(url, timeout=10)
    assert fetched.status_code == 200 and fetched.content == b"PK briefing bytes"
    # the download's name: the org's Chinese name, the period and the issue number (RFC 6266)
    assert quote("测试社区第一党支部-2021-W23-第1期.docx") in fetched.headers["Content-Disposition"]


@pytest.mark.django_db
def test_a_private_file_is_404_out_of_scope_and_its_plain_url_is_refused(world, on_s3):
    b = _briefing(world)
    for persona in ("admin_b", "outsider", "member_a"):
        assert world.client(persona).get(f"/reports/console/briefings/{b.pk}.docx").status_code == 404
    plain = world.client("admin_a").get(f"/reports/console/briefings/{b.pk}.docx")["Location"].split("?")[0]
    assert requests.get(plain, timeout=10).status_code == 403  # private: no signature, no file


@pytest.mark.django_db
def test_a_public_file_is_linked_by_its_plain_url(on_s3):
    name = default_storage.save("redsites/photos/site.jpg", ContentFile(b"\xff\xd8 photo"))
    url = default_storage.url(name)
    assert "X-Amz-Signature" not in url and "?" not in url
    assert requests.get(url, timeout=10).content == b"\xff\xd8 photo"
    grants = on_s3.get_object_acl(Bucket=BUCKET, Key=name)["Grants"]
    assert any(g["Grantee"].get("URI", "").endswith("/AllUsers") and g["Permission"] == "READ" for g in grants)
