"""Over whatever modules provide figures today (no fakes): every output agrees."""

import io

from docx import Document
from openpyxl import load_workbook

from dangshi.core.cnformat import cn_punct
from dangshi.reports import periods, services
from tests.outreach import helpers as h

WEEK = "2021-W23"


def test_dashboard_table_xlsx_api_and_briefing_agree_over_the_real_providers(world, media):
    # One real session in the week: a week with no activity has no briefing ("该周没有数据").
    h.session(world, when=h.at(2021, 6, 8))
    client = world.client("office")
    for org in ("ROOT", "ST1"):
        dash = client.get(f"/api/v1/reports/dashboard?org={org}&period={WEEK}").json()
        headline = {h["label"]: h["value"] for h in dash["headlines"]}
        assert headline["党员"] == (4 if org == "ROOT" else 3)
        table = client.get(f"/api/v1/reports/table?org={org}&period={WEEK}").json()
        total = dict(zip(table["headers"], table["rows"][-1], strict=True))
        shared = set(total) & set(headline)
        assert len(shared) >= 3  # at least the org and member counts
        assert {k: total[k] for k in shared} == {k: headline[k] for k in shared}
        ws = load_workbook(io.BytesIO(client.get(f"/reports/console/table.xlsx?org={org}&period={WEEK}").content)).active
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        # The sheet stores rates as fractions shown as percentages, under headers without "(%)".
        rates = {i for i, h in enumerate(table["headers"]) if h.endswith("(%)")}
        assert rows == [[h.removesuffix("(%)") for h in table["headers"]],
                        *([v / 100 if i in rates and v is not None else v for i, v in enumerate(r)]
                          for r in table["rows"])]
        assert {c["name"] for c in dash["ranking"]} == {r[0] for r in table["rows"][:-1]}
        from dangshi.orgs.models import Org

        briefing = services.briefing_generate(org=Org.objects.get(code=org), period=periods.week(WEEK))
        assert briefing.figures == {h["key"]: h["value"] for h in dash["headlines"]}
        with briefing.file.open("rb") as fh:
            doc = Document(io.BytesIO(fh.read()))
        assert [r.cells[0].text for r in doc.tables[0].rows[1:]] == [cn_punct(label) for label in headline]
