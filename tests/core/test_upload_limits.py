"""One upload cannot take a worker for minutes and gigabytes (issue 17, finding 4): a cap per
format and reader, checked before parsing, and reading that stops at the row limit. The peak
memory of the largest allowed file is measured by bench/upload_memory.py (docs/security.md)."""

import io

import pytest

from dangshi.core import tabular
from dangshi.core.tabular import Column, ImportFailed, iter_rows, read_table
from dangshi.errors import Invalid

COLUMNS = [Column("name", "姓名")]


def _csv(rows: int) -> io.BytesIO:
    f = io.BytesIO(("姓名\n" + "张三\n" * rows).encode())
    f.name = "x.csv"
    return f


def test_an_oversized_sheet_is_refused_before_a_byte_is_parsed(monkeypatch):
    monkeypatch.setitem(tabular.MAX_BYTES_TABLE, ".csv", 1000)
    parsed = []
    monkeypatch.setattr(tabular, "_decode_csv", lambda f: parsed.append(f) or "")
    with pytest.raises(Invalid, match="MB") as caught:
        read_table(_csv(1000), COLUMNS)
    assert caught.value.field == "file" and parsed == []


def test_the_streamed_reader_has_its_own_larger_cap(monkeypatch):
    monkeypatch.setitem(tabular.MAX_BYTES, ".csv", 1000)
    with pytest.raises(Invalid, match="MB"):
        list(iter_rows(_csv(1000), COLUMNS, errors=[]))
    assert tabular.MAX_BYTES[".xlsx"] > tabular.MAX_BYTES_TABLE[".xlsx"]


def test_a_million_row_sheet_stops_being_read_at_the_row_limit(monkeypatch):
    monkeypatch.setattr(tabular, "MAX_ROWS", 100)
    read = 0
    original = tabular._iter_cells

    def counting(*args, **kwargs):
        nonlocal read
        for row in original(*args, **kwargs):
            read += 1
            yield row

    monkeypatch.setattr(tabular, "_iter_cells", counting)
    with pytest.raises(ImportFailed) as caught:
        read_table(_csv(1_000_000), COLUMNS)
    assert "行数超过上限" in str(caught.value.errors[0])
    assert read <= 102  # the header, MAX_ROWS rows and the one that proves the file too long
    read = 0
    with pytest.raises(ImportFailed) as caught:
        list(iter_rows(_csv(1_000_000), COLUMNS, errors=[]))
    assert "行数超过上限" in str(caught.value.errors[0])
    assert read <= 103
