"""A person's province and commune are looked up through the (province | commune, sort key) indexes,
and a timeline entry's person through (person, date), whose first columns they are: their own
indexes are dropped, one less each to update for every person and timeline entry written (an
import writes 100,000s).

Dropped by name (the same on both databases). On SQLite, altering the fields would rebuild
``people_person`` and drop the triggers of its search tables.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("geo", "0002_dataset"),
        ("people", "0010_person_commune_birth_names_index"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="person",
                    name="commune",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        help_text="Empty while the person is in prison or the place of residence is unknown.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="geo.commune",
                        verbose_name="commune of residence",
                    ),
                ),
                migrations.AlterField(
                    model_name="person",
                    name="province",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="geo.province",
                        verbose_name="province of residence",
                    ),
                ),
                migrations.AlterField(
                    model_name="timelineentry",
                    name="person",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="timeline",
                        to="people.person",
                        verbose_name="person",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    sql=[
                        "DROP INDEX IF EXISTS people_person_commune_id_13ee0d19",
                        "DROP INDEX IF EXISTS people_person_province_id_f7634302",
                        "DROP INDEX IF EXISTS people_timelineentry_person_id_04aef10c",
                    ],
                    reverse_sql=[
                        'CREATE INDEX people_person_commune_id_13ee0d19 ON "people_person" ("commune_id")',
                        'CREATE INDEX people_person_province_id_f7634302 ON "people_person" ("province_id")',
                        'CREATE INDEX people_timelineentry_person_id_04aef10c ON "people_timelineentry" ("person_id")',
                    ],
                ),
            ],
        ),
    ]
