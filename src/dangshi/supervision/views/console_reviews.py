"""Console pages: guidance visits, quarterly reviews (季季评) and unit competitions."""

from datetime import date, timedelta

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from dangshi.errors import DomainError
from dangshi.reports.selectors import metric_choices
from dangshi.supervision import selectors, services
from dangshi.supervision.models import GroupKind
from dangshi.supervision.views.console import _date, _org


@require_http_methods(["GET", "POST"])
def console_visits(request):
    org = _org(request)
    scope = request.scope
    today = timezone.localdate()
    if request.method == "POST":
        try:
            group = selectors.guidance_group_or_404(scope=scope, group_id=request.POST.get("group"))
            target = scope.org_or_404(request.POST.get("visit_org", ""))
            items = [(line.strip(), _date(request.POST.get("item_due"), today + timedelta(days=30)))
                     for line in request.POST.get("items", "").splitlines() if line.strip()]
            visit = services.visit_create(scope=scope, group=group, org=target,
                                          visited_on=_date(request.POST.get("visited_on"), today),
                                          findings=request.POST.get("findings", ""), problems=request.POST.get("problems", ""),
                                          items=items, actor=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect(f"{request.path}?org={org.code}")
        messages.success(request, _("指导记录已保存。"))
        return redirect("supervision:console_visit", visit_id=visit.pk)
    return render(request, "supervision/console_visits.html", {
        "org": org, "visits": selectors.visit_list(scope=scope)[:200],
        "groups": selectors.groups_of(org=org, kind=GroupKind.GUIDANCE), "today": today,
    })


@require_http_methods(["GET", "POST"])
def console_visit(request, visit_id: int):
    scope = request.scope
    scope.require_admin()
    visit = selectors.visit_or_404(scope=scope, visit_id=visit_id)
    if request.method == "POST":
        item = selectors.rectification_or_404(visit=visit, item_id=request.POST.get("item"))
        try:
            services.rectification_close(scope=scope, item=item, note=request.POST.get("note", ""), actor=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect(request.path)
    return render(request, "supervision/console_visit.html", {"visit": visit})


def _quarter(request) -> tuple[int, int]:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or today.year)
        quarter = int(request.GET.get("quarter") or request.POST.get("quarter") or (today.month - 1) // 3 + 1)
    except ValueError:
        year, quarter = today.year, (today.month - 1) // 3 + 1
    return year, min(max(quarter, 1), 4)


@require_GET
def console_reviews(request):
    org = _org(request)
    year, quarter = _quarter(request)
    members = selectors.review_members(scope=request.scope, org=org)
    done = selectors.reviews_done(members=members, year=year, quarter=quarter)
    return render(request, "supervision/console_reviews.html", {
        "org": org, "year": year, "quarter": quarter, "rows": [(m, done.get(m.pk)) for m in members],
    })


@require_http_methods(["GET", "POST"])
def console_review(request, member_id: int):
    scope = request.scope
    scope.require_admin()
    member = scope.member_or_404(member_id)
    year, quarter = _quarter(request)
    figures, draft = selectors.review_draft(member=member, year=year, quarter=quarter)
    if request.method == "POST":
        try:
            services.review_save(scope=scope, member=member, year=year, quarter=quarter, text=request.POST.get("text", ""),
                                 figures=figures, publish=bool(request.POST.get("publish")), actor=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("点评已保存。"))
        return redirect(f"{request.path}?year={year}&quarter={quarter}")
    review = selectors.review_of(member=member, year=year, quarter=quarter)
    return render(request, "supervision/console_review.html", {
        "member": member, "year": year, "quarter": quarter, "figures": figures,
        "text": review.text if review else draft, "review": review,
    })


@require_http_methods(["GET", "POST"])
def console_competitions(request):
    org = _org(request)
    if request.method == "POST":
        labels = request.POST.getlist("label")
        metrics = request.POST.getlist("metric")
        weights = request.POST.getlist("weight")
        indicators = [{"label": lb, "metric": m, "weight": int(w or 0)}
                      for lb, m, w in zip(labels, metrics, weights, strict=False) if lb.strip()]
        try:
            services.competition_create(scope=request.scope, org=org, name=request.POST.get("name", ""),
                                        starts_on=_date(request.POST.get("starts_on"), timezone.localdate()),
                                        ends_on=_date(request.POST.get("ends_on"), timezone.localdate()),
                                        indicators=indicators, published=bool(request.POST.get("published")),
                                        actor=request.user)
        except (DomainError, ValueError) as exc:
            messages.error(request, getattr(exc, "message", str(exc)))
        return redirect(f"{request.path}?org={org.code}")
    return render(request, "supervision/console_competitions.html", {
        "org": org, "competitions": selectors.competition_list(scope=request.scope), "metrics": metric_choices(),
        "today": date.today(),
    })


@require_GET
def console_competition(request, competition_id: int):
    scope = request.scope
    scope.require_admin()
    comp = selectors.competition_or_404(scope=scope, competition_id=competition_id)
    return render(request, "supervision/console_competition.html", {
        "competition": comp, "indicators": comp.indicators.all(), "rows": selectors.competition_ranking(competition=comp),
    })
