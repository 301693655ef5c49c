"""One entry point for the console and the API: an action name and its form fields → one service."""

from django.utils.translation import gettext as _

from dangshi.errors import Invalid
from dangshi.hotline import services
from dangshi.hotline.models import HANDLING_STATES, Extension, Request
from dangshi.hotline.services import TRANSITIONS
from dangshi.orgs.scope import Scope

CENTRE_ACTIONS = {"answer", "dispatch", "callback", "close", "reopen"}
HANDLER_ACTIONS = {"return", "sign", "start", "reply"}


def allowed(scope: Scope, req: Request) -> set[str]:
    """The actions this user may take on the request now (for the buttons shown)."""
    out = set()
    centre = scope.is_office and scope.reaches(req.intake_org)
    handler = scope.is_admin and req.org_id is not None and scope.reaches(req.org)
    for action, (sources, _target) in TRANSITIONS.items():
        if req.state in sources and ((action in CENTRE_ACTIONS and centre) or (action in HANDLER_ACTIONS and handler)):
            out.add(str(action))
    if handler and req.state in HANDLING_STATES:
        out.add("extend_ask")
    if centre and req.state in HANDLING_STATES:
        out.add("escalate")
    if centre:
        out.add("link")
        if req.extensions.filter(decision=Extension.Decision.PENDING).exists():
            out.add("extend_decide")
    return out


def _int(data, key: str) -> int:
    try:
        return int(data.get(key, ""))
    except (TypeError, ValueError):
        raise Invalid(_("请填写整数。"), field=key) from None


def perform(*, scope: Scope, actor, req: Request, data) -> object:
    action = data.get("action", "")
    common = {"req": req, "scope": scope, "actor": actor}
    note = (data.get("note") or "").strip()
    if action == "dispatch":
        orgs = scope.orgs()
        org = orgs.filter(code=data.get("org", "")).first()
        if org is None:
            raise Invalid(_("请选择主办单位。"), field="org")
        codes = data.getlist("co_orgs") if hasattr(data, "getlist") else data.get("co_orgs", [])
        return services.request_dispatch(org=org, co_orgs=list(orgs.filter(code__in=codes)), note=note, **common)
    if action == "answer":
        return services.request_answer(note=note, **common)
    if action == "return":
        return services.request_return(reason=note, **common)
    if action == "sign":
        return services.request_sign(**common)
    if action == "start":
        return services.request_start(note=note, **common)
    if action == "reply":
        return services.request_reply(reply=note, **common)
    if action == "callback":
        return services.request_callback(resolution=data.get("resolution", ""), satisfaction=data.get("satisfaction", ""),
                                         note=note, **common)
    if action == "close":
        return services.request_close(**common)
    if action == "reopen":
        return services.request_reopen(reason=note, **common)
    if action == "extend_ask":
        return services.extension_ask(hours=_int(data, "hours"), reason=note, **common)
    if action == "extend_decide":
        ext = req.extensions.filter(decision=Extension.Decision.PENDING).first()
        if ext is None:
            raise Invalid(_("没有待审批的延期申请。"), field="action")
        return services.extension_decide(ext=ext, scope=scope, actor=actor, approve=data.get("approve") in ("1", True))
    if action == "escalate":
        return services.request_escalate(note=note, **common)
    if action == "link":
        return services.request_link_matter(matter_ref=data.get("matter_ref", ""), **common)
    raise Invalid(_("未知的操作。"), field="action")
