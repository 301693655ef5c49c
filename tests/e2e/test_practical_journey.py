"""Browser journeys for 我为群众办实事: the public board (no login), the office's catalogue and
rates, and a member claiming a matter on the phone. Screenshots go to docs/img/practical-*.png."""

import pytest

from dangshi.core.demo import DEMO_PASSWORD, DemoContext
from dangshi.orgs import demo as orgs_demo
from dangshi.practical import demo
from dangshi.practical.models import Claim, Matter, State
from tests.e2e.conftest import login, screenshot


@pytest.fixture
def district(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ctx = DemoContext(members=2000, log=lambda *_: None)
    orgs_demo.build(ctx)
    demo.build(ctx)
    return ctx


def test_resident_reads_and_filters_the_public_board(district, live_server, page):
    page.goto(f"{live_server.url}/practical/board/")
    assert "/accounts/login/" not in page.url
    assert page.locator(".matter-card").count() == 30  # first page of 174
    screenshot(page, "practical-board")
    page.select_option("select[name=tier]", "key")
    page.click("form.filters button")
    page.wait_for_url("**tier=key**")
    assert page.locator(".tag", has_text="重点实事").count() == page.locator(".matter-card").count() == 28
    page.locator(".matter-card h3 a").first.click()
    page.wait_for_selector(".milestones")
    assert page.locator(".milestones li").count() == 5
    screenshot(page, "practical-board-matter")


def test_office_sees_catalogue_rates_and_must_claim_list(district, live_server, page):
    login(page, live_server, "office", DEMO_PASSWORD)
    page.wait_for_url(f"{live_server.url}/console/")
    page.click("text=实事清单")
    page.wait_for_selector("table.table")
    assert f"共 {Matter.objects.count()} 件" in page.content()
    screenshot(page, "practical-console-matters")
    page.click("text=开工率与进度")
    page.wait_for_selector("h2")
    assert page.locator("h2").all_inner_texts()[:3] == ["按类别", "按领域", "按组织"]
    screenshot(page, "practical-console-stats")
    page.click("text=未认领领导干部")
    page.wait_for_selector("h1")
    screenshot(page, "practical-must-claim")
    matter = Matter.objects.filter(children__isnull=False).first()
    page.goto(f"{live_server.url}/practical/console/{matter.pk}/")
    assert "子实事" in page.content()
    screenshot(page, "practical-console-matter")


def test_member_claims_a_matter_on_the_phone(district, live_server, phone_page, settings):
    member = district.users["member1"].member
    step = settings.ORG_PATH_STEP
    chain = [member.org.path[:i] for i in range(step, len(member.org.path) + 1, step)]
    target = (Matter.objects.filter(state__in=(State.CLAIMED, State.IN_PROGRESS), children__isnull=True,
                                    claims__role="lead", org__path__in=chain)
              .exclude(claims__member=member).exclude(claimant_cap__isnull=False).first())
    login(phone_page, live_server, "member1", DEMO_PASSWORD)
    phone_page.wait_for_url(f"{live_server.url}/m/")
    phone_page.goto(f"{live_server.url}/practical/m/matters/{target.pk}/")
    screenshot(phone_page, "practical-member-matter")
    phone_page.click("button[name=joint][value='1']")
    phone_page.wait_for_selector(".flash")
    assert Claim.objects.filter(matter=target, member=member).exists()
    phone_page.goto(f"{live_server.url}/practical/m/")
    assert target.title in phone_page.content()
    screenshot(phone_page, "practical-member-claims")
    phone_page.goto(f"{live_server.url}/practical/m/deeds/new/")
    phone_page.fill("input[name=title]", "帮独居老人代办医保报销")
    phone_page.click("button.wide")
    phone_page.wait_for_url(f"{live_server.url}/practical/m/")
    assert "帮独居老人代办医保报销" in phone_page.content()
    screenshot(phone_page, "practical-member-deed")
