from django.urls import path

from dangshi.quiz.views import console, console_templates, member, public

app_name = "quiz"
urlpatterns = [
    path("", member.member_daily, name="member_daily"),
    path("submit/", member.member_daily_submit, name="member_daily_submit"),
    path("result/", member.member_result, name="member_result"),
    path("questions/<int:question_id>/report/", member.member_error_report, name="member_error_report"),
    path("rank/", member.member_rank, name="member_rank"),
    path("wrong/", member.member_wrong, name="member_wrong"),
    path("wrong/<int:wrong_id>/", member.member_review, name="member_review"),
    path("console/", console.console_bank, name="console_bank"),
    path("console/import/", console.console_bank_import, name="console_bank_import"),
    path("console/import/template.xlsx", console_templates.console_bank_template, name="console_bank_template"),
    path("console/import/report/<str:token>.xlsx", console.console_bank_report, name="console_bank_report"),
    path("console/export.xlsx", console.console_bank_export, name="console_bank_export"),
    path("console/questions/<int:question_id>/", console.console_question, name="console_question"),
    path("console/contests/", console.console_contests, name="console_contests"),
    path("console/rankings/", console.console_rankings, name="console_rankings"),
    path("console/anticheat/", console.console_anticheat, name="console_anticheat"),
    path("console/flags/<int:flag_id>/", console.console_flag, name="console_flag"),
    path("console/selection/", console.console_selection, name="console_selection"),
    path("console/certificates/<str:cert_serial>.pdf", console.console_certificate_pdf, name="console_certificate_pdf"),
    path("console/contests/<int:contest_id>/certificates.zip", console.console_certificates_zip,
         name="console_certificates_zip"),
    # 挑战答题 and 团队赛
    path("challenge/", member.member_challenge, name="member_challenge"),
    path("challenge/board/", member.member_challenge_board, name="member_challenge_board"),
    path("challenge/<int:run_id>/", member.member_challenge_run, name="member_challenge_run"),
    path("challenge/<int:run_id>/result/", member.member_challenge_result, name="member_challenge_result"),
    path("teams/", member.member_teams, name="member_teams"),
    path("teams/mine/", member.member_team, name="member_team"),
    path("console/teams/", console.console_teams, name="console_teams"),
    path("console/teams/<int:team_id>/", console.console_team, name="console_team"),
    path("console/teams/<int:team_id>/members/", console.console_team_members, name="console_team_members"),
]

# Public: anyone holding a certificate's QR code may check it.
root_urlpatterns = [
    path("verify/<str:cert_serial>", public.verify, name="quiz_verify"),
]
