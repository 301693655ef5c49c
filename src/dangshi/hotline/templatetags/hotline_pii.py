"""`blank_numbers`: citizen text in lists (queues, the requests of a 问题分类) with the phone and
ID numbers typed into it blanked; the request's own page shows it in clear to the handling unit."""

from django import template

from dangshi.core.crypto import blank_personal_numbers

register = template.Library()


@register.filter
def blank_numbers(text: str) -> str:
    return blank_personal_numbers(text or "")
