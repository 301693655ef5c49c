"""The office's configuration of the point rules (积分规则): create and edit, each change
audited with the values before and after.

Rules are campaign-wide (the ledger has one set), so only an office user whose reach
covers the campaign's root org may change them (DESIGN: the office configures the
campaign); org admins see them read-only. `points_award` reads the rule afresh at every
award, so a changed cap applies from the next award on.
"""

import re
from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from dangshi.audit.services import log_event
from dangshi.errors import Invalid, Refused
from dangshi.learning.models import PointRule
from dangshi.learning.selectors.content import may_edit
from dangshi.orgs.scope import Scope
from dangshi.orgs.selectors import campaign_for

FIELDS = ("code", "name", "points", "daily_cap", "total_cap", "active")
MAX_POINTS = 1000
CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_-]{1,29}$")


def _label(field: str) -> str:
    return str(PointRule._meta.get_field(field).verbose_name)


def _integer(data: Mapping, field: str, *, required: bool) -> int | None:
    raw = str(data.get(field) or "").strip()
    if not raw:
        if required:
            raise Invalid(_("%(field)s:请填写。") % {"field": _label(field)}, field=field)
        return None
    try:
        return int(raw)
    except ValueError:
        raise Invalid(_("%(field)s:请填写整数,而不是“%(value)s”。") % {"field": _label(field), "value": raw[:20]},
                      field=field) from None


def rule_fields_parse(data: Mapping, *, with_code: bool) -> dict:
    """Typed values from a form's strings; a bad number names its field. An empty cap
    means no cap; `active` is a checkbox ("on")."""
    values = {
        "name": str(data.get("name") or "").strip(),
        "points": _integer(data, "points", required=True),
        "daily_cap": _integer(data, "daily_cap", required=False),
        "total_cap": _integer(data, "total_cap", required=False),
        "active": data.get("active") in ("on", "true", "1", True),
    }
    if with_code:
        values["code"] = str(data.get("code") or "").strip()
    return values


def rule_values_check(values: dict) -> None:
    """Raise Invalid naming the field for a value the ledger cannot use (the console's and the admin's check)."""
    if "code" in values and not CODE_PATTERN.fullmatch(values["code"]):
        raise Invalid(_("%(field)s:须为 2–30 个小写英文字母、数字、下划线或连字符,以字母开头。")
                      % {"field": _label("code")}, field="code")
    if not values["name"]:
        raise Invalid(_("%(field)s:请填写。") % {"field": _label("name")}, field="name")
    if len(values["name"]) > 60:
        raise Invalid(_("%(field)s:不能超过 60 个字。") % {"field": _label("name")}, field="name")
    if not 1 <= values["points"] <= MAX_POINTS:
        raise Invalid(_("%(field)s:须在 1 到 %(max)d 之间。") % {"field": _label("points"), "max": MAX_POINTS},
                      field="points")
    for field in ("daily_cap", "total_cap"):
        if values[field] is not None and values[field] < 1:
            raise Invalid(_("%(field)s:须为正整数,或留空表示不限。") % {"field": _label(field)}, field=field)
    if values["daily_cap"] is not None and values["total_cap"] is not None and values["total_cap"] < values[
            "daily_cap"]:
        raise Invalid(_("%(field)s:不能小于每日上限。") % {"field": _label("total_cap")}, field="total_cap")


def rule_snapshot(rule: PointRule) -> dict:
    return {f: getattr(rule, f) for f in FIELDS}


def _check(scope: Scope) -> None:
    if not may_edit(scope):
        raise Refused(_("积分规则只能由学习教育办公室设置。"))


def _audit_org(scope: Scope):
    campaign = campaign_for(org=scope.home_org)
    return campaign.root if campaign else None


def point_rule_create(*, scope: Scope, actor, code: str, name: str, points: int, daily_cap: int | None = None,
                      total_cap: int | None = None, active: bool = True) -> PointRule:
    _check(scope)
    values = {"code": code, "name": name, "points": points, "daily_cap": daily_cap, "total_cap": total_cap,
              "active": active}
    rule_values_check(values)
    try:
        with transaction.atomic():
            rule = PointRule.objects.create(**values)
            log_event("learning.rule.created", actor=actor, obj=rule, org=_audit_org(scope),
                      data={"before": None, "after": rule_snapshot(rule)})
    except IntegrityError:  # the unique code, also against a concurrent create
        raise Invalid(_("%(field)s:“%(code)s”已存在。") % {"field": _label("code"), "code": code}, field="code") from None
    return rule


def point_rule_update(*, scope: Scope, actor, rule: PointRule, name: str, points: int, daily_cap: int | None,
                      total_cap: int | None, active: bool) -> PointRule:
    """Change a rule's name, points, caps or switch it on/off. The code stays: the
    subscribers that award points find their rule by it."""
    _check(scope)
    values = {"name": name, "points": points, "daily_cap": daily_cap, "total_cap": total_cap, "active": active}
    rule_values_check(values)
    with transaction.atomic():
        # Lock the row so the logged "before" is what this change replaced, even when two
        # office users save at once.
        rule = PointRule.objects.select_for_update().get(pk=rule.pk)
        before = rule_snapshot(rule)
        for key, value in values.items():
            setattr(rule, key, value)
        after = rule_snapshot(rule)
        if after == before:
            return rule
        rule.save(update_fields=list(values))
        log_event("learning.rule.updated", actor=actor, obj=rule, org=_audit_org(scope),
                  data={"before": before, "after": after, "changed": [f for f in FIELDS if before[f] != after[f]]})
    return rule
