"""Mainland mobile numbers as people type them: the one normaliser for rosters, ratings and
codes (full-width digits, spaces, dashes and dots, a +86 / 0086 prefix)."""

import re
import unicodedata

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dangshi.core.crypto import MOBILE, fold_phone
from dangshi.errors import Invalid

_SEPARATORS = re.compile(r"[\s\-.()()]")


def normalise_phone(value, *, field: str | None = None) -> str:
    """The 11-digit number (folded as `core.crypto.fold_phone` folds numbers in text), or Invalid (naming `field`) that echoes only enough to find it."""
    phone = fold_phone(_SEPARATORS.sub("", unicodedata.normalize("NFKC", str(value or ""))))
    if not MOBILE.fullmatch(phone):
        raise Invalid(_("手机号应为 11 位数字,以 1 开头:%(v)s") % {"v": hint(phone)}, field=field)
    return phone


def hint(value: str) -> str:
    """Enough of a bad value to find it, never the whole number."""
    if len(value) <= 6:
        return value
    return ngettext("%(start)s…(%(n)d 位)", "%(start)s…(%(n)d 位)", len(value)) % {"start": value[:3], "n": len(value)}
