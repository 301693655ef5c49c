"""The live contest's WebSockets. One consumer per socket: the host console, the big screen,
the judges, a team desk's phone or an audience phone.

A socket is let in only as far as its user's scope reaches (the same rules as the pages:
`selectors.*_or_404`); anything else is closed before it is accepted. On connect it gets
the current state at once (a phone back from WeChat's background, a reloaded screen), then
every change. Actions come in as JSON frames and go to one service each; a frame is stamped
with the server's clock on arrival, which is what orders buzzes.
"""

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.http import Http404
from django.utils import timezone

from dangshi.errors import DomainError
from dangshi.live import realtime, selectors, services
from dangshi.live.models import LiveQuestion, Team
from dangshi.orgs.scope import scope_for

HOST_ROLES = {"host", "screen", "judge"}
DESK_SESSION_KEY = "live_desks"  # {team id: join key}, set by the PIN page


def _viewer(user, session) -> tuple[str, str] | None:
    """An audience member's key and display name: the member, else a visitor key that the
    audience page keeps in the session (public contests)."""
    member = getattr(user, "member", None) if getattr(user, "is_authenticated", False) else None
    if member is not None:
        return f"m{member.pk}", member.name
    visitor = session.get("live_visitor") if session is not None else None
    if visitor:
        return f"v{visitor['key']}", visitor["name"]
    return None


