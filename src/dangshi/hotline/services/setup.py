"""Writes: set-up — the default services and time limits, Open311 keys."""


from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from dangshi.audit.services import log_event
from dangshi.core.crypto import digest
from dangshi.hotline.models import (
    Open311Key,
    ServiceType,
)

if TYPE_CHECKING:
    from dangshi.orgs.models import Org



# The default services and time limits (also seeded by migration 0002): code, name, group,
# limit hours, sign hours, keywords found in 问题分类.
DEFAULT_SERVICES = [
    ("emergency", "紧急诉求", "紧急", 2, 1, "紧急 突发 险情 安全隐患"),
    ("water", "供水", "水电气暖", 24, 4, "供水 停水 水压 自来水"),
    ("power", "供电", "水电气暖", 24, 4, "供电 停电 电力"),
    ("gas", "燃气", "水电气暖", 24, 4, "燃气 天然气 煤气"),
    ("heat", "供暖", "水电气暖", 24, 4, "供暖 供热 暖气"),
    ("general", "一般诉求", "一般", 7 * 24, 24, ""),
    ("complex", "复杂诉求", "复杂", 15 * 24, 24, "拆迁 征收 土地 历史遗留 劳资纠纷"),
]


def service_defaults_ensure() -> None:
    """Create any missing default service (after a flush, say); configured ones are left alone."""
    for position, (code, name, group, limit, sign, words) in enumerate(DEFAULT_SERVICES):
        ServiceType.objects.get_or_create(code=code, defaults={
            "name": name, "group": group, "limit_hours": limit, "sign_hours": sign, "keywords": words,
            "position": position, "description": f"{name},办理时限 {limit} 小时",
        })


def open311_key_create(*, name: str, intake_org: Org, actor=None) -> tuple[Open311Key, str]:
    """A new Open311 api_key: returns the key row and the clear key (shown once, never stored)."""
    clear = secrets.token_urlsafe(24)
    key = Open311Key.objects.create(name=name, digest=digest(clear), intake_org=intake_org)
    log_event("hotline.open311key.created", actor=actor, obj=key, org=intake_org, data={"name": name})
    return key, clear
