"""Real roster .xlsx files for tests."""

import io
from datetime import date

from openpyxl import Workbook

from dangshi.orgs.roster import HEADERS
from tests.factories import valid_id_number


def roster_xlsx(rows: list[list]) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "roster.xlsx"
    return buf


def good_rows(org_code: str, n: int = 3) -> list[list]:
    rows = []
    for i in range(n):
        birth = date(1980 + i, 3, 1 + i)
        rows.append([f"导入党员{i}", "男" if i % 2 else "女", birth.isoformat(), f"{2005 + i}-07-01",
                     valid_id_number(birth, order=100 + i), f"1390000{i:04d}", "普通党员", org_code, "否", "否", "否"])
    return rows