class LiveConsumer(AsyncJsonWebsocketConsumer):
    role: str = ""
    contest = None
    team = None
    viewer = None
    received_at = None

    async def connect(self):
        kwargs = self.scope["url_route"]["kwargs"]
        try:
            await database_sync_to_async(self._admit)(kwargs)
        except Http404:
            await self.close(code=4404)
            return
        self.group = realtime.group_name(self.contest.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self._send_all(await database_sync_to_async(selectors.show_state)(contest_id=self.contest.pk))

    def _admit(self, kwargs) -> None:
        user = self.scope.get("user")
        scope = scope_for(user)
        session = self.scope.get("session")
        if "join_key" in kwargs:
            team = selectors.team_for_join_or_404(scope=scope, join_key=kwargs["join_key"])
            desks = (session or {}).get(DESK_SESSION_KEY, {})
            if desks.get(str(team.pk)) != team.join_key:
                raise Http404
            self.role, self.team, self.contest = "desk", team, team.contest
            return
        role = kwargs["role"]
        if role in HOST_ROLES:
            self.contest = selectors.contest_for_host_or_404(scope=scope, contest_id=kwargs["contest_id"])
        elif role == "audience":
            self.contest = selectors.contest_for_audience_or_404(scope=scope, contest_id=kwargs["contest_id"])
            self.viewer = _viewer(user, session)
        else:
            raise Http404
        self.role, self.user = role, user

    async def disconnect(self, code):
        if getattr(self, "group", None):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        # The server's clock, the moment the frame arrived: the buzz order.
        self.received_at = timezone.now()
        await super().receive(text_data=text_data, bytes_data=bytes_data, **kwargs)

    async def receive_json(self, content, **kwargs):
        action = str(content.get("action", "")) if isinstance(content, dict) else ""
        if action == "sync":
            await self._send_all(await database_sync_to_async(selectors.show_state)(contest_id=self.contest.pk))
            return
        try:
            reply = await database_sync_to_async(self._act)(action, content, self.received_at)
        except DomainError as exc:
            await self.send_json({"type": "error", "message": str(exc.message), "action": action})
            return
        except (LiveQuestion.DoesNotExist, Team.DoesNotExist, ValueError, TypeError, KeyError):
            await self.send_json({"type": "error", "message": "bad request", "action": action})
            return
        if reply:
            await self.send_json(reply)

    def _act(self, action: str, content: dict, received_at):
        contest = self.contest
        actor = getattr(self, "user", None) or self.scope.get("user")
        if self.role == "desk":
            team = self.team
            if action == "buzz":
                buzz = services.buzz_record(contest=contest, team=team, received_at=received_at, actor=actor)
                return {"type": "buzzed", "foul": buzz.foul, "seq": buzz.seq}
            if action == "answer":
                services.team_answer_submit(contest=contest, team=team, given=content.get("given"),
                                            received_at=received_at)
                return {"type": "answered"}
            if action == "risk":
                question = LiveQuestion.objects.get(pk=int(content["question"]), round__contest=contest)
                services.risk_choose(contest=contest, question=question, team=team, value=int(content["value"]),
                                     actor=actor)
                return None
        elif self.role == "audience":
            if action == "answer" and self.viewer:
                services.audience_answer(contest=contest, viewer=self.viewer[0], name=self.viewer[1],
                                         given=content.get("given"), received_at=received_at)
                return {"type": "me", **selectors.audience_own(contest=contest, viewer=self.viewer[0])}
        elif self.role == "judge" and action == "adjust":
            team = Team.objects.get(pk=int(content["team"]), contest=contest)
            services.score_adjust(contest=contest, team=team, points=int(content["points"]),
                                  reason=str(content.get("reason", "")), actor=actor)
            return None
        elif self.role == "host":
            return self._host(action, content, actor)
        return {"type": "error", "message": "unknown action", "action": action}

    def _host(self, action: str, content: dict, actor):
        contest = self.contest
        simple = {
            "start": lambda: services.show_start(contest=contest, rehearsal=bool(content.get("rehearsal")),
                                                 actor=actor),
            "timer": lambda: services.timer_start(contest=contest, actor=actor),
            "accept": lambda: services.answer_judge(contest=contest, correct=True, actor=actor),
            "reject": lambda: services.answer_judge(contest=contest, correct=False, actor=actor),
            "close": lambda: services.question_close(contest=contest, actor=actor),
            "reveal": lambda: services.answer_reveal(contest=contest, actor=actor),
            "pause": lambda: services.pause_toggle(contest=contest, actor=actor),
            "undo": lambda: services.score_undo(contest=contest, actor=actor),
            "finish": lambda: services.show_finish(contest=contest, actor=actor),
        }
        if action in simple:
            simple[action]()
            return None
        if action in ("show", "risk"):
            question = LiveQuestion.objects.select_related("team").get(pk=int(content["question"]),
                                                                       round__contest=contest)
            if action == "show":
                services.question_show(contest=contest, question=question, actor=actor)
            else:
                services.risk_choose(contest=contest, question=question, team=question.team,
                                     value=int(content["value"]), actor=actor)
            return None
        return {"type": "error", "message": "unknown action", "action": action}

    async def show_state(self, event):
        """A change of the show: the state as the server encoded it once for every socket."""
        await self.send(text_data=event["text"])
        await self._extras(event.get("question"), event.get("question_state"), first=False)

    async def _send_all(self, state: dict) -> None:
        """On connect and on "sync": the state, then what is this socket's own."""
        await self.send_json(state)
        question = state.get("question") or {}
        if self.role == "desk":
            await self.send_json({"type": "desk", "team_id": self.team.pk, "team": self.team.name})
        await self._extras(question.get("id"), question.get("state"), first=True)

    async def _extras(self, question_id, question_state, *, first: bool) -> None:
        if self.role in ("host", "judge"):
            extras = await database_sync_to_async(selectors.host_extras)(contest_id=self.contest.pk)
            await self.send_json({"type": "host", **extras})
        elif self.role == "audience" and self.viewer and (first or _own_score_may_change(
                self, question_id, question_state)):
            own = await database_sync_to_async(selectors.audience_own)(contest=self.contest, viewer=self.viewer[0])
            await self.send_json({"type": "me", **own})


def _own_score_may_change(consumer, question_id, question_state) -> bool:
    """An audience member's score changes only when an answer is revealed: a thousand phones
    do not each query the database when a question opens."""
    key = (question_id, question_state)
    if getattr(consumer, "_own_key", None) == key:
        return False
    consumer._own_key = key
    return question_state == "revealed"
