"""The import commands' error reports hold the sheet's phones: owner-only files where the
operator says, by default in the current directory, named in the output (issue 17, finding 3)."""

import stat

import pytest
from django.core.management import CommandError, call_command

from tests.orgs.roster_files import good_rows, roster_xlsx


def _bad_roster(folder):
    rows = good_rows("BRC", 2)
    rows[0][3] = "1900-01-01"  # joined before birth
    path = folder / "roster.xlsx"
    path.write_bytes(roster_xlsx(rows).getvalue())
    return path


def test_error_report_is_not_left_readable_by_others_beside_a_shared_input(world, tmp_path, monkeypatch):
    shared, home = tmp_path / "shared", tmp_path / "home"
    shared.mkdir(), home.mkdir()
    monkeypatch.chdir(home)
    with pytest.raises(CommandError) as caught:
        call_command("import-members", str(_bad_roster(shared)))
    report = home / "roster-errors.xlsx"
    assert not (shared / "roster-errors.xlsx").exists()
    assert stat.S_IMODE(report.stat().st_mode) == 0o600
    assert str(report) in str(caught.value)


def test_report_goes_where_the_operator_names_and_an_old_wide_file_is_tightened(world, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    named = tmp_path / "private" / "r.xlsx"
    named.parent.mkdir()
    named.write_bytes(b"old")
    named.chmod(0o644)
    with pytest.raises(CommandError, match="r.xlsx"):
        call_command("import-members", str(_bad_roster(tmp_path)), "--report", str(named))
    assert stat.S_IMODE(named.stat().st_mode) == 0o600 and named.read_bytes()[:2] == b"PK"
