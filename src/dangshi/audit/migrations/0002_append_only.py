from django.db import migrations

SQLITE = """
CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
"""
POSTGRES = """
CREATE OR REPLACE FUNCTION audit_event_no_update() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'audit events are append-only'; END; $$ LANGUAGE plpgsql;
CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
FOR EACH ROW EXECUTE FUNCTION audit_event_no_update();
"""


def forwards(apps, schema_editor):
    # UPDATE only: DELETE stays possible for the test runner's flush and a
    # retention job run by the database owner, never through the app.
    sql = POSTGRES if schema_editor.connection.vendor == "postgresql" else SQLITE
    schema_editor.execute(sql)


def backwards(apps, schema_editor):
    schema_editor.execute("DROP TRIGGER IF EXISTS audit_event_no_update ON audit_auditevent"
                          if schema_editor.connection.vendor == "postgresql"
                          else "DROP TRIGGER IF EXISTS audit_event_no_update")


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
