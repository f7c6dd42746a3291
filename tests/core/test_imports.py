from motcua.core.imports import kinds


def test_each_app_registers_its_import_kinds():
    assert kinds() == ["calendar", "dossiers", "fields", "indicators", "procedures", "units"]
