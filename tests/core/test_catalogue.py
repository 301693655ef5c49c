"""The English catalogue: complete, not fuzzy, placeholders kept, compiled, and in step with
scripts/i18n/en.json (the source the .po is filled from).

When one of these fails after strings changed: `make messages`, then
`python scripts/po_fill.py src/dangshi/locale/en/LC_MESSAGES/django.po scripts/i18n/en.json
--missing-json new.json`, translate new.json, `python scripts/i18n/merge.py scripts/i18n/en.json
new.json`, run po_fill again and `make messages` (see docs/architecture.md, "Errors and messages").
"""

import gettext
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from scripts.i18n import pofile

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "src/dangshi/locale/en/LC_MESSAGES"
TABLE = ROOT / "scripts/i18n/en.json"

# printf-style conversions as Python's % operator reads them: %(name)s, %d, %5.1f, %%.
PRINTF = re.compile(r"%(?:\((?P<name>\w+)\))?[#0\- +]*(?:\d+|\*)?(?:\.(?:\d+|\*))?(?P<type>[diouxXeEfFgGcrsa%])")
BRACE = re.compile(r"(?<!\{)\{\w*(?:![rsa])?(?::[^{}]*)?\}(?!\})")
TAG = re.compile(r"</?[a-zA-Z][^<>]*>")


@pytest.fixture(scope="module")
def entries() -> list[pofile.Entry]:
    return [entry for entry in pofile.read(LOCALE / "django.po") if not entry.is_header]


def where(entry: pofile.Entry) -> str:
    return f"{entry.references[0] if entry.references else '?'} {entry.msgid!r}"


def placeholders(text: str, printf: bool) -> tuple:
    """What a translation must keep: printf conversions (named ones as a multiset of name and
    type, width and flags aside; positional ones in order), {fields} and HTML tags."""
    conversions = [(m["name"], m["type"]) for m in PRINTF.finditer(text)] if printf else []
    named = Counter(c for c in conversions if c[0])
    positional = [c[1] for c in conversions if not c[0]]
    return named, positional, Counter(BRACE.findall(text)), Counter(TAG.findall(text))


def test_the_placeholder_check_sees_what_python_formatting_needs():
    assert placeholders("%(n)d 人,%(rate)d%%", True) == placeholders("%(rate)02d%% of %(n)d", True)
    assert placeholders("%(n)s 条", True) != placeholders("%(m)s items", True)
    assert placeholders("%s 与 %d", True) != placeholders("%d and %s", True)
    assert placeholders("<b>{name}</b>", False) != placeholders("name", False)


def test_every_msgid_is_translated_and_none_is_fuzzy(entries):
    untranslated = [where(e) for e in entries if not e.translated]
    assert not untranslated, f"{len(untranslated)} of {len(entries)} untranslated or fuzzy:\n" + "\n".join(
        untranslated[:50])


def test_every_translation_keeps_the_placeholders_of_its_msgid(entries):
    wrong = []
    for entry in entries:
        printf = "python-format" in entry.flags
        sources = [entry.msgid] + [entry.msgid_plural] * (len(entry.msgstr) - 1)
        for source, msgstr in zip(sources, entry.msgstr, strict=True):
            if msgstr and placeholders(source, printf) != placeholders(msgstr, printf):
                wrong.append(f"{where(entry)} -> {msgstr!r}")
    assert not wrong, "placeholders differ:\n" + "\n".join(wrong)


def test_the_compiled_catalogue_matches_the_po(entries):
    with open(LOCALE / "django.mo", "rb") as mo:
        catalog = gettext.GNUTranslations(mo)._catalog
    stale = []
    for entry in entries:
        if not entry.translated:
            continue
        # A compiled catalogue keys an entry with a context as "context\x04msgid".
        key = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
        if entry.msgid_plural is None:
            if catalog.get(key) != entry.msgstr[0]:
                stale.append(where(entry))
        elif [catalog.get((key, n)) for n in range(len(entry.msgstr))] != entry.msgstr:
            stale.append(where(entry))
    assert not stale, "django.mo is older than django.po (run compilemessages):\n" + "\n".join(stale[:20])


def test_the_po_translations_come_from_en_json(entries):
    table = json.loads(TABLE.read_text(encoding="utf-8"))
    drifted = []
    for entry in entries:
        key = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
        value = entry.msgstr[0] if entry.msgid_plural is None else entry.msgstr
        if entry.translated and table.get(key) != value:
            drifted.append(f"{where(entry)}: .po {value!r}, en.json {table.get(key)!r}")
    assert not drifted, "edit scripts/i18n/en.json and rerun po_fill, not the .po:\n" + "\n".join(drifted[:20])


PO_SAMPLE = '''msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

#: a.py:1
#, fuzzy, python-format
#| msgid "旧的 %(n)d"
msgid "新的 %(n)d"
msgstr "Old %(n)d"

#: a.py:2
msgid ""
"很长的一句话,"
"分成两行。"
msgstr ""

#: a.html:3
#, python-format
msgid "共 %(n)s 次"
msgid_plural "共 %(n)s 次"
msgstr[0] ""
msgstr[1] ""

#: a.py:4
msgid "还没有译文"
msgstr ""
'''


def run_po_fill(tmp_path, table: dict, *args: str):
    import subprocess
    import sys

    po, source = tmp_path / "django.po", tmp_path / "en.json"
    source.write_text(json.dumps(table, ensure_ascii=False), encoding="utf-8")
    done = subprocess.run([sys.executable, str(ROOT / "scripts/po_fill.py"), str(po), str(source), *args],
                          capture_output=True, text=True, check=False)
    return done, {e.msgid: e for e in pofile.read(po)}


def test_po_fill_fills_wrapped_fuzzy_and_plural_entries_and_counts_the_rest(tmp_path):
    (tmp_path / "django.po").write_text(PO_SAMPLE, encoding="utf-8")
    table = {"新的 %(n)d": "New %(n)d", "很长的一句话,分成两行。": "A long sentence, in two lines.",
             "共 %(n)s 次": ["%(n)s time", "%(n)s times"]}
    done, entries = run_po_fill(tmp_path, table, "--strict")
    assert done.returncode == 1 and "3 translated" in done.stdout and "1 untranslated" in done.stdout
    assert "'还没有译文'" in done.stdout
    fuzzy = entries["新的 %(n)d"]
    assert fuzzy.translated and fuzzy.msgstr == ["New %(n)d"] and fuzzy.flags == ["python-format"]
    assert not any(line.startswith("#|") for line in fuzzy.lines)
    assert entries["很长的一句话,分成两行。"].msgstr == ["A long sentence, in two lines."]
    assert entries["共 %(n)s 次"].msgstr == ["%(n)s time", "%(n)s times"]


def test_po_fill_leaves_a_plural_entry_untranslated_when_given_one_string(tmp_path):
    (tmp_path / "django.po").write_text(PO_SAMPLE, encoding="utf-8")
    done, entries = run_po_fill(tmp_path, {"共 %(n)s 次": "%(n)s times"}, "--missing-json", str(tmp_path / "m.json"))
    assert done.returncode == 0 and "does not fit its plural forms" in done.stdout
    assert not entries["共 %(n)s 次"].translated
    assert json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))["共 %(n)s 次"] == ["", ""]
