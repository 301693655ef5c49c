"""Member H5 pages: my commitments (draft, submit, withdraw, progress, fulfilment) and branch ratings."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dangshi.errors import DomainError
from dangshi.pledges import machine, selectors, services
from dangshi.pledges.machine import OWNER, Action
from dangshi.pledges.models import Category, State

ROWS = 5


def _member(request):
    scope = request.scope
    if not scope.is_member:
        raise Http404(_("页面不存在。"))
    return scope.members().select_related("org").get(pk=scope.member_id)


@require_GET
def member_pledges(request):
    member = _member(request)
    pledges = selectors.my_pledges(scope=request.scope)
    round_ = selectors.round_for(org=member.org)
    has_current = round_ is not None and any(p.round_id == round_.pk for p in pledges)
    rate_here = selectors.peer_pledges_to_rate(member=member)
    return render(request, "pledges/member_pledges.html", {
        "member": member, "pledges": pledges, "round": round_, "can_start": round_ is not None and not has_current,
        "rate_here": rate_here,
    })


@require_http_methods(["GET", "POST"])
def member_pledge_edit(request):
    """Draft (or rework a returned) commitment: up to five rows, blank rows ignored."""
    member = _member(request)
    round_ = selectors.round_for(org=member.org)
    pledge = selectors.pledge_of(member=member, round_=round_) if round_ else None
    if pledge is not None and pledge.state not in machine.EDITABLE_STATES:
        messages.error(request, machine.refusal(pledge.state, Action.EDIT))
        return redirect("pledges:member_pledge", pledge_id=pledge.pk)
    if request.method == "POST":
        rows = []
        for n in range(ROWS):
            row = {k: request.POST.get(f"{k}_{n}", "").strip() for k in ("what", "due_on", "measure", "category")}
            if any(row[k] for k in ("what", "measure")):
                rows.append(row)
        try:
            pledge = services.pledge_save_draft(member=member, items=rows, actor=request.user, round_=round_)
        except DomainError as exc:
            messages.error(request, exc.message)
            items = rows
        else:
            messages.success(request, _("承诺已保存为草稿,确认无误后请提交支部审核。"))
            return redirect("pledges:member_pledge", pledge_id=pledge.pk)
    else:
        items = list(pledge.items.values("what", "due_on", "measure", "category")) if pledge else []
    blank = {"what": "", "measure": "", "category": "", "due_on": ""}
    items = [{**blank, **{k: str(v) for k, v in row.items()}} for row in items]
    items += [blank] * (ROWS - len(items))
    return render(request, "pledges/member_pledge_edit.html", {
        "pledge": pledge, "round": round_, "rows": list(enumerate(items)), "categories": Category.choices,
    })


@require_GET
def member_pledge(request, pledge_id: int):
    _member(request)
    pledge = selectors.pledge_or_404(scope=request.scope, pledge_id=pledge_id)
    if pledge.member_id != request.scope.member_id:
        raise Http404(_("未找到该承诺。"))
    return render(request, "pledges/member_pledge.html", {
        "pledge": pledge, "actions": machine.actions_from(pledge.state, OWNER),
        "editable": pledge.state in machine.EDITABLE_STATES,
        "rating_open": pledge.state == State.RATING_OPEN,
    })


@require_POST
def member_pledge_act(request, pledge_id: int):
    _member(request)
    scope = request.scope
    pledge = selectors.pledge_or_404(scope=scope, pledge_id=pledge_id)
    if pledge.member_id != scope.member_id:
        raise Http404(_("未找到该承诺。"))
    action = request.POST.get("action", "")
    try:
        if action == Action.PROGRESS:
            item = request.POST.get("item")
            services.pledge_progress(pledge=pledge, scope=scope, actor=request.user, note=request.POST.get("note", ""),
                                     evidence=request.POST.get("evidence", ""),
                                     item_id=int(item) if item and item.isdigit() else None,
                                     done=bool(request.POST.get("done")))
        elif action == Action.RATE:
            services.pledge_rate(pledge=pledge, scope=scope, actor=request.user, value=request.POST.get("value"),
                                 comment=request.POST.get("comment", ""))
        elif action in (Action.SUBMIT, Action.WITHDRAW, Action.SUBMIT_FULFILMENT):
            services.pledge_act(pledge=pledge, action=action, scope=scope, actor=request.user,
                                summary=request.POST.get("summary", ""))
        else:
            raise DomainError(_("未知的操作。"))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已%(action)s。") % {"action": machine.ACTION_LABELS[action]})
    return redirect("pledges:member_pledge", pledge_id=pledge.pk)
