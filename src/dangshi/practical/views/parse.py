"""Form values the practical pages parse (shared by the console and member pages)."""

from datetime import date

from django.utils.translation import gettext as _

from dangshi.errors import Invalid


def date_field(value: str, field: str) -> date:
    try:
        return date.fromisoformat((value or "").strip())
    except ValueError:
        raise Invalid(_("日期格式应为 YYYY-MM-DD。"), field=field) from None


def int_field(value: str, field: str, default=None):
    if value in (None, ""):
        return default
    try:
        return int(value)
    except ValueError:
        raise Invalid(_("请输入整数。"), field=field) from None
