"""Files the CLI writes that hold personal data (an import's error report: the uploaded sheet
with its phones and ID numbers): owner-only (0600), where the operator says, by default in the
current directory, never silently beside an input that may sit in a shared folder."""

import os
from pathlib import Path


def report_path(source: Path, named: Path | None) -> Path:
    """The operator's `--report`, else SOURCE-errors.xlsx in the current directory."""
    return named if named is not None else Path.cwd() / f"{source.stem}-errors.xlsx"


def write_private(path: Path, data: bytes) -> Path:
    """Write `data` to `path` readable by its owner only, also when the file already existed
    with wider permissions (the mode is set before the first byte goes in)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fd = -1
            fh.write(data)
    finally:
        if fd != -1:
            os.close(fd)
    return path.resolve()
