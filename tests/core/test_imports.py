import ast
from pathlib import Path

from motcua.core.imports import kinds

CORE = Path(__file__).resolve().parents[2] / "src" / "motcua" / "core"


def test_each_app_registers_its_import_kinds():
    assert kinds() == ["calendar", "dossiers", "fields", "indicators", "procedures", "units"]


def test_the_core_imports_no_other_app():
    found = set()
    for path in CORE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module)
    assert sorted(m for m in found if m.startswith("motcua.") and not m.startswith("motcua.core")) == []
