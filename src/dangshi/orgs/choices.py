"""The orgs app's fixed values, importable by every module (the models use them too)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgKind(models.TextChoices):
    DISTRICT = "district", _("区委")
    WORKING_COMMITTEE = "working_committee", _("党工委")
    COMMITTEE = "committee", _("党委")
    GENERAL_BRANCH = "general_branch", _("党总支")
    BRANCH = "branch", _("党支部")
    GROUP = "group", _("党小组")


class TwoNew(models.TextChoices):
    NONE = "", _("否")
    ENTERPRISE = "enterprise", _("非公企业")
    SOCIAL = "social", _("社会组织")


class MemberCategory(models.TextChoices):
    LEADER = "leader", _("县处级以上领导干部")
    CADRE = "cadre", _("科级干部")
    ORDINARY = "ordinary", _("普通党员")


class Gender(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class Role(models.TextChoices):
    OFFICE = "office", _("学习教育办公室")
    ORG_ADMIN = "org_admin", _("组织管理员")
    LECTURER = "lecturer", _("宣讲员")
