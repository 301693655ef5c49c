from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from dangshi.audit.selectors import event_list


@require_GET
def console_events(request):
    scope = request.scope
    scope.require_office()
    filters = {k: request.GET.get(k, "").strip() for k in ("action", "actor", "object_type", "date_from", "date_to")}
    events = event_list(scope=scope, **{k: v or None if k.startswith("date") else v for k, v in filters.items()})
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "audit/console_events.html", {"page": page, "filters": filters})
