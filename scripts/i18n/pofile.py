"""A small reader and writer for the gettext .po files `makemessages` produces.

Only what dangshi's catalogue uses: comments, flags, msgctxt, msgid, msgid_plural, msgstr and
msgstr[n], each possibly wrapped over several quoted lines. Stdlib only, so that the catalogue test
(tests/core/test_catalogue.py) and scripts/po_fill.py share one parser without a new dependency
(polib would do the same; three dozen lines did not justify one).

Entries keep their original lines: `Entry.filled()` rewrites only the msgstr lines and the flags,
so a filled file differs from the input only where a translation went in. The next
`make messages` rewraps the new lines the way msgmerge does.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
_FIELD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) "(.*)"$')
_CONTINUATION = re.compile(r'^"(.*)"$')


def unquote(text: str) -> str:
    """The value of the inside of a .po quoted string."""
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m[1], "\\" + m[1]), text)


def quote(text: str) -> str:
    """The inside of a .po quoted string for `text`."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")


def field_lines(keyword: str, value: str) -> list[str]:
    """`keyword "value"`, split after each newline the way gettext writes multi-line strings."""
    if "\n" not in value[:-1]:
        return [f'{keyword} "{quote(value)}"']
    chunks = value.splitlines(keepends=True)
    return [f'{keyword} ""'] + [f'"{quote(chunk)}"' for chunk in chunks]


@dataclass
class Entry:
    lines: list[str]
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    msgstr_at: int = 0  # index in `lines` of the first msgstr line; msgstr lines run to the end

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def translated(self) -> bool:
        return not self.fuzzy and bool(self.msgstr) and all(self.msgstr)

    @property
    def references(self) -> list[str]:
        return [ref for line in self.lines if line.startswith("#:") for ref in line[2:].split()]

    def filled(self, msgstr: list[str]) -> "Entry":
        """This entry translated as `msgstr` (one string, or one per plural form): the fuzzy flag and
        the `#|` previous-msgid lines go, everything above the msgstr stays as it was."""
        head = []
        for line in self.lines[: self.msgstr_at]:
            if line.startswith("#|"):
                continue
            if line.startswith("#,"):
                flags = [flag for flag in self.flags if flag != "fuzzy"]
                if not flags:
                    continue
                line = "#, " + ", ".join(flags)
            head.append(line)
        if self.msgid_plural is None:
            tail = field_lines("msgstr", msgstr[0])
        else:
            tail = [line for n, text in enumerate(msgstr) for line in field_lines(f"msgstr[{n}]", text)]
        return parse_entry(head + tail)


def parse_entry(lines: list[str]) -> Entry:
    entry = Entry(lines=list(lines))
    current = None  # (name, index into msgstr) the last keyword line opened
    for index, line in enumerate(lines):
        if line.startswith("#,"):
            entry.flags = [flag.strip() for flag in line[2:].split(",") if flag.strip()]
            continue
        if line.startswith("#") or not line.strip():
            continue
        if m := _FIELD.match(line):
            keyword, text = m[1], unquote(m[2])
            if keyword.startswith("msgstr"):
                if not entry.msgstr:
                    entry.msgstr_at = index
                entry.msgstr.append(text)
                current = ("msgstr", len(entry.msgstr) - 1)
            else:
                setattr(entry, keyword, text)
                current = (keyword, None)
        elif (m := _CONTINUATION.match(line)) and current:
            name, slot = current
            if name == "msgstr":
                entry.msgstr[slot] += unquote(m[1])
            else:
                setattr(entry, name, getattr(entry, name) + unquote(m[1]))
        else:
            raise ValueError(f"cannot read .po line: {line!r}")
    return entry


def parse(text: str) -> list[Entry]:
    """The entries of a .po file, header first. Entries are separated by blank lines; a quoted
    string never holds a raw newline, so the split is safe."""
    blocks = [block for block in text.strip("\n").split("\n\n") if block.strip()]
    return [parse_entry(block.split("\n")) for block in blocks]


def render(entries: list[Entry]) -> str:
    return "\n\n".join("\n".join(entry.lines) for entry in entries) + "\n"


def read(path: str | Path) -> list[Entry]:
    return parse(Path(path).read_text(encoding="utf-8"))
