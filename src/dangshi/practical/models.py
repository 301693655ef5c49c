"""我为群众办实事: matters, claims, milestones, progress, members' deeds and resident ratings.

State changes happen only in `services/`; the database keeps the rules it can
(one claim per member per matter, claimants within the cap, one rating per voter).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from dangshi.orgs.choices import MemberCategory


class Tier(models.TextChoices):
    KEY = "key", _("重点实事")
    GENERAL = "general", _("一般实事")


class Level(models.TextChoices):
    PROVINCE = "province", _("省级")
    CITY = "city", _("市级")
    DISTRICT = "district", _("区级")
    UNIT = "unit", _("单位")


class Field(models.TextChoices):
    INDUSTRY = "industry", _("产业发展")
    ECOLOGY = "ecology", _("生态保护")
    RURAL = "rural", _("乡村振兴")
    LIVELIHOOD = "livelihood", _("民生改善")
    SAFETY = "safety", _("安全稳定")
    PARTY = "party", _("党的建设")


class State(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    CLAIMED = "claimed", _("已认领")
    IN_PROGRESS = "in_progress", _("推进中")
    COMPLETED = "completed", _("已完成")
    VERIFIED = "verified", _("已验收")
    ADJUSTED = "adjusted", _("已调整")
    SUSPENDED = "suspended", _("已暂停")
    CANCELLED = "cancelled", _("已取消")


STARTED_STATES = (State.IN_PROGRESS, State.COMPLETED, State.VERIFIED, State.ADJUSTED)
DONE_STATES = (State.COMPLETED, State.VERIFIED)
PUBLIC_STATES = tuple(s for s in State.values if s not in (State.DRAFT, State.CANCELLED))


class ClaimRule(models.Model):
    """How one member category claims in one campaign (configurable per campaign).

    Defaults when a campaign has no rows: see `rules.DEFAULT_RULES`."""

    campaign = models.ForeignKey("orgs.Campaign", on_delete=models.CASCADE, related_name="claim_rules")
    category = models.CharField(_("人员类别"), max_length=10, choices=MemberCategory)
    may_lead = models.BooleanField(_("可牵头领办"), default=False)
    min_leads = models.PositiveSmallIntegerField(_("至少领办件数"), default=0)
    max_leads = models.PositiveSmallIntegerField(_("至多领办件数"), null=True, blank=True)
    may_join = models.BooleanField(_("可合领合办"), default=True)

    class Meta:
        verbose_name = _("认领规则")
        verbose_name_plural = _("认领规则")
        constraints = [models.UniqueConstraint(fields=["campaign", "category"], name="practical_rule_unique")]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.get_category_display()}"


class Matter(models.Model):
    campaign = models.ForeignKey("orgs.Campaign", verbose_name=_("学习教育活动"), on_delete=models.PROTECT,
                                 related_name="matters")
    org = models.ForeignKey("orgs.Org", verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="matters")
    parent = models.ForeignKey("self", verbose_name=_("上级实事"), null=True, blank=True, on_delete=models.CASCADE,
                               related_name="children")
    weight = models.PositiveSmallIntegerField(_("权重"), default=1)
    title = models.CharField(_("实事名称"), max_length=120)
    description = models.TextField(_("内容"), blank=True)
    tier = models.CharField(_("类别"), max_length=8, choices=Tier, default=Tier.GENERAL)
    level = models.CharField(_("层级"), max_length=10, choices=Level, default=Level.DISTRICT)
    field = models.CharField(_("领域"), max_length=12, choices=Field, default=Field.LIVELIHOOD)
    planned_start = models.DateField(_("计划开始"))
    planned_end = models.DateField(_("计划完成"))
    budget = models.DecimalField(_("预算(万元)"), max_digits=12, decimal_places=2, null=True, blank=True)
    location = models.CharField(_("地点"), max_length=120, blank=True)
    state = models.CharField(_("状态"), max_length=12, choices=State, default=State.DRAFT)
    resume_state = models.CharField(max_length=12, choices=State, blank=True, editable=False)
    progress = models.PositiveSmallIntegerField(_("进度(%)"), default=0)
    tolerance = models.PositiveSmallIntegerField(_("序时容差(百分点)"), default=10)
    claimant_cap = models.PositiveSmallIntegerField(_("认领人数上限"), null=True, blank=True)
    claim_count = models.PositiveSmallIntegerField(default=0, editable=False)
    source_ref = models.CharField(_("来源"), max_length=64, blank=True, help_text=_("如 12345 工单编号"))
    started_on = models.DateField(_("开工日期"), null=True, blank=True)
    completed_on = models.DateField(_("完成日期"), null=True, blank=True)
    verified_on = models.DateField(_("验收日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("实事")
        verbose_name_plural = _("实事")
        ordering = ["-tier", "planned_start", "id"]
        indexes = [models.Index(fields=["campaign", "state"], name="matter_campaign_state")]
        constraints = [
            models.CheckConstraint(condition=Q(planned_end__gte=F("planned_start")), name="matter_dates"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="matter_progress_range"),
            # The backstop for the claim cap: the service checks under a row lock, the row cannot lie.
            models.CheckConstraint(condition=Q(claimant_cap__isnull=True) | Q(claim_count__lte=F("claimant_cap")),
                                   name="matter_claims_within_cap"),
        ]

    def __str__(self) -> str:
        return self.title


class ClaimRole(models.TextChoices):
    LEAD = "lead", _("牵头领办")
    JOINT = "joint", _("合领合办")


class Claim(models.Model):
    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="claims")
    member = models.ForeignKey("orgs.Member", verbose_name=_("认领人"), on_delete=models.CASCADE,
                               related_name="practical_claims")
    role = models.CharField(_("方式"), max_length=6, choices=ClaimRole)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("认领")
        verbose_name_plural = _("认领")
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["matter", "member"], name="claim_once_per_member")]

    def __str__(self) -> str:
        return f"{self.member} · {self.matter}"


class Milestone(models.Model):
    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("节点"), max_length=120)
    due_on = models.DateField(_("计划日期"))
    done_on = models.DateField(_("完成日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("节点")
        verbose_name_plural = _("节点")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.title


class ProgressReport(models.Model):
    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="reports")
    percent = models.PositiveSmallIntegerField(_("进度(%)"))
    note = models.TextField(_("进展说明"))
    reported_on = models.DateField(_("日期"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("进展")
        verbose_name_plural = _("进展")
        ordering = ["-reported_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(percent__lte=100), name="report_percent_range")]

    def __str__(self) -> str:
        return f"{self.matter_id}: {self.percent}%"


class Evidence(models.Model):
    """A photo or file attached to a progress report (or to a completion)."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("佐证材料"), upload_to="practical/evidence/%Y/%m/")
    name = models.CharField(max_length=200)

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")

    def __str__(self) -> str:
        return self.name


