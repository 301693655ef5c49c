"""Learning content, its audiences, reading records, 五个一 activities and the points ledger."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangshi.core.provenance import Sourced


class ColumnKind(models.TextChoices):
    TODAY = "today", _("党史上的今天")
    QA = "qa", _("党史百问")
    STORY = "story", _("党史小故事")
    DAILY = "daily", _("党史百年天天读")
    BOOK = "book", _("必读书目")
    FILM = "film", _("红色影片")
    SONG = "song", _("红色歌曲")
    LESSON = "lesson", _("微党课")
    VIDEO = "video", _("短视频")


class LearningColumn(models.Model):
    """A column (栏目) or catalogue; `code` names it in URLs and feeds (/feeds/<code>.xml)."""

    code = models.SlugField(_("栏目代码"), max_length=30, unique=True)
    name = models.CharField(_("栏目名称"), max_length=60)
    kind = models.CharField(_("栏目类型"), max_length=10, choices=ColumnKind)
    description = models.CharField(_("简介"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("学习栏目")
        verbose_name_plural = _("学习栏目")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name


# Columns whose items state facts: they carry a source and pass review before members see them.
FACT_KINDS = (ColumnKind.TODAY, ColumnKind.QA, ColumnKind.STORY, ColumnKind.DAILY)


class Tag(models.Model):
    name = models.CharField(_("标签"), max_length=30, unique=True)

    class Meta:
        verbose_name = _("标签")
        verbose_name_plural = _("标签")

    def __str__(self) -> str:
        return self.name


class ItemStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    IN_REVIEW = "in_review", _("待审核")
    SCHEDULED = "scheduled", _("已排期")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已撤回")


class Item(Sourced):
    """One piece of content. `body` holds sanitised HTML (services sanitise it with nh3);
    `plain` is its text, used for reading time, search and the broadcast script.

    Audience (分众化): the segment flags are OR-ed (leaders or mobile members, ...);
    `audience_path`, when set, restricts the item to one org subtree.

    Provenance (`Sourced`): items of the fact columns (FACT_KINDS) reach members only once
    已核, unless the office opted in to publish 未核 content (`ContentPolicy`)."""

    column = models.ForeignKey(LearningColumn, verbose_name=_("栏目"), on_delete=models.PROTECT, related_name="items")
    org = models.ForeignKey("orgs.Org", verbose_name=_("发布组织"), on_delete=models.PROTECT, related_name="learning_items")
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"), blank=True)
    plain = models.TextField(editable=False, blank=True)
    answer = models.TextField(_("答案"), blank=True, help_text=_("党史百问的答案(富文本)"))
    source = models.CharField(_("来源"), max_length=300, blank=True)
    image = models.FileField(_("配图"), upload_to="learning/images/%Y/%m/", blank=True)
    media_url = models.URLField(_("视频或音频链接"), blank=True)
    duration_seconds = models.PositiveIntegerField(_("时长(秒)"), null=True, blank=True)
    month = models.PositiveSmallIntegerField(_("月"), null=True, blank=True)
    day = models.PositiveSmallIntegerField(_("日"), null=True, blank=True)
    event_year = models.PositiveSmallIntegerField(_("年份"), null=True, blank=True)
    number = models.PositiveIntegerField(_("编号"), null=True, blank=True, help_text=_("天天读的期数"))
    tags = models.ManyToManyField(Tag, verbose_name=_("标签"), blank=True, related_name="items")
    # A recording uploaded by the office for the village broadcast; it takes precedence
    # over espeak-ng synthesis. Checked by content (uploads.audio_check), served scoped.
    broadcast_audio = models.FileField(_("广播录音"), upload_to="learning/broadcast/items/%Y/%m/", blank=True)
    broadcast_seconds = models.PositiveIntegerField(_("录音时长(秒)"), null=True, blank=True)
    public = models.BooleanField(_("公开"), default=True, help_text=_("公开内容出现在 RSS/Atom 订阅中"))
    status = models.CharField(_("状态"), max_length=10, choices=ItemStatus, default=ItemStatus.DRAFT)
    publish_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    created_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # audience
    for_all = models.BooleanField(_("全体党员"), default=True)
    for_leaders = models.BooleanField(_("县处级以上领导干部"), default=False)
    for_cadres = models.BooleanField(_("科级干部"), default=False)
    for_ordinary = models.BooleanField(_("普通党员"), default=False)
    for_mobile = models.BooleanField(_("流动党员"), default=False)
    for_youth = models.BooleanField(_("青年党员"), default=False)
    for_two_new = models.BooleanField(_("两新组织党员"), default=False)
    audience_path = models.CharField(_("限定组织范围"), max_length=255, blank=True, default="")

    class Meta:
        verbose_name = _("学习内容")
        verbose_name_plural = _("学习内容")
        ordering = ["-publish_at", "-id"]
        indexes = [
            models.Index(fields=["status", "publish_at"], name="learning_item_visible"),
            # The feed's "newest first, first 20 that target me": walked backwards, it stops early.
            models.Index(fields=["-publish_at", "-id"], name="learning_item_recent"),
            models.Index(fields=["column", "status", "publish_at"], name="learning_item_column"),
            models.Index(fields=["month", "day"], name="learning_item_monthday"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(month__isnull=True) | Q(month__gte=1, month__lte=12, day__gte=1, day__lte=31),
                name="learning_item_month_day",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["scheduled", "published"]) | Q(publish_at__isnull=False),
                name="learning_item_publish_at",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ItemGram(models.Model):
    """The Chinese search index: every distinct character bigram (and every Latin/digit
    word) of an item's title and text, kept by the services that write items."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="grams")
    gram = models.CharField(max_length=32)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["gram", "item"], name="learning_gram_unique")]

    def __str__(self) -> str:
        return f"{self.gram} → {self.item_id}"


