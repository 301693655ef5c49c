"""The live contest in headless Chromium: the host console, the big screen (1920×1080), three
desk phones and two audience phones, each in its own browser context. Pages come from the live
server (WSGI), sockets from the ASGI app (dangshi.asgi) on a uvicorn server in a thread, as
`make run` serves them with two granians.

The show: 必答 (红旗 and 星火 right, 先锋 wrong), 抢答 (先锋 buzzes early: a foul; 星火's valid
buzz wins and answers right), 风险题 (红旗 stakes 20 and wins, 星火 stakes 10 and wins, 先锋
stakes 10 and loses), so 红旗 and 星火 tie at 30 and 加赛 breaks it (红旗 buzzes first, right).
A judge's adjustment is undone by the host; an audience phone is closed mid-question and a new
one sees the question and the clock at once; the screen is reloaded and loses nothing; the
screen's final scoreboard equals the exported results. Screenshots: docs/img/live-*.png."""

import io
import socket
import threading
import time
from datetime import date

import pytest
import uvicorn
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from openpyxl import load_workbook

from dangshi import asgi
from dangshi.live import services
from dangshi.live.models import LiveQuestion, RoundKind
from dangshi.orgs.models import Campaign, OrgKind, Role
from dangshi.quiz.services.bank import question_create
from tests import factories as f
from tests.e2e.conftest import screenshot


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def asgi_server(transactional_db, settings):
    """dangshi.asgi on a free port; pages are told to open their sockets there."""
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(asgi.application, host="127.0.0.1", port=port, lifespan="off",
                                           log_level="warning", ws="websockets-sansio"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    # The live server's host name: the session cookie is SameSite=Lax, so a socket to another
    # site (127.0.0.1 from a page on localhost) would go without it.
    settings.LIVE_WS_URL = f"ws://localhost:{port}"
    yield settings.LIVE_WS_URL
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def show(transactional_db):
    root = f.org(None, "中共测试区委员会", OrgKind.DISTRICT, code="LROOT", grassroots=False)
    branch = f.org(root, "测试社区第一党支部", code="LBR")
    Campaign.objects.create(name="党史学习教育", root=root, starts_on=date(2021, 1, 1), ends_on=date(2030, 12, 31))
    users = {"host": f.user("live_host")}
    f.role(users["host"], Role.ORG_ADMIN, branch)
    members = {}
    for name in ("desk1", "desk2", "desk3", "viewer1", "viewer2"):
        users[name] = f.user(f"live_{name}")
        members[name] = f.member(branch, f"{name}队员", user=users[name])
    ids = [question_create(type="single", stem=f"现场题{i}:中国共产党第一次全国代表大会在哪座城市开幕?",
                           options={"A": "上海", "B": "北京", "C": "广州"}, answer="A", log=False).pk
           for i in range(1, 11)]
    contest = services.contest_create(org=branch, title="党史知识竞赛决赛", actor=users["host"])
    for i, name in enumerate(("红旗队", "星火队", "先锋队"), start=1):
        services.team_add(contest=contest, name=name, members=[members[f"desk{i}"]])
    plan = [(RoundKind.REQUIRED, ids[0:3]), (RoundKind.BUZZ, ids[3:4]), (RoundKind.RISK, ids[4:7]),
            (RoundKind.TIEBREAK, ids[7:8])]
    for kind, chosen in plan:
        rnd = services.round_add(contest=contest, kind=kind, seconds=60, points=10, penalty=0, foul_penalty=5,
                                 risk_values=[10, 20, 30])
        services.round_questions_choose(round=rnd, question_ids=chosen)
    services.contest_fix(contest=contest)
    return contest, users


def _session_cookies(user, urls) -> list[dict]:
    """A signed-in session's cookie (cookies ignore ports: the sockets' server gets it too)."""
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return [{"name": "sessionid", "value": store.session_key, "url": url} for url in urls]


def _context(browser, urls, user, *, phone: bool, size=None):
    if phone:
        context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                                      has_touch=True, locale="zh-CN")
    else:
        context = browser.new_context(viewport=size or {"width": 1440, "height": 900}, locale="zh-CN")
    context.add_cookies(_session_cookies(user, urls))
    page = context.new_page()
    page.on("dialog", lambda d: d.accept())
    return context, page


