"""End-to-end journeys: real HTTP against pytest-django's live server, and headless
Chromium (Debian's /usr/bin/chromium) driven by Playwright. Screenshots go to docs/img/."""

import os
import shutil
import tempfile
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
IMG_DIR = Path(__file__).resolve().parents[2] / "docs" / "img"
# The network beyond localhost is closed: keep Chromium from trying it.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(config, items):
    for item in items:
        item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module. Not per session: Playwright's sync API keeps an event loop
    running in the main thread while it lives, and the tests after the journeys (the live
    contest's sockets, through async_to_sync) must not find one."""
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the browser journeys, but {CHROMIUM} is missing")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone_page(browser):
    """A phone-sized page, as a member sees it in WeChat."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                                  has_touch=True, locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()


def screenshot(page, name: str) -> Path:
    """Save a screenshot: into docs/img/ for the docs when SAVE_SCREENSHOTS=1 (make screenshots),
    else into a temporary folder, so that a test run leaves the work tree as it was."""
    target = IMG_DIR if os.environ.get("SAVE_SCREENSHOTS") == "1" else Path(tempfile.gettempdir()) / "dangshi-screenshots"
    target.mkdir(parents=True, exist_ok=True)
    path = target / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path


def closed_network(page, live_server) -> list[str]:
    """Abort every request not addressed to the live server (no CDN, no tile server); return
    the list of URLs that were tried, for the test to assert empty."""
    from urllib.parse import urlparse

    tried, host = [], urlparse(live_server.url).hostname

    def handle(r):
        if urlparse(r.request.url).hostname in {host, "localhost", "127.0.0.1"}:
            r.continue_()
        else:
            tried.append(r.request.url)
            r.abort()

    page.route("**/*", handle)
    return tried


def login(page, live_server, username: str, password: str):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
