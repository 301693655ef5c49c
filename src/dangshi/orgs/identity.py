"""Mainland ID numbers (GB 11643-1999) and mobile phone numbers."""

import re
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dangshi.core.tabular import compact
from dangshi.errors import Invalid

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_ID = re.compile(r"^\d{17}[\dX]$")
_PHONE = re.compile(r"^1[3-9]\d{9}$")


def id_check_char(first17: str) -> str:
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def normalise_id_number(value) -> str:
    """Return the 18-character ID number (upper-case X) or raise Invalid naming the problem."""
    number = compact(value).upper()
    if not _ID.match(number):
        raise Invalid(_("身份证号应为 18 位(最后一位可为 X):%(v)s") % {"v": _hint(number)})
    try:
        date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise Invalid(_("身份证号中的出生日期无效。")) from None
    if id_check_char(number[:17]) != number[17]:
        raise Invalid(_("身份证号校验位错误。"))
    return number


def normalise_phone(value) -> str:
    phone = compact(value).removeprefix("+86").removeprefix("86" if len(compact(value)) == 13 else "")
    phone = phone.replace("-", "")
    if not _PHONE.match(phone):
        raise Invalid(_("手机号应为 11 位数字,以 1 开头:%(v)s") % {"v": _hint(phone)})
    return phone


def _hint(value: str) -> str:
    """Echo enough of a bad value to find it, never the whole number."""
    if len(value) <= 6:
        return value
    return ngettext("%(start)s…(%(n)d 位)", "%(start)s…(%(n)d 位)", len(value)) % {"start": value[:3], "n": len(value)}
