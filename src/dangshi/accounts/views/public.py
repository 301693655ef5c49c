from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language

from dangshi.accounts import services
from dangshi.accounts.forms import LoginForm, PasswordChangeForm, PasswordSetForm
from dangshi.errors import DomainError


@login_not_required
@require_http_methods(["GET", "POST"])
def login_view(request):
    form = LoginForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            user = services.login_check(
                username=form.cleaned_data["username"], password=form.cleaned_data["password"], request=request
            )
        except DomainError as exc:
            error = exc.message
        else:
            login(request, user)
            target = request.POST.get("next") or request.GET.get("next") or ""
            if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
                target = "home"
            return redirect(target)
    status = 403 if error else 200
    return render(request, "accounts/login.html", {"form": form, "error": error, "next": request.GET.get("next", "")},
                  status=status)


@require_POST
def logout_view(request):
    logout(request)
    return redirect("accounts:login")


@require_http_methods(["GET", "POST"])
def password_change_view(request):
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change(
                user=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("密码已修改。"))
            return redirect("home")
    return render(request, "accounts/password_change.html", {"form": form})


language_view = login_not_required(set_language)


@login_not_required
@require_http_methods(["GET", "POST"])
def activate_view(request, key: str):
    """A member opens the link (or QR code) from their branch, sets a password, and is in."""
    form = PasswordSetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.activation_redeem(key=key, password=form.cleaned_data["password"])
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("账号已激活，欢迎使用。"))
            return redirect("home")
    return render(request, "accounts/password_set.html", {"form": form, "title": _("激活账号"),
                                                          "lead": _("请设置您的登录密码。设置后即可登录学习、答题。")},
                  status=422 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def password_set_view(request):
    """After an SMS code: set or reset the password, no old one asked. Only within ten minutes
    of the code (the session says so)."""
    if not services.code_proof_fresh(request.session):
        return redirect("accounts:password_change")
    form = PasswordSetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_set_after_code(user=request.user, password=form.cleaned_data["password"])
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        else:
            services.code_proof_clear(request.session)
            update_session_auth_hash(request, request.user)
            messages.success(request, _("密码已设置。"))
            return redirect("home")
    return render(request, "accounts/password_set.html", {"form": form, "title": _("设置密码"),
                                                          "lead": _("已通过短信验证。请设置新的登录密码。")},
                  status=422 if form.errors else 200)