class Transition(models.Model):
    """One row per state change: the matter's own history (the audit log has it too)."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=12, choices=State)
    to_state = models.CharField(max_length=12, choices=State)
    reason = models.CharField(_("原因"), max_length=300, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_state} → {self.to_state}"


class Adjustment(models.Model):
    """A request to adjust a matter (new end date, with a reason); an office user other
    than the requester approves or rejects it."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="adjustments")
    reason = models.CharField(_("调整原因"), max_length=300)
    new_planned_end = models.DateField(_("调整后完成日期"), null=True, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    approved = models.BooleanField(null=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = _("调整申请")
        verbose_name_plural = _("调整申请")
        constraints = [models.UniqueConstraint(fields=["matter"], condition=Q(approved__isnull=True),
                                               name="adjustment_one_pending")]

    def __str__(self) -> str:
        return self.reason


class DeedCategory(models.TextChoices):
    HELP = "help", _("帮办事务")
    URGENT = "urgent", _("解决急难愁盼")
    DISPUTE = "dispute", _("化解矛盾纠纷")


class DeedStatus(models.TextChoices):
    PENDING = "pending", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    REJECTED = "rejected", _("未通过")


class Deed(models.Model):
    member = models.ForeignKey("orgs.Member", on_delete=models.CASCADE, related_name="practical_deeds")
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="practical_deeds",
                            help_text=_("党员登记时所在组织,由其确认"))
    category = models.CharField(_("类别"), max_length=8, choices=DeedCategory)
    title = models.CharField(_("事项"), max_length=120)
    description = models.TextField(_("经过"), blank=True)
    beneficiaries = models.PositiveIntegerField(_("受益群众(人)"), default=1)
    happened_on = models.DateField(_("日期"))
    evidence = models.FileField(_("佐证材料"), upload_to="practical/deeds/%Y/%m/", blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=DeedStatus, default=DeedStatus.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("党员办实事")
        verbose_name_plural = _("党员办实事")
        ordering = ["-happened_on", "-id"]
        indexes = [models.Index(fields=["org", "status"], name="deed_org_status")]

    def __str__(self) -> str:
        return self.title


class Rating(models.Model):
    """A resident's rating of a completed matter. The voter is a keyed digest of a verified
    phone ("phone:…") or an account ("user:…"): the phone itself is never stored."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="ratings")
    voter_digest = models.CharField(max_length=64, editable=False)
    score = models.PositiveSmallIntegerField(_("评分"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("群众评价")
        verbose_name_plural = _("群众评价")
        constraints = [
            models.UniqueConstraint(fields=["matter", "voter_digest"], name="rating_once_per_voter"),
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="rating_score_range"),
        ]

    def __str__(self) -> str:
        return f"{self.matter_id}: {self.score}"
