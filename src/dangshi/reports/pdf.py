"""A .docx turned into PDF by LibreOffice (`soffice --headless --convert-to pdf`), where installed.

The conversion runs in a temporary directory with its own LibreOffice profile: a second soffice
sharing the default profile exits at once without converting (two briefings issued together).
"""

import shutil
import subprocess
import tempfile
from pathlib import Path

TIMEOUT_SECONDS = 180


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(data: bytes) -> bytes | None:
    """The PDF of the document, or None when LibreOffice is not installed or fails."""
    binary = soffice()
    if binary is None:
        return None
    with tempfile.TemporaryDirectory(prefix="dangshi-pdf-") as tmp:
        work = Path(tmp)
        source = work / "briefing.docx"
        source.write_bytes(data)
        try:
            # Every argument is ours (the soffice on PATH, paths in our own temporary directory).
            args = [binary, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(work / "out"), str(source)]
            subprocess.run(args, check=True, timeout=TIMEOUT_SECONDS, capture_output=True)  # noqa: S603
        except (subprocess.SubprocessError, OSError):
            return None
        pdf = work / "out" / "briefing.pdf"
        return pdf.read_bytes() if pdf.exists() else None