class ReadRecord(models.Model):
    """A member opened an item (`opened_at`, server clock) and perhaps finished it.
    `counted` marks a read long enough to count; at most one counted read per item."""

    member = models.ForeignKey("orgs.Member", on_delete=models.CASCADE, related_name="learning_reads")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="reads")
    opened_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    seconds = models.PositiveIntegerField(default=0)
    counted = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("阅读记录")
        verbose_name_plural = _("阅读记录")
        indexes = [models.Index(fields=["member", "-opened_at"], name="learning_read_member")]
        constraints = [
            models.UniqueConstraint(fields=["member", "item"], condition=Q(counted=True), name="learning_read_counted_once")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} · {self.item_id} · {self.opened_at:%Y-%m-%d %H:%M}"


class FiveOneKind(models.TextChoices):
    BOOK = "book", _("每月读一本书")
    FILM = "film", _("每旬观看一部红色影片")
    SONG = "song", _("每周听唱一首歌曲")
    VIDEO = "video", _("每日观看一个短视频")
    EXPERIENCE = "experience", _("参与一次体验式学习")


class OfflineStatus(models.TextChoices):
    REPORTED = "reported", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    REJECTED = "rejected", _("未通过")


class OfflineActivity(models.Model):
    """A self-reported offline activity (a book read, a film seen in a cinema), confirmed by the branch."""

    member = models.ForeignKey("orgs.Member", on_delete=models.CASCADE, related_name="learning_offline")
    kind = models.CharField(_("类别"), max_length=10, choices=FiveOneKind)
    title = models.CharField(_("名称"), max_length=200)
    day = models.DateField(_("日期"))
    evidence = models.FileField(_("照片"), upload_to="learning/evidence/%Y/%m/", blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=OfflineStatus, default=OfflineStatus.REPORTED)
    reviewed_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("线下学习")
        verbose_name_plural = _("线下学习")
        ordering = ["-day", "-id"]

    def __str__(self) -> str:
        return self.title


