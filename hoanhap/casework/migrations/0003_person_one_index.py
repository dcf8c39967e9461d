"""Helpers, needs, contacts and reviews are looked up by person through their (person, …) indexes,
whose first column it is: their own indexes are dropped, one less to update for every row written.

Dropped by name (the same on both databases), without rebuilding the tables on SQLite.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0002_needs_plans_contacts_reviews"),
        ("people", "0011_first_columns_one_index"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="contact",
                    name="person",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="contacts",
                        to="people.person",
                        verbose_name="person",
                    ),
                ),
                migrations.AlterField(
                    model_name="helperassignment",
                    name="person",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="helper_assignments",
                        to="people.person",
                        verbose_name="person",
                    ),
                ),
                migrations.AlterField(
                    model_name="need",
                    name="person",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="needs",
                        to="people.person",
                        verbose_name="person",
                    ),
                ),
                migrations.AlterField(
                    model_name="review",
                    name="person",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="reviews",
                        to="people.person",
                        verbose_name="person",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    sql=[
                        "DROP INDEX IF EXISTS casework_contact_person_id_dfb65223",
                        "DROP INDEX IF EXISTS casework_helperassignment_person_id_03f5027e",
                        "DROP INDEX IF EXISTS casework_need_person_id_c6843409",
                        "DROP INDEX IF EXISTS casework_review_person_id_ce0b7bc6",
                    ],
                    reverse_sql=[
                        'CREATE INDEX casework_contact_person_id_dfb65223 ON "casework_contact" ("person_id")',
                        'CREATE INDEX casework_helperassignment_person_id_03f5027e ON "casework_helperassignment" ("person_id")',
                        'CREATE INDEX casework_need_person_id_c6843409 ON "casework_need" ("person_id")',
                        'CREATE INDEX casework_review_person_id_ce0b7bc6 ON "casework_review" ("person_id")',
                    ],
                ),
            ],
        ),
    ]
