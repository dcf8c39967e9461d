"""A judgment's and a release's person are looked up through the (person, date) indexes, whose first
column they are: their own indexes are dropped, one less to update for every judgment and release
recorded (an import records 100,000s).

Dropped by name (the same on both databases), without rebuilding the tables on SQLite.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("justice", "0002_offence_catalogue"),
        ("people", "0010_person_commune_birth_names_index"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="judgment",
                    name="person",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="judgments",
                        to="people.person",
                        verbose_name="person",
                    ),
                ),
                migrations.AlterField(
                    model_name="release",
                    name="person",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="releases",
                        to="people.person",
                        verbose_name="person",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    sql=[
                        "DROP INDEX IF EXISTS justice_judgment_person_id_a03b0279",
                        "DROP INDEX IF EXISTS justice_release_person_id_4cecbdc4",
                    ],
                    reverse_sql=[
                        'CREATE INDEX justice_judgment_person_id_a03b0279 ON "justice_judgment" ("person_id")',
                        'CREATE INDEX justice_release_person_id_4cecbdc4 ON "justice_release" ("person_id")',
                    ],
                ),
            ],
        ),
    ]
