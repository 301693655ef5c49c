"""Member H5 pages: today, columns, search, an item (and its recording), history, offline report."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from dangshi.errors import DomainError
from dangshi.learning import selectors, uploads
from dangshi.learning.models import FiveOneKind
from dangshi.learning.selectors import fiveones
from dangshi.learning.services import reading
from dangshi.orgs.selectors import campaign_for


def _member_or_404(request):
    member = selectors.scope_member(request.scope)
    if member is None:
        raise Http404(_("仅党员可使用此功能。"))
    return member


@require_GET
def h5_today(request):
    member = _member_or_404(request)
    feed = selectors.feed_today(member=member)
    five = fiveones.member_compliance(member=member, period=fiveones.period_parse("week"))
    return render(request, "learning/h5_today.html", {**feed, "five": five,
                                                       "points": selectors.points_total(member=member)})


@require_GET
def h5_columns(request):
    _member_or_404(request)
    return render(request, "learning/h5_columns.html", {"columns": selectors.columns()})


@require_GET
def h5_column(request):
    column = selectors.column_or_404(request.GET.get("column", ""))
    q = request.GET.get("q", "").strip()
    page = Paginator(selectors.item_list(scope=request.scope, column=column, q=q), 20).get_page(request.GET.get("page"))
    return render(request, "learning/h5_list.html", {"column": column, "page": page, "q": q})


@require_GET
def h5_search(request):
    q = request.GET.get("q", "").strip()
    items = selectors.item_list(scope=request.scope, q=q) if q else None
    page = Paginator(items, 20).get_page(request.GET.get("page")) if items is not None else None
    return render(request, "learning/h5_list.html", {"column": None, "page": page, "q": q})


@require_GET
def h5_item(request, item_id: int):
    item = selectors.item_or_404(scope=request.scope, item_id=item_id)
    return render(request, "learning/h5_item.html", {"item": item, "is_member": request.scope.is_member,
                                                      "required": selectors.required_seconds(item)})


@require_GET
def h5_item_audio(request, item_id: int):
    """The item's broadcast recording, to whoever may read the item (the same scope as
    the item page) and to the editors of its org; pages link here, never to a media URL."""
    item = selectors.item_audio_or_404(scope=request.scope, item_id=item_id)
    extension = item.broadcast_audio.name.rsplit(".", 1)[-1]
    return FileResponse(item.broadcast_audio.open("rb"), content_type=uploads.AUDIO_CONTENT_TYPES.get(extension),
                        filename=f"{item.pk}.{extension}")


@require_GET
def h5_history(request):
    member = _member_or_404(request)
    return render(request, "learning/h5_history.html", {
        "reads": selectors.read_history(member=member), "ledger": selectors.points_ledger(member=member, limit=30),
        "points": selectors.points_total(member=member),
        "five": fiveones.member_compliance(member=member, period=fiveones.period_parse("month")),
    })


@require_http_methods(["GET", "POST"])
def h5_offline(request):
    member = _member_or_404(request)
    if request.method == "POST":
        try:
            day = timezone.datetime.fromisoformat(request.POST.get("day", "")).date()
        except ValueError:
            messages.error(request, _("日期格式不正确。"))
        else:
            try:
                reading.offline_report(member=member, kind=request.POST.get("kind", ""), title=request.POST.get(
                    "title", ""), day=day, evidence=request.FILES.get("evidence"))
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("已提交,待支部确认。"))
                return redirect("learning:h5_history")
    return render(request, "learning/h5_offline.html", {"kinds": FiveOneKind.choices,
                                                         "today": timezone.localdate(), "campaign": campaign_for(org=member.org)})
