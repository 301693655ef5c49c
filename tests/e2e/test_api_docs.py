"""/api/v1/docs renders under the site's CSP from local files (issue 17, finding 12)."""

from tests.e2e.conftest import closed_network, login
from tests.factories import PASSWORD


def test_api_docs_render_under_the_csp_without_any_cdn(world, live_server, page):
    tried = closed_network(page, live_server)
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    login(page, live_server, "office", PASSWORD)
    page.goto(f"{live_server.url}/api/v1/docs")
    page.wait_for_selector(".swagger-ui .info .title", timeout=30_000)
    assert "dangshi API" in page.inner_text(".swagger-ui .info .title")
    page.wait_for_selector(".opblock-tag", timeout=30_000)
    assert page.locator(".opblock-tag").count() > 5  # the modules' routers are listed
    assert tried == [] and violations == []
