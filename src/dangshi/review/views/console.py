"""内容审核 pages: the queue (learning items, questions, open 答题纠错), one item or question
with its source to mark 已核 or return, resolving a report, and the publishing rule."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dangshi.core.provenance import Verification
from dangshi.errors import DomainError
from dangshi.learning import selectors as learning_selectors
from dangshi.learning import services as learning_services
from dangshi.quiz import selectors as quiz_selectors
from dangshi.quiz import services as quiz_services

TABS = ("items", "questions", "reports")
REVIEW_FIELDS = ("against", "page", "url", "passage")


@require_GET
def queue(request):
    scope = request.scope
    tab = request.GET.get("tab") if request.GET.get("tab") in TABS else "items"
    status = request.GET.get("status", Verification.UNVERIFIED)
    status = status if status in Verification.values or status == "" else Verification.UNVERIFIED
    if tab == "items":
        rows = learning_selectors.review_items(scope=scope, verification=status)
    elif tab == "questions":
        rows = quiz_selectors.review_questions(scope=scope, verification=status).order_by("id")
    else:
        rows = quiz_selectors.error_reports_open(scope=scope)
    return render(request, "review/queue.html", {
        "tab": tab, "status": status, "statuses": Verification.choices,
        "page": Paginator(rows, 50).get_page(request.GET.get("page")),
        "item_counts": learning_selectors.review_counts(scope=scope),
        "question_counts": quiz_selectors.review_counts(scope=scope),
        "open_reports": quiz_selectors.error_reports_open(scope=scope).count(),
        "policy": learning_selectors.content_policy(),
    })


def _review_form(post) -> dict:
    return {key: post.get(key, "") for key in REVIEW_FIELDS}


@require_http_methods(["GET", "POST"])
def item(request, item_id: int):
    scope = request.scope
    obj = learning_selectors.review_item_or_404(scope=scope, item_id=item_id)
    form, error_field = {}, ""
    if request.method == "POST":
        try:
            if request.POST.get("decision") == "return":
                learning_services.item_return(scope=scope, actor=request.user, item=obj,
                                              note=request.POST.get("note", ""))
                messages.success(request, _("已退回。"))
            else:
                form = _review_form(request.POST)
                learning_services.item_verify(scope=scope, actor=request.user, item=obj, **form)
                messages.success(request, _("已标记为已核。"))
            return redirect("review:item", item_id=obj.pk)
        except DomainError as exc:
            messages.error(request, exc.message)
            form, error_field = request.POST, getattr(exc, "field", "") or ""
    return render(request, "review/item.html", {"obj": obj, "form": form, "error_field": error_field,
                                                "policy": learning_selectors.content_policy()})


@require_http_methods(["GET", "POST"])
def question(request, question_id: int):
    scope = request.scope
    obj = quiz_selectors.review_question_or_404(scope=scope, question_id=question_id)
    form, error_field = {}, ""
    if request.method == "POST":
        try:
            if request.POST.get("decision") == "return":
                quiz_services.question_return(scope=scope, actor=request.user, question=obj,
                                              note=request.POST.get("note", ""))
                messages.success(request, _("已退回。"))
            else:
                form = _review_form(request.POST)
                quiz_services.question_verify(scope=scope, actor=request.user, question=obj, **form)
                messages.success(request, _("已标记为已核。"))
            return redirect("review:question", question_id=obj.pk)
        except DomainError as exc:
            messages.error(request, exc.message)
            form, error_field = request.POST, getattr(exc, "field", "") or ""
    return render(request, "review/question.html", {
        "obj": obj, "current": obj.current, "form": form, "error_field": error_field,
        "reports": quiz_selectors.error_reports_open(scope=scope).filter(question=obj),
        "policy": learning_selectors.content_policy()})


@require_POST
def report_resolve(request, report_id: int):
    report = quiz_selectors.error_report_or_404(scope=request.scope, report_id=report_id)
    try:
        quiz_services.error_report_resolve(report=report, actor=request.user, note=request.POST.get("note", ""))
        messages.success(request, _("纠错已处理。"))
    except DomainError as exc:
        messages.error(request, exc.message)
    if request.POST.get("next") == "question":
        return redirect("review:question", question_id=report.question_id)
    return redirect(reverse("review:queue") + "?tab=reports")


@require_POST
def policy(request):
    request.scope.require_office()
    try:
        learning_services.content_policy_set(scope=request.scope, actor=request.user,
                                             publish_unverified=request.POST.get("publish_unverified") == "on")
        messages.success(request, _("内容发布规则已保存。"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("review:queue")
