"""The house rules, read from the source: modules stay small, the ground floor knows none of the
apps above it, no app reaches into the API package, plans knows nothing of PAR, and no two apps
(or modules) import each other, even from inside a function."""

import ast
from collections import defaultdict
from pathlib import Path

import motcua

ROOT = Path(motcua.__file__).parent
MAX_LINES = 500


def _modules() -> dict[str, Path]:
    found = {}
    for path in ROOT.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        parts = ("motcua", *path.relative_to(ROOT).with_suffix("").parts)
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    targets = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
            stem = ".".join([*base, *([node.module] if node.module else [])])
            candidates = [f"{stem}.{alias.name}" for alias in node.names] + [stem]
        else:
            continue
        for candidate in candidates:
            while candidate and candidate not in MODULES:
                candidate = candidate.rpartition(".")[0]
            if candidate.startswith("motcua.") and candidate != name:
                targets.add(candidate)
    return targets


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _app(module: str) -> str:
    return module.split(".")[1] if module.count(".") else ""


def _app_graph() -> dict[str, set[str]]:
    apps = defaultdict(set)
    for source, targets in GRAPH.items():
        for target in targets:
            if _app(source) != _app(target) and (ROOT / _app(source)).is_dir():
                apps[_app(source)].add(_app(target))
    return apps


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one node (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in graph.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                other = stack.pop()
                on_stack.discard(other)
                component.append(other)
                if other == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in list(graph):
        if node not in index:
            visit(node)
    return found


def test_the_checker_sees_imports_inside_functions_and_relative_ones():
    assert "motcua.dossiers.archive" in GRAPH["motcua.dossiers.access"]  # imported inside lookup()
    assert "motcua.dossiers.journal" in GRAPH["motcua.dossiers.intake"]  # from . import journal


def test_no_module_outside_migrations_is_over_500_lines():
    sizes = {name: len(path.read_text().splitlines()) for name, path in MODULES.items()}
    assert {name: n for name, n in sizes.items() if n > MAX_LINES} == {}


def test_core_imports_no_other_app():
    assert _app_graph()["core"] == set()


def test_no_app_imports_the_api_package():
    assert sorted(app for app, targets in _app_graph().items() if "api" in targets and app != "api") == []


def test_plans_does_not_import_par():
    assert "par" not in _app_graph()["plans"]


# The apps from the ground up, as README.md's layout draws them: each imports only earlier layers.
LAYERS = [
    {"core"},
    {"workdays", "units"},
    {"people", "catalog"},
    {"dossiers"},
    {"reports", "sync", "national", "notifications"},
    {"quality"},
    {"plans"},
    {"par"},
    {"portal", "web"},
    {"demo", "api"},
]


def test_every_app_has_its_layer_and_imports_only_layers_below():
    layer = {app: n for n, apps in enumerate(LAYERS) for app in apps}
    apps = {path.name for path in ROOT.iterdir() if (path / "__init__.py").exists()} - {"formats", "locale"}
    assert sorted(apps - set(layer)) == []
    upward = {(app, other) for app, others in _app_graph().items() for other in others if layer[other] >= layer[app]}
    assert sorted(upward) == []


def test_no_import_cycle_between_apps():
    assert _cycles(_app_graph()) == []


def test_no_import_cycle_between_modules():
    assert _cycles(GRAPH) == []
