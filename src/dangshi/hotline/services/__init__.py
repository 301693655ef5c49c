"""Writes of the hotline (`requests`: the life of a request; `matters`: 转为实事; `setup`: default
services, Open311 keys). The life of a request, one service per step of the state machine.

received → answered | dispatched (主办 + 协办) → signed → in_progress → replied → callback
→ closed, or reopened; a dispatched request may be returned (退单, capped) to the centre,
which dispatches it again. Every step locks the request row (two operators acting on one
request at once: the second sees the state the first left) and writes one Update row.
"""

from dangshi.hotline.services.matters import requests_link_matter, requests_to_matter
from dangshi.hotline.services.requests import (
    extension_ask,
    extension_decide,
    max_returns,
    new_number,
    request_answer,
    request_callback,
    request_close,
    request_create,
    request_dispatch,
    request_escalate,
    request_reopen,
    request_reply,
    request_return,
    request_sign,
    request_start,
    request_submit_public,
    requests_escalate_overdue,
)
from dangshi.hotline.services.setup import DEFAULT_SERVICES, open311_key_create, service_defaults_ensure

__all__ = [
    "DEFAULT_SERVICES", "extension_ask", "extension_decide", "max_returns", "new_number", "open311_key_create",
    "request_answer", "request_callback", "request_close", "request_create", "request_dispatch", "request_escalate",
    "request_reopen", "request_reply", "request_return", "request_sign", "request_start", "request_submit_public",
    "requests_escalate_overdue", "requests_link_matter", "requests_to_matter", "service_defaults_ensure",
]
