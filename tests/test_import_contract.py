"""The import contract of issue 13 (pyproject.toml, run by `make test` as lint-imports):
the custom public-surface contract refuses what it must and allows what it must, on a
throw-away package built for the test."""

import sys
import textwrap

import grimp
import pytest

from scripts.importlint.contracts import PublicSurfaceContract


@pytest.fixture
def package(tmp_path, monkeypatch):
    def build(files: dict[str, str]):
        for name, body in files.items():
            path = tmp_path / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(body))
        monkeypatch.syspath_prepend(str(tmp_path))
        for mod in [m for m in sys.modules if m == "pkg" or m.startswith("pkg.")]:
            del sys.modules[mod]
        return grimp.build_graph("pkg", cache_dir=None, exclude_type_checking_imports=True)

    return build


def _check(graph):
    contract = PublicSurfaceContract(
        name="t", session_options={},
        contract_options={"apps": ["pkg.a", "pkg.b"], "public": ["services", "selectors"],
                          "also_public": ["pkg.b.scope"]})
    return contract.check(graph, verbose=False)


APPS = {"pkg/__init__.py": "", "pkg/a/__init__.py": "", "pkg/b/__init__.py": "", "pkg/b/models.py": "X = 1\n",
        "pkg/b/selectors.py": "Y = 2\n", "pkg/b/scope.py": "Z = 3\n", "pkg/b/services/__init__.py": "",
        "pkg/b/services/deep.py": "W = 4\n"}


def test_importing_another_apps_models_breaks_the_contract(package):
    graph = package({**APPS, "pkg/a/views.py": "from pkg.b.models import X\n"})
    check = _check(graph)
    assert not check.kept
    assert [(i, m) for i, m, _lines in check.metadata["violations"]] == [("pkg.a.views", "pkg.b.models")]


def test_services_selectors_and_named_modules_are_the_public_face(package):
    graph = package({**APPS, "pkg/a/views.py": """\
        from pkg.b import selectors
        from pkg.b.scope import Z
        from pkg.b.services.deep import W
        """})
    assert _check(graph).kept


def test_models_imported_for_type_hints_only_are_allowed(package):
    graph = package({**APPS, "pkg/a/views.py": """\
        from typing import TYPE_CHECKING

        if TYPE_CHECKING:
            from pkg.b.models import X
        """})
    assert _check(graph).kept


def test_the_projects_contract_is_kept():
    """The whole project, as `make test` runs it: every contract in pyproject.toml is kept."""
    from importlinter.cli import lint_imports

    assert lint_imports(no_cache=True) == 0
