"""Fill a .po catalogue from a JSON dict {msgid: msgstr} and say what is still untranslated.

    python scripts/po_fill.py src/dangshi/locale/en/LC_MESSAGES/django.po scripts/i18n/en.json [--strict]
        [--missing-json new.json]

The JSON is the source of the translations (scripts/i18n/en.json): an entry whose msgid is in it
gets that msgstr, replacing a fuzzy guess or an older translation; a plural entry
(msgid_plural) takes a list, one string per plural form; a pgettext entry is keyed
"context\x04msgid". Entries the JSON lacks are left as they
are. Multi-line (wrapped) msgids are read whole. Afterwards it prints how many entries are
translated and lists the rest (untranslated or fuzzy); `--strict` exits 1 when any remain, and
`--missing-json` writes them as a {msgid: ""} skeleton to translate and merge into en.json.

The workflow after strings change: `make messages` (collect), this script (fill), `make messages`
again (msgmerge rewraps the filled lines, compilemessages builds the .mo).
"""

import argparse
import json
import sys
from pathlib import Path

from i18n import pofile


def table_key(entry: pofile.Entry) -> str:
    """The JSON key of an entry: its msgid, prefixed with "context\x04" for a pgettext entry (the
    gettext convention for a msgctxt)."""
    return entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"


def wanted_msgstr(entry: pofile.Entry, value) -> list[str] | None:
    """The msgstr list for `entry` from a JSON value, or None when the value's shape does not fit
    the entry (a string for a plural entry, a list for a singular one, a wrong count of forms):
    the entry then stays untranslated and is listed, and the rest still get filled."""
    if entry.msgid_plural is None:
        return [value] if isinstance(value, str) else None
    if isinstance(value, list) and len(value) == len(entry.msgstr) and all(isinstance(v, str) for v in value):
        return value
    return None


def fill(entries: list[pofile.Entry], table: dict) -> tuple[list[pofile.Entry], int, list[str]]:
    """The entries with the table's translations put in, how many changed, and the msgids whose
    JSON value has the wrong shape."""
    out, changed, misfits = [], 0, []
    for entry in entries:
        key = table_key(entry)
        if not entry.is_header and key in table:
            msgstr = wanted_msgstr(entry, table[key])
            if msgstr is None:
                misfits.append(key)
            elif all(msgstr) and (entry.fuzzy or msgstr != entry.msgstr):
                entry = entry.filled(msgstr)
                changed += 1
        out.append(entry)
    return out, changed, misfits


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("po")
    parser.add_argument("json")
    parser.add_argument("--strict", action="store_true", help="exit 1 if any entry is left untranslated")
    parser.add_argument("--missing-json", help="write the untranslated msgids here as {msgid: ''}")
    args = parser.parse_args(argv)

    table = json.loads(Path(args.json).read_text(encoding="utf-8"))
    entries, changed, misfits = fill(pofile.read(args.po), table)
    Path(args.po).write_text(pofile.render(entries), encoding="utf-8")

    messages = [entry for entry in entries if not entry.is_header]
    missing = [entry for entry in messages if not entry.translated]
    if args.missing_json:
        skeleton = {table_key(e): ([""] * len(e.msgstr) if e.msgid_plural is not None else "") for e in missing}
        Path(args.missing_json).write_text(json.dumps(skeleton, ensure_ascii=False, indent=1) + "\n",
                                           encoding="utf-8")
    unused = len(set(table) - {table_key(entry) for entry in messages})
    print(f"{len(messages)} msgids; {len(messages) - len(missing)} translated ({changed} filled now); "
          f"{len(missing)} untranslated; {unused} JSON entries match no msgid (kept)")
    for entry in missing:
        where = entry.references[0] if entry.references else "?"
        note = " (the JSON value does not fit its plural forms)" if table_key(entry) in misfits else ""
        print(f"  {where}: {entry.msgid!r}" + (" (fuzzy)" if entry.fuzzy else "") + note)
    return 1 if args.strict and missing else 0


if __name__ == "__main__":
    sys.exit(main())
