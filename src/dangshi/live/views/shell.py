"""What every live page shares: where its WebSocket is, and a CSP that lets it connect there."""

from urllib.parse import urlsplit

from django.conf import settings
from django.shortcuts import render
from django.utils.csp import CSP
from django.utils.translation import gettext as _


def ws_base(request) -> str:
    """LIVE_WS_URL if set (a proxy routes /ws/ to the ASGI server); else the page's own host
    on its port + LIVE_WS_PORT_OFFSET, where `make run` serves the ASGI app."""
    if settings.LIVE_WS_URL:
        return settings.LIVE_WS_URL.rstrip("/")
    host = urlsplit(f"//{request.get_host()}").hostname or "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    port = int(request.get_port() or 80) + settings.LIVE_WS_PORT_OFFSET
    return f"{'wss' if request.is_secure() else 'ws'}://{host}:{port}"


def strings() -> dict[str, str]:
    """The words live.js puts on screen, in the page's language."""
    return {
        "foul": _("犯规"), "floor": _("抢到答题权"), "points": _("分"), "seconds": _("秒"),
        "answer": _("答案"), "turn": _("答题队"), "connecting": _("正在连接…"), "online": _("已连接"),
        "offline": _("连接中断,正在重连…"), "paused": _("暂停"), "finished": _("比赛结束"),
        "ready": _("比赛即将开始"), "time_up": _("时间到"), "rehearsal": _("彩排"), "stake": _("风险分值"),
        "answered": _("已作答"), "correct": _("答对"), "wrong": _("答错"), "buzzed": _("已抢答"),
        "your_turn": _("请本队作答"), "wait": _("请等待主持人"), "place": _("名次"), "team": _("队伍"),
        "score": _("得分"), "show": _("出示"), "upcoming": _("下一题"), "none": _("无"),
    }


def render_live(request, template: str, context: dict, *, ws_path: str, status: int = 200):
    base = ws_base(request)
    response = render(request, template, {**context, "ws_url": base + ws_path, "live_strings": strings()},
                      status=status)
    policy = dict(settings.SECURE_CSP)
    policy["connect-src"] = [*policy.get("connect-src", [CSP.SELF]), base]
    response._csp_config = policy  # the attribute django.views.decorators.csp.csp_override sets
    return response
