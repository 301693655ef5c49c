from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from dangshi.messaging import selectors
from dangshi.messaging.models import Status


@require_GET
def console_messages(request):
    scope = request.scope
    scope.require_office()
    status = request.GET.get("status", "")
    page = Paginator(selectors.message_list(scope=scope, status=status), 50).get_page(request.GET.get("page"))
    return render(request, "messaging/console_messages.html",
                  {"page": page, "status": status, "statuses": Status.choices})
