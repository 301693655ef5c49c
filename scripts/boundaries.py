"""Count how well the apps keep to their boundaries (issue 13's before/after figures).

    python scripts/boundaries.py [--list] [--src DIR]   (DIR: another checkout's src/dangshi)

Prints, for src/dangshi: files outside `orgs` that import `orgs.models` (type-checking-only
imports count: they are listed so nothing hides); direct queries on the orgs models
(`Org.objects`, `Member.objects`, ...) outside `orgs`; function-local imports of project
modules (those in `AppConfig.ready` counted apart); and import cycles between apps
(module-level imports, strongly connected components of the app graph).
"""

import ast
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "src" / "dangshi"
ORG_MODELS = ("Org", "Member", "Campaign", "CampaignGoal", "RoleBinding")
QUERY = re.compile(r"\b(" + "|".join(ORG_MODELS) + r")\.(objects|_default_manager)\b")


def app_of(path: Path) -> str:
    parts = path.relative_to(ROOT).parts
    return parts[0] if len(parts) > 1 else "(project)"


def imported_modules(node) -> list[str]:
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
        return [node.module] + [f"{node.module}.{a.name}" for a in node.names]
    return []


def is_type_checking(node) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def main() -> None:
    global ROOT
    listing = "--list" in sys.argv
    if "--src" in sys.argv:
        ROOT = Path(sys.argv[sys.argv.index("--src") + 1]).resolve()
    files = sorted(p for p in ROOT.rglob("*.py") if "migrations" not in p.parts)
    models_importers, type_importers, queries, local_imports, ready_imports = [], [], [], [], []
    graph = defaultdict(set)
    for path in files:
        app = app_of(path)
        text = path.read_text()
        tree = ast.parse(text)
        top, in_ready, type_only = set(), set(), set()
        for node in tree.body:
            nodes = node.body if is_type_checking(node) else [node]
            for n in nodes:
                top.add(id(n))
                if n is not node:
                    type_only.add(id(n))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name == "ready" and path.name == "apps.py":
                in_ready.update(id(n) for n in ast.walk(node))
        for node in ast.walk(tree):
            mods = [m for m in imported_modules(node) if m.startswith("dangshi.")]
            if not mods:
                continue
            if app != "orgs" and any(m == "dangshi.orgs.models" for m in mods):
                (type_importers if id(node) in type_only else models_importers).append(path)
            if id(node) in in_ready:
                ready_imports.append(f"{path.relative_to(ROOT)}:{node.lineno}")
            elif id(node) not in top:
                local_imports.append(f"{path.relative_to(ROOT)}:{node.lineno}")
            else:
                for m in mods:
                    target = m.split(".")[1]
                    if (ROOT / target).is_dir() and target != app:
                        graph[app].add(target)
        if app != "orgs":
            for i, line in enumerate(text.splitlines(), 1):
                for _ in QUERY.finditer(line):
                    queries.append(f"{path.relative_to(ROOT)}:{i}")
    cycles = sccs(graph)
    print(f"files importing orgs.models outside orgs: {len(set(models_importers))} at run time,"
          f" {len(set(type_importers) - set(models_importers))} more for type hints only")
    print(f"direct orgs-model queries outside orgs: {len(queries)} in {len({q.split(':')[0] for q in queries})} files")
    print(f"function-local imports of project modules: {len(local_imports)}"
          f" (and {len(ready_imports)} in AppConfig.ready, where Django wires receivers)")
    print(f"import cycles between apps: {len(cycles)}" + "".join(f"\n  {' ↔ '.join(sorted(c))}" for c in cycles))
    if listing:
        print("\n".join(["", "orgs.models importers:", *sorted({str(p.relative_to(ROOT)) for p in models_importers})]))
        print("\n".join(["", "queries:", *queries, "", "local imports:", *local_imports]))


def sccs(graph) -> list[set[str]]:
    """Tarjan's strongly connected components with more than one app."""
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = set()
            while True:
                w = stack.pop()
                on.discard(w)
                comp.add(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(comp)

    for v in list(graph):
        if v not in index:
            visit(v)
    return out


if __name__ == "__main__":
    main()
