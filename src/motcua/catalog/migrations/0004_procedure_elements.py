"""The published elements of a procedure a citizen acts on — the steps to follow, who may apply,
the result, the ways of doing it (each with its time and fees) and the number of originals and
copies of each document — and the search keys as words between spaces (catalog/search.py), written
again for every procedure; on PostgreSQL the keys get a trigram index, as the dossiers' names have.
"""

import re
import unicodedata

import django.db.models.deletion
from django.db import migrations, models


def _words(text):
    text = text.replace("đ", "d").replace("Đ", "D")
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)).lower()
    return [w.strip(".") for w in re.sub(r"[^\w.]+", " ", text).split() if w.strip(".")]


def rewrite_keys(apps, schema_editor):
    """The keys as catalog.search.search_text writes them (copied here: a migration keeps its code)."""
    procedure = apps.get_model("catalog", "Procedure")
    for row in procedure.objects.select_related("field"):
        row.search_text = " " + " ".join(_words(f"{row.code} {row.name} {row.field.name}")) + " "
        row.save(update_fields=["search_text"])


def trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            "CREATE INDEX procedure_search_trgm_idx ON catalog_procedure USING gin (search_text gin_trgm_ops)"
        )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS procedure_search_trgm_idx")


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0003_procedure_deciders"),
    ]

    operations = [
        migrations.AddField(
            model_name="component",
            name="copies",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="copies"),
        ),
        migrations.AddField(
            model_name="component",
            name="originals",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="originals"),
        ),
        migrations.AddField(
            model_name="procedure",
            name="applicants",
            field=models.CharField(blank=True, max_length=500, verbose_name="who may apply"),
        ),
        migrations.AddField(
            model_name="procedure",
            name="result",
            field=models.CharField(blank=True, max_length=500, verbose_name="result of the procedure"),
        ),
        migrations.AddField(
            model_name="procedure",
            name="sequence",
            field=models.TextField(blank=True, help_text="One step a line.", verbose_name="steps to follow"),
        ),
        migrations.CreateModel(
            name="Way",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "channel",
                    models.CharField(
                        choices=[("in_person", "In person"), ("postal", "Public postal service"), ("online", "Online")],
                        max_length=10,
                        verbose_name="way",
                    ),
                ),
                (
                    "duration_value",
                    models.DecimalField(
                        blank=True, decimal_places=2, max_digits=6, null=True, verbose_name="processing time"
                    ),
                ),
                (
                    "duration_unit",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("working_days", "working days"),
                            ("calendar_days", "calendar days"),
                            ("working_hours", "working hours"),
                            ("in_day", "in the day"),
                        ],
                        max_length=16,
                        verbose_name="time unit",
                    ),
                ),
                ("fees", models.CharField(blank=True, max_length=500, verbose_name="fees and charges")),
                ("note", models.CharField(blank=True, max_length=500, verbose_name="note")),
                (
                    "procedure",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="ways", to="catalog.procedure"
                    ),
                ),
            ],
            options={
                "verbose_name": "way of doing the procedure",
                "verbose_name_plural": "ways of doing the procedure",
                "ordering": ["procedure", "id"],
                "constraints": [models.UniqueConstraint(fields=("procedure", "channel"), name="way_channel_unique")],
            },
        ),
        migrations.RunPython(rewrite_keys, migrations.RunPython.noop),
        migrations.RunPython(trigram_index, drop_trigram_index),
    ]
