"""承诺践诺 in the browser: a member drafts and submits on the phone, the branch secretary
returns it with a comment, the member reworks it, the secretary approves and publishes it,
and the public board shows it. Screenshots for docs/pledges.md."""

from tests.e2e.conftest import login, screenshot
from tests.factories import PASSWORD
from tests.pledges import builders as b


def _fill_row(page, n, what, measure, due="2021-12-31", category="service"):
    page.fill(f"input[name=what_{n}]", what)
    page.fill(f"input[name=measure_{n}]", measure)
    page.fill(f"input[name=due_on_{n}]", due)
    page.select_option(f"select[name=category_{n}]", category)


def test_member_commits_secretary_reviews_public_sees(world, live_server, phone_page, browser):
    b.round_(world)
    b.checklist(world)
    b.unit(world, title="为辖区老人办好助餐点")
    member = phone_page
    login(member, live_server, "member_a", PASSWORD)
    member.wait_for_url(f"{live_server.url}/m/")
    member.goto(f"{live_server.url}/pledges/m/")
    member.click("text=作出本期承诺")
    _fill_row(member, 0, "结对帮扶 2 户困难群众", "每月走访 1 次")
    _fill_row(member, 1, "读完《中国共产党简史》", "撰写心得 1 篇", category="study")
    screenshot(member, "pledges-member-draft")
    member.click("text=保存草稿")
    member.wait_for_selector(".flash")
    member.click("button[value=submit]")
    member.wait_for_selector(".flash >> text=已提交审核")
    assert "待审核" in member.content()

    desk = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN").new_page()
    login(desk, live_server, "admin_a", PASSWORD)
    desk.wait_for_url(f"{live_server.url}/console/")
    desk.click("text=审诺(待审核)")
    desk.wait_for_selector("form.pl-review")
    screenshot(desk, "pledges-review-queue")
    desk.fill("form.pl-review input[name=comment]", "请写明帮扶对象和具体事项")
    desk.click("form.pl-review button[value=return]")
    desk.wait_for_selector(".flash")

    member.reload()
    assert "请写明帮扶对象和具体事项" in member.content()
    member.click("#edit-pledge")
    member.wait_for_selector("#returned-comment")
    _fill_row(member, 0, "结对帮扶 2 户困难群众(王某某、李某某),代办医保续缴", "每月走访 1 次")
    member.click("text=保存草稿")
    member.wait_for_selector(".flash")
    member.click("button[value=submit]")
    member.wait_for_selector(".flash >> text=已提交审核")
    screenshot(member, "pledges-member-submitted")

    desk.goto(f"{live_server.url}/pledges/console/review/")
    desk.click("form.pl-review button[value=approve]")
    desk.wait_for_selector(".flash")
    desk.goto(f"{live_server.url}/pledges/console/review/?state=approved")
    desk.click("table a >> nth=0")
    desk.wait_for_selector("button[value=publish]")
    desk.click("button[value=publish]")
    desk.wait_for_selector(".flash")
    screenshot(desk, "pledges-console-pledge")

    member.reload()
    member.fill("textarea[name=note]", "已走访王某某家,帮助办理医保续缴")
    member.fill("input[name=evidence]", "走访照片 2 张")
    member.click("button[value=progress]")
    member.wait_for_selector(".flash")
    assert "践诺中" in member.content()
    screenshot(member, "pledges-member-progress")

    public = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN").new_page()
    public.goto(f"{live_server.url}/pledges/public/org/{world.branch_a.code}/")
    body = public.content()
    assert "甲支部党员" in body and "代办医保续缴" in body and "走访王某某家" in body
    assert world.members["member_a"].phone not in body
    screenshot(public, "pledges-public-board")

    desk.goto(f"{live_server.url}/pledges/console/units/?org={world.branch_a.code}&year=2021")
    screenshot(desk, "pledges-units")
    desk.goto(f"{live_server.url}/pledges/console/checklists/")
    desk.click("text=履新九个一")
    desk.wait_for_selector("#checklist-rate")
    desk.fill("input[name=done_on]", "2021-05-04")
    desk.fill("input[name=evidence]", "集中亮相会议记录")
    desk.click("text=登记完成")
    desk.wait_for_selector(".flash")
    assert desk.locator("#checklist-rate").inner_text() == "11.1%"  # 1 of 9 items, the one org in reach
    screenshot(desk, "pledges-checklist")
    desk.goto(f"{live_server.url}/pledges/console/todo/")
    screenshot(desk, "pledges-todo")
