"""Question bank (versioned), contests, attempts and the per-member aggregates rankings read.

Rankings never scan raw attempts: every submission adds to `Standing` rows (one per member
per month and one per member for the season) in the same transaction as the attempt; a
day's ranking reads the attempts of that day, which are already one row per member.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from dangshi.core.provenance import Sourced


class QuestionType(models.TextChoices):
    SINGLE = "single", _("单选")
    MULTIPLE = "multiple", _("多选")
    TRUE_FALSE = "true_false", _("判断")
    FILL = "fill", _("填空")


class Category(models.Model):
    name = models.CharField(_("分类"), max_length=60)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")

    class Meta:
        verbose_name = _("题目分类")
        verbose_name_plural = _("题目分类")
        ordering = ["parent_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="quiz_category_unique"),
            models.UniqueConstraint(fields=["name"], condition=Q(parent__isnull=True), name="quiz_category_root_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return f"{self.parent.label}/{self.name}" if self.parent_id else self.name


class Question(models.Model):
    """A question's identity; its text lives in versions, so editing never changes a past attempt."""

    category = models.ForeignKey(Category, verbose_name=_("分类"), on_delete=models.PROTECT, related_name="questions")
    type = models.CharField(_("题型"), max_length=12, choices=QuestionType)
    difficulty = models.PositiveSmallIntegerField(_("难度"), default=1)
    # The normalised stem of the current version: duplicate stems are refused by the database.
    stem_key = models.CharField(max_length=400, unique=True)
    current = models.ForeignKey("QuestionVersion", null=True, on_delete=models.SET_NULL, related_name="+")
    active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("题目")
        verbose_name_plural = _("题目")
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=Q(difficulty__gte=1, difficulty__lte=3), name="quiz_difficulty")]

    def __str__(self) -> str:
        return self.stem_key[:40]


