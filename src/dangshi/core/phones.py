"""Mainland mobile numbers as people type them: the one normaliser for rosters, ratings and
codes (full-width digits, spaces, dashes and dots, a +86 / 0086 prefix)."""

import re
import unicodedata

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dangshi.errors import Invalid

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_SEPARATORS = re.compile(r"[\s\-.()()]")


def normalise_phone(value, *, field: str | None = None) -> str:
    """The 11-digit number, or Invalid (naming `field`) that echoes only enough to find it."""
    phone = _SEPARATORS.sub("", unicodedata.normalize("NFKC", str(value or "")))
    if phone.startswith("+86"):
        phone = phone[3:]
    elif phone.startswith("0086"):
        phone = phone[4:]
    elif phone.startswith("86") and len(phone) == 13:
        phone = phone[2:]
    if not _MOBILE.match(phone):
        raise Invalid(_("手机号应为 11 位数字,以 1 开头:%(v)s") % {"v": hint(phone)}, field=field)
    return phone


def hint(value: str) -> str:
    """Enough of a bad value to find it, never the whole number."""
    if len(value) <= 6:
        return value
    return ngettext("%(start)s…(%(n)d 位)", "%(start)s…(%(n)d 位)", len(value)) % {"start": value[:3], "n": len(value)}
