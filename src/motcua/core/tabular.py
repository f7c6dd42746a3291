"""Reading reference-data files (CSV or xlsx) into rows, and reporting problems line by line.

Every importer follows the same contract: read all rows, collect every problem with its line
number, and write nothing unless the whole file is valid (the caller wraps the write in one
transaction and raises ``ImportRejected`` on any problem).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.utils import translation

from motcua.core.messages import Message as _


@dataclass(frozen=True)
class Row:
    line: int  # line number in the file as a person sees it (header is line 1)
    values: dict[str, str]

    def get(self, column: str) -> str:
        return (self.values.get(column) or "").strip()


@dataclass(frozen=True)
class Problem:
    line: int | None
    message: object  # a lazy translation, rendered in the language asked for
    column: str | None = None  # the column at fault, when one is

    def render(self, language: str) -> str:
        with translation.override(language):
            text = str(self.message)
            if self.line is None:
                return text
            if self.column:
                return str(
                    _("Line %(line)s, column “%(column)s”: %(message)s")
                    % {"line": self.line, "column": self.column, "message": text}
                )
            return str(_("Line %(line)s: %(message)s") % {"line": self.line, "message": text})

    def bilingual(self) -> str:
        return f"{self.render('vi')} | {self.render('en')}"


@dataclass
class ImportRejected(Exception):
    problems: list[Problem]

    def __post_init__(self):
        # In file order, whatever check found them; problems of the whole file first.
        self.problems = sorted(self.problems, key=lambda p: p.line or 0)

    def __str__(self) -> str:
        return "\n".join(p.bilingual() for p in self.problems)


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    notes: list[str] = field(default_factory=list)

    def count(self, *, created: bool, changed: bool) -> None:
        """One row written: created, else updated when anything of it changed, else unchanged."""
        if created:
            self.created += 1
        elif changed:
            self.updated += 1
        else:
            self.unchanged += 1

    def summary(self) -> str:
        """The counts as the commands print them."""
        return (
            f"{self.created} tạo mới / created, {self.updated} cập nhật / updated, "
            f"{self.unchanged} không đổi / unchanged"
        )


def read_table(path: Path | str, content: bytes | None = None) -> tuple[list[str], list[Row]]:
    """Read a CSV (UTF-8, with or without BOM) or xlsx (first sheet) file into a header and rows.

    Blank rows are skipped; line numbers stay those of the file.
    """
    path = Path(path)
    data = content if content is not None else path.read_bytes()
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        header, raw_rows = _read_xlsx(data)
    else:
        header, raw_rows = _read_csv(data)
    header = [h.strip().lower() for h in header]
    rows = []
    for line, cells in raw_rows:
        if not any(c.strip() for c in cells):
            continue
        values = {name: (cells[i] if i < len(cells) else "") for i, name in enumerate(header) if name}
        rows.append(Row(line, values))
    return header, rows


def _read_csv(data: bytes) -> tuple[list[str], list[tuple[int, list[str]]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRejected([Problem(None, _("The file is not UTF-8 encoded text."))]) from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, [])
    rows = [(reader.line_num, cells) for cells in reader]
    return header, rows


def _read_xlsx(data: bytes) -> tuple[list[str], list[tuple[int, list[str]]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ImportRejected([Problem(None, _("The file is not a readable xlsx workbook."))]) from exc
    sheet = workbook.worksheets[0]
    lines = sheet.iter_rows(values_only=True)
    header = [_cell(v) for v in next(lines, ())]
    rows = [(number, [_cell(v) for v in cells]) for number, cells in enumerate(lines, start=2)]
    workbook.close()
    return header, rows


def _cell(value: object) -> str:
    if value is None:
        return ""
    if hasattr(value, "date") and callable(value.date):  # datetime from a date-formatted cell
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def missing_columns(header: Iterable[str], required: Iterable[str]) -> list[Problem]:
    present = set(header)
    return [
        Problem(1, _("missing column “%(column)s”") % {"column": column})
        for column in required
        if column not in present
    ]


def parse_date(row: Row, column: str, problems: list[Problem], required: bool) -> date | None:
    text = row.get(column)
    if not text:
        if required:
            problems.append(Problem(row.line, _("column “%(column)s” is empty") % {"column": column}))
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        problems.append(
            Problem(
                row.line,
                _("“%(value)s” in column “%(column)s” is not a date (YYYY-MM-DD)") % {"value": text, "column": column},
            )
        )
        return None


def split_list(text: str, separator: str = ";") -> list[str]:
    return [part.strip() for part in text.split(separator) if part.strip()]


def check_text(row: Row, limits: dict[str, int]) -> list[Problem]:
    """The row's cells longer than their column's limit, and those holding a NUL (which no database
    stores), each named by its column."""
    problems = [
        Problem(row.line, _("longer than %(limit)s characters") % {"limit": limit}, column)
        for column, limit in limits.items()
        if len(row.get(column)) > limit
    ]
    problems += [
        Problem(row.line, _("the cell holds a NUL character"), column)
        for column, value in row.values.items()
        if value and "\x00" in value
    ]
    return problems


def keep_as_text(cell) -> None:
    """A written worksheet cell whose text would read as a formula ("=HYPERLINK(…)", typed by an
    applicant) stays text: the spreadsheet shows it and never evaluates it."""
    if cell.data_type == "f":
        cell.data_type = "s"
