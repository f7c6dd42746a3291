"""A made-up province of any size, for measuring at scale: a province with its departments and
public service centre, and communes each with a centre and three divisions, in force since 2008.
Written through the units import, like any real map."""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path

from motcua.core.imports import import_file
from motcua.core.tabular import ImportResult

# The departments of the province and the divisions of each commune: those the demo catalog's
# procedures name as deciding them (``deciders``), and the offices of the people's committees.
PROVINCE_AGENCIES = ("SCT", "SDTTG", "SGDDT", "SNNMT", "SNV", "STC", "STP", "SVHTTDL", "SXD", "SYT", "VPUBND")
COMMUNE_DIVISIONS = ("PKT", "PVHXH", "VP")
DIVISION_NAMES = {"VP": "Văn phòng HĐND và UBND", "PKT": "Phòng Kinh tế", "PVHXH": "Phòng Văn hóa - Xã hội"}
START = "2008-01-01"


def province_rows(code: str, name: str, communes: int) -> list[list[str]]:
    rows = [
        [code, name, "province", "", START, "", ""],
        [f"{code}.TTPVHCC", f"Trung tâm Phục vụ hành chính công {name}", "service_center", code, START, "", ""],
    ]
    for agency in PROVINCE_AGENCIES:
        rows.append([f"{code}.{agency}", f"Sở {agency} ({name})", "agency", code, START, "", ""])
    for number in range(1, communes + 1):
        commune = f"{code}{number:03d}"
        label = f"Xã Mẫu {number:03d}"
        rows.append([commune, label, "commune", code, START, "", ""])
        rows.append(
            [
                f"{commune}.TTPVHCC",
                f"Trung tâm Phục vụ hành chính công {label}",
                "service_center",
                commune,
                START,
                "",
                "",
            ]
        )
        for division in COMMUNE_DIVISIONS:
            rows.append(
                [f"{commune}.{division}", f"{DIVISION_NAMES[division]} {label}", "agency", commune, START, "", ""]
            )
    return rows  # fmt: skip


def make_province(code: str = "99", name: str = "Tỉnh Mẫu", communes: int = 395) -> ImportResult:
    """The province and its units (about five per commune), imported as one file."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "units.csv"
        with open(path, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["code", "name", "kind", "parent_code", "valid_from", "valid_to", "successor_codes"])
            writer.writerows(province_rows(code, name, communes))
        return import_file("units", path)
