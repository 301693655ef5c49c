"""Editing a lecture group's zone (分片包干) in the console, with the org-tree picker."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from dangshi.errors import DomainError
from dangshi.outreach import selectors, services


@require_http_methods(["GET", "POST"])
def console_group_zone(request, group_id: int):
    """GET: the zone and the picker. POST action=add|add_all|remove, org=<code>:
    add the org, add every grass-roots org under it, or take it out; then back here."""
    scope = request.scope
    group = selectors.group_for_editor_or_404(scope=scope, group_id=group_id)
    if request.method == "POST":
        _apply(request, group)
        url = reverse("outreach:console_group_zone", kwargs={"group_id": group.pk})
        if request.headers.get("HX-Request"):  # from the picker: reload the page, messages and all
            return HttpResponse(status=204, headers={"HX-Redirect": url})
        return redirect(url)
    return render(request, "outreach/console_group_zone.html", {"group": group, "zone": selectors.group_zone(group=group)})


def _apply(request, group) -> None:
    scope, action = request.scope, request.POST.get("action")
    org = scope.orgs().filter(code=request.POST.get("org", "")).first()
    if org is None or action not in {"add", "add_all", "remove"}:
        messages.error(request, _("未找到该组织,或不在您的管理范围内。"))
        return
    try:
        if action == "remove":
            services.group_zone_remove(scope=scope, actor=request.user, group=group, orgs=[org])
            messages.success(request, _("已移出片区:%(org)s") % {"org": org.name})
            return
        orgs = [org] if action == "add" else list(selectors.zone_candidates(scope=scope, group=group, under=org))
        shared = services.group_zone_add(scope=scope, actor=request.user, group=group, orgs=orgs)
    except DomainError as exc:
        messages.error(request, exc.message)
        return
    if action == "add":
        messages.success(request, _("已划入片区:%(org)s") % {"org": org.name})
    else:
        messages.success(request, _("已将 %(org)s 下属的基层党组织(%(n)d 个)划入片区。") % {"org": org.name, "n": len(orgs)})
    names = {o.pk: o.name for o in orgs}
    for org_id, groups in shared.items():
        messages.warning(request, _("%(org)s 已在其他宣讲组的片区中:%(groups)s") % {"org": names[org_id], "groups": "、".join(groups)})


@require_GET
def console_group_zone_picker(request, group_id: int):
    """HTMX: one level of the org tree under the group's org, with add buttons."""
    scope = request.scope
    group = selectors.group_for_editor_or_404(scope=scope, group_id=group_id)
    code = request.GET.get("org")
    children = selectors.zone_picker_level(scope=scope, group=group, parent=scope.org_or_404(code) if code else None)
    return render(request, "outreach/_zone_picker.html", {
        "group": group, "children": children, "zone_ids": set(group.zone.values_list("pk", flat=True)),
    })
