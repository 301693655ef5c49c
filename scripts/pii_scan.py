"""Count phone and ID numbers in clear in a fuzz run's output: every response body of the HAR
files scripts/fuzz_api.sh writes (office, member, anonymous), and the server's log. A match is
personal data when it is a member's phone or ID number or a caller's phone in the database
DATABASE_URL names (the fuzzer's own path ids, such as /requests/17179869183, look like phones).
Usage: DATABASE_URL=... DANGSHI_VAR=... .venv/bin/python scripts/pii_scan.py FUZZ_DIR
(exit 1 if any personal data is found)."""

import base64
import json
import os
import pathlib
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangshi.settings")
django.setup()

from dangshi.core.crypto import PERSONAL_NUMBER, fold_digits  # noqa: E402
from dangshi.hotline.models import Request  # noqa: E402  (a script reads the tables directly)
from dangshi.orgs.models import Member  # noqa: E402


def personal_numbers() -> set[str]:
    found = set()
    for phone, number in Member.objects.values_list("phone", "id_number").iterator():
        found.update(n for n in (phone, number) if n)
    found.update(p for p in Request.objects.values_list("caller_phone", flat=True).iterator() if p)
    return found


def body(entry: dict) -> str:
    content = entry["response"].get("content", {})
    text = content.get("text") or ""
    if content.get("encoding") == "base64":
        text = base64.b64decode(text).decode("utf-8", "replace")
    return text


def main() -> int:
    folder = pathlib.Path(sys.argv[1])
    known = personal_numbers()
    found = 0
    for persona in ("office", "member", "anonymous"):
        har = folder / f"{persona}.har"
        if not har.exists():
            continue
        entries = json.loads(har.read_text())["log"]["entries"]
        hits = [(e["request"]["url"], m.group()) for e in entries for m in PERSONAL_NUMBER.finditer(fold_digits(body(e)))]
        real = [h for h in hits if h[1] in known]
        found += len(real)
        print(f"PII {persona}: {len(entries)} response bodies, {len(hits)} phone-like numbers, "
              f"{len(real)} personal data {real[:3]}")
    log = folder / "server.log"
    if log.exists():
        hits = PERSONAL_NUMBER.findall(fold_digits(log.read_text(errors="replace")))
        real = [h for h in hits if h in known]
        found += len(real)
        print(f"PII server log: {log.stat().st_size} bytes, {len(hits)} phone-like numbers, {len(real)} personal data")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
