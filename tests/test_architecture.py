"""The shape of ``service/``: short modules, no import cycles, and a pure ``service.core``.

The import graph comes from grimp, with the imports under ``if TYPE_CHECKING:`` included: an
import kept there only to dodge a cycle at run time is still a cycle between the modules.
"""

from __future__ import annotations

from collections.abc import Iterator

import grimp
import pytest

from tests.conftest import ROOT

MAX_MODULE_LINES = 700
CORE = "service.core"
# What ``service.core`` must not depend on: the web layer, the schemas and the database.
CORE_FORBIDDEN = ("flask", "flask_smorest", "marshmallow", "sqlalchemy", "alembic")


@pytest.fixture(scope="module")
def graph() -> Iterator[grimp.ImportGraph]:
    yield grimp.build_graph(
        "service", include_external_packages=True, exclude_type_checking_imports=False, cache_dir=None
    )


def _lines(graph: grimp.ImportGraph, importer: str, imported: str) -> str:
    details = graph.get_import_details(importer=importer, imported=imported)
    return ", ".join(f"{importer}:{d['line_number']} {d['line_contents']!r}" for d in details) or importer


def test_no_module_is_longer_than_700_lines() -> None:
    modules = sorted((ROOT / "service").rglob("*.py"))
    assert modules
    too_long = {
        str(path.relative_to(ROOT)): count
        for path in modules
        if (count := len(path.read_text().splitlines())) > MAX_MODULE_LINES
    }
    assert not too_long, f"modules over {MAX_MODULE_LINES} lines: {too_long}"


def test_no_import_cycle_among_service_modules(graph: grimp.ImportGraph) -> None:
    internal = sorted(m for m in graph.modules if m == "service" or m.startswith("service."))
    assert len(internal) > 1
    cycles: dict[frozenset[str], list[str]] = {}
    for importer in internal:
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            if imported not in internal or imported == importer:
                continue
            back = graph.find_shortest_chain(importer=imported, imported=importer)
            if back is not None:
                cycle = [importer, *back]
                cycles.setdefault(frozenset(cycle), [
                    _lines(graph, a, b) for a, b in zip(cycle, cycle[1:], strict=False)
                ])
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(hops) for hops in cycles.values())


def test_core_imports_no_framework_database_or_outer_service_module(graph: grimp.ImportGraph) -> None:
    core = sorted({CORE, *graph.find_descendants(CORE)})
    assert len(core) > 1
    illegal = []
    for module in core:
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            top = imported.split(".")[0]
            outer = top == "service" and imported != CORE and not imported.startswith(CORE + ".")
            if top in CORE_FORBIDDEN or outer:
                illegal.append(_lines(graph, module, imported))
    assert not illegal, "service.core must stay pure:\n" + "\n".join(illegal)
