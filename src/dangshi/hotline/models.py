"""12345 hotline requests (诉求工单): intake, handling, callbacks.

Every change of a request writes a RequestUpdate row (state, note, actor, time); the
timestamps on Request (dispatched_at, signed_at, replied_at, ...) are set by the same
service call, in the same transaction, so that KPIs over a year are one aggregate
query instead of a replay of a million update rows.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangshi.core.crypto import EncryptedTextField, mask_name, mask_phone


class ServiceType(models.Model):
    """A service (诉求类别) with its time limit; also the Open311 `service` list."""

    code = models.CharField(_("编码"), max_length=20, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    group = models.CharField(_("分组"), max_length=30, blank=True)
    limit_hours = models.PositiveIntegerField(_("办理时限(小时)"))
    sign_hours = models.PositiveIntegerField(_("签收时限(小时)"), default=24)
    keywords = models.CharField(_("分类关键词"), max_length=200, blank=True,
                                help_text=_("问题分类含这些词(以空格分隔)时归入本类"))
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("诉求类别与时限")
        verbose_name_plural = _("诉求类别与时限")
        ordering = ["position", "code"]
        constraints = [models.CheckConstraint(condition=Q(limit_hours__gt=0), name="hotline_service_limit_positive")]

    def __str__(self) -> str:
        return self.name


class Kind(models.TextChoices):
    CONSULT = "consult", _("咨询")
    HELP = "help", _("求助")
    COMPLAINT = "complaint", _("投诉")
    REPORT = "report", _("举报")
    SUGGESTION = "suggestion", _("建议")


class Channel(models.TextChoices):
    IMPORT = "import", _("热线导入")
    OPEN311 = "open311", _("Open311 接口")
    FORM = "form", _("网上表单")


class State(models.TextChoices):
    RECEIVED = "received", _("已受理")
    ANSWERED = "answered", _("直接答复")
    DISPATCHED = "dispatched", _("已派单")
    RETURNED = "returned", _("已退单")
    SIGNED = "signed", _("已签收")
    IN_PROGRESS = "in_progress", _("办理中")
    REPLIED = "replied", _("已答复")
    CALLBACK = "callback", _("已回访")
    CLOSED = "closed", _("已办结")
    REOPENED = "reopened", _("重办")


OPEN_STATES = (State.RECEIVED, State.DISPATCHED, State.RETURNED, State.SIGNED, State.IN_PROGRESS, State.REOPENED)
# States in which the handling org's clock runs (overdue is counted only here).
HANDLING_STATES = (State.DISPATCHED, State.SIGNED, State.IN_PROGRESS, State.REOPENED)


class ImportSource(models.Model):
    """A hotline system that sends exports, with its saved column mapping
    (column key → list of the headers that system uses)."""

    name = models.CharField(_("来源名称"), max_length=60, unique=True)
    header_aliases = models.JSONField(_("列名映射"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("导入来源")
        verbose_name_plural = _("导入来源")

    def __str__(self) -> str:
        return self.name


class Request(models.Model):
    number = models.CharField(_("工单编号"), max_length=40, unique=True)
    channel = models.CharField(_("来源渠道"), max_length=10, choices=Channel)
    source = models.ForeignKey(ImportSource, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # The hotline centre that received it (the office's org): sees it before it is dispatched.
    intake_org = models.ForeignKey("orgs.Org", verbose_name=_("受理单位"), on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField(_("来电时间"))
    caller_name = EncryptedTextField(_("诉求人"), blank=True)
    caller_phone = EncryptedTextField(_("联系电话"), blank=True)
    caller_phone_digest = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    kind = models.CharField(_("诉求类型"), max_length=12, choices=Kind)
    content = models.TextField(_("诉求内容"))
    address = models.CharField(_("地址"), max_length=200, blank=True)
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    long = models.FloatField(_("经度"), null=True, blank=True)
    category_1 = models.CharField(_("一级分类"), max_length=40, blank=True)
    category_2 = models.CharField(_("二级分类"), max_length=40, blank=True)
    category_3 = models.CharField(_("三级分类"), max_length=40, blank=True)
    service = models.ForeignKey(ServiceType, verbose_name=_("诉求类别"), on_delete=models.PROTECT, related_name="+")
    state = models.CharField(_("状态"), max_length=12, choices=State, default=State.RECEIVED)
    # Indexed by hotline_req_org_dispatched (org first): no separate FK index to maintain on import.
    org = models.ForeignKey("orgs.Org", verbose_name=_("主办单位"), null=True, blank=True, on_delete=models.PROTECT,
                            related_name="hotline_requests", db_index=False)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("承办人"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    dispatched_at = models.DateTimeField(_("派单时间"), null=True, blank=True)
    sign_due_at = models.DateTimeField(_("签收时限"), null=True, blank=True)
    due_at = models.DateTimeField(_("办理时限"), null=True, blank=True)
    signed_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("督办时间"), null=True, blank=True)
    return_count = models.PositiveSmallIntegerField(_("退单次数"), default=0)
    reopen_count = models.PositiveSmallIntegerField(_("重办次数"), default=0)
    reply = models.TextField(_("答复内容"), blank=True)
    # The latest callback's answers (blank: never called back), for one-query KPIs.
    resolution = models.CharField(_("解决情况"), max_length=10, blank=True)
    satisfaction = models.CharField(_("满意度"), max_length=10, blank=True)
    # A recurring complaint becomes a practical matter (转为实事). Indexed only where set
    # (hotline_req_matter): a year's import, 200,000 rows without one, adds nothing to that index.
    matter = models.ForeignKey("practical.Matter", verbose_name=_("关联实事"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+", db_index=False)
    token = models.CharField(max_length=32, null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("12345诉求")
        verbose_name_plural = _("12345诉求")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["org", "dispatched_at"], name="hotline_req_org_dispatched"),
            models.Index(fields=["state", "due_at"], name="hotline_req_state_due"),
            models.Index(fields=["received_at"], name="hotline_req_received"),
            models.Index(fields=["matter"], name="hotline_req_matter", condition=Q(matter__isnull=False)),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(dispatched_at__isnull=True) | Q(org__isnull=False),
                                   name="hotline_dispatched_has_org"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def caller_name_masked(self) -> str:
        return mask_name(self.caller_name)

    @property
    def caller_phone_masked(self) -> str:
        return mask_phone(self.caller_phone)

    def is_overdue(self, now) -> bool:
        return self.state in HANDLING_STATES and self.due_at is not None and self.due_at < now


class CoOrg(models.Model):
    """A 协办 org of a request."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="co_orgs")
    org = models.ForeignKey("orgs.Org", verbose_name=_("协办单位"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("协办单位")
        verbose_name_plural = _("协办单位")
        constraints = [models.UniqueConstraint(fields=["request", "org"], name="hotline_coorg_unique")]

    def __str__(self) -> str:
        return f"{self.request_id} · {self.org_id}"


class Action(models.TextChoices):
    RECEIVE = "receive", _("受理")
    ANSWER = "answer", _("直接答复")
    DISPATCH = "dispatch", _("派单")
    RETURN = "return", _("退单")
    SIGN = "sign", _("签收")
    START = "start", _("开始办理")
    REPLY = "reply", _("答复")
    CALLBACK = "callback", _("回访")
    CLOSE = "close", _("办结")
    REOPEN = "reopen", _("重办")
    EXTEND_ASK = "extend_ask", _("申请延期")
    EXTEND_DECIDE = "extend_decide", _("延期审批")
    ESCALATE = "escalate", _("督办")
    LINK = "link", _("关联实事")


class Update(models.Model):
    """One change of a request; `org` names the org concerned (dispatched to, returned by)."""

    # A year's import writes about a million of these rows: every index and foreign-key check
    # costs. `request` is indexed by hotline_update_req_at; `org` and `actor` are never looked up
    # from the log side. `org` and `request` keep no database constraint, which spares the import
    # about 1.8 million foreign-key checks at commit (the request's alone took 4.2 of a 12.7 s
    # commit, docs/perf/hotline.md). Neither can dangle: orgs are never deleted (PROTECT
    # everywhere else), update rows are written only by this app's services in the transaction
    # that writes or locks their request, and deleting a request deletes its log (Django's
    # CASCADE, which the ORM carries out).
    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="updates", db_index=False,
                                db_constraint=False)
    action = models.CharField(_("动作"), max_length=14, choices=Action)
    state = models.CharField(_("状态"), max_length=12, choices=State)
    org = models.ForeignKey("orgs.Org", null=True, blank=True, on_delete=models.DO_NOTHING, related_name="+",
                            db_index=False, db_constraint=False)
    note = models.TextField(_("说明"), blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", db_index=False)
    actor_label = models.CharField(max_length=150, blank=True)
    at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["request", "at"], name="hotline_update_req_at"),
            models.Index(fields=["action", "at"], name="hotline_update_action_at"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.at:%Y-%m-%d %H:%M}"


class Extension(models.Model):
    class Decision(models.TextChoices):
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("已批准")
        REJECTED = "rejected", _("未批准")

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="extensions")
    hours = models.PositiveIntegerField(_("延期(小时)"))
    reason = models.TextField(_("理由"))
    decision = models.CharField(_("审批"), max_length=10, choices=Decision, default=Decision.PENDING)
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    asked_at = models.DateTimeField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        constraints = [
            # One pending extension per request at a time.
            models.UniqueConstraint(fields=["request"], condition=Q(decision="pending"), name="hotline_one_pending_ext"),
            models.CheckConstraint(condition=Q(hours__gt=0), name="hotline_ext_hours_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.hours}h · {self.get_decision_display()}"


class Resolution(models.TextChoices):
    RESOLVED = "resolved", _("已解决")
    PARTLY = "partly", _("部分解决")
    NOT = "not", _("未解决")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    NOT = "not", _("不满意")


class Callback(models.Model):
    """The hotline centre's call back to the citizen: the only source of 解决率 and 满意率.
    A reopened request is called back again; the latest callback is copied onto the request."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="callbacks")
    resolution = models.CharField(_("解决情况"), max_length=10, choices=Resolution)
    satisfaction = models.CharField(_("满意度"), max_length=10, choices=Satisfaction)
    note = models.TextField(_("回访记录"), blank=True)
    at = models.DateTimeField(_("回访时间"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")

    class Meta:
        verbose_name = _("回访")
        verbose_name_plural = _("回访")

    def __str__(self) -> str:
        return f"{self.get_resolution_display()} · {self.get_satisfaction_display()}"


class Open311Key(models.Model):
    """An Open311 api_key (only its digest is kept), bound to the org that receives what it posts."""

    name = models.CharField(_("名称"), max_length=60)
    digest = models.CharField(max_length=64, unique=True)
    intake_org = models.ForeignKey("orgs.Org", verbose_name=_("受理单位"), on_delete=models.PROTECT, related_name="+")
    active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Open311 密钥")
        verbose_name_plural = _("Open311 密钥")

    def __str__(self) -> str:
        return self.name