class QuestionVersion(Sourced):
    """A question's text as served; its provenance (`Sourced`) is of this text, so an edit starts 未核."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(default=1)
    stem = models.TextField(_("题干"))
    options = models.JSONField(_("选项"), default=dict, blank=True)  # {"A": "上海", ...}, as the author wrote them
    answer = models.JSONField(_("答案"))  # option keys ["A", "D"], ["对"], or the blank's accepted texts
    explanation = models.TextField(_("解析"), blank=True)
    source = models.CharField(_("出处"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        verbose_name = _("题目版本")
        verbose_name_plural = _("题目版本")
        constraints = [models.UniqueConstraint(fields=["question", "number"], name="quiz_version_unique")]

    def __str__(self) -> str:
        return f"{self.question_id} v{self.number}"


class ErrorReport(models.Model):
    """答题纠错: a member says a question is wrong; office users review it."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="error_reports")
    version = models.ForeignKey(QuestionVersion, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey("orgs.Member", on_delete=models.CASCADE, related_name="+")
    org = models.ForeignKey("orgs.Org", on_delete=models.CASCADE, related_name="+")
    text = models.CharField(_("纠错说明"), max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    resolution = models.CharField(_("处理意见"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("答题纠错")
        verbose_name_plural = _("答题纠错")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.text[:40]


class ContestKind(models.TextChoices):
    DAILY = "daily", _("每日答题")
    CHALLENGE = "challenge", _("挑战答题")
    LIVE = "live", _("现场竞赛")  # holds the certificates of an on-stage contest (dangshi.live)


class Contest(models.Model):
    campaign = models.ForeignKey("orgs.Campaign", on_delete=models.CASCADE, related_name="contests")
    org = models.ForeignKey("orgs.Org", verbose_name=_("主办组织"), on_delete=models.PROTECT, related_name="contests")
    kind = models.CharField(_("类型"), max_length=10, choices=ContestKind, default=ContestKind.DAILY)
    title = models.CharField(_("名称"), max_length=120)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    questions_per_day = models.PositiveSmallIntegerField(_("每日题数"), default=10)
    seconds_per_question = models.PositiveSmallIntegerField(_("每题限时(秒)"), default=30)
    grace_seconds = models.PositiveSmallIntegerField(_("宽限(秒)"), default=5)
    # m of the Bayesian accuracy; 0 means "one week of questions" (7 × questions_per_day).
    prior_weight = models.PositiveIntegerField(_("先验权重 m"), default=0)
    categories = models.ManyToManyField(Category, verbose_name=_("出题分类"), blank=True)
    # Difficulty mix in percent (easy, medium, hard).
    mix_easy = models.PositiveSmallIntegerField(default=50)
    mix_medium = models.PositiveSmallIntegerField(default=35)
    mix_hard = models.PositiveSmallIntegerField(default=15)
    top_n = models.PositiveSmallIntegerField(_("评选人数"), default=100)

    class Meta:
        verbose_name = _("答题竞赛")
        verbose_name_plural = _("答题竞赛")
        ordering = ["-starts_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="quiz_contest_dates")]

    def __str__(self) -> str:
        return self.title

    @property
    def m(self) -> int:
        return self.prior_weight or 7 * self.questions_per_day


class Attempt(models.Model):
    """One member's daily attempt; served when first fetched, counted when submitted."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="attempts")
    member = models.ForeignKey("orgs.Member", on_delete=models.CASCADE, related_name="quiz_attempts")
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+")  # the member's org when served
    day = models.DateField()
    started_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    correct = models.PositiveSmallIntegerField(default=0)
    total = models.PositiveSmallIntegerField(default=0)
    time_ms = models.PositiveIntegerField(default=0)  # server-measured, served → submitted
    ip = models.GenericIPAddressField(null=True, blank=True)
    device = models.CharField(max_length=64, blank=True)  # digest of the user agent + device cookie
    pattern = models.CharField(max_length=64, blank=True)  # digest of the per-question timing pattern

    class Meta:
        verbose_name = _("答题记录")
        verbose_name_plural = _("答题记录")
        constraints = [
            # The rule "one counted attempt per member per day" lives here, not in Python.
            models.UniqueConstraint(fields=["contest", "member", "day"], name="quiz_attempt_once_a_day"),
        ]
        # Not on submitted_at: the submit's compare-and-set changes no indexed column, so
        # PostgreSQL can update the row in place (a HOT update: no index entries, less WAL).
        indexes = [models.Index(fields=["contest", "day"], name="quiz_attempt_day")]

    def __str__(self) -> str:
        return f"{self.member_id} · {self.day}"


class AttemptItem(models.Model):
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="items")
    version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="+")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()
    # Displayed key i shows original key order[i]: "CADB" means A→C, B→A, ...
    order = models.CharField(max_length=8, blank=True)
    served_at = models.DateTimeField()
    given = models.JSONField(null=True, blank=True)  # original keys or text, as understood
    answered_at = models.DateTimeField(null=True, blank=True)  # when the answer reached the server
    correct = models.BooleanField(default=False)
    counted = models.BooleanField(default=False)  # answered within the time limit
    client_ms = models.PositiveIntegerField(null=True, blank=True)  # as the browser reports it: anti-cheat only

    class Meta:
        constraints = [models.UniqueConstraint(fields=["attempt", "position"], name="quiz_item_position")]
        ordering = ["position"]

    def __str__(self) -> str:
        return f"{self.attempt_id} #{self.position}"


class Standing(models.Model):
    """A member's totals for a period of a contest ("season" or "YYYY-MM"), kept by submissions."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="standings")
    member = models.ForeignKey("orgs.Member", on_delete=models.CASCADE, related_name="+")
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255)
    period = models.CharField(max_length=10)
    days = models.PositiveIntegerField(default=0)
    answered = models.PositiveIntegerField(default=0)
    correct = models.PositiveIntegerField(default=0)
    time_ms = models.BigIntegerField(default=0)
    last_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["contest", "period", "member"], name="quiz_standing_unique")]
        # Pattern ops so that PostgreSQL serves org_path LIKE 'prefix%' from the index (SQLite ignores opclasses).
        indexes = [models.Index(fields=["contest", "period", "org_path"], name="quiz_standing_path",
                                opclasses=["int8_ops", "varchar_pattern_ops", "varchar_pattern_ops"])]

    def __str__(self) -> str:
        return f"{self.member_id} · {self.period}"


class Snapshot(models.Model):
    """A ranking computed once for the whole contest: read by the season leaderboard, and
    frozen at season close for the top-N selection."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="snapshots")
    period = models.CharField(max_length=10, default="season")
    built_at = models.DateTimeField()
    days_open = models.PositiveIntegerField()
    mu = models.FloatField()
    frozen = models.BooleanField(_("已冻结"), default=False)

    class Meta:
        ordering = ["-built_at"]

    def __str__(self) -> str:
        return f"{self.contest_id} · {self.built_at:%Y-%m-%d %H:%M}"


class SnapshotRow(models.Model):
    """One member's place in a snapshot.

    Rows are written only by `services.ranking.snapshot_rebuild`, a million at a time (one INSERT …
    SELECT from Standing, whose keys are already checked), so the foreign keys have neither a
    database constraint nor an index of their own: a million foreign-key checks at commit and
    three more indexes to fill were most of a rebuild's cost (issue #3). Deletions still
    cascade (Django does it), and the composite indexes below serve every read.

    `path_1` … `path_3` are the member's org path cut at depths 1–3 (the ancestor there), so
    that the top of any subtree down to depth 3 is read in rank order from one index
    (snapshot, path_d, rank) and stops after `limit` rows; deeper subtrees are read from their
    depth-3 ancestor's index and filtered.
    """

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="rows", db_constraint=False,
                                 db_index=False)
    rank = models.PositiveIntegerField()
    member = models.ForeignKey("orgs.Member", on_delete=models.CASCADE, related_name="+", db_constraint=False,
                               db_index=False)
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", db_constraint=False, db_index=False)
    org_path = models.CharField(max_length=255)
    path_1 = models.CharField(max_length=255, default="")
    path_2 = models.CharField(max_length=255, default="")
    path_3 = models.CharField(max_length=255, default="")
    score = models.FloatField()
    accuracy = models.FloatField()
    days = models.PositiveIntegerField()
    correct = models.PositiveIntegerField()

    DEPTHS = (1, 2, 3)  # the depths that have a path_d column

    class Meta:
        constraints = [models.UniqueConstraint(fields=["snapshot", "rank"], name="quiz_snapshot_rank")]
        indexes = [
            models.Index(fields=["snapshot", "member"], name="quiz_snaprow_member"),
            models.Index(fields=["snapshot", "path_1", "rank"], name="quiz_snaprow_path1"),
            models.Index(fields=["snapshot", "path_2", "rank"], name="quiz_snaprow_path2"),
            models.Index(fields=["snapshot", "path_3", "rank"], name="quiz_snaprow_path3"),
        ]

    def __str__(self) -> str:
        return f"{self.snapshot_id} #{self.rank}"


class FlagStatus(models.TextChoices):
    OPEN = "open", _("待复核")
    CLEARED = "cleared", _("已排除嫌疑")
    EXCLUDED = "excluded", _("不参加评选")


class ReviewFlag(models.Model):
    """An anti-cheat finding the office chose to review; never an automatic disqualification."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="flags")
    member = models.ForeignKey("orgs.Member", on_delete=models.CASCADE, related_name="+")
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("原因"), max_length=200)
    status = models.CharField(_("状态"), max_length=10, choices=FlagStatus, default=FlagStatus.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["contest", "member"], name="quiz_flag_unique")]

    def __str__(self) -> str:
        return self.reason


