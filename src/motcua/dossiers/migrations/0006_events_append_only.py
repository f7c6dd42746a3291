"""On PostgreSQL the database itself refuses to change or delete a dossier event, whatever the
application does (emptying the table whole, as a test database's flush does, stays possible)."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION dossiers_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING MESSAGE = 'dossier events are append-only (' || TG_OP || ' refused)',
        ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER dossiers_event_append_only BEFORE UPDATE OR DELETE ON dossiers_dossierevent
    FOR EACH ROW EXECUTE FUNCTION dossiers_event_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS dossiers_event_append_only ON dossiers_dossierevent;
DROP FUNCTION IF EXISTS dossiers_event_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0005_open_step_index")]
    operations = [migrations.RunPython(forwards, backwards)]
