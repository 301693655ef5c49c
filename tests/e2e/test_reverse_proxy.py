"""Behind a real nginx (Debian's package) with TRUST_X_FORWARDED_FOR=1: the audit log carries
each client's own address, and one client's failed logins do not lock another client out
(issue 17, finding 1).

nginx runs as this test's own process, with a configuration written to a temporary folder,
on a free 127.0.0.1 port, proxying to the live server. Two clients are told apart by their
source address: all of 127.0.0.0/8 is the loopback on Linux, so a client bound to 127.0.0.2
reaches nginx from 127.0.0.2."""

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import time
from urllib.parse import urlparse

import pytest
from django.conf import settings as django_settings

from dangshi.audit.models import AuditEvent
from tests.factories import PASSWORD

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
CONF = """
daemon off;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 64; }}
http {{
  access_log off;
  client_body_temp_path {tmp}/body; proxy_temp_path {tmp}/proxy; fastcgi_temp_path {tmp}/fastcgi;
  uwsgi_temp_path {tmp}/uwsgi; scgi_temp_path {tmp}/scgi;
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://127.0.0.1:{upstream};
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
    }}
  }}
}}
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def nginx(live_server, tmp_path, settings):
    if not os.path.exists(NGINX):
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the reverse-proxy test, but {NGINX} is missing")
        pytest.skip("nginx not installed (apt-get install nginx)")
    settings.TRUST_X_FORWARDED_FOR, settings.TRUSTED_PROXY_COUNT = True, 1
    port = _free_port()
    (tmp_path / "nginx.conf").write_text(CONF.format(tmp=tmp_path, port=port, upstream=urlparse(live_server.url).port))
    proc = subprocess.Popen([NGINX, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-e", str(tmp_path / "error.log")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"nginx did not start: {(tmp_path / 'error.log').read_text()}")
            time.sleep(0.1)
    yield port
    proc.send_signal(signal.SIGQUIT)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def _token(port: int, source: str, username: str, password: str, headers: dict | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", port, source_address=(source, 0), timeout=30)
    body = json.dumps({"username": username, "password": password})
    conn.request("POST", "/api/v1/auth/token", body=body,
                 headers={"Content-Type": "application/json", "Host": "127.0.0.1", **(headers or {})})
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response.status, json.loads(data or b"{}")


def test_audit_rows_carry_each_clients_address_behind_nginx(world, nginx):
    assert _token(nginx, "127.0.0.2", "admin_a", "wrong")[0] == 403
    # A client that writes its own X-Forwarded-For is not believed: nginx appends what it saw.
    assert _token(nginx, "127.0.0.3", "admin_a", "wrong", {"X-Forwarded-For": "198.51.100.77"})[0] == 403
    assert _token(nginx, "127.0.0.4", "admin_a", PASSWORD)[0] == 200
    failed = list(AuditEvent.objects.filter(action="accounts.login.failed").order_by("id").values_list("ip", flat=True))
    assert failed == ["127.0.0.2", "127.0.0.3"]
    assert AuditEvent.objects.get(action="accounts.login.succeeded").ip == "127.0.0.4"


def test_one_clients_failures_behind_nginx_do_not_lock_another_client_out(world, nginx):
    for _ in range(django_settings.LOGIN_MAX_FAILURES):
        _token(nginx, "127.0.0.2", "admin_a", "wrong")
    status, body = _token(nginx, "127.0.0.2", "admin_a", PASSWORD)
    assert status == 403 and body["code"] == "locked"
    status, body = _token(nginx, "127.0.0.3", "admin_a", PASSWORD)
    assert status == 200 and body["token"]
