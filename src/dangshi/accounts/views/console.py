"""Console: the office sees which accounts are locked out of login and lifts a lock."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dangshi.accounts import selectors, services
from dangshi.errors import DomainError


@require_GET
def console_locks(request):
    request.scope.require_office()
    return render(request, "accounts/console_locks.html", {"locks": selectors.login_locks_active()})


@require_POST
def console_lock_lift(request):
    request.scope.require_office()
    try:
        services.login_lock_lift(username=request.POST.get("username", ""), actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已解除锁定。"))
    return redirect("accounts:console_locks")
