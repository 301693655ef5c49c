import io

from openpyxl import load_workbook

from tests.reports.conftest import WEEK


def test_xlsx_export_equals_the_api_table(world, fake):
    for persona, org in (("office", "ROOT"), ("office", "CM1"), ("admin_a", "BRA")):
        client = world.client(persona)
        api = client.get(f"/api/v1/reports/table?org={org}&period={WEEK}").json()
        response = client.get(f"/reports/console/table.xlsx?org={org}&period={WEEK}")
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        ws = load_workbook(io.BytesIO(response.content)).active
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        # Rates are stored as fractions shown as 78.0%, under the header without "(%)".
        rates = [i for i, h in enumerate(api["headers"]) if h.endswith("(%)")]
        assert rates and rows[0] == [h.removesuffix("(%)") for h in api["headers"]]
        for i in rates:
            assert ws.cell(row=2, column=i + 1).number_format == "0.0%"
        expected = [[v / 100 if i in rates and v is not None else v for i, v in enumerate(r)] for r in api["rows"]]
        assert rows[1:] == expected
    root = world.client("office").get(f"/api/v1/reports/table?org=ROOT&period={WEEK}").json()
    total = dict(zip(root["headers"], root["rows"][-1], strict=True))
    assert total["组织"] == "合计" and total["宣讲场次"] == 6 and total["答题正确率(%)"] == 78.0


def test_table_page_shows_the_same_rows(world, fake):
    body = world.client("office").get(f"/reports/console/table/?org=ROOT&period={WEEK}").content.decode()
    assert "中共测试街道工作委员会" in body and "合计" in body and "205" in body


def test_sibling_admin_cannot_export_another_branch(world, fake):
    assert world.client("admin_b").get(f"/reports/console/table.xlsx?org=BRA&period={WEEK}").status_code == 404
    assert world.client("admin_b").get(f"/api/v1/reports/table?org=BRA&period={WEEK}").status_code == 404
