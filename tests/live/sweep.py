"""The live contest's URL kwargs for the scope sweep: a finished show of 支部A (admin_a hosts
it; admin_b of the sibling branch, member_c and the outsider reach nothing of it) and the
join key of one of its desks."""

from tests.sweep import Param


def _show(w):
    from dangshi.live import services
    from dangshi.quiz.services.bank import question_create

    def make():
        ids = [question_create(type="single", stem=f"扫描用现场题{i}:中共一大在哪里开幕?",
                               options={"A": "上海", "B": "北京"}, answer="A").pk for i in (1, 2)]
        contest = services.contest_create(org=w.branch_a, title="扫描用现场竞赛")
        services.team_add(contest=contest, name="甲队", members=[w.members["sentinel"]])
        services.team_add(contest=contest, name="乙队")
        rnd = services.round_add(contest=contest, kind="buzz")
        services.round_questions_choose(round=rnd, question_ids=ids)
        services.contest_fix(contest=contest)
        services.show_start(contest=contest)
        services.show_finish(contest=contest)
        contest.refresh_from_db()
        return contest

    return w.once("live.show", make)


PARAMS = {
    "show_id": Param(lambda w: _show(w).pk),
    "join_key": Param(lambda w: _show(w).teams.first().join_key),
}
