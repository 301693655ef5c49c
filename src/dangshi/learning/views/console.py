"""Console pages: editorial flow (with the broadcast recording), 五个一, points and their rules,
pushes and broadcast, offline review, import/export."""

from datetime import date

from django.contrib import messages
from django.core.paginator import Paginator
from django.forms.models import model_to_dict
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from dangshi.core.downloads import attachment
from dangshi.core.import_reports import import_failed, import_report
from dangshi.core.tabular import ImportFailed
from dangshi.errors import DomainError
from dangshi.learning import selectors, services, uploads
from dangshi.learning.models import ItemStatus
from dangshi.learning.selectors import fiveones
from dangshi.learning.services import channels, imports, reading, rules
from dangshi.orgs.selectors import campaign_for

FORM_FIELDS = ("title", "body", "answer", "source", "media_url", "month", "day", "event_year", "number",
               "duration_seconds", *services.SOURCE_FIELDS)


def _org(request):
    code = request.GET.get("org") or request.POST.get("org")
    return request.scope.org_or_404(code) if code else request.scope.home_org


def _form_fields(post) -> dict:
    out = {}
    for key in FORM_FIELDS:
        value = post.get(key, "").strip()
        if key in ("month", "day", "event_year", "number", "duration_seconds"):
            out[key] = int(value) if value.isdigit() else None
        else:
            out[key] = value
    for flag in services.AUDIENCE_FLAGS + ("public",):
        out[flag] = post.get(flag) == "on"
    return out


@require_GET
def console_items(request):
    scope = request.scope
    status, code = request.GET.get("status", ""), request.GET.get("column", "")
    column = selectors.column_or_404(code) if code else None
    page = Paginator(selectors.editorial_list(scope=scope, status=status, column=column), 50).get_page(
        request.GET.get("page"))
    return render(request, "learning/console_items.html", {"page": page, "status": status, "column": column,
                                                            "statuses": ItemStatus.choices,
                                                            "columns": selectors.columns()})


@require_http_methods(["GET", "POST"])
def console_item_new(request):
    scope = request.scope
    scope.require_admin()
    if request.method == "POST":
        try:
            column = selectors.column_or_404(request.POST.get("column", ""))
            item = services.item_create(scope=scope, actor=request.user, column=column, org=_org(request),
                                        tags=request.POST.get("tags", "").replace(",", "、").split("、"),
                                        **_form_fields(request.POST))
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已保存为草稿。"))
            return redirect("learning:console_item", item_id=item.pk)
    return render(request, "learning/console_item_form.html", {"columns": selectors.columns(), "item": None,
                                                                "org": scope.home_org})


@require_http_methods(["GET", "POST"])
def console_item(request, item_id: int):
    scope = request.scope
    item = selectors.editorial_item_or_404(scope=scope, item_id=item_id)
    if request.method == "POST":
        try:
            if "to" in request.POST:
                at = parse_datetime(request.POST.get("publish_at", "") or "")
                if at is not None and timezone.is_naive(at):
                    at = timezone.make_aware(at)
                services.item_transition(scope=scope, actor=request.user, item=item, to=request.POST["to"],
                                         publish_at=at)
            elif "audio_upload" in request.POST:
                channels.item_audio_set(scope=scope, actor=request.user, item=item, file=request.FILES.get("audio"))
            elif "audio_clear" in request.POST:
                channels.item_audio_clear(scope=scope, actor=request.user, item=item)
            elif "push_org" in request.POST:
                push = channels.push_send(scope=scope, actor=request.user, item=item,
                                          org=scope.org_or_404(request.POST["push_org"]))
                return redirect("learning:console_push", push_id=push.pk)
            else:
                services.item_update(scope=scope, actor=request.user, item=item,
                                     tags=request.POST.get("tags", "").replace(",", "、").split("、"),
                                     **_form_fields(request.POST))
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已保存。"))
        return redirect("learning:console_item", item_id=item.pk)
    steps = [to for (frm, to) in services.TRANSITIONS if frm == item.status]
    return render(request, "learning/console_item_form.html", {
        "item": item, "columns": selectors.columns(), "org": item.org, "steps": steps,
        "step_labels": dict(ItemStatus.choices), "tags": "、".join(t.name for t in item.tags.all()),
        "audio_editor": scope.is_office, "audio_extensions": ",".join(f".{e}" for e in uploads.AUDIO_EXTENSIONS),
    })


@require_GET
def console_item_wechat(request, item_id: int):
    item = selectors.editorial_item_or_404(scope=request.scope, item_id=item_id)
    return render(request, "learning/console_wechat.html", {"item": item, "html": channels.wechat_html(item)})


@require_GET
def console_five_ones(request):
    scope = request.scope
    scope.require_admin()
    org = _org(request)
    period_text = request.GET.get("period", "month")
    try:
        period = fiveones.period_parse(period_text, campaign=campaign_for(org=org))
    except DomainError as exc:
        messages.error(request, exc.message)
        period = fiveones.period_parse("month")
    return render(request, "learning/console_five_ones.html", {
        "org": org, "period": period, "period_text": period_text,
        "rows": fiveones.org_rates(scope=scope, org=org, period=period),
        "behind": fiveones.behind_list(scope=scope, org=org, period=period, limit=200),
    })


@require_GET
def console_points(request):
    scope = request.scope
    scope.require_admin()
    org = _org(request)
    return render(request, "learning/console_points.html", {
        "org": org, "ranking": selectors.points_ranking(scope=scope, org=org)})


