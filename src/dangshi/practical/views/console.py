"""Console pages: the catalogue, one matter (with its actions), rates, the must-claim list, deeds."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from dangshi.errors import DomainError, Invalid
from dangshi.orgs.selectors import campaign_for
from dangshi.practical import selectors, services
from dangshi.practical.models import DeedStatus, Field, Level, State, Tier
from dangshi.practical.services_people import deed_decide
from dangshi.practical.views.parse import date_field, int_field


@require_GET
def console_matters(request):
    scope = request.scope
    scope.require_admin()
    g = request.GET
    org = scope.org_or_404(g["org"]) if g.get("org") else None
    qs = selectors.matter_list(scope=scope, tier=g.get("tier", ""), field=g.get("field", ""),
                               state=g.get("state", ""), org=org, q=g.get("q", "").strip())
    page = Paginator(qs, 50).get_page(g.get("page"))
    page.object_list = selectors.with_health(page.object_list)
    return render(request, "practical/console_matters.html", {
        "page": page, "f": g, "tiers": Tier.choices, "fields": Field.choices, "states": State.choices,
    })


@require_http_methods(["GET", "POST"])
def console_matter_new(request):
    scope = request.scope
    scope.require_admin()
    campaign = campaign_for(org=scope.home_org)
    orgs = scope.orgs().order_by("path")[:500]
    context = {"orgs": orgs, "tiers": Tier.choices, "levels": Level.choices, "fields": Field.choices,
               "campaign": campaign, "f": request.POST}
    if request.method == "POST":
        p = request.POST
        try:
            if campaign is None:
                raise Invalid(_("尚未设立学习教育活动。"), field="campaign")
            org = scope.org_or_404(p.get("org", ""))
            parent = selectors.matter_or_404(scope=scope, matter_id=int(p["parent"])) if p.get("parent") else None
            matter = services.matter_create(
                campaign=campaign, org=org, title=p.get("title", ""), description=p.get("description", ""),
                tier=p.get("tier", Tier.GENERAL), level=p.get("level", Level.DISTRICT),
                field=p.get("field", Field.LIVELIHOOD), planned_start=date_field(p.get("planned_start"), "planned_start"),
                planned_end=date_field(p.get("planned_end"), "planned_end"), location=p.get("location", ""),
                budget=p.get("budget") or None, claimant_cap=int_field(p.get("claimant_cap"), "claimant_cap"),
                weight=int_field(p.get("weight"), "weight", 1), parent=parent, actor=request.user, scope=scope)
        except DomainError as exc:
            context["error"] = exc.message
        else:
            messages.success(request, _("已创建实事(草稿)。"))
            return redirect("practical:console_matter", matter.pk)
    return render(request, "practical/console_matter_new.html", context)


def _act(request, matter, action: str):
    """One POSTed action on a matter → one service call."""
    p, user, scope = request.POST, request.user, request.scope
    if action == "publish":
        return services.matter_publish(matter=matter, actor=user, scope=scope)
    if action == "start":
        return services.matter_start(matter=matter, actor=user, scope=scope)
    if action == "progress":
        return services.progress_report(matter=matter, percent=int_field(p.get("percent"), "percent", -1),
                                        note=p.get("note", ""), actor=user, scope=scope, files=request.FILES.getlist("files"))
    if action == "complete":
        return services.matter_complete(matter=matter, actor=user, scope=scope, note=p.get("note", ""),
                                        files=request.FILES.getlist("files"))
    if action == "verify":
        return services.matter_verify(matter=matter, actor=user, scope=scope)
    if action == "suspend":
        return services.matter_suspend(matter=matter, actor=user, scope=scope, reason=p.get("reason", ""))
    if action == "resume":
        return services.matter_resume(matter=matter, actor=user, scope=scope)
    if action == "cancel":
        return services.matter_cancel(matter=matter, actor=user, scope=scope, reason=p.get("reason", ""))
    if action == "adjust":
        end = date_field(p["new_planned_end"], "new_planned_end") if p.get("new_planned_end") else None
        return services.adjustment_request(matter=matter, actor=user, scope=scope, reason=p.get("reason", ""),
                                           new_planned_end=end)
    if action in ("adjust_approve", "adjust_reject"):
        adj = matter.adjustments.filter(pk=int_field(p.get("adjustment"), "adjustment", 0)).first()
        if adj is None:
            raise Invalid(_("未找到该调整申请。"), field="adjustment")
        return services.adjustment_decide(adjustment=adj, approve=action == "adjust_approve", actor=user, scope=scope)
    if action == "milestone":
        return services.milestone_add(matter=matter, title=p.get("title", ""), due_on=date_field(p.get("due_on"), "due_on"),
                                      actor=user, scope=scope)
    if action == "milestone_done":
        ms = matter.milestones.filter(pk=int_field(p.get("milestone"), "milestone", 0)).first()
        if ms is None:
            raise Invalid(_("未找到该节点。"), field="milestone")
        return services.milestone_done(milestone=ms, actor=user, scope=scope)
    raise Invalid(_("未知操作。"), field="action")


@require_http_methods(["GET", "POST"])
def console_matter(request, matter_id: int):
    scope = request.scope
    scope.require_admin()
    matter = selectors.matter_or_404(scope=scope, matter_id=matter_id)
    if request.method == "POST":
        try:
            _act(request, matter, request.POST.get("action", ""))
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已保存。"))
        return redirect("practical:console_matter", matter.pk)
    context = selectors.matter_detail(matter=matter)
    context["pending_adjustment"] = next((a for a in context["adjustments"] if a.approved is None), None)
    context["can_verify"] = scope.is_office
    # The 12345 requests behind the matter: how many in all, and (callers masked) those in reach.
    context["requests_total"], context["requests"] = selectors.matter_linked_items(scope=scope, matter_id=matter.pk)
    return render(request, "practical/console_matter.html", context)


@require_GET
def console_stats(request):
    scope = request.scope
    scope.require_admin()
    root = scope.org_or_404(request.GET["org"]) if request.GET.get("org") else scope.home_org
    campaign = campaign_for(org=scope.home_org)
    tables = []
    for by, title in (("tier", _("按类别")), ("field", _("按领域")), ("org", _("按组织"))):
        rows = selectors.rates(root=root, by=by, campaign=campaign)
        tables.append((title, rows, selectors.rate_totals(rows)))
    return render(request, "practical/console_stats.html", {
        "root": root, "tables": tables, "deeds": selectors.deed_totals(root=root),
    })


@require_GET
def console_must_claim(request):
    scope = request.scope
    scope.require_office()
    campaign = campaign_for(org=scope.home_org)
    members = selectors.must_claim(scope=scope, campaign=campaign) if campaign else []
    page = Paginator(members, 100).get_page(request.GET.get("page"))
    return render(request, "practical/console_must_claim.html", {"page": page, "campaign": campaign})


@require_http_methods(["GET", "POST"])
def console_deeds(request):
    scope = request.scope
    scope.require_admin()
    if request.method == "POST":
        deed = selectors.deeds_in_scope(scope=scope).filter(pk=int_field(request.POST.get("deed"), "deed", 0)).first()
        try:
            if deed is None:
                raise Invalid(_("未找到该事项。"), field="deed")
            deed_decide(deed=deed, approve=request.POST.get("approve") == "1", actor=request.user, scope=scope)
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect(request.get_full_path())
    status = request.GET.get("status", DeedStatus.PENDING)
    page = Paginator(selectors.deeds_in_scope(scope=scope, status=status), 50).get_page(request.GET.get("page"))
    return render(request, "practical/console_deeds.html", {
        "page": page, "status": status, "statuses": DeedStatus.choices,
        "totals": selectors.deed_totals(root=scope.home_org) if scope.home_org else {},
    })

