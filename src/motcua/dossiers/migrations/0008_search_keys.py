"""The officers' search keys: the applicant's name folded without diacritics, the phone's digits and
the number at the end of the code, each a stored column the database generates from the row (see
dossiers/folding.py), with an index each; the name by trigrams on PostgreSQL.

On PostgreSQL the three columns are added in one ALTER TABLE, so that a filled (partitioned) table
is rewritten once, not three times; the rewrite computes every existing row's keys, so nothing is
left to backfill. The trigram index reads words anywhere in the name (``minh`` in ``lo van minh``);
SQLite has no such index and reads the candidates of the user's scope.
"""

from django.db import migrations, models

import motcua.dossiers.folding

FIELDS = [
    migrations.AddField(
        model_name="dossier",
        name="applicant_folded",
        field=models.GeneratedField(
            db_persist=True,
            expression=motcua.dossiers.folding.Fold("applicant_name"),
            output_field=models.CharField(max_length=255),
        ),
    ),
    migrations.AddField(
        model_name="dossier",
        name="code_number",
        field=models.GeneratedField(
            db_persist=True,
            expression=motcua.dossiers.folding.CodeNumber("code"),
            output_field=models.CharField(max_length=60, null=True),
        ),
    ),
    migrations.AddField(
        model_name="dossier",
        name="phone_digits",
        field=models.GeneratedField(
            db_persist=True,
            expression=motcua.dossiers.folding.PhoneDigits("applicant_phone"),
            output_field=models.CharField(max_length=20),
        ),
    ),
]

TRIGRAMS = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX dossier_folded_trgm_idx ON dossiers_dossier USING gin (applicant_folded gin_trgm_ops)",
)


def add_columns(apps, schema_editor):
    model = apps.get_model("dossiers", "Dossier")
    fields = [model._meta.get_field(operation.name) for operation in FIELDS]
    if schema_editor.connection.vendor != "postgresql":
        for field in fields:
            schema_editor.add_field(model, field)
        return
    parts, params = [], []
    for field in fields:
        sql, more = schema_editor.column_sql(model, field)
        parts.append(f"ADD COLUMN {schema_editor.quote_name(field.column)} {sql}")
        params += more or []
    schema_editor.execute(f"ALTER TABLE {model._meta.db_table} " + ", ".join(parts), params or None)


def drop_columns(apps, schema_editor):
    model = apps.get_model("dossiers", "Dossier")
    for operation in FIELDS:
        schema_editor.remove_field(model, model._meta.get_field(operation.name))


def add_trigrams(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in TRIGRAMS:
            schema_editor.execute(sql)


def drop_trigrams(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS dossier_folded_trgm_idx")


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0007_monthly_partitions")]

    operations = [
        # The fields enter the state first, so that the columns are made from the new state's model.
        migrations.SeparateDatabaseAndState(state_operations=FIELDS),
        migrations.RunPython(add_columns, drop_columns, elidable=False),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(fields=["applicant_id"], name="dossier_applicant_id_idx"),
        ),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(fields=["phone_digits"], name="dossier_phone_idx"),
        ),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(fields=["code_number"], name="dossier_code_number_idx"),
        ),
        migrations.RunPython(add_trigrams, drop_trigrams, elidable=False),
    ]
