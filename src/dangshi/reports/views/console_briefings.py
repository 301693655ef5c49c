"""The draft stage of a briefing: the office edits the generated texts and the 签发 name, then
issues it; the issued .docx and its PDF are archived and downloadable."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from dangshi.errors import DomainError
from dangshi.reports import selectors, services


@require_http_methods(["GET", "POST"])
def console_briefing_edit(request, briefing_id: int):
    scope = request.scope
    briefing = selectors.briefing_or_404(scope=scope, briefing_id=briefing_id)
    form = {k: "\n".join(briefing.texts.get(k) or []) for k in services.TEXT_PARTS} | {"signer": briefing.signer}
    error = None
    if request.method == "POST":
        form = {k: request.POST.get(k, "") for k in (*services.TEXT_PARTS, "signer")}
        try:
            if request.POST.get("action") == "issue":
                services.briefing_issue(scope=scope, briefing=briefing, actor=request.user)
                messages.success(request, _("已签发第 %(n)d 期。") % {"n": briefing.number})
            else:
                services.briefing_edit(scope=scope, briefing=briefing, texts=form, signer=form["signer"],
                                       actor=request.user)
                messages.success(request, _("已保存修改。"))
        except DomainError as exc:
            error = exc
        else:
            return redirect(request.path)
    return render(request, "reports/console_briefing_edit.html", {"briefing": briefing, "form": form, "error": error},
                  status=422 if error else 200)


@require_GET
def briefing_pdf(request, briefing_id: int):
    briefing = selectors.briefing_or_404(scope=request.scope, briefing_id=briefing_id)
    if not briefing.pdf:
        raise Http404(_("该期没有 PDF 存档。"))
    return FileResponse(briefing.pdf.open("rb"), as_attachment=True, content_type="application/pdf",
                        filename=f"{briefing.org.name}-{briefing.period}-第{briefing.number}期.pdf")
