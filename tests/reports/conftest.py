from tests.dossiers.conftest import accepted, intake_for, land_procedure, people, vn  # noqa: F401
