"""Console pages: review queue, a commitment, unit lists, checklists, the secretary's to-do."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dangshi.errors import DomainError
from dangshi.pledges import machine, selectors, services, services_units
from dangshi.pledges.machine import BRANCH
from dangshi.pledges.models import State


def _picked_org(request):
    scope = request.scope
    code = request.GET.get("org") or request.POST.get("org")
    return scope.org_or_404(code) if code else scope.home_org


def _year(request) -> int:
    try:
        return int(request.GET.get("year") or request.POST.get("year") or timezone.localdate().year)
    except ValueError:
        return timezone.localdate().year


@require_GET
def console_review(request):
    """审诺: the review queue (submitted), or any state with ?state=."""
    scope = request.scope
    scope.require_admin()
    org = _picked_org(request)
    state = request.GET.get("state", State.SUBMITTED)
    state = state if state in State.values or state == "all" else State.SUBMITTED
    pledges = selectors.pledge_list(scope=scope, org=org, state="" if state == "all" else state)
    page = Paginator(pledges.prefetch_related("items"), 30).get_page(request.GET.get("page"))
    counts = selectors.state_counts(scope=scope, org=org)
    return render(request, "pledges/console_review.html", {
        "org": org, "page": page, "state": state, "tabs": [(v, label, counts[v]) for v, label in State.choices],
    })


@require_GET
def console_pledge(request, pledge_id: int):
    scope = request.scope
    scope.require_admin()
    pledge = selectors.pledge_or_404(scope=scope, pledge_id=pledge_id)
    branch_actions = [(a, machine.ACTION_LABELS[a]) for a in machine.actions_from(pledge.state, BRANCH)]
    return render(request, "pledges/console_pledge.html", {
        "pledge": pledge, "actions": branch_actions, "summary": selectors.rating_summary(pledge=pledge),
    })


@require_POST
def console_pledge_act(request, pledge_id: int):
    scope = request.scope
    scope.require_admin()
    pledge = selectors.pledge_or_404(scope=scope, pledge_id=pledge_id)
    action = request.POST.get("action", "")
    if action not in machine.ACTIONS:
        messages.error(request, _("未知的操作。"))
        return redirect("pledges:console_pledge", pledge_id=pledge.pk)
    try:
        services.pledge_act(pledge=pledge, action=action, scope=scope, actor=request.user,
                            comment=request.POST.get("comment", ""),
                            closes_on=parse_date(request.POST.get("closes_on") or "") or None)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已%(action)s。") % {"action": machine.ACTION_LABELS[action]})
    if request.POST.get("next") == "queue":
        return redirect(reverse("pledges:console_review") + f"?org={pledge.org.code}")
    return redirect("pledges:console_pledge", pledge_id=pledge.pk)


@require_http_methods(["GET", "POST"])
def console_units(request):
    """单位承诺清单: the org's list for the year, every unit's completion rate below it."""
    scope = request.scope
    scope.require_admin()
    org, year = _picked_org(request), _year(request)
    if request.method == "POST":
        try:
            if request.POST.get("op") == "publish":
                n = services_units.unit_list_publish(org=org, scope=scope, year=year, actor=request.user)
                messages.success(request, _("已公开 %(n)d 项承诺。") % {"n": n})
            else:
                services_units.unit_pledge_create(
                    org=org, scope=scope, year=year, title=request.POST.get("title", ""),
                    measure=request.POST.get("measure", ""), target=request.POST.get("target", ""),
                    due_on=parse_date(request.POST.get("due_on") or "") or timezone.localdate().replace(month=12, day=31),
                    actor=request.user)
                messages.success(request, _("已添加承诺事项。"))
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect(f"{request.path}?org={org.code}&year={year}")
    units = selectors.unit_list(scope=scope, org=org, year=year).filter(org=org)
    completion = selectors.unit_completion(scope=scope, org=org, year=year)
    total = sum(r["total"] for r in completion)
    done = sum(r["done"] for r in completion)
    return render(request, "pledges/console_units.html", {
        "org": org, "year": year, "units": units, "completion": completion, "total": total, "done": done,
        "rate": round(100 * done / total, 1) if total else 0,
    })


@require_http_methods(["GET", "POST"])
def console_unit(request, unit_id: int):
    scope = request.scope
    scope.require_admin()
    unit = selectors.unit_or_404(scope=scope, unit_id=unit_id)
    if request.method == "POST":
        try:
            services_units.unit_progress(
                unit=unit, scope=scope, percent=int(request.POST.get("percent") or 0),
                note=request.POST.get("note", ""), evidence=request.POST.get("evidence", ""),
                result=request.POST.get("result", ""), actor=request.user)
        except (DomainError, ValueError) as exc:
            messages.error(request, getattr(exc, "message", _("进度须为整数。")))
        else:
            messages.success(request, _("进展已更新。"))
        return redirect("pledges:console_unit", unit_id=unit.pk)
    return render(request, "pledges/console_unit.html", {"unit": unit, "updates": unit.updates.all()})


@require_GET
def console_checklists(request):
    scope = request.scope
    scope.require_admin()
    rows = [(c, selectors.checklist_progress(scope=scope, checklist=c)) for c in selectors.checklists(scope=scope)]
    return render(request, "pledges/console_checklists.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
def console_checklist(request, checklist_id: int):
    scope = request.scope
    scope.require_admin()
    checklist = selectors.checklist_or_404(scope=scope, checklist_id=checklist_id)
    if request.method == "POST":
        item = selectors.checklist_item(checklist=checklist, item_id=request.POST.get("item") or 0)
        try:
            if item is None:
                raise DomainError(_("请选择清单事项。"))
            services_units.checklist_tick(
                item=item, org=_picked_org(request), scope=scope, evidence=request.POST.get("evidence", ""),
                done_on=parse_date(request.POST.get("done_on") or "") or timezone.localdate(), actor=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已登记完成。"))
        return redirect("pledges:console_checklist", checklist_id=checklist.pk)
    progress = selectors.checklist_progress(scope=scope, checklist=checklist)
    return render(request, "pledges/console_checklist.html", {"checklist": checklist, "p": progress})


@require_GET
def console_todo(request):
    scope = request.scope
    scope.require_admin()
    org = _picked_org(request)
    return render(request, "pledges/console_todo.html", {"org": org, **selectors.secretary_todo(scope=scope, org=org)})
