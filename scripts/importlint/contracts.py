"""An import-linter contract for what the layers contract cannot say: which modules of an app
other apps may import (issue 13). Configured in pyproject.toml, run by `make test`.

An app's public face is its `services` and `selectors` (modules or packages), plus the few
modules the contract names (`dangshi.orgs.scope`: the Scope every service takes). Its models,
views, forms and the rest are its own: another app refers to a model by a string
("orgs.Org") in a ForeignKey and imports it for type hints only under TYPE_CHECKING (which
the configuration excludes from the graph).
"""

from importlinter import Contract, ContractCheck, fields, output


class PublicSurfaceContract(Contract):
    type_name = "public_surface"

    apps = fields.ListField(subfield=fields.ModuleField())
    public = fields.ListField(subfield=fields.StringField())
    also_public = fields.ListField(subfield=fields.ModuleField(), required=False)

    def check(self, graph, verbose: bool) -> ContractCheck:
        apps = [m.name for m in self.apps]  # type: ignore[attr-defined]
        public = set(self.public)  # type: ignore[arg-type]
        also = {m.name for m in (self.also_public or [])}  # type: ignore[attr-defined]

        def app_of(module: str) -> str | None:
            return next((a for a in apps if module == a or module.startswith(a + ".")), None)

        def is_public(module: str, app: str) -> bool:
            rest = module[len(app) + 1:].split(".")
            return module == app or rest[0] in public or any(module == m or module.startswith(m + ".") for m in also)

        violations = []
        for app in apps:
            for importer in sorted(graph.find_descendants(app) | {app}):
                for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                    target = app_of(imported)
                    if target is None or target == app or is_public(imported, target):
                        continue
                    lines = [d["line_number"] for d in graph.get_import_details(importer=importer, imported=imported)]
                    violations.append((importer, imported, lines))
        return ContractCheck(kept=not violations, metadata={"violations": violations})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for importer, imported, lines in check.metadata["violations"]:
            where = ", ".join(f"l.{n}" for n in lines)
            output.print_error(f"{importer} -> {imported} ({where})", bold=False)
            output.new_line()
        output.print("Import the other app's services or selectors instead (see docs/architecture.md).")
