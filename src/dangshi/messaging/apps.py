from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "dangshi.messaging"
    label = "messaging"
    verbose_name = _("消息发送")
    console_nav = [(_("消息发送记录"), "messaging:console_messages", "office")]
