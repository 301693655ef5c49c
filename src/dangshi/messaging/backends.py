"""SMS providers behind one interface, chosen by settings.SMS_BACKEND.

`console`: development and the demo: nothing leaves the machine; the message is recorded as
sent in the 消息发送记录 table (with its text), which the office can read. The Alibaba Cloud
and Tencent Cloud adapters are not built yet (issue 14): choosing one fails at start-up."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class Sent:
    provider_ref: str = ""


class SendFailed(Exception):
    """The provider refused or could not be reached; the text says why (kept on the row)."""


class ConsoleBackend:
    name = "console"
    keeps_text = True

    def send_sms(self, *, phone: str, text: str) -> Sent:
        return Sent(provider_ref="console")


BACKENDS = {"console": ConsoleBackend}


def backend():
    try:
        return BACKENDS[settings.SMS_BACKEND]()
    except KeyError:
        raise ImproperlyConfigured(f"SMS_BACKEND must be one of {sorted(BACKENDS)}, not {settings.SMS_BACKEND!r}") from None
