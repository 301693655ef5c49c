"""Fill msgstr entries of a .po file from a JSON dict {msgid: msgstr}; leaves others as they are.

    python scripts/po_fill.py src/dangshi/locale/en/LC_MESSAGES/django.po translations.json
Only single-line msgids are handled; multi-line ones are reported and left untouched.
"""

import json
import re
import sys
from pathlib import Path


def esc(s: str) -> str:
    return s.replace("\\", "\\\\").replace('"', '\\"')


def main(po_path: str, json_path: str) -> int:
    table = json.loads(Path(json_path).read_text())
    lines = Path(po_path).read_text().split("\n")
    out, filled, missing = [], 0, []
    i = 0
    while i < len(lines):
        line = lines[i]
        m = re.match(r'^msgid "(.*)"$', line)
        if m and i + 1 < len(lines) and lines[i + 1].startswith("msgstr "):
            msgid = m[1].replace('\\"', '"').replace("\\\\", "\\")
            out.append(line)
            if msgid and msgid in table and lines[i + 1] == 'msgstr ""':
                out.append(f'msgstr "{esc(table[msgid])}"')
                filled += 1
            else:
                if msgid and lines[i + 1] == 'msgstr ""' and msgid not in table:
                    missing.append(msgid)
                out.append(lines[i + 1])
            i += 2
            continue
        out.append(line)
        i += 1
    text = "\n".join(out).replace("#, fuzzy\n", "", 1) if filled else "\n".join(out)
    Path(po_path).write_text(text)
    print(f"filled {filled}; untranslated {len(missing)}")
    for msgid in missing:
        print("  ", msgid)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
