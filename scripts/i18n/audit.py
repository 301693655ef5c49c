"""Find source strings the English catalogue cannot reach.

    python scripts/i18n/audit.py [src/dangshi] [--literals]

Always reported (each is a bug: the English page shows Chinese although the msgid is translated):
- eager: `gettext`/`ngettext`/`pgettext` (not the _lazy forms) called at import time, in a module
  or class body, or a lazy string %-formatted there: the string is translated once, in the
  default language, when Django starts;
- formatted: an f-string, a `%`/`.format()` result or a concatenation passed to a gettext call:
  makemessages cannot extract it, or extracts a msgid no runtime string will ever equal.

With --literals, also every Chinese string literal outside a gettext call (docstrings aside).
That list is candidates, not bugs: many are Chinese input the parsers accept (column headers of
import files, 是/否, 对/错) or demo data, which must stay Chinese.

With --templates, also the Chinese text of templates outside {% translate %}, {% blocktranslate %}
and comments: mostly full-width punctuation (:、,) glued to a translated label, which English
pages then show; also candidates, listed by line.
"""

import argparse
import ast
import re
import sys
from pathlib import Path

CJK = re.compile(r"[\u3400-\u9fff]")
CJK_OR_PUNCTUATION = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]+")
TEMPLATE_TRANSLATED = re.compile(
    r"{%\s*blocktranslate.*?%}.*?{%\s*endblocktranslate\s*%}|{%\s*comment\s*%}.*?{%\s*endcomment\s*%}"
    r"|{#.*?#}|{%.*?%}|_\((['\"]).*?\1\)", re.S)
EAGER = {"gettext", "ngettext", "pgettext", "npgettext"}
LAZY = {name + "_lazy" for name in EAGER} | {"gettext_noop"}


def translation_names(tree: ast.Module) -> dict[str, str]:
    """Local name → django.utils.translation function, from the module's imports."""
    names = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
            for alias in node.names:
                if alias.name in EAGER | LAZY:
                    names[alias.asname or alias.name] = alias.name
    return names


class Finder(ast.NodeVisitor):
    def __init__(self, path: Path, names: dict[str, str], literals: bool):
        self.path, self.names, self.literals = path, names, literals
        self.depth = 0  # > 0 inside a function or lambda: runs per request, in the request's language
        self.inside_call = 0
        self.found: list[str] = []

    def report(self, node: ast.AST, kind: str, text: str) -> None:
        self.found.append(f"{self.path}:{node.lineno}: {kind}: {text}")

    def visit_FunctionDef(self, node):
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    visit_AsyncFunctionDef = visit_FunctionDef
    visit_Lambda = visit_FunctionDef

    def visit_Expr(self, node):
        if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            return  # a docstring or a bare string: not shown to anyone
        self.generic_visit(node)

    def visit_Call(self, node):
        name = node.func.id if isinstance(node.func, ast.Name) else None
        function = self.names.get(name)
        if function is None:
            self.generic_visit(node)
            return
        if function in EAGER and self.depth == 0:
            self.report(node, "eager", ast.unparse(node)[:100])
        for arg in node.args:
            if isinstance(arg, ast.JoinedStr | ast.BinOp) or (
                    isinstance(arg, ast.Call) and isinstance(arg.func, ast.Attribute) and arg.func.attr == "format"):
                self.report(node, "formatted", ast.unparse(arg)[:100])
        self.inside_call += 1
        self.generic_visit(node)
        self.inside_call -= 1

    def visit_BinOp(self, node):
        """`gettext_lazy("...%(x)s") % {...}` formats, so evaluates, the lazy string on the spot."""
        left = node.left
        if (isinstance(node.op, ast.Mod) and self.depth == 0 and isinstance(left, ast.Call)
                and isinstance(left.func, ast.Name) and self.names.get(left.func.id) in LAZY):
            self.report(node, "eager", ast.unparse(node)[:100])
        self.generic_visit(node)

    def visit_Constant(self, node):
        if self.literals and not self.inside_call and isinstance(node.value, str) and CJK.search(node.value):
            self.report(node, "literal", repr(node.value)[:100])


def audit(root: Path, literals: bool) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        finder = Finder(path, translation_names(tree), literals)
        finder.visit(tree)
        found += finder.found
    return found


def audit_templates(root: Path) -> list[str]:
    """Chinese left in templates once translated parts, tags and comments are blanked (newlines
    kept, so that line numbers stay right)."""
    found = []
    for path in sorted(root.rglob("templates/**/*.html")):
        text = TEMPLATE_TRANSLATED.sub(lambda m: "\n" * m[0].count("\n"), path.read_text(encoding="utf-8"))
        for number, line in enumerate(text.split("\n"), 1):
            if chinese := CJK_OR_PUNCTUATION.findall(line):
                found.append(f"{path}:{number}: template: {' '.join(chinese)}")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("root", nargs="?", default="src/dangshi")
    parser.add_argument("--literals", action="store_true", help="also list Chinese literals outside gettext")
    parser.add_argument("--templates", action="store_true", help="also list Chinese text outside translate tags")
    args = parser.parse_args(argv)
    found = audit(Path(args.root), args.literals)
    bugs = [line for line in found if ": literal: " not in line]
    if args.templates:
        found += audit_templates(Path(args.root))
    print("\n".join(found))
    print(f"{len(bugs)} eager or formatted gettext calls; {len(found) - len(bugs)} candidates listed")
    return 1 if bugs else 0


if __name__ == "__main__":
    sys.exit(main())
