"""Quiz demo: the starter bank, a daily contest over the demo campaign (this year), and a
month of history for a few hundred members so that rankings, the wrong-answer book and the
anti-cheat report have something to show. member1 has history but has not answered today.
Also a challenge contest with two weeks of runs (none left open), and three teams per street
in the daily contest (one of them branch1's, with member1)."""

from collections import defaultdict
from datetime import datetime, time, timedelta

from django.utils import timezone
from fsrs import Card

from dangshi.core.demo import DemoContext
from dangshi.orgs.selectors import member_subtree
from dangshi.quiz.models import (
    Attempt,
    AttemptItem,
    ChallengeBest,
    ChallengeEnd,
    ChallengeItem,
    ChallengeRun,
    ContestKind,
    Question,
    QuestionType,
    Standing,
    Team,
    TeamMember,
    WrongAnswer,
)
from dangshi.quiz.services import contest_create
from dangshi.quiz.services.bank import starter_load

PLAYERS = 400
HISTORY_DAYS = 30
CHALLENGERS = 150  # of the players, who also took the challenge
CHALLENGE_DAYS = 14
TEAMS_PER_STREET = 3
TEAM_SIZE = 5
SHARED_IP = "10.23.4.56"  # five members of one branch answering from one phone: the report shows it


def build(ctx: DemoContext) -> None:
    rng = ctx.rng_for("quiz")
    added = starter_load()
    year = ctx.today.year
    contest = contest_create(campaign=ctx.campaign, org=ctx.root, title=f"{year} 年党史知识每日答题",
                             starts_on=ctx.today.replace(month=1, day=1), ends_on=ctx.today.replace(month=12, day=31))
    member1 = ctx.users["member1"].member
    pool = list(member_subtree(root=ctx.root)
                .exclude(pk=member1.pk).values_list("pk", "org_id", "org__path"))
    players = [(member1.pk, member1.org_id, member1.org.path), *rng.sample(pool, min(PLAYERS - 1, len(pool)))]
    questions = list(Question.objects.values_list("pk", "current_id", "type", "current__options", "current__answer"))
    first_day = max(contest.starts_on, ctx.today - timedelta(days=HISTORY_DAYS))
    days = [first_day + timedelta(days=i) for i in range((ctx.today - first_day).days)]  # today left open
    attempts, plans = [], []
    for n, (member_id, org_id, path) in enumerate(players):
        skill = rng.uniform(0.45, 0.95)
        keen = 1.0 if member_id == member1.pk else rng.uniform(0.15, 0.95)
        for day in days:
            if rng.random() > keen:
                continue
            start = timezone.make_aware(datetime.combine(day, time(rng.randint(7, 21), rng.randint(0, 59))))
            drawn = rng.sample(questions, contest.questions_per_day)
            right = [rng.random() < skill for _ in drawn]
            fast = n in (7, 8) and day == days[-1]  # two suspiciously quick attempts
            spent = [rng.randint(800, 1200) if fast else rng.randint(4000, 25000) for _ in drawn]
            attempts.append(Attempt(
                contest=contest, member_id=member_id, org_id=org_id, day=day, started_at=start,
                submitted_at=start + timedelta(milliseconds=sum(spent) + 400), correct=sum(right), total=len(drawn),
                time_ms=sum(spent), ip=SHARED_IP if 20 <= n < 25 else f"10.{n % 200}.{rng.randint(0, 250)}.{n % 250}",
            ))
            plans.append((drawn, right, spent, path))
    Attempt.objects.bulk_create(attempts, batch_size=1000)
    items, standings, wrong = [], {}, defaultdict(dict)
    for attempt, (drawn, right, spent, path) in zip(attempts, plans, strict=True):
        served = attempt.started_at
        for position, ((qid, vid, qtype, options, answer), ok, ms) in enumerate(zip(drawn, right, spent, strict=True)):
            order = "".join(rng.sample(sorted(options), len(options))) if qtype in (
                QuestionType.SINGLE, QuestionType.MULTIPLE) else ""
            given = answer if ok else _wrong_answer(rng, qtype, options, answer)
            items.append(AttemptItem(attempt=attempt, question_id=qid, version_id=vid, position=position, order=order,
                                     served_at=served, given=given, answered_at=served + timedelta(milliseconds=ms),
                                     correct=ok, counted=True, client_ms=ms))
            if not ok:
                wrong[attempt.member_id][qid] = vid
        for period in ("season", attempt.day.strftime("%Y-%m")):
            key = (attempt.member_id, period)
            s = standings.get(key) or Standing(contest=contest, member_id=attempt.member_id, org_id=attempt.org_id,
                                               org_path=path, period=period, last_at=attempt.submitted_at)
            s.days, s.answered, s.correct = s.days + 1, s.answered + attempt.total, s.correct + attempt.correct
            s.time_ms += attempt.time_ms
            s.last_at = max(s.last_at, attempt.submitted_at)
            standings[key] = s
    AttemptItem.objects.bulk_create(items, batch_size=2000)
    Standing.objects.bulk_create(standings.values(), batch_size=1000)
    now = timezone.now()
    card = Card(due=now).to_dict()
    WrongAnswer.objects.bulk_create(
        (WrongAnswer(member_id=m, question_id=q, version_id=v, card=card, due=now)
         for m, by_question in wrong.items() if m == member1.pk for q, v in by_question.items()),
        batch_size=1000,
    )
    ctx.log(f"  quiz: {added} questions, {len(attempts)} attempts by {len(players)} members, {len(standings)} standings")
    _challenge(ctx, players, questions)
    _teams(ctx, contest, players)


