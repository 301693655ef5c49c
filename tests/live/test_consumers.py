"""The sockets, through channels' WebsocketCommunicator: who is let in, the state on connect
(a phone back from the background sees the current question and clock), buzz order by the
server's receive time, and a change pushed to every socket of the show."""

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser

from dangshi.live import services
from dangshi.live.consumers import DESK_SESSION_KEY
from dangshi.live.models import LiveQuestion, QState, RoundKind
from dangshi.live.routing import websocket_urlpatterns
from tests.live.conftest import build_show, questions, teams

pytestmark = pytest.mark.django_db(transaction=True)
APP = URLRouter(websocket_urlpatterns)


def _socket(path, user=None, session=None):
    communicator = WebsocketCommunicator(APP, path)
    communicator.scope["user"] = user or AnonymousUser()
    communicator.scope["session"] = session or {}
    return communicator


def _desk(team, user):
    return _socket(f"/ws/live/desk/{team.join_key}/", user, {DESK_SESSION_KEY: {str(team.pk): team.join_key}})


async def _until(communicator, kind, **match):
    """The next frame of `kind` (skipping others) whose fields match."""
    for _ in range(30):
        frame = await communicator.receive_json_from(timeout=5)
        if frame.get("type") == kind and all(frame.get(k) == v for k, v in match.items()):
            return frame
    raise AssertionError(f"no {kind} frame {match}")


def test_out_of_scope_users_cannot_open_host_desk_or_audience_sockets(world, show):
    team = teams(show)[0]

    async def run():
        for persona in ("admin_b", "member_c", "outsider"):
            user = world.users[persona]
            for path in (f"/ws/live/{show.pk}/host/", f"/ws/live/{show.pk}/screen/", f"/ws/live/{show.pk}/judge/",
                         f"/ws/live/{show.pk}/audience/"):
                connected, code = await _socket(path, user).connect()
                assert not connected, f"{persona} opened {path}"
            connected, _ = await _desk(team, user).connect()
            assert not connected, f"{persona} joined a desk"
        connected, _ = await _socket(f"/ws/live/{show.pk}/audience/").connect()
        assert not connected  # anonymous, contest not public

    async_to_sync(run)()


def test_a_desk_socket_needs_the_pin_first(world, show):
    team = teams(show)[0]

    async def run():
        connected, _ = await _socket(f"/ws/live/desk/{team.join_key}/", world.users["member_a"]).connect()
        assert not connected
        desk = _desk(team, world.users["member_a"])
        connected, _ = await desk.connect()
        assert connected
        await desk.disconnect()

    async_to_sync(run)()


def test_a_reconnecting_phone_gets_the_current_question_and_clock_at_once(world, show):
    services.show_start(contest=show)
    first = questions(show, RoundKind.REQUIRED)[0]
    services.question_show(contest=show, question=first)
    services.timer_start(contest=show)

    async def run():
        phone = _socket(f"/ws/live/{show.pk}/audience/", world.users["member_a"])
        connected, _ = await phone.connect()
        assert connected
        state = await _until(phone, "state")
        assert state["question"]["id"] == first.pk and state["question"]["state"] == QState.OPEN
        assert 0 < state["remaining_ms"] <= 20000 and state["deadline"] > state["server_now"]
        assert state["question"]["answer"] is None
        await phone.disconnect()
        again = _socket(f"/ws/live/{show.pk}/audience/", world.users["member_a"])
        await again.connect()
        state2 = await _until(again, "state")
        assert state2["question"]["id"] == first.pk and state2["remaining_ms"] <= state["remaining_ms"]
        assert state2["deadline"] == state["deadline"]  # the server's clock, not the phone's
        await again.disconnect()

    async_to_sync(run)()


