from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangshi.core.crypto import EncryptedTextField, mask_id_number, mask_phone
from dangshi.orgs.choices import Gender, MemberCategory, OrgKind, Role, TwoNew

__all__ = ["Campaign", "CampaignGoal", "Gender", "Member", "MemberCategory", "Org", "OrgKind", "Role",
           "RoleBinding", "TwoNew"]


class Campaign(models.Model):
    """A learning-education campaign (党史学习教育 of 2021 is the model) run over one org tree."""

    name = models.CharField(_("名称"), max_length=120)
    root = models.ForeignKey("Org", verbose_name=_("牵头组织"), on_delete=models.PROTECT, related_name="campaigns")
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))

    class Meta:
        verbose_name = _("学习教育活动")
        verbose_name_plural = _("学习教育活动")
        ordering = ["-starts_on"]
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="campaign_dates")]

    def __str__(self) -> str:
        return self.name


class CampaignGoal(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(_("目标"), max_length=60)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("目标要求")
        verbose_name_plural = _("目标要求")
        ordering = ["position"]

    def __str__(self) -> str:
        return self.title


class Org(models.Model):
    """A node of the organisation tree.

    `path` is a materialised path of fixed-width segments (ORG_PATH_STEP characters per
    level), so a subtree is `path__startswith=org.path`: one indexed range scan on both
    databases (PostgreSQL gets a varchar_pattern_ops index for the unique CharField).
    """

    code = models.CharField(_("组织编码"), max_length=32, unique=True)
    name = models.CharField(_("组织名称"), max_length=120)
    kind = models.CharField(_("组织类别"), max_length=20, choices=OrgKind)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    path = models.CharField(max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(editable=False)
    grassroots = models.BooleanField(_("基层党组织"), default=False, help_text=_("基层党委、党总支、党支部"))
    two_new = models.CharField(_("两新组织"), max_length=12, choices=TwoNew, blank=True, default="")
    mobile = models.BooleanField(_("流动党员党组织"), default=False)
    secretary = models.CharField(_("书记"), max_length=50, blank=True)
    contact = models.CharField(_("联系电话"), max_length=30, blank=True, help_text=_("组织办公电话"))
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("党组织")
        verbose_name_plural = _("党组织")
        ordering = ["path"]
        indexes = [models.Index(fields=["grassroots", "path"], name="org_grassroots_path")]

    def __str__(self) -> str:
        return self.name

    def contains(self, other: "Org") -> bool:
        return other.path.startswith(self.path)


class Member(models.Model):
    """A Party member. Phone and ID number are encrypted at rest and masked for display;
    `id_digest` (a keyed HMAC) is what duplicates are checked on."""

    org = models.ForeignKey(Org, verbose_name=_("所在组织"), on_delete=models.PROTECT, related_name="members")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="member"
    )
    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    joined_on = models.DateField(_("入党日期"), null=True, blank=True)
    phone = EncryptedTextField(_("手机号"), blank=True)
    id_number = EncryptedTextField(_("身份证号"), blank=True)
    id_digest = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    # The phone's keyed digest: how an SMS sign-in finds the member without decrypting phones.
    # Not unique: two members of one family may share a phone; a sign-in code then goes to none.
    phone_digest = models.CharField(max_length=64, null=True, blank=True, editable=False, db_index=True)
    category = models.CharField(_("人员类别"), max_length=10, choices=MemberCategory, default=MemberCategory.ORDINARY)
    mobile = models.BooleanField(_("流动党员"), default=False)
    youth = models.BooleanField(_("青年党员"), default=False)
    two_new = models.BooleanField(_("两新组织党员"), default=False)
    active = models.BooleanField(_("在册"), default=True)

    class Meta:
        verbose_name = _("党员")
        verbose_name_plural = _("党员")
        ordering = ["org_id", "id"]
        indexes = [models.Index(fields=["org", "active"], name="member_org_active")]

    def __str__(self) -> str:
        return self.name

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)


class RoleBinding(models.Model):
    """A user's role, bound to an org: office and org admins reach that org's subtree."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("角色"), max_length=12, choices=Role)
    org = models.ForeignKey(Org, verbose_name=_("组织"), on_delete=models.CASCADE, related_name="role_bindings")

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        constraints = [models.UniqueConstraint(fields=["user", "role", "org"], name="role_binding_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.org}"
