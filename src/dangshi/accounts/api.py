from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from dangshi.accounts import services
from dangshi.accounts.models import ApiToken
from dangshi.core import ratelimit
from dangshi.core.context import client_ip

PREFIX = "/auth/"
router = Router(tags=["auth"])


class TokenIn(Schema):
    username: str
    password: str
    name: str = ""


class TokenOut(Schema):
    token: str
    prefix: str
    expires_at: str


@router.post("token", auth=None, response={200: TokenOut}, summary="用户名和密码换取令牌")
def token_create(request, payload: TokenIn):
    user = services.login_check(username=payload.username, password=payload.password)
    token, key = services.token_issue(user=user, name=payload.name or "api")
    return {"token": key, "prefix": token.prefix, "expires_at": token.expires_at.isoformat()}


@router.delete("token/{prefix}", response={204: None}, summary="撤销自己的令牌")
def token_delete(request, prefix: str):
    token = get_object_or_404(ApiToken, user=request.auth, prefix=prefix, revoked_at__isnull=True)
    services.token_revoke(token=token, actor=request.auth)
    return 204, None


class ActivateIn(Schema):
    token: str
    password: str


class BearerOut(Schema):
    token: str


@router.post("activate", auth=None, response={200: BearerOut}, summary="用激活链接中的令牌设置密码并登录")
def account_activate(request, payload: ActivateIn):
    ratelimit.check(f"activate-client:{client_ip(request) or 'unknown'}", limit=30, window=600)
    user = services.activation_redeem(key=payload.token, password=payload.password)
    _token, key = services.token_issue(user=user, name="activation")
    return {"token": key}
