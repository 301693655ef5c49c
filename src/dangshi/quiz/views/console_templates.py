"""The 题库 import template download (kept apart from the console views it serves)."""

from django.views.decorators.http import require_GET

from dangshi.core.downloads import attachment
from dangshi.quiz.services import bank


@require_GET
def console_bank_template(request):
    request.scope.require_office()  # who may import questions
    return attachment(bank.questions_template(), "题库导入模板.xlsx")
