"""/api/v1/docs loads Swagger UI from the site itself (issue 17, finding 12); the browser check
that it renders under the CSP is tests/e2e/test_api_docs.py."""

import re


def test_api_docs_page_loads_no_script_from_a_cdn_and_runs_no_inline_script(world):
    response = world.client("office").get("/api/v1/docs")
    html = response.content.decode()
    assert response.status_code == 200
    sources = re.findall(r'<script[^>]*src="([^"]+)"', html)
    assert sources and all(s.startswith("/static/") for s in sources)
    assert "cdn" not in html.lower()
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert all('type="application/json"' in attrs for attrs in inline)  # data, not code
