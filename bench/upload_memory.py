"""Peak memory of reading the largest upload the caps allow (issue 17, finding 4).

Usage: .venv/bin/python bench/upload_memory.py {table-csv,table-xlsx,stream-csv}
Builds a file just under the cap (rows like a roster or a 12345 export, Chinese text), writes it
to a temporary file (as Django spools a large upload to disk), reads it with `read_table`
(table-*) or `iter_rows` (stream-*), and prints the process's peak RSS (ru_maxrss) before and
after the read. One process per case: ru_maxrss never goes down."""

import os
import resource
import sys
import tempfile

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangshi.settings")
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
django.setup()

from openpyxl import Workbook  # noqa: E402

from dangshi.core.tabular import MAX_BYTES, MAX_BYTES_TABLE, MAX_ROWS, Column, iter_rows, read_table  # noqa: E402

HEADERS = ["姓名", "电话", "组织", "日期", "内容"]
COLUMNS = [Column(f"c{i}", h) for i, h in enumerate(HEADERS)]
ROW = ["张三丰", "13912345678", "中共测试区委员会第一街道社区党委第一党支部", "2021-05-01",
       "小区路灯不亮,晚上出行不便,请尽快处理。" * 3]


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build(path: str, fmt: str, cap: int) -> int:
    if fmt == "csv":
        line = (",".join(ROW) + "\n").encode()
        rows = min(MAX_ROWS, (cap - 200) // len(line))
        with open(path, "wb") as fh:
            fh.write((",".join(HEADERS) + "\n").encode())
            for _ in range(rows):
                fh.write(line)
        return rows
    # xlsx compresses: write a sample, then as many rows as fill ~95% of the cap (at most MAX_ROWS).
    sample = 20_000
    _write_xlsx(path, sample)
    rows = min(MAX_ROWS, int(sample * 0.95 * cap / os.path.getsize(path)))
    _write_xlsx(path, rows)
    return rows


def _write_xlsx(path: str, rows: int) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(HEADERS)
    for i in range(rows):  # varied a little, as real sheets are
        ws.append([f"{ROW[0]}{i}", f"139{i:08d}", ROW[2], ROW[3], f"{ROW[4]}{i}"])
    wb.save(path)


def main() -> None:
    case = sys.argv[1]
    reader, fmt = case.split("-")
    cap = (MAX_BYTES_TABLE if reader == "table" else MAX_BYTES)[f".{fmt}"]
    with tempfile.NamedTemporaryFile(suffix=f".{fmt}", delete=False) as tmp:
        path = tmp.name
    try:
        rows = build(path, fmt, cap)
        size = os.path.getsize(path)
        before = peak_mb()
        if size > cap:
            print(f"{case}: built {size / 2**20:.1f} MB > cap {cap / 2**20:.0f} MB: refused by the cap, nothing read")
            return
        with open(path, "rb") as fh:
            if reader == "table":
                read = len(read_table(fh, COLUMNS, filename=path).raw_rows)
            else:
                errors: list = []
                read = sum(1 for _ in iter_rows(fh, COLUMNS, errors=errors, filename=path))
        print(f"{case}: {size / 2**20:.1f} MB (cap {cap / 2**20:.0f} MB), {rows:,} rows built, {read:,} read; "
              f"peak RSS {before:.0f} MB before the read, {peak_mb():.0f} MB after")
    finally:
        os.unlink(path)


if __name__ == "__main__":
    main()
