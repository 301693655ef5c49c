from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    """内容审核: the office's one queue over learning items, quiz questions and members'
    答题纠错. It owns no tables: it reads and writes through learning's and quiz's
    selectors and services, and `dangshi check-content` checks the shipped files."""

    name = "dangshi.review"
    label = "review"
    verbose_name = _("内容审核")
    console_nav = [(_("内容审核"), "review:queue", "office")]
