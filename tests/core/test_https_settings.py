"""HTTPS behind the proxy: HSTS, the SSL redirect and the proxy's scheme header are settings,
off by default and on from the environment (issue 17, finding 11); so is the proxy count."""

import json
import os
import subprocess
import sys

NAMES = ["SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_PROXY_SSL_HEADER",
         "TRUST_X_FORWARDED_FOR", "TRUSTED_PROXY_COUNT"]


def _settings(**env) -> dict:
    code = f"import json, dangshi.settings as s; print(json.dumps({{n: getattr(s, n) for n in {NAMES!r}}}))"
    clean = {k: v for k, v in os.environ.items() if k not in NAMES and k != "TRUST_X_FORWARDED_PROTO"}
    out = subprocess.run([sys.executable, "-c", code], env={**clean, **env}, capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_plain_http_default_sends_no_hsts_and_trusts_no_forwarded_header():
    s = _settings()
    assert s["SECURE_SSL_REDIRECT"] is False and s["SECURE_HSTS_SECONDS"] == 0
    assert s["SECURE_PROXY_SSL_HEADER"] is None and s["TRUST_X_FORWARDED_FOR"] is False


def test_https_deployment_turns_on_hsts_redirect_and_the_proxy_scheme_header():
    s = _settings(SECURE_SSL_REDIRECT="1", SECURE_HSTS_SECONDS="31536000", SECURE_HSTS_INCLUDE_SUBDOMAINS="1",
                  TRUST_X_FORWARDED_PROTO="1", TRUST_X_FORWARDED_FOR="1", TRUSTED_PROXY_COUNT="2")
    assert s["SECURE_SSL_REDIRECT"] is True and s["SECURE_HSTS_SECONDS"] == 31536000
    assert s["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert s["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert s["TRUST_X_FORWARDED_FOR"] is True and s["TRUSTED_PROXY_COUNT"] == 2


def test_nonsense_proxy_count_fails_at_start():
    code = "import dangshi.settings"
    env = {**os.environ, "TRUSTED_PROXY_COUNT": "0"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)
    assert out.returncode != 0 and "TRUSTED_PROXY_COUNT" in out.stderr
