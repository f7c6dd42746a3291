from pathlib import Path

from motcua.core.imports import kinds
from motcua.core.tabular import ImportResult

CORE = Path(__file__).resolve().parents[2] / "src" / "motcua" / "core"


def test_each_app_registers_its_import_kinds():
    assert kinds() == [
        "calendar",
        "dossiers",
        "fields",
        "indicators",
        "officials",
        "plan",
        "procedures",
        "quotas",
        "units",
    ]


def test_a_result_counts_each_row_once_and_prints_its_counts():
    result = ImportResult()
    for created, changed in [(True, True), (True, False), (False, True), (False, False), (False, False)]:
        result.count(created=created, changed=changed)
    assert (result.created, result.updated, result.unchanged) == (2, 1, 2)
    assert result.summary() == "2 tạo mới / created, 1 cập nhật / updated, 2 không đổi / unchanged"
