from tests.e2e.conftest import login, screenshot
from tests.factories import PASSWORD


def test_member_logs_in_lands_on_home_and_logs_out(world, live_server, phone_page, browser):
    page = phone_page
    page.goto(f"{live_server.url}/console/")
    assert "/accounts/login/" in page.url  # a page needs a login
    screenshot(page, "login")

    login(page, live_server, "member_a", PASSWORD)
    page.wait_for_url(f"{live_server.url}/m/")
    assert page.locator(".hello").inner_text().startswith("甲支部党员")
    assert "测试社区第一党支部" in page.content()
    screenshot(page, "member-home")

    page.click(".h5-logout button")
    page.wait_for_url(f"{live_server.url}/accounts/login/")
    page.goto(f"{live_server.url}/m/")
    assert "/accounts/login/" in page.url  # the session is gone


def test_office_console_shows_the_tree_figures(world, live_server, page):
    login(page, live_server, "office", PASSWORD)
    page.wait_for_url(f"{live_server.url}/console/")
    figures = page.locator(".figure .n").all_inner_texts()
    assert figures == ["7", "4", "4"]  # orgs, grass-roots orgs, members in the test world
    page.click("text=组织架构")
    page.wait_for_selector("h1")
    assert "中共测试区委员会" in page.locator("h1").inner_text()
    screenshot(page, "console-orgs")