class Certificate(models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="certificates")
    snapshot = models.ForeignKey(Snapshot, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey("orgs.Member", on_delete=models.PROTECT, related_name="+")
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+")
    serial = models.CharField(max_length=20, unique=True)
    rank = models.PositiveIntegerField()
    title = models.CharField(max_length=40, default="党史学习小达人")
    issued_at = models.DateTimeField()

    class Meta:
        verbose_name = _("证书")
        verbose_name_plural = _("证书")
        ordering = ["contest_id", "rank"]
        constraints = [models.UniqueConstraint(fields=["contest", "member"], name="quiz_certificate_once")]

    def __str__(self) -> str:
        return self.serial


class WrongAnswer(models.Model):
    """A question the member got wrong, with its FSRS card; review never touches contest scores."""

    member = models.ForeignKey("orgs.Member", on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="+")
    wrong_count = models.PositiveIntegerField(default=1)
    card = models.JSONField(default=dict)  # fsrs.Card.to_dict(): the scheduler's own state
    due = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "question"], name="quiz_wrong_unique")]
        indexes = [models.Index(fields=["member", "due"], name="quiz_wrong_due")]

    def __str__(self) -> str:
        return f"{self.member_id} · {self.question_id}"



# -- 挑战答题 (challenge) and 团队赛 (team contest) ----------------------------------------


