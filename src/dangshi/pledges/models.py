"""承诺践诺: member commitments (五诺), their ratings, unit commitment lists, checklists."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审核")
    RETURNED = "returned", _("已退回")
    APPROVED = "approved", _("审核通过")
    REJECTED = "rejected", _("未通过")
    PUBLISHED = "published", _("已公示")
    FULFILLING = "fulfilling", _("践诺中")
    FULFILMENT_SUBMITTED = "fulfilment_submitted", _("践诺已报")
    RATING_OPEN = "rating_open", _("评议中")
    RATED = "rated", _("已评议")
    ARCHIVED = "archived", _("已归档")


# States whose commitment is on the public display (亮诺): the review is released at publish.
PUBLIC_STATES = (
    State.PUBLISHED, State.FULFILLING, State.FULFILMENT_SUBMITTED, State.RATING_OPEN, State.RATED, State.ARCHIVED,
)
FULFILLED_STATES = (State.RATED, State.ARCHIVED)


class Category(models.TextChoices):
    STUDY = "study", _("学习提升")
    SERVICE = "service", _("服务群众")
    POST = "post", _("岗位履职")
    INTEGRITY = "integrity", _("廉洁自律")
    OTHER = "other", _("其他")


class Scale(models.TextChoices):
    GRADES = "grades", _("优秀/良好/一般/差")
    STARS = "stars", _("1–5 星")


class PledgeRound(models.Model):
    """One commitment period (e.g. 2021 年度党员承诺) run over an org subtree, with its rating rules."""

    org = models.ForeignKey("orgs.Org", verbose_name=_("发起组织"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("名称"), max_length=80)
    year = models.PositiveSmallIntegerField(_("年度"))
    commit_by = models.DateField(_("承诺截止日期"))
    rating_days = models.PositiveSmallIntegerField(_("评议窗口(天)"), default=14)
    scale = models.CharField(_("评议方式"), max_length=8, choices=Scale, default=Scale.GRADES)
    weight_self = models.PositiveSmallIntegerField(_("自评权重(%)"), default=20)
    weight_peer = models.PositiveSmallIntegerField(_("党员互评权重(%)"), default=40)
    weight_public = models.PositiveSmallIntegerField(_("群众评议权重(%)"), default=40)

    class Meta:
        verbose_name = _("承诺批次")
        verbose_name_plural = _("承诺批次")
        ordering = ["-year", "-id"]
        constraints = [
            # The three weights make 100 %: the weighted grade is then a plain weighted mean.
            models.CheckConstraint(condition=Q(weight_self=100 - F("weight_peer") - F("weight_public")),
                                   name="pledge_round_weights_100"),
            models.CheckConstraint(condition=Q(rating_days__gte=1), name="pledge_round_rating_days"),
        ]

    def __str__(self) -> str:
        return self.title


class Pledge(models.Model):
    """A member's commitment for one round (2–5 items). `state` moves only through
    `pledges.machine.TRANSITIONS`, by compare-and-set in `services.pledge_act`."""

    round = models.ForeignKey(PledgeRound, verbose_name=_("批次"), on_delete=models.PROTECT, related_name="pledges")
    member = models.ForeignKey("orgs.Member", verbose_name=_("党员"), on_delete=models.PROTECT, related_name="pledges")
    org = models.ForeignKey("orgs.Org", verbose_name=_("所在支部"), on_delete=models.PROTECT, related_name="pledges")
    state = models.CharField(_("状态"), max_length=24, choices=State, default=State.DRAFT)
    review_comment = models.TextField(_("支部审核意见"), blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # The review stays internal (member and branch only) until the commitment is published.
    review_released = models.BooleanField(_("审核意见已公开"), default=False)
    published_at = models.DateTimeField(_("公示时间"), null=True, blank=True)
    fulfilment_summary = models.TextField(_("践诺总结"), blank=True)
    rating_closes_on = models.DateField(_("评议截止日期"), null=True, blank=True)
    grade_score = models.DecimalField(_("综合得分"), max_digits=5, decimal_places=2, null=True, blank=True)
    grade = models.CharField(_("评议等次"), max_length=8, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("党员承诺")
        verbose_name_plural = _("党员承诺")
        ordering = ["org_id", "id"]
        constraints = [models.UniqueConstraint(fields=["round", "member"], name="pledge_one_per_member_round")]
        indexes = [models.Index(fields=["org", "state"], name="pledge_org_state")]

    def __str__(self) -> str:
        return f"{self.member.name} · {self.round.title}"


class PledgeItem(models.Model):
    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(default=0)
    what = models.CharField(_("承诺事项"), max_length=200)
    due_on = models.DateField(_("完成时限"))
    measure = models.CharField(_("可衡量成果"), max_length=200)
    category = models.CharField(_("类别"), max_length=12, choices=Category)
    done = models.BooleanField(_("已完成"), default=False)

    class Meta:
        verbose_name = _("承诺事项")
        verbose_name_plural = _("承诺事项")
        ordering = ["pledge_id", "position"]

    def __str__(self) -> str:
        return self.what


class PledgeProgress(models.Model):
    """A progress update (践诺) with its evidence."""

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="progress")
    item = models.ForeignKey(PledgeItem, null=True, blank=True, on_delete=models.CASCADE, related_name="progress")
    note = models.TextField(_("进展情况"))
    evidence = models.TextField(_("佐证材料"))
    on = models.DateField(_("日期"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("践诺进展")
        verbose_name_plural = _("践诺进展")
        ordering = ["pledge_id", "on", "id"]

    def __str__(self) -> str:
        return self.note[:40]


class RaterKind(models.TextChoices):
    SELF = "self", _("自评")
    PEER = "peer", _("党员互评")
    PUBLIC = "public", _("群众评议")


class PledgeRating(models.Model):
    """One rating (评诺). `points` is 0–100 whatever the scale (优秀 100 … 5★ 100, 1★ 20).
    The database keeps one rating per account and one per phone for each commitment."""

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="ratings")
    kind = models.CharField(_("评议类别"), max_length=8, choices=RaterKind)
    rater_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    # Only the keyed digest of a public rater's phone is kept, never the number.
    phone_digest = models.CharField(max_length=64, blank=True, default="")
    points = models.PositiveSmallIntegerField(_("得分"))
    label = models.CharField(_("评价"), max_length=8)
    comment = models.CharField(_("评语"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("评议")
        verbose_name_plural = _("评议")
        ordering = ["pledge_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["pledge", "rater_user"], condition=Q(rater_user__isnull=False),
                                    name="pledge_rating_one_per_account"),
            models.UniqueConstraint(fields=["pledge", "phone_digest"], condition=~Q(phone_digest=""),
                                    name="pledge_rating_one_per_phone"),
            models.CheckConstraint(condition=Q(points__lte=100), name="pledge_rating_points_range"),
            models.CheckConstraint(condition=Q(rater_user__isnull=False) | ~Q(phone_digest=""),
                                   name="pledge_rating_has_rater"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.label}"


class UnitState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已公开")
    DONE = "done", _("已兑现")


class UnitPledge(models.Model):
    """One line of an org's yearly commitment list (承诺清单), shown at year end (成果展示)."""

    org = models.ForeignKey("orgs.Org", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="unit_pledges")
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("承诺事项"), max_length=200)
    target = models.CharField(_("对应服务目标"), max_length=200, blank=True)
    measure = models.CharField(_("完成标准"), max_length=200)
    due_on = models.DateField(_("完成时限"))
    state = models.CharField(_("状态"), max_length=10, choices=UnitState, default=UnitState.DRAFT)
    percent = models.PositiveSmallIntegerField(_("完成进度(%)"), default=0)
    result = models.TextField(_("践诺成果"), blank=True)
    evidence = models.TextField(_("佐证材料"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("单位承诺")
        verbose_name_plural = _("单位承诺")
        ordering = ["org_id", "year", "position", "id"]
        indexes = [models.Index(fields=["year", "org"], name="unit_pledge_year_org")]
        constraints = [
            models.CheckConstraint(condition=Q(percent__lte=100), name="unit_pledge_percent_range"),
            models.CheckConstraint(condition=~Q(state="done") | Q(percent=100), name="unit_pledge_done_is_100"),
        ]

    def __str__(self) -> str:
        return self.title


class UnitProgress(models.Model):
    unit_pledge = models.ForeignKey(UnitPledge, on_delete=models.CASCADE, related_name="updates")
    percent = models.PositiveSmallIntegerField(_("完成进度(%)"))
    note = models.TextField(_("进展情况"))
    evidence = models.TextField(_("佐证材料"), blank=True)
    on = models.DateField(_("日期"))

    class Meta:
        verbose_name = _("单位承诺进展")
        verbose_name_plural = _("单位承诺进展")
        ordering = ["unit_pledge_id", "on", "id"]

    def __str__(self) -> str:
        return self.note[:40]


class Checklist(models.Model):
    """A configurable checklist such as 履新九个一, assigned to a set of orgs."""

    org = models.ForeignKey("orgs.Org", verbose_name=_("发起组织"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("名称"), max_length=80)
    year = models.PositiveSmallIntegerField(_("年度"))
    description = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("任务清单")
        verbose_name_plural = _("任务清单")
        ordering = ["-year", "id"]

    def __str__(self) -> str:
        return self.title


class ChecklistItem(models.Model):
    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("事项"), max_length=80)

    class Meta:
        verbose_name = _("清单事项")
        verbose_name_plural = _("清单事项")
        ordering = ["checklist_id", "position"]

    def __str__(self) -> str:
        return self.title


class ChecklistAssignment(models.Model):
    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="assignments")
    org = models.ForeignKey("orgs.Org", verbose_name=_("组织"), on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("清单对象")
        verbose_name_plural = _("清单对象")
        constraints = [models.UniqueConstraint(fields=["checklist", "org"], name="checklist_assignment_unique")]

    def __str__(self) -> str:
        return f"{self.checklist_id} → {self.org_id}"


class ChecklistTick(models.Model):
    """An item done by an org: the date and its evidence. One tick per item per org."""

    item = models.ForeignKey(ChecklistItem, on_delete=models.CASCADE, related_name="ticks")
    org = models.ForeignKey("orgs.Org", verbose_name=_("组织"), on_delete=models.CASCADE, related_name="+")
    done_on = models.DateField(_("完成日期"))
    evidence = models.TextField(_("佐证材料"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("清单完成情况")
        verbose_name_plural = _("清单完成情况")
        constraints = [models.UniqueConstraint(fields=["item", "org"], name="checklist_tick_unique")]

    def __str__(self) -> str:
        return f"{self.item_id} @ {self.org_id}: {self.done_on}"