@require_http_methods(["GET", "POST"])
def console_point_rules(request):
    """The point rules: read-only for org admins; the campaign office also adds rules here."""
    scope = request.scope
    scope.require_admin()
    editable = selectors.may_edit(scope)
    context = {"rules": selectors.point_rules(), "editable": editable, "form": {}, "error_field": None}
    if request.method == "POST":
        if not editable:
            raise Http404(_("页面不存在。"))
        try:
            rules.point_rule_create(scope=scope, actor=request.user,
                                    **rules.rule_fields_parse(request.POST, with_code=True))
        except DomainError as exc:
            messages.error(request, exc.message)
            context.update(form=request.POST, error_field=exc.field)
        else:
            messages.success(request, _("已新增积分规则。"))
            return redirect("learning:console_point_rules")
    return render(request, "learning/console_point_rules.html", context)


@require_http_methods(["GET", "POST"])
def console_point_rule(request, rule_id: int):
    scope = request.scope
    if not selectors.may_edit(scope):
        raise Http404(_("页面不存在。"))
    rule = selectors.point_rule_or_404(rule_id)
    context = {"rule": rule, "form": model_to_dict(rule), "error_field": None}
    if request.method == "POST":
        try:
            rules.point_rule_update(scope=scope, actor=request.user, rule=rule,
                                    **rules.rule_fields_parse(request.POST, with_code=False))
        except DomainError as exc:
            messages.error(request, exc.message)
            context.update(form=request.POST, error_field=exc.field)
        else:
            messages.success(request, _("已保存。"))
            return redirect("learning:console_point_rules")
    return render(request, "learning/console_point_rule.html", context)


@require_http_methods(["GET", "POST"])
def console_pushes(request):
    scope = request.scope
    scope.require_admin()
    if request.method == "POST":
        try:
            day = date.fromisoformat(request.POST.get("day", ""))
        except ValueError:
            day = timezone.localdate()
        try:
            playlist = channels.playlist_build(scope=scope, actor=request.user, org=_org(request), day=day,
                                               items=selectors.broadcast_candidates(day=day))
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            return redirect("learning:console_playlist", playlist_id=playlist.pk)
    return render(request, "learning/console_pushes.html", {
        "pushes": selectors.push_list(scope=scope)[:50], "playlists": selectors.playlist_list(scope=scope)[:30],
        "hours": selectors.broadcast_hours(scope=scope), "today": timezone.localdate(), "org": scope.home_org,
    })


@require_GET
def console_push(request, push_id: int):
    return render(request, "learning/console_push.html", selectors.push_coverage(scope=request.scope,
                                                                                  push_id=push_id))


@require_http_methods(["GET", "POST"])
def console_playlist(request, playlist_id: int):
    scope = request.scope
    playlist = selectors.playlist_or_404(scope=scope, playlist_id=playlist_id)
    if request.method == "POST":
        channels.playlist_air(scope=scope, actor=request.user, playlist=playlist)
        messages.success(request, _("已记录一次播出。"))
        return redirect("learning:console_playlist", playlist_id=playlist.pk)
    return render(request, "learning/console_playlist.html", {"playlist": playlist,
                                                               "entries": playlist.entries.select_related("item")})


@require_GET
def console_playlist_m3u(request, playlist_id: int):
    playlist = selectors.playlist_or_404(scope=request.scope, playlist_id=playlist_id)
    lines = ["#EXTM3U"]
    for entry in playlist.entries.select_related("item"):
        lines.append(f"#EXTINF:{entry.seconds},{entry.item.title}")
        lines.append(request.build_absolute_uri(entry.audio.url) if entry.audio else f"# {_('待上传音频')}")
    response = HttpResponse("\n".join(lines) + "\n", content_type="audio/x-mpegurl; charset=utf-8")
    response["Content-Disposition"] = f"attachment; filename=playlist-{playlist.day:%Y%m%d}.m3u"
    return response


@require_http_methods(["GET", "POST"])
def console_offline(request):
    scope = request.scope
    pending = selectors.offline_pending(scope=scope)
    if request.method == "POST":
        pk = request.POST.get("activity", "")
        if not pk.isdigit():
            raise Http404(_("未找到该记录。"))
        activity = selectors.offline_pending_or_404(scope=scope, offline_id=int(pk))
        reading.offline_review(scope=scope, actor=request.user, activity=activity,
                               approve=request.POST.get("decision") == "approve")
        return redirect("learning:console_offline")
    return render(request, "learning/console_offline.html", {"pending": pending[:200]})


@require_http_methods(["GET", "POST"])
def console_import(request):
    scope = request.scope
    scope.require_admin()
    context = {"columns": selectors.columns()}
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            column = selectors.column_or_404(request.POST.get("column", ""))
            if upload is None:
                raise ImportFailed([])
            count = imports.column_import(scope=scope, actor=request.user, column=column, org=_org(request),
                                          file=upload, filename=upload.name)
        except ImportFailed as failure:
            if upload is None:
                context["error"] = _("请选择要导入的文件。")
            else:
                context.update(import_failed(request, failure, upload, kind="learning"))
        except DomainError as exc:
            context["error"] = exc.message
        else:
            messages.success(request, _("导入成功:%(n)d 条草稿。") % {"n": count})
            return redirect("learning:console_items")
    return render(request, "learning/console_import.html", context)


@require_GET
def console_import_report(request, token: str):
    request.scope.require_admin()
    return import_report(request, token, kind="learning", filename="学习内容导入错误报告.xlsx")


@require_GET
def console_export(request):
    scope = request.scope
    scope.require_admin()
    column = selectors.column_or_404(request.GET.get("column", ""))
    return attachment(imports.column_export(scope=scope, actor=request.user, column=column), f"学习内容-{column.name}.xlsx")


@require_GET
def console_import_template(request):
    request.scope.require_admin()
    return attachment(imports.column_template(), "学习内容导入模板.xlsx")
