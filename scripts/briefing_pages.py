"""Render the demo district's weekly briefing and monthly summary to PNG pages for docs/reports.md.

    DATABASE_URL=sqlite:////tmp/demo/demo.sqlite3 MEDIA_ROOT=/tmp/demo/media \\
        .venv/bin/python scripts/briefing_pages.py --week 2021-W23 --month 2021-06

Needs a database built by `dangshi demo`, LibreOffice (soffice) and poppler (pdftoppm). The
documents are generated through the same service as the console's button (as drafts) and
converted by the same function that archives an issued briefing's PDF.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--week", default="2021-W23")
    parser.add_argument("--month", default="2021-06")
    parser.add_argument("--out", default=str(ROOT / "docs" / "img"))
    parser.add_argument("--dpi", type=int, default=60)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangshi.settings")
    import django

    django.setup()
    # Imported once Django is set up: models cannot load before.
    from dangshi.orgs import selectors as orgs
    from dangshi.reports import pdf, periods, services

    pdftoppm = shutil.which("pdftoppm")
    if pdf.soffice() is None or pdftoppm is None:
        print("needs soffice and pdftoppm", file=sys.stderr)
        return 1
    campaign = orgs.campaign_current()
    if campaign is None:
        print("no campaign: run `dangshi demo` first", file=sys.stderr)
        return 1
    root = campaign.root
    for name, period in (("weekly", periods.week(args.week)), ("monthly", periods.month(args.month))):
        briefing = services.briefing_generate(org=root, period=period)
        with briefing.file.open("rb") as fh:
            data = pdf.docx_to_pdf(fh.read())
        if data is None:
            print(f"LibreOffice did not convert the {name} document", file=sys.stderr)
            return 1
        with tempfile.TemporaryDirectory() as tmp:
            source = Path(tmp) / f"{name}.pdf"
            source.write_bytes(data)
            for old in Path(args.out).glob(f"reports-briefing-{name}-*.png"):
                old.unlink()
            subprocess.run([pdftoppm, "-png", "-r", str(args.dpi), str(source),  # noqa: S603 (our own paths)
                            str(Path(args.out) / f"reports-briefing-{name}")], check=True)
        print(name, briefing.period, sorted(p.name for p in Path(args.out).glob(f"reports-briefing-{name}-*.png")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
