"""Merge translated JSON files into the catalogue source scripts/i18n/en.json.

    python scripts/i18n/merge.py scripts/i18n/en.json new1.json [new2.json ...] [--replace]

Each file is a {msgid: msgstr} dict (a list of strings for a plural entry), such as the skeleton
`po_fill.py --missing-json` writes, filled in. Empty values are skipped, so a half-done skeleton
can be merged. A msgid already in en.json with a different translation is reported and kept
unless --replace is given, so a chunk translated twice cannot silently undo a reviewed string.
en.json is written sorted by msgid, so that additions from several people merge without conflicts.
"""

import argparse
import json
import sys
from pathlib import Path


def write_table(path: Path, table: dict) -> None:
    text = json.dumps(table, ensure_ascii=False, indent=1, sort_keys=True)
    path.write_text(text + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("target")
    parser.add_argument("sources", nargs="+")
    parser.add_argument("--replace", action="store_true", help="let the sources change existing translations")
    args = parser.parse_args(argv)

    target = Path(args.target)
    table = json.loads(target.read_text(encoding="utf-8")) if target.exists() else {}
    added = replaced = conflicts = 0
    for source in args.sources:
        for msgid, msgstr in json.loads(Path(source).read_text(encoding="utf-8")).items():
            if not msgstr or (isinstance(msgstr, list) and not all(msgstr)):
                continue
            if msgid not in table:
                added += 1
            elif table[msgid] != msgstr:
                if not args.replace:
                    conflicts += 1
                    print(f"kept existing translation of {msgid!r}: {table[msgid]!r} (not {msgstr!r})")
                    continue
                replaced += 1
            table[msgid] = msgstr
    write_table(target, table)
    print(f"{len(table)} translations; {added} added, {replaced} replaced, {conflicts} conflicts kept")
    return 1 if conflicts else 0


if __name__ == "__main__":
    sys.exit(main())
