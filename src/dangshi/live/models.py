"""现场知识竞赛: a contest on stage with teams at desks, a host, a big screen, judges and an
audience answering along. The show's whole state lives in these rows (never in a process's
memory), so a reloaded screen or a second app server sees the same show."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Phase(models.TextChoices):
    DRAFT = "draft", _("筹备")
    READY = "ready", _("已定题")
    LIVE = "live", _("进行中")
    FINISHED = "finished", _("已结束")


class RoundKind(models.TextChoices):
    REQUIRED = "required", _("必答")
    BUZZ = "buzz", _("抢答")
    RISK = "risk", _("风险题")
    TIEBREAK = "tiebreak", _("加赛")


class QState(models.TextChoices):
    HIDDEN = "hidden", _("未出示")
    SHOWN = "shown", _("已出示")  # on screen, clock not started (抢答: a buzz now is a foul)
    OPEN = "open", _("计时中")
    FLOOR = "floor", _("答题中")  # a buzzing team has the floor
    CLOSED = "closed", _("已判定")
    REVEALED = "revealed", _("已公布")


class LiveContest(models.Model):
    org = models.ForeignKey("orgs.Org", verbose_name=_("主办组织"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("名称"), max_length=120)
    public = models.BooleanField(_("观众无需登录"), default=False)
    rehearsal = models.BooleanField(_("彩排"), default=False)
    phase = models.CharField(_("阶段"), max_length=10, choices=Phase, default=Phase.DRAFT)
    current = models.ForeignKey("LiveQuestion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    paused = models.BooleanField(default=False)
    deadline = models.DateTimeField(null=True, blank=True)  # the server's clock for the current question
    remaining_ms = models.PositiveIntegerField(null=True, blank=True)  # frozen while paused
    seq = models.PositiveBigIntegerField(default=0)  # every state change and buzz takes the next number
    certificate_contest_id = models.PositiveBigIntegerField(null=True, blank=True)  # the quiz contest of its certificates
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("现场竞赛")
        verbose_name_plural = _("现场竞赛")
        ordering = ["-created_at", "id"]

    def __str__(self) -> str:
        return self.title


class Team(models.Model):
    contest = models.ForeignKey(LiveContest, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("队名"), max_length=40)
    position = models.PositiveSmallIntegerField()
    pin = models.CharField(_("口令"), max_length=6)
    join_key = models.CharField(max_length=32, unique=True)  # in the desk's QR code

    class Meta:
        ordering = ["contest_id", "position"]
        constraints = [models.UniqueConstraint(fields=["contest", "position"], name="live_team_position")]

    def __str__(self) -> str:
        return self.name


class Contestant(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="contestants")
    member = models.ForeignKey("orgs.Member", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["team", "member"], name="live_contestant_once")]

    def __str__(self) -> str:
        return str(self.member_id)


class Round(models.Model):
    contest = models.ForeignKey(LiveContest, on_delete=models.CASCADE, related_name="rounds")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(_("轮次类型"), max_length=10, choices=RoundKind)
    title = models.CharField(_("名称"), max_length=40)
    seconds = models.PositiveSmallIntegerField(_("限时(秒)"), default=30)
    points = models.PositiveSmallIntegerField(_("答对得分"), default=10)
    penalty = models.PositiveSmallIntegerField(_("答错扣分"), default=0)
    foul_penalty = models.PositiveSmallIntegerField(_("抢答犯规扣分"), default=5)
    # The values a team may stake in 风险题, e.g. [10, 20, 30]: a short list of numbers the
    # host configures, read and written whole.
    risk_values = models.JSONField(_("风险分值"), default=list, blank=True)

    class Meta:
        ordering = ["contest_id", "position"]
        constraints = [models.UniqueConstraint(fields=["contest", "position"], name="live_round_position")]

    def __str__(self) -> str:
        return self.title


class LiveQuestion(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    question = models.ForeignKey("quiz.Question", on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey("quiz.QuestionVersion", on_delete=models.PROTECT, related_name="+")  # fixed
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")  # whose turn
    state = models.CharField(max_length=10, choices=QState, default=QState.HIDDEN)
    risk_value = models.PositiveSmallIntegerField(null=True, blank=True)
    floor = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    opened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["round__position", "position"]
        constraints = [models.UniqueConstraint(fields=["round", "position"], name="live_question_position")]

    def __str__(self) -> str:
        return f"{self.round_id}-{self.position}"


class Buzz(models.Model):
    """One team's buzz on one question: stamped with the server's receive time and the
    contest's next sequence number, which orders buzzes that arrive in the same microsecond."""

    question = models.ForeignKey(LiveQuestion, on_delete=models.CASCADE, related_name="buzzes")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    received_at = models.DateTimeField()
    seq = models.PositiveBigIntegerField()
    foul = models.BooleanField(default=False)

    class Meta:
        ordering = ["received_at", "seq"]
        constraints = [models.UniqueConstraint(fields=["question", "team"], name="live_buzz_once")]

    def __str__(self) -> str:
        return f"{self.team_id}@{self.seq}"


class ScoreKind(models.TextChoices):
    CORRECT = "correct", _("答对")
    WRONG = "wrong", _("答错")
    FOUL = "foul", _("犯规")
    ADJUST = "adjust", _("裁判调整")


class ScoreEvent(models.Model):
    """A change to a team's score; the score is the sum of those not undone."""

    contest = models.ForeignKey(LiveContest, on_delete=models.CASCADE, related_name="score_events")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="score_events")
    question = models.ForeignKey(LiveQuestion, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=ScoreKind)
    points = models.IntegerField()
    reason = models.CharField(_("原因"), max_length=200, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    created_at = models.DateTimeField()
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.team_id} {self.points:+d}"


class TeamAnswer(models.Model):
    """What a desk typed on its phone, for the host to accept or reject."""

    question = models.ForeignKey(LiveQuestion, on_delete=models.CASCADE, related_name="team_answers")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    given = models.JSONField()
    received_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["question", "team"], name="live_team_answer_once")]

    def __str__(self) -> str:
        return str(self.given)


class AudienceAnswer(models.Model):
    """An audience member's answer along: a signed-in member, or (public contests) a visitor
    known by a random key kept in their session."""

    question = models.ForeignKey(LiveQuestion, on_delete=models.CASCADE, related_name="audience_answers")
    contest = models.ForeignKey(LiveContest, on_delete=models.CASCADE, related_name="+")
    viewer = models.CharField(max_length=40)  # "m<member id>" or "v<visitor key>"
    name = models.CharField(max_length=50)
    given = models.JSONField()
    correct = models.BooleanField(default=False)
    time_ms = models.PositiveIntegerField(default=0)  # from the question's opening, server clock
    received_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["question", "viewer"], name="live_audience_once")]
        indexes = [models.Index(fields=["contest", "viewer"], name="live_audience_viewer")]

    def __str__(self) -> str:
        return self.viewer