class Activity(models.Model):
    """What 五个一 is computed from: one row per counted read of a catalogue item or
    confirmed offline activity, written by the services that count them."""

    member = models.ForeignKey("orgs.Member", on_delete=models.CASCADE, related_name="learning_activities")
    kind = models.CharField(max_length=10, choices=FiveOneKind)
    day = models.DateField()
    read = models.OneToOneField(ReadRecord, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    offline = models.OneToOneField(OfflineActivity, null=True, blank=True, on_delete=models.CASCADE, related_name="+")

    class Meta:
        # Member first: 五个一 groups by member, and (member, kind, day) lets PostgreSQL answer
        # from the index alone, in member order, without touching the table.
        indexes = [models.Index(fields=["member", "kind", "day"], name="learning_activity_member")]

    def __str__(self) -> str:
        return f"{self.member_id} · {self.kind} · {self.day}"


class PointRule(models.Model):
    """A point-earning rule, configurable by the office. Caps: None means no cap."""

    code = models.SlugField(_("规则代码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    points = models.PositiveSmallIntegerField(_("每次积分"))
    daily_cap = models.PositiveIntegerField(_("每日上限"), null=True, blank=True)
    total_cap = models.PositiveIntegerField(_("累计上限"), null=True, blank=True)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("积分规则")
        verbose_name_plural = _("积分规则")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class PointEntry(models.Model):
    """One line of the append-only points ledger. `cause_type`/`cause_id` name what earned
    it (a read, a quiz attempt, a check-in) and `event_id` the audit event that carried it;
    the unique constraint keeps one cause from paying twice."""

    member = models.ForeignKey("orgs.Member", on_delete=models.PROTECT, related_name="learning_points")
    rule = models.ForeignKey(PointRule, on_delete=models.PROTECT, related_name="entries")
    points = models.PositiveSmallIntegerField()
    day = models.DateField()
    created_at = models.DateTimeField()
    cause_type = models.CharField(max_length=60)
    cause_id = models.CharField(max_length=40)
    event_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("积分明细")
        verbose_name_plural = _("积分明细")
        indexes = [models.Index(fields=["member", "rule", "day"], name="learning_points_member_day")]
        constraints = [
            models.UniqueConstraint(fields=["member", "rule", "cause_type", "cause_id"], name="learning_points_once")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} +{self.points} ({self.cause_type}:{self.cause_id})"

    def save(self, *args, **kwargs):
        # The ledger is append-only: a correction is a new entry, never an edit.
        if not self._state.adding:
            raise ValueError("PointEntry is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("PointEntry is append-only")


class Push(models.Model):
    """A targeted push (定向推送, 千里送学) of one item to the members of an org subtree."""

    item = models.ForeignKey(Item, verbose_name=_("内容"), on_delete=models.PROTECT, related_name="pushes")
    org = models.ForeignKey("orgs.Org", verbose_name=_("推送范围"), on_delete=models.PROTECT, related_name="learning_pushes")
    sent_at = models.DateTimeField()
    sent_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("定向推送")
        verbose_name_plural = _("定向推送")
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"{self.item_id} → {self.org_id}"


class PushReceipt(models.Model):
    """Targeted → delivered (the member has an account to receive it) → opened (read started)."""

    push = models.ForeignKey(Push, on_delete=models.CASCADE, related_name="receipts")
    member = models.ForeignKey("orgs.Member", on_delete=models.CASCADE, related_name="learning_push_receipts")
    delivered_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["push", "member"], name="learning_receipt_once")]
        indexes = [models.Index(fields=["member", "opened_at"], name="learning_receipt_member")]

    def __str__(self) -> str:
        return f"{self.push_id} · {self.member_id}"


class Playlist(models.Model):
    """The day's broadcast (村村响) for one org: entries in order, aired or not."""

    org = models.ForeignKey("orgs.Org", verbose_name=_("组织"), on_delete=models.PROTECT, related_name="learning_playlists")
    day = models.DateField(_("播出日期"))
    aired_times = models.PositiveSmallIntegerField(_("播出次数"), default=0)

    class Meta:
        verbose_name = _("广播节目单")
        verbose_name_plural = _("广播节目单")
        ordering = ["-day"]
        constraints = [models.UniqueConstraint(fields=["org", "day"], name="learning_playlist_once")]

    def __str__(self) -> str:
        return f"{self.org_id} · {self.day}"


class PlaylistEntry(models.Model):
    playlist = models.ForeignKey(Playlist, on_delete=models.CASCADE, related_name="entries")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()
    audio = models.FileField(upload_to="learning/broadcast/%Y/%m/", blank=True)
    seconds = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return f"{self.playlist_id} #{self.position}"



class ContentPolicy(models.Model):
    """The site's one publishing rule for unreviewed content (a single row, pk 1): whether
    未核 starter items and questions reach members (shown 来源待核 in the console). Off
    unless the office turns it on; every change is in the audit log."""

    publish_unverified = models.BooleanField(_("发布未核内容"), default=False)
    changed_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("内容发布规则")
        verbose_name_plural = _("内容发布规则")
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="learning_content_policy_single")]

    def __str__(self) -> str:
        return str(self.publish_unverified)