# Waits are selectors, not wait_for_function: the pages' CSP forbids the eval it needs.
def _state(page, value: str):
    page.wait_for_selector(f"#live-question[data-state='{value}']", state="attached", timeout=15000)


def _phase(page, value: str):
    page.wait_for_selector(f"#live[data-phase='{value}']", state="attached", timeout=15000)


def _score(page, team_id) -> int:
    return int(page.locator(f"#live-scoreboard tr[data-team-id='{team_id}']").get_attribute("data-score"))


def _scores_are(page, expected: dict):
    for team_id, score in expected.items():
        page.wait_for_selector(f"#live-scoreboard tr[data-team-id='{team_id}'][data-score='{score}']",
                               state="attached", timeout=15000)


def _team_answered(host):
    host.wait_for_selector("#host-team-answers:not(:text-is('—'))", state="attached", timeout=15000)


def _host(page, action: str):
    page.click(f".live-actions [data-action='{action}']:not([data-rehearsal])")


def _show(host, question):
    host.click(f"#host-run tr[data-question='{question.pk}'] [data-action='show']")


def test_a_whole_show_on_seven_screens(browser, live_server, asgi_server, show):
    contest, users = show
    base = live_server.url
    urls = [base]
    red, spark, vanguard = list(contest.teams.order_by("position"))
    qs = {k: list(LiveQuestion.objects.filter(round__contest=contest, round__kind=k).order_by("position"))
          for k in RoundKind.values}
    contexts = []

    def open_(user, path, **kw):
        context, page = _context(browser, urls, user, **kw)
        contexts.append(context)
        page.goto(base + path)
        return page

    host = open_(users["host"], f"/live/{contest.pk}/host/", phone=False)
    screen = open_(users["host"], f"/live/{contest.pk}/screen/", phone=False, size={"width": 1920, "height": 1080})
    desks = {}
    for team, name in ((red, "desk1"), (spark, "desk2"), (vanguard, "desk3")):
        page = open_(users[name], f"/live/desk/{team.join_key}/", phone=True)
        page.fill("input[name=pin]", team.pin)
        page.click("button.primary")
        page.wait_for_selector("#desk-buzz", state="attached")
        desks[team.pk] = page
    viewers = [open_(users[n], f"/live/{contest.pk}/watch/", phone=True) for n in ("viewer1", "viewer2")]
    for page in (host, screen, *desks.values(), *viewers):
        _phase(page, "ready")

    _host(host, "start")
    _phase(screen, "live")

    # 必答: each desk in turn; the audience answers along the first question.
    for question, team, pick in zip(qs["required"], (red, spark, vanguard), ("A", "A", "B"), strict=True):
        _show(host, question)
        _state(screen, "shown")
        _host(host, "timer")
        _state(desks[team.pk], "open")
        if question == qs["required"][0]:
            viewers[0].click("#aud-choices .live-choice[data-key='A']")
            viewers[1].click("#aud-choices .live-choice[data-key='B']")
            viewers[0].wait_for_selector("#aud-answered:text-is('1')", state="attached")
            screenshot(screen, "live-screen-question")
            screenshot(viewers[0], "live-audience")
        if question == qs["required"][1]:
            # A phone that drops mid-question (WeChat killed it): a new page sees the question and clock at once.
            left_before = int(viewers[1].locator("#live-clock").get_attribute("data-seconds"))
            viewers[1].close()
            viewers[1] = contexts[-1].new_page()
            viewers[1].goto(f"{base}/live/{contest.pk}/watch/")
            _state(viewers[1], "open")
            assert viewers[1].locator("#live-stem").inner_text() == question.version.stem
            viewers[1].wait_for_selector("#live-clock[data-seconds]", state="attached")
            left_after = int(viewers[1].locator("#live-clock").get_attribute("data-seconds"))
            assert 0 < left_after <= left_before
        desks[team.pk].click(f"#desk-choices .live-choice[data-key='{pick}']")
        _team_answered(host)
        _host(host, "accept" if pick == "A" else "reject")
        _state(screen, "closed")
        _host(host, "reveal")
        _state(screen, "revealed")
    _scores_are(screen, {red.pk: 10, spark.pk: 10, vanguard.pk: 0})
    viewers[0].wait_for_selector("#aud-correct:text-is('1')", state="attached")
    screenshot(host, "live-host")

    # 抢答: 先锋 buzzes before the host opens it (a foul); 星火's buzz after opening wins.
    buzz_q = qs["buzz"][0]
    _show(host, buzz_q)
    _state(desks[vanguard.pk], "shown")
    desks[vanguard.pk].click("#desk-buzz")
    screen.wait_for_selector("#live-buzzes .buzz.foul")
    _host(host, "timer")
    _state(desks[spark.pk], "open")
    screenshot(desks[spark.pk], "live-desk-buzz")
    desks[spark.pk].click("#desk-buzz")
    _state(screen, "floor")
    assert "星火队" in screen.locator("#live-turn").inner_text()
    screenshot(screen, "live-screen-buzz")
    desks[spark.pk].click("#desk-choices .live-choice[data-key='A']")
    _team_answered(host)
    _host(host, "accept")
    _state(screen, "closed")
    _host(host, "reveal")
    _scores_are(screen, {red.pk: 10, spark.pk: 20, vanguard.pk: -5})

    # A screen reload loses nothing.
    screen.reload()
    _scores_are(screen, {red.pk: 10, spark.pk: 20, vanguard.pk: -5})
    _state(screen, "revealed")

    # A judge's adjustment, then the host undoes it.
    judges = host.context.new_page()
    judges.goto(f"{base}/live/{contest.pk}/judges/")
    _phase(judges, "live")
    judges.select_option("#judge-form select[name=team]", str(vanguard.pk))
    judges.fill("#judge-form input[name=points]", "5")
    judges.fill("#judge-form input[name=reason]", "计时器故障补偿")
    judges.click("#judge-form button")
    _scores_are(screen, {vanguard.pk: 0})
    screenshot(judges, "live-judges")
    _host(host, "undo")
    _scores_are(screen, {vanguard.pk: -5})

    # 风险题: the desk in turn stakes a value, then answers.
    for question, team, stake, pick in zip(qs["risk"], (red, spark, vanguard), (20, 10, 10), ("A", "A", "B"),
                                           strict=True):
        desk = desks[team.pk]
        desk.wait_for_selector("#desk-risk:not([hidden])")
        if team == red:
            screenshot(desk, "live-desk-risk")
        desk.click(f"#desk-risk-values .live-choice:text-is('{stake}')")
        host.wait_for_selector(f"#host-run tr[data-question='{question.pk}'] .button.primary:text-is('{stake}')")
        _show(host, question)
        _host(host, "timer")
        _state(desk, "open")
        desk.click(f"#desk-choices .live-choice[data-key='{pick}']")
        _team_answered(host)
        _host(host, "accept" if pick == "A" else "reject")
        _state(screen, "closed")
        _host(host, "reveal")
        _state(screen, "revealed")
    _scores_are(screen, {red.pk: 30, spark.pk: 30, vanguard.pk: -15})

    # 加赛 between the tied 红旗 and 星火: 红旗 buzzes first and is right.
    tie_q = qs["tiebreak"][0]
    _show(host, tie_q)
    _host(host, "timer")
    _state(desks[red.pk], "open")
    desks[red.pk].click("#desk-buzz")
    _state(screen, "floor")
    desks[red.pk].click("#desk-choices .live-choice[data-key='A']")
    _team_answered(host)
    _host(host, "accept")
    _scores_are(screen, {red.pk: 40, spark.pk: 30, vanguard.pk: -15})

    _host(host, "finish")
    _phase(screen, "finished")
    screenshot(screen, "live-screen-final")
    rows = screen.locator("#live-scoreboard tbody tr")
    on_screen = [tuple(rows.nth(i).locator("td").all_inner_texts()) for i in range(rows.count())]
    assert on_screen == [("1", "红旗队", "40"), ("2", "星火队", "30"), ("3", "先锋队", "-15")]

    export = host.context.request.get(f"{base}/live/{contest.pk}/results.xlsx")
    assert export.status == 200
    book = load_workbook(io.BytesIO(export.body()))
    exported = [tuple(str(v) for v in row) for row in book["名次"].iter_rows(min_row=2, values_only=True)]
    assert exported == on_screen
    for context in contexts:
        context.close()
