"""The live pages: scope (out of scope is 404 for host, screen, judges and desks; audience
needs a signed-in member of the subtree or a public show), preparing a show in the console,
the PIN join, and after the show the .xlsx results and the certificates that verify."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dangshi.audit.models import AuditEvent
from dangshi.live import selectors, services
from dangshi.live.consumers import DESK_SESSION_KEY
from dangshi.live.models import LiveContest, Phase, RoundKind
from dangshi.quiz.services import live_certificates
from tests.live.conftest import build_show, questions, teams

HOST_PAGES = ("live:console_contest", "live:host", "live:screen", "live:judges")


def _url(name, show):
    return reverse(name, args=[show.pk])


@pytest.mark.parametrize("name", HOST_PAGES)
def test_host_pages_answer_the_host_and_404_out_of_scope(world, show, name):
    assert world.client("admin_a").get(_url(name, show)).status_code == 200
    assert world.client("office").get(_url(name, show)).status_code == 200
    for persona in ("admin_b", "member_a", "member_c", "outsider"):
        assert world.client(persona).get(_url(name, show)).status_code == 404, persona


def test_live_pages_let_their_websocket_through_the_csp(world, show):
    response = world.client("admin_a").get(_url("live:screen", show))
    csp = response["Content-Security-Policy"]
    assert "connect-src 'self' ws://testserver:81" in csp
    assert f'data-ws="ws://testserver:81/ws/live/{show.pk}/screen/"' in response.content.decode()


def test_out_of_scope_users_cannot_join_a_desk(world, show):
    team = teams(show)[0]
    for persona in ("admin_b", "member_c", "outsider"):
        client = world.client(persona)
        assert client.get(f"/live/desk/{team.join_key}/").status_code == 404, persona
        assert client.post(f"/live/desk/{team.join_key}/", {"pin": team.pin}).status_code == 404, persona
    assert world.client(None).get(f"/live/desk/{team.join_key}/").status_code == 302  # to the login


def test_a_desk_joins_with_the_pin_and_a_wrong_pin_is_refused(world, show):
    team = teams(show)[0]
    client = world.client("member_a")
    page = client.get(f"/live/desk/{team.join_key}/")
    assert page.status_code == 200 and "口令" in page.content.decode() and "desk-buzz" not in page.content.decode()
    wrong = client.post(f"/live/desk/{team.join_key}/", {"pin": "x"}, follow=True)
    assert "口令不正确" in wrong.content.decode()
    client.post(f"/live/desk/{team.join_key}/", {"pin": team.pin})
    assert client.session[DESK_SESSION_KEY] == {str(team.pk): team.join_key}
    assert "desk-buzz" in client.get(f"/live/desk/{team.join_key}/").content.decode()
    assert AuditEvent.objects.filter(action="live.desk.joined").count() == 1


def test_audience_needs_a_member_of_the_subtree_unless_the_show_is_public(world, bank, campaign):
    show = build_show(world)
    url = _url("live:audience", show)
    assert world.client("member_a").get(url).status_code == 200
    for persona in ("member_c", "admin_b", "outsider", None):
        assert world.client(persona).get(url).status_code == 404, persona
    public = build_show(world, public=True)
    client = world.client(None)
    page = client.get(_url("live:audience", public))
    assert page.status_code == 200 and 'name="name"' in page.content.decode()  # a visitor gives a nickname
    client.post(_url("live:audience", public), {"name": "热心群众"})
    assert "aud-choices" in client.get(_url("live:audience", public)).content.decode()


def test_a_draft_show_has_no_audience(world, bank, campaign):
    show = build_show(world, fix=False)
    assert world.client("member_a").get(_url("live:audience", show)).status_code == 404


def test_the_console_prepares_a_show_end_to_end(world, bank, campaign):
    client = world.client("admin_a")
    response = client.post("/live/", {"title": "七一知识竞赛", "org": world.branch_a.code})
    show = LiveContest.objects.get(title="七一知识竞赛")
    assert response.status_code == 302 and show.org == world.branch_a
    member = world.members["member_a"]
    client.post(f"/live/{show.pk}/teams/", {"name": "一队", "members": [member.pk]})
    client.post(f"/live/{show.pk}/teams/", {"name": "二队"})
    client.post(f"/live/{show.pk}/rounds/", {"kind": RoundKind.RISK, "seconds": "40", "points": "10",
                                            "risk_values": "10, 20 30"})
    rnd = show.rounds.get()
    assert rnd.risk_values == [10, 20, 30] and rnd.seconds == 40
    client.post(f"/live/{show.pk}/questions/", {"round": rnd.pk, "count": "2", "difficulty": "1"})
    assert rnd.questions.count() == 2
    page = client.get(f"/live/{show.pk}/").content.decode()
    assert "data:image/svg+xml;base64," in page and teams(show)[0].pin in page
    client.post(f"/live/{show.pk}/fix/")
    show.refresh_from_db()
    assert show.phase == Phase.READY
    bad = client.post(f"/live/{show.pk}/teams/", {"name": "迟到队"}, follow=True)
    assert "不允许" in bad.content.decode() and show.teams.count() == 2


def test_a_sibling_admin_cannot_create_a_show_for_an_org_out_of_reach(world):
    assert world.client("admin_b").post("/live/", {"title": "越权", "org": world.branch_a.code}).status_code == 404
    assert world.client("member_a").get("/live/").status_code == 404


def _finish(show, world):
    services.show_start(contest=show)
    required = questions(show, RoundKind.REQUIRED)
    for q, correct in zip(required, (True, False, True), strict=True):
        services.question_show(contest=show, question=q)
        services.timer_start(contest=show)
        services.answer_judge(contest=show, correct=correct)
    services.score_adjust(contest=show, team=teams(show)[1], points=3, reason="补分")
    services.score_undo(contest=show)
    services.show_finish(contest=show, now=timezone.now())
    show.refresh_from_db()
    return show


def test_results_export_equals_the_ranking_and_lists_every_scoring_action(world, show):
    show = _finish(show, world)
    client = world.client("admin_a")
    response = client.get(f"/live/{show.pk}/results.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book["名次"].iter_rows(min_row=2, values_only=True))
    assert rows == [(r["place"], r["name"], r["score"]) for r in selectors.ranking(contest=show)]
    assert rows[0][2] == 10 and rows[0][1] in ("红旗队", "先锋队")
    records = list(book["计分记录"].iter_rows(min_row=2, values_only=True))
    assert len(records) == 4 and records[-1][-1] == "是" and records[-1][6] == "补分"
    contestants = list(book["参赛队员"].iter_rows(min_row=2, values_only=True))
    assert [c[0] for c in contestants] == ["红旗队", "红旗队"]
    assert world.client("admin_b").get(f"/live/{show.pk}/results.xlsx").status_code == 404


def test_results_are_exported_only_after_the_show(world, show):
    assert world.client("admin_a").get(f"/live/{show.pk}/results.xlsx").status_code == 404


def test_winners_get_certificates_that_verify(world, show):
    show = _finish(show, world)
    client = world.client("admin_a")
    client.post(f"/live/{show.pk}/certificates/", {"places": "1", "honour": "知识竞赛一等奖"})
    show.refresh_from_db()
    winners = [r for r in selectors.ranking(contest=show) if r["place"] == 1]
    assert winners[0]["name"] == "红旗队"  # the only team with contestants on record; tie broken by position
    certs = live_certificates(contest_id=show.certificate_contest_id)
    assert len(certs) == 2 and {c.rank for c in certs} == {1} and certs[0].title == "知识竞赛一等奖"
    page = client.get(f"/verify/{certs[0].serial}")
    assert page.status_code == 200 and "证书有效" in page.content.decode()
    zipped = client.get(f"/live/{show.pk}/certificates/")
    assert zipped.status_code == 200 and zipped.content[:2] == b"PK"
    again = client.post(f"/live/{show.pk}/certificates/", {"places": "1"}, follow=True)
    assert "已经颁发" in again.content.decode()
    book = load_workbook(io.BytesIO(client.get(f"/live/{show.pk}/results.xlsx").content))
    serials = {row[5] for row in book["参赛队员"].iter_rows(min_row=2, values_only=True)}
    assert serials == {c.serial for c in certs}


def test_a_rehearsal_issues_no_certificates(world, show):
    services.show_start(contest=show, rehearsal=True)
    services.show_finish(contest=show)
    response = world.client("admin_a").post(f"/live/{show.pk}/certificates/", {"places": "1"}, follow=True)
    assert "竞赛结束后才能颁发证书" in response.content.decode()
