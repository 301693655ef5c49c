"""Mainland ID numbers (GB 11643-1999); mobile numbers: `core.phones`."""

import re
from datetime import date

from django.utils.translation import gettext as _

from dangshi.core.phones import hint
from dangshi.core.tabular import compact
from dangshi.errors import Invalid

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_ID = re.compile(r"^\d{17}[\dX]$")


def id_check_char(first17: str) -> str:
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def normalise_id_number(value) -> str:
    """Return the 18-character ID number (upper-case X) or raise Invalid naming the problem."""
    number = compact(value).upper()
    if not _ID.match(number):
        raise Invalid(_("身份证号应为 18 位(最后一位可为 X):%(v)s") % {"v": hint(number)})
    try:
        date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise Invalid(_("身份证号中的出生日期无效。")) from None
    if id_check_char(number[:17]) != number[17]:
        raise Invalid(_("身份证号校验位错误。"))
    return number


