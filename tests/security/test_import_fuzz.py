"""Imports fed damaged files: each either imports or is refused with its problems listed
(ImportRejected), never crashes, and a refused file leaves the database as it was."""

import csv
import io
from pathlib import Path

import pytest
from django.apps import apps
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.core.imports import import_file
from motcua.core.tabular import ImportRejected, ImportResult

DATA = Path(__file__).resolve().parents[2] / "src" / "motcua" / "demo" / "data"
DOSSIERS = (
    "code,procedure_code,receiving_unit,processing_unit,channel,received_at,due_at,finished_at,outcome,"
    "returned_at,digitized,result_digitized,applicant_name,applicant_id\n"
    "04105.TTPVHCC-260302-0001,1.012994,04105.TTPVHCC,04105.PKT,1,2026-03-02T08:00:00,2026-03-31T08:00:00+07:00,"
    "2026-03-20T10:00:00+07:00,approved,2026-03-23T09:00:00+07:00,1,1,Lò Văn A,014090001234\n"
    "04105.TTPVHCC-260302-0002,1.001612,04105.TTPVHCC,04105.PKT,2,2026-03-02T09:00:00+07:00,,,,,0,0,Cầm Thị B,\n"
)


TESTS = Path(__file__).resolve().parents[1]


def sample(name: str, lines: int, folder: Path = DATA) -> str:
    return "".join((folder / name).read_text(encoding="utf-8").splitlines(keepends=True)[:lines])


SEEDS = {
    "units": sample("units-sonla.csv", 6),
    "fields": sample("fields.csv", 4),
    "procedures": sample("procedures-sonla.csv", 3),
    "calendar": "date,kind,name\n2026-04-27,day_off,Nghỉ bù\n2026-05-09,working_day,Làm bù\n",
    "dossiers": DOSSIERS,
    "officials": sample("officials.csv", 4, TESTS / "people" / "data"),
    "plan": sample("plan-2026.csv", 4, TESTS / "plans" / "data"),
    "quotas": sample("quotas-2026.csv", 4, TESTS / "plans" / "data"),
}
TEXT = st.text(
    alphabet=st.sampled_from(list(",;|\"'\n\r\t -:.+0123456789TZabcXYZđặ\x00\ufeff")), max_size=30
) | st.text(max_size=30)


@st.composite
def damaged(draw, seed: str) -> bytes:
    grid = list(csv.reader(io.StringIO(seed)))
    for _ in range(draw(st.integers(0, 6))):
        row = draw(st.integers(0, len(grid) - 1))
        if not grid[row]:
            continue
        column = draw(st.integers(0, len(grid[row]) - 1))
        grid[row][column] = draw(TEXT)
    if draw(st.booleans()):
        grid.append(list(draw(st.lists(TEXT, max_size=20))))  # a ragged row
    if draw(st.booleans()) and len(grid) > 1:
        grid.insert(draw(st.integers(1, len(grid) - 1)), grid[1])  # a repeated row
    out = io.StringIO()
    csv.writer(out).writerows(grid)
    data = out.getvalue().encode()
    how = draw(st.sampled_from(["as is", "cut", "bytes"]))
    if how == "cut":
        data = data[: draw(st.integers(0, len(data)))]
    elif how == "bytes":
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(max_size=20)) + data[at:]
    return data


def fingerprint() -> tuple:
    return tuple(m.objects.count() for m in apps.get_models() if m.__module__.startswith("motcua."))


@pytest.mark.parametrize("kind", list(SEEDS))
def test_a_damaged_file_is_imported_or_refused_whole(demo, tmp_path, kind):
    @settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
    @given(data=damaged(SEEDS[kind]))
    def check(data):
        path = tmp_path / f"{kind}.csv"
        path.write_bytes(data)
        before = fingerprint()
        try:
            result = import_file(kind, path)
        except ImportRejected as refused:
            assert refused.problems
            assert fingerprint() == before
        else:
            assert isinstance(result, ImportResult)

    check()


@pytest.mark.parametrize("kind", list(SEEDS))
def test_the_undamaged_seeds_import(demo, tmp_path, kind):
    """The damage starts from files that import, so both outcomes are exercised."""
    path = tmp_path / f"{kind}.csv"
    path.write_text(SEEDS[kind], encoding="utf-8")
    assert isinstance(import_file(kind, path), ImportResult)


def _workbook(text: str) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row in csv.reader(io.StringIO(text)):
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


WORKBOOK = _workbook(SEEDS["procedures"])


@settings(max_examples=60, deadline=None, derandomize=True)
@given(at=st.integers(0, len(WORKBOOK) - 1), junk=st.binary(min_size=1, max_size=64), cut=st.booleans())
def test_a_damaged_workbook_is_read_or_refused(at, junk, cut):
    from motcua.core.tabular import read_table

    data = WORKBOOK[:at] if cut else WORKBOOK[:at] + junk + WORKBOOK[at + len(junk) :]
    try:
        header, rows = read_table("procedures.xlsx", content=data)
    except ImportRejected as refused:
        assert refused.problems
    else:
        assert isinstance(header, list) and isinstance(rows, list)
