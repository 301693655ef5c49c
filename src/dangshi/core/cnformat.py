"""Chinese document conventions shared by every generated document (briefings, certificates,
letters): dates without leading zeros (GB/T 9704-2012 7.3.5.4: 2026年3月1日, not 2026年03月01日)
and full-width punctuation between Chinese characters (GB/T 15834)."""

import re
from datetime import date

from django.utils.translation import gettext as _

_CJK = r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef“”‘’《》、]"
_HALF = {",": "，", "(": "（", ")": "）", ":": "：", ";": "；", "?": "？", "!": "！"}
_HALF_NEAR_CJK = re.compile(rf"(?<={_CJK})\s*([,():;?!])|([,():;?!])\s*(?={_CJK})")
HALF_BETWEEN_CJK = re.compile(rf"{_CJK}\s*[,()]|[,()]\s*{_CJK}")


def cn_date(day: date) -> str:
    """2026年3月1日."""
    return _("%(y)d年%(m)d月%(d)d日") % {"y": day.year, "m": day.month, "d": day.day}


_PAREN = re.compile(r"\(([^()]*)\)")
_HAS_CJK = re.compile(_CJK)


def cn_punct(text: str) -> str:
    """Half-width , ( ) : ; ? ! next to a Chinese character made full-width; "5,537" and
    Latin text keep theirs. A bracket pair goes full-width together when it follows or holds
    Chinese: 答题正确率(%) → 答题正确率（%）."""
    def pair(m: re.Match) -> str:
        before = text[m.start() - 1] if m.start() else ""
        if _HAS_CJK.search(m[1]) or (before and _HAS_CJK.match(before)):
            return f"（{m[1]}）"
        return m[0]

    text = _PAREN.sub(pair, text)
    return _HALF_NEAR_CJK.sub(lambda m: _HALF[m[1] or m[2]], text)
