"""Support actions are looked up by person and by child through their (…, date) indexes, and a
form 01 list's entries through the unique (list, person) index, whose first columns they are: their own indexes are dropped, one less to update for every row written.

Dropped by name (the same on both databases), without rebuilding the tables on SQLite.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0011_first_columns_one_index"),
        ("support", "0002_seed_catalogues"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="form01entry",
                    name="list",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="entries",
                        to="support.form01list",
                        verbose_name="list",
                    ),
                ),
                migrations.AlterField(
                    model_name="supportaction",
                    name="child",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="support_actions",
                        to="support.child",
                        verbose_name="child",
                    ),
                ),
                migrations.AlterField(
                    model_name="supportaction",
                    name="person",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="support_actions",
                        to="people.person",
                        verbose_name="person",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    sql=[
                        "DROP INDEX IF EXISTS support_form01entry_list_id_d992ba34",
                        "DROP INDEX IF EXISTS support_supportaction_child_id_c0f08b60",
                        "DROP INDEX IF EXISTS support_supportaction_person_id_aca701a0",
                    ],
                    reverse_sql=[
                        'CREATE INDEX support_form01entry_list_id_d992ba34 ON "support_form01entry" ("list_id")',
                        'CREATE INDEX support_supportaction_child_id_c0f08b60 ON "support_supportaction" ("child_id")',
                        'CREATE INDEX support_supportaction_person_id_aca701a0 ON "support_supportaction" ("person_id")',
                    ],
                ),
            ],
        ),
    ]
