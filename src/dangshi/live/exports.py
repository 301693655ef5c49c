"""The show's results as .xlsx: the final ranking, every scoring action (each team's record),
the contestants with their team's place and certificate (full names: the export is the host's,
who keeps the roster), and the audience's best (masked)."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from dangshi.audit.services import log_event
from dangshi.live import selectors
from dangshi.live.models import LiveContest


def results_xlsx(*, contest: LiveContest, certificates: dict[int, str], actor=None) -> bytes:
    """`certificates`: member id → serial, for the contestants who were given one."""
    wb = Workbook(write_only=True)
    ranking = selectors.ranking(contest=contest)
    place_of = {r["team_id"]: r for r in ranking}
    ws = wb.create_sheet(_("名次"))
    ws.append([_("名次"), _("队伍"), _("得分")])
    for row in ranking:
        ws.append([row["place"], row["name"], row["score"]])
    ws = wb.create_sheet(_("计分记录"))
    ws.append([_("时间"), _("队伍"), _("轮次"), _("题号"), _("类型"), _("分值"), _("原因"), _("已撤销")])
    for r in selectors.team_records(contest=contest):
        ws.append([r["time"].strftime("%Y-%m-%d %H:%M:%S"), r["team"], r["round"], r["question"], r["kind"],
                   r["points"], r["reason"], _("是") if r["undone"] else ""])
    ws = wb.create_sheet(_("参赛队员"))
    ws.append([_("队伍"), _("姓名"), _("所在组织"), _("队伍名次"), _("队伍得分"), _("证书编号")])
    for c in selectors.contestants(contest=contest):
        team = place_of[c["team_id"]]
        ws.append([c["team"], c["member"].name, c["org"], team["place"], team["score"],
                   certificates.get(c["member"].pk, "")])
    ws = wb.create_sheet(_("观众榜"))
    ws.append([_("名次"), _("观众"), _("答对"), _("作答")])
    for r in selectors.audience_ranking(contest=contest, limit=1000):
        ws.append([r["place"], r["name"], r["correct"], r["answered"]])
    out = io.BytesIO()
    wb.save(out)
    log_event("live.results.exported", actor=actor, obj=contest, data={"teams": len(ranking)})
    return out.getvalue()