class ChallengeEnd(models.TextChoices):
    WRONG = "wrong", _("答错")
    LATE = "late", _("超时")
    CLEARED = "cleared", _("通关")  # no question left that the run has not served


class ChallengeRun(models.Model):
    """One run of a challenge contest: questions served one at a time until the first wrong
    (or late) answer. `correct` is the run's length, the answers right in a row."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="challenge_runs")
    member = models.ForeignKey("orgs.Member", on_delete=models.CASCADE, related_name="+")
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+")  # the member's org when started
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(_("结束原因"), max_length=8, choices=ChallengeEnd, blank=True)
    correct = models.PositiveIntegerField(_("连续答对"), default=0)
    time_ms = models.PositiveIntegerField(default=0)  # server-measured, served → answered, right answers only

    class Meta:
        verbose_name = _("挑战记录")
        verbose_name_plural = _("挑战记录")
        constraints = [
            # "At most one open run per member" lives here: two starts at once cannot both insert.
            models.UniqueConstraint(fields=["member"], condition=Q(ended_at__isnull=True),
                                    name="quiz_challenge_one_open"),
        ]
        indexes = [models.Index(fields=["member", "contest", "started_at"], name="quiz_challenge_member")]

    def __str__(self) -> str:
        return f"{self.member_id} · {self.started_at:%Y-%m-%d %H:%M}"


class ChallengeItem(models.Model):
    """A question served in a run; the run's open question is the one not yet answered."""

    run = models.ForeignKey(ChallengeRun, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="+")
    order = models.CharField(max_length=8, blank=True)  # displayed key i shows original key order[i]
    served_at = models.DateTimeField()
    given = models.JSONField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    correct = models.BooleanField(default=False)

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["run", "position"], name="quiz_challenge_item_position")]

    def __str__(self) -> str:
        return f"{self.run_id} #{self.position}"


class ChallengeBest(models.Model):
    """A member's best run in a challenge contest, kept by every run's end in the same
    transaction: the board reads these rows, never the runs."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="challenge_bests")
    member = models.ForeignKey("orgs.Member", on_delete=models.CASCADE, related_name="+")
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255)
    run = models.ForeignKey(ChallengeRun, null=True, on_delete=models.SET_NULL, related_name="+")
    best = models.PositiveIntegerField(_("最佳成绩"), default=0)
    time_ms = models.PositiveIntegerField(default=0)  # of the best run: the tie-break
    achieved_at = models.DateTimeField()
    runs = models.PositiveIntegerField(_("挑战次数"), default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["contest", "member"], name="quiz_challenge_best_unique")]
        indexes = [
            models.Index(fields=["contest", "org_path"], name="quiz_chbest_path",
                         opclasses=["int8_ops", "varchar_pattern_ops"]),
            models.Index(fields=["contest", "-best", "time_ms"], name="quiz_chbest_rank"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} · {self.best}"


class Team(models.Model):
    """团队赛: a team an org admin registers for a contest; its score is the average of its
    members' scores in that contest."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="teams")
    org = models.ForeignKey("orgs.Org", verbose_name=_("所属组织"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("团队名称"), max_length=60)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        verbose_name = _("参赛团队")
        verbose_name_plural = _("参赛团队")
        ordering = ["contest_id", "org_id", "name"]
        constraints = [models.UniqueConstraint(fields=["contest", "org", "name"], name="quiz_team_name_unique")]

    def __str__(self) -> str:
        return self.name


class TeamMember(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members")
    # The team's contest, copied here (by the service, never edited) so that the database can
    # hold "one team per member per contest".
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey("orgs.Member", on_delete=models.CASCADE, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("团队成员")
        verbose_name_plural = _("团队成员")
        constraints = [models.UniqueConstraint(fields=["contest", "member"], name="quiz_team_member_once")]

    def __str__(self) -> str:
        return f"{self.team_id} · {self.member_id}"
