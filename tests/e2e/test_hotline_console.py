"""Browser journeys: the office dispatches a request from the queue, the branch signs it and
sees the caller in clear, the KPI page ranks orgs, a citizen files the public form on a phone."""

from datetime import timedelta

from django.core.cache import cache

from dangshi.hotline import services
from dangshi.hotline.models import Channel, Kind, Request, ServiceType
from dangshi.orgs.scope import scope_for
from tests.e2e.conftest import login, screenshot
from tests.factories import PASSWORD


def _request(world, content="小区门口路灯不亮,晚上出行不便"):
    services.service_defaults_ensure()  # live_server tests flush the data migration's rows
    return services.request_create(intake_org=world.root, channel=Channel.FORM, kind=Kind.COMPLAINT, content=content,
                                   service=ServiceType.objects.get(code="general"), caller_name="王小明",
                                   caller_phone="13755558888", address="和平路1号")


def test_office_dispatches_and_the_branch_signs_seeing_the_caller(world, live_server, page, browser):
    req = _request(world)
    login(page, live_server, "office", PASSWORD)
    page.wait_for_url(f"{live_server.url}/console/")
    page.click("text=诉求工单")
    page.wait_for_selector(".hotline-queue")
    assert req.number in page.content()
    screenshot(page, "hotline-queue")
    page.click(f"text={req.number}")
    page.wait_for_selector(".caller-phone")
    assert page.locator(".caller-phone").inner_text().startswith("137****8888")
    page.select_option("select[name=org]", world.branch_a.code)
    page.click("button:has-text('派单')")
    page.wait_for_selector("text=已保存")
    screenshot(page, "hotline-request")
    req.refresh_from_db()
    assert req.state == "dispatched" and req.org == world.branch_a

    other = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN").new_page()
    login(other, live_server, "admin_a", PASSWORD)
    other.goto(f"{live_server.url}/hotline/console/requests/{req.pk}/")
    other.click("button:has-text('签收')")
    other.wait_for_selector("text=已保存")
    assert "13755558888" in other.locator(".caller-phone").inner_text()
    other.context.close()


def test_kpi_page_ranks_the_orgs(world, live_server, page):
    req = _request(world)
    office, admin = scope_for(world.users["office"]), scope_for(world.users["admin_a"])
    req = services.request_dispatch(req=req, scope=office, actor=world.users["office"], org=world.branch_a)
    req = services.request_sign(req=req, scope=admin, actor=world.users["admin_a"])
    req = services.request_reply(req=req, scope=admin, actor=world.users["admin_a"], reply="已修复")
    services.request_callback(req=req, scope=office, actor=world.users["office"], resolution="resolved",
                              satisfaction="satisfied", now=req.replied_at + timedelta(hours=1))
    login(page, live_server, "office", PASSWORD)
    page.wait_for_url(f"{live_server.url}/console/")
    page.click("text=考核指标")
    page.wait_for_selector(".hotline-kpis")
    assert world.branch_a.name in page.locator(".hotline-kpis").inner_text()
    screenshot(page, "hotline-kpis")


def test_citizen_files_the_public_form_on_a_phone(world, live_server, phone_page):
    cache.clear()
    services.service_defaults_ensure()
    page = phone_page
    page.goto(f"{live_server.url}/hotline/form/")
    page.select_option("select[name=kind]", "help")
    page.fill("textarea[name=content]", "楼道堆放杂物,存在消防隐患")
    page.fill("input[name=name]", "赵六")
    page.fill("input[name=phone]", "13511112222")
    screenshot(page, "hotline-form")
    page.click("button:has-text('提交')")
    page.wait_for_selector(".number")
    number = page.locator(".number").inner_text()
    assert Request.objects.filter(number=number).exists()
    assert "13511112222" not in page.content()
