"""The quiz's URL kwargs for the scope sweep. The bank, contests, flags and certificates are
the office's (the 区委 office reaches them; org admins of a sibling branch and members do not);
a wrong-answer entry is member_a's own."""

from datetime import date

from django.utils import timezone

from tests.sweep import Param


def _question(w):
    """A question the office has reviewed (已核), so that contests can serve it."""
    from dangshi.orgs.scope import scope_for
    from dangshi.quiz.services import question_verify
    from dangshi.quiz.services.bank import question_create

    def make():
        question = question_create(type="single", stem="扫描用题目:中共一大在哪里开幕?", options={"A": "上海", "B": "北京"},
                                   answer="A")
        question_verify(scope=scope_for(w.users["office"]), actor=w.users["office"], question=question,
                        against="扫描用", page="1")
        question.refresh_from_db()
        return question

    return w.once("quiz.question", make)


def _contest(w):
    from dangshi.orgs.models import Campaign
    from dangshi.quiz.services import contest_create

    def make():
        campaign = Campaign.objects.create(name="党史学习教育", root=w.root, starts_on=date(2021, 1, 1),
                                           ends_on=date(2021, 12, 31))
        return contest_create(campaign=campaign, org=w.root, title="每日答题", starts_on=date(2021, 3, 1),
                              ends_on=date(2021, 12, 31))

    return w.once("quiz.contest", make)


def _wrong(w):
    from dangshi.quiz.models import WrongAnswer

    question = _question(w)
    return w.once("quiz.wrong", lambda: WrongAnswer.objects.create(
        member=w.members["member_a"], question=question, version=question.current, due=timezone.now()))


def _flag(w):
    from dangshi.quiz.services.anticheat import flag_create

    return w.once("quiz.flag", lambda: flag_create(contest=_contest(w), member=w.members["sentinel"], reason="扫描"))


def _certificate(w):
    from dangshi.quiz.models import Certificate, Snapshot

    def make():
        contest = _contest(w)
        snap = Snapshot.objects.create(contest=contest, built_at=timezone.now(), days_open=1, mu=0.5, frozen=True)
        return Certificate.objects.create(contest=contest, snapshot=snap, member=w.members["sentinel"],
                                          org=w.branch_a, serial="2021001SWEEPABC", rank=1, issued_at=timezone.now())

    return w.once("quiz.certificate", make)


def _challenge_contest(w):
    """A challenge open today, hosted by the district (also the team contest of the sweep)."""
    from datetime import timedelta

    from dangshi.orgs.models import Campaign
    from dangshi.quiz.models import ContestKind
    from dangshi.quiz.services import contest_create

    def make():
        today = timezone.localdate()
        campaign = Campaign.objects.create(name="挑战赛", root=w.root, starts_on=today - timedelta(days=1),
                                           ends_on=today + timedelta(days=30))
        return contest_create(campaign=campaign, org=w.root, title="党史知识挑战赛", kind=ContestKind.CHALLENGE,
                              starts_on=today - timedelta(days=1), ends_on=today + timedelta(days=30))

    return w.once("quiz.challenge_contest", make)


def _run(w):
    """member_a's open run (its first question on the clock)."""
    from dangshi.quiz.services.challenge import challenge_start

    _question(w)
    return w.once("quiz.run", lambda: challenge_start(contest=_challenge_contest(w), member=w.members["member_a"]))


def _team(w):
    """A team of 支部A with the sentinel in it."""
    from dangshi.quiz.services.teams import team_member_add, team_register

    def make():
        team = team_register(contest=_challenge_contest(w), org=w.branch_a, name="扫描队")
        team_member_add(team=team, member=w.members["sentinel"])
        return team

    return w.once("quiz.team", make)


PARAMS = {
    "question_id": Param(lambda w: _question(w).pk, owner="office"),
    "wrong_id": Param(lambda w: _wrong(w).pk, owner="member_a"),
    "flag_id": Param(lambda w: _flag(w).pk, owner="office"),
    "contest_id": Param(lambda w: _certificate(w).contest_id, owner="office"),  # with a certificate to zip
    "cert_serial": Param(lambda w: _certificate(w).serial, owner="office"),
    "run_id": Param(lambda w: _run(w).pk, owner="member_a"),
    "team_id": Param(lambda w: _team(w).pk),
}
ROUTES = {
    "quiz:console_bank_report": {"token": Param(lambda w: "expired-token", owner=None)},
    "api:quiz_certificate_verify": {"serial": Param(lambda w: _certificate(w).serial, owner=None)},
    "quiz_verify": {"cert_serial": Param(lambda w: _certificate(w).serial, owner=None)},
    "api:quiz_team_member_remove": {"member_id": Param(lambda w: _team(w).members.get().member_id)},
}
PUBLIC = {"quiz_verify", "api:quiz_certificate_verify"}
