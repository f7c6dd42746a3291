import ast
from pathlib import Path

from motcua.core.imports import kinds
from motcua.core.tabular import ImportResult

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


def test_a_result_counts_each_row_once_and_prints_its_counts():
    result = ImportResult()
    for created, changed in [(True, True), (True, False), (False, True), (False, False), (False, False)]:
        result.count(created=created, changed=changed)
    assert (result.created, result.updated, result.unchanged) == (2, 1, 2)
    assert result.summary() == "2 tạo mới / created, 1 cập nhật / updated, 2 không đổi / unchanged"