def _wrong_answer(rng, qtype, options, answer):
    if qtype == QuestionType.TRUE_FALSE:
        return ["错" if answer == ["对"] else "对"]
    if qtype == QuestionType.FILL:
        return ["不记得了"]
    others = [k for k in sorted(options) if k not in answer]
    return [rng.choice(others)] if others else []


def _challenge(ctx: DemoContext, players: list, questions: list) -> None:
    """Runs ending at the first wrong (now and then a late) answer, one to four per member."""
    rng = ctx.rng_for("quiz.challenge")
    contest = contest_create(campaign=ctx.campaign, org=ctx.root, title=f"{ctx.today.year} 年党史知识挑战赛",
                             kind=ContestKind.CHALLENGE, starts_on=ctx.today.replace(month=1, day=1),
                             ends_on=ctx.today.replace(month=12, day=31), seconds_per_question=20)
    days = [ctx.today - timedelta(days=i) for i in range(1, CHALLENGE_DAYS + 1) if ctx.today - timedelta(days=i)
            >= contest.starts_on] or [ctx.today]
    runs, plans = [], []
    for member_id, org_id, path in [players[0], *rng.sample(players[1:], min(CHALLENGERS - 1, len(players) - 1))]:
        skill = rng.uniform(0.6, 0.93)
        for _ in range(rng.randint(1, 4)):
            start = timezone.make_aware(datetime.combine(rng.choice(days), time(rng.randint(7, 21), rng.randint(0, 59))))
            streak = 0
            while streak < len(questions) - 1 and rng.random() < skill:
                streak += 1
            spent = [rng.randint(3000, 15000) for _ in range(streak + 1)]
            late = rng.random() < 0.1
            if late:
                spent[-1] = 26_000  # past 20 s + 5 s of grace
            runs.append(ChallengeRun(contest=contest, member_id=member_id, org_id=org_id, started_at=start,
                                     ended_at=start + timedelta(milliseconds=sum(spent)), correct=streak,
                                     end_reason=ChallengeEnd.LATE if late else ChallengeEnd.WRONG,
                                     time_ms=sum(spent[:-1])))
            plans.append((spent, path))
    ChallengeRun.objects.bulk_create(runs, batch_size=1000)
    items, bests = [], {}
    for run, (spent, path) in zip(runs, plans, strict=True):
        served = run.started_at
        for position, ((qid, vid, qtype, options, answer), ms) in enumerate(
                zip(rng.sample(questions, len(spent)), spent, strict=True)):
            ok = position < run.correct
            order = "".join(rng.sample(sorted(options), len(options))) if qtype in (
                QuestionType.SINGLE, QuestionType.MULTIPLE) else ""
            items.append(ChallengeItem(run=run, position=position, question_id=qid, version_id=vid, order=order,
                                       served_at=served, answered_at=served + timedelta(milliseconds=ms), correct=ok,
                                       given=answer if ok else _wrong_answer(rng, qtype, options, answer)))
            served += timedelta(milliseconds=ms)
        best = bests.get(run.member_id)
        if best is None:
            best = bests[run.member_id] = ChallengeBest(contest=contest, member_id=run.member_id, org_id=run.org_id,
                                                        org_path=path, run=run, best=run.correct,
                                                        time_ms=run.time_ms, achieved_at=run.ended_at)
        elif (run.correct, -run.time_ms) > (best.best, -best.time_ms):
            best.run, best.best, best.time_ms, best.achieved_at = run, run.correct, run.time_ms, run.ended_at
        best.runs += 1
    ChallengeItem.objects.bulk_create(items, batch_size=2000)
    ChallengeBest.objects.bulk_create(bests.values(), batch_size=1000)
    ctx.log(f"  quiz: challenge {len(runs)} runs by {len(bests)} members")


def _teams(ctx: DemoContext, contest, players: list) -> None:
    """Three teams per street in the daily contest: branch1's (with member1) and community
    committees', five members each, players first so that the scores differ."""
    rng = ctx.rng_for("quiz.teams")
    played = {member_id for member_id, _org, _path in players}
    member1, branch1 = ctx.users["member1"].member, ctx.orgs["branch1"]
    teams, rosters = [], []
    for s in range(1, 7):
        street = ctx.orgs.get(f"street{s}")
        if street is None:
            continue
        committees = list(street.children.order_by("position"))
        hosts = ([branch1] if branch1.path.startswith(street.path) else []) + rng.sample(
            [c for c in committees if c.pk != branch1.parent_id], TEAMS_PER_STREET)
        for org in hosts[:TEAMS_PER_STREET]:
            pool = list(member_subtree(root=org)
                        .exclude(pk=member1.pk).order_by("pk").values_list("pk", flat=True))
            rng.shuffle(pool)
            pool.sort(key=lambda pk: pk not in played)  # stable: players first, shuffled
            roster = ([member1.pk] if org == branch1 else []) + pool
            teams.append(Team(contest=contest, org=org, name=f"{org.name.removeprefix('中共').removesuffix('委员会')}代表队"))
            rosters.append(roster[:TEAM_SIZE])
    Team.objects.bulk_create(teams)
    TeamMember.objects.bulk_create(TeamMember(team=team, contest=contest, member_id=member_id)
                                   for team, roster in zip(teams, rosters, strict=True) for member_id in roster)
    ctx.log(f"  quiz: {len(teams)} teams of up to {TEAM_SIZE}")
