"""The record type is searched through ``audit_target_idx`` (record type, record id), whose first
column it is: its own index is dropped, one less to update on every audit entry.

On SQLite, altering the field would rebuild the table and lose the append-only triggers
(``0002``): the indexes are dropped by name instead (PostgreSQL also has a ``_like`` one).
"""

from django.db import migrations, models

INDEX = "audit_auditevent_target_type_e9fbc076"


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_append_only_trigger"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="auditevent",
                    name="target_type",
                    field=models.CharField(blank=True, max_length=80, verbose_name="record type"),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    sql=[f"DROP INDEX IF EXISTS {INDEX}", f"DROP INDEX IF EXISTS {INDEX}_like"],
                    reverse_sql=[f'CREATE INDEX {INDEX} ON "audit_auditevent" ("target_type")'],
                ),
            ],
        ),
    ]
