from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizConfig(AppConfig):
    name = "dangshi.quiz"
    label = "quiz"
    verbose_name = _("答题竞赛")
    console_nav = [
        (_("题库"), "quiz:console_bank", "office"),
        (_("竞赛"), "quiz:console_contests", "office"),
        (_("答题排行"), "quiz:console_rankings", "admin"),
        (_("答题复核"), "quiz:console_anticheat", "office"),
        (_("评选与证书"), "quiz:console_selection", "office"),
        (_("团队赛"), "quiz:console_teams", "admin"),
    ]
    member_nav = [
        (_("每日答题"), "quiz:member_daily", "member"),
        (_("答题排名"), "quiz:member_rank", "member"),
        (_("错题本"), "quiz:member_wrong", "member"),
        (_("挑战答题"), "quiz:member_challenge", "member"),
        (_("团队赛"), "quiz:member_teams", "member"),
    ]

    def ready(self):
        from dangshi.quiz.services import ranking  # noqa: F401 - connects the snapshot partitions' pre_delete