def test_host_opens_a_question_and_every_socket_receives_it(world, show):
    first = questions(show, RoundKind.REQUIRED)[0]
    stem, answer, red = first.version.stem, first.version.answer, teams(show)[0]
    services.show_start(contest=show)

    async def run():
        host = _socket(f"/ws/live/{show.pk}/host/", world.users["admin_a"])
        screen = _socket(f"/ws/live/{show.pk}/screen/", world.users["admin_a"])
        audience = _socket(f"/ws/live/{show.pk}/audience/", world.users["member_a"])
        desk = _desk(red, world.users["member_a"])
        sockets = (host, screen, audience, desk)
        for s in sockets:
            assert (await s.connect())[0]
            await _until(s, "state")
        host_extras = await _until(host, "host")
        assert len(host_extras["run"]) == 10
        await host.send_json_to({"action": "show", "question": first.pk})
        for s in sockets:
            state = await _until(s, "state")
            assert state["question"]["stem"] == stem
        assert (await _until(host, "host"))["answer"] == answer  # the host sees it in advance
        await host.send_json_to({"action": "timer"})
        await desk.send_json_to({"action": "answer", "given": answer})
        assert (await _until(desk, "answered"))["type"] == "answered"
        await host.send_json_to({"action": "accept"})
        state = await _until(screen, "state", phase="live")
        for _ in range(5):
            if state["question"]["state"] == QState.CLOSED:
                break
            state = await _until(screen, "state")
        assert state["scoreboard"][0]["score"] == 10
        for s in sockets:
            await s.disconnect()

    async_to_sync(run)()


def test_buzz_frames_resolve_to_the_first_received_and_an_early_one_is_a_foul(world, show):
    services.show_start(contest=show)
    first = questions(show, RoundKind.BUZZ)[0]
    services.question_show(contest=show, question=first)
    red, spark, vanguard = teams(show)

    async def run():
        desks = {t.pk: _desk(t, world.users["member_a"]) for t in (red, spark, vanguard)}
        for d in desks.values():
            assert (await d.connect())[0]
            await _until(d, "desk")
        await desks[red.pk].send_json_to({"action": "buzz"})
        assert (await _until(desks[red.pk], "buzzed"))["foul"] is True
        await database_sync_to_async(services.timer_start)(contest=show)
        # Two sockets' frames in flight at once may reach the server in either order; here
        # 先锋's is known to arrive first (its reply is awaited before 星火 presses).
        await desks[vanguard.pk].send_json_to({"action": "buzz"})
        v = await _until(desks[vanguard.pk], "buzzed")
        await desks[spark.pk].send_json_to({"action": "buzz"})
        s = await _until(desks[spark.pk], "buzzed")
        assert not v["foul"] and not s["foul"] and v["seq"] < s["seq"]
        for d in desks.values():
            await d.disconnect()

    async_to_sync(run)()
    first = LiveQuestion.objects.get(pk=first.pk)
    assert first.floor == vanguard and first.state == QState.FLOOR


def test_a_desk_may_not_act_for_the_host_and_errors_come_back_as_messages(world, show):
    services.show_start(contest=show)
    red = teams(show)[0]

    async def run():
        desk = _desk(red, world.users["member_a"])
        await desk.connect()
        await desk.send_json_to({"action": "accept"})
        assert (await _until(desk, "error"))["action"] == "accept"
        await desk.send_json_to({"action": "buzz"})  # no question on screen
        assert (await _until(desk, "error"))["message"]
        await desk.disconnect()

    async_to_sync(run)()


def test_judges_adjust_over_their_socket(world, show):
    services.show_start(contest=show)
    red = teams(show)[0]

    async def run():
        judge = _socket(f"/ws/live/{show.pk}/judge/", world.users["admin_a"])
        await judge.connect()
        await judge.send_json_to({"action": "adjust", "team": red.pk, "points": -3, "reason": ""})
        assert (await _until(judge, "error"))["action"] == "adjust"
        await judge.send_json_to({"action": "adjust", "team": red.pk, "points": -3, "reason": "违反赛场纪律"})
        for _ in range(10):
            state = await _until(judge, "state")
            row = next(r for r in state["scoreboard"] if r["team_id"] == red.pk)
            if row["score"] == -3:
                break
        assert row["score"] == -3
        await judge.disconnect()

    async_to_sync(run)()


def test_public_contest_audience_may_be_a_visitor(world, bank, campaign):
    contest = build_show(world, public=True)

    async def run():
        visitor = _socket(f"/ws/live/{contest.pk}/audience/", None, {"live_visitor": {"key": "abc", "name": "游客"}})
        connected, _ = await visitor.connect()
        assert connected
        await visitor.disconnect()

    async_to_sync(run)()
