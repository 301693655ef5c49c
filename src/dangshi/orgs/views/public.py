from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dangshi.accounts.services import code_proof_mark
from dangshi.core.context import client_ip
from dangshi.errors import DomainError
from dangshi.orgs import services


@login_not_required
@require_http_methods(["GET", "POST"])
def sms_sign_in(request):
    """Sign in with a code sent to the phone on record: first the number, then the code. The
    page says the same whether or not the number is on the roster."""
    phone, step, errors = request.POST.get("phone", "").strip(), "phone", {}
    if request.method == "POST":
        try:
            if request.POST.get("action") == "verify":
                step = "code"
                user = services.sms_sign_in_verify(phone=phone, code=request.POST.get("code", ""))
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                code_proof_mark(request.session)
                if not user.has_usable_password():
                    messages.success(request, _("验证成功。请设置登录密码，下次可用密码登录。"))
                    return redirect("accounts:password_set")
                return redirect("home")
            services.sms_sign_in_request(phone=phone, client=client_ip(request) or "")
            step = "code"
            messages.info(request, _("如果该手机号已在党员名册中登记，验证码已发送，5 分钟内有效。"))
        except DomainError as exc:
            errors[exc.field or "phone"] = str(exc.message)
    return render(request, "orgs/sms_sign_in.html", {"phone": phone, "step": step, "errors": errors},
                  status=422 if errors else 200)
