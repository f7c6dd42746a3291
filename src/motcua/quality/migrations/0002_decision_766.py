"""The indicator set of Decision 766/QĐ-TTg (2022), from the data file that ships with the app
(``motcua import indicators FILE`` loads later sets)."""

import csv
from pathlib import Path

from django.db import migrations

SET_FILE = Path(__file__).resolve().parent.parent / "data" / "indicators-766.csv"


def add_decision_766(apps, schema_editor):
    IndicatorSet = apps.get_model("quality", "IndicatorSet")
    Indicator = apps.get_model("quality", "Indicator")
    with SET_FILE.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            chosen, _ = IndicatorSet.objects.get_or_create(
                year=int(row["year"]), defaults={"name": row["set_name"], "basis": row["basis"]}
            )
            Indicator.objects.get_or_create(
                indicator_set=chosen, code=row["code"],
                defaults={"group": int(row["group"]), "name": row["name"], "measure": row["measure"],
                          "target": row["target"], "max_points": row["max_points"], "assumed": row["assumed"] == "1"},
            )  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [
        ("quality", "0001_index"),
        ("dossiers", "0004_service_index_flags"),
    ]

    operations = [
        migrations.RunPython(add_decision_766, migrations.RunPython.noop),
    ]
