"""Notices, management events and transfers are looked up through indexes whose first columns are
the facility, the commune, the province, the person and the receiving commune: their own indexes are dropped, one less to update for every row written.

Dropped by name (the same on both databases), without rebuilding the tables on SQLite.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("access", "0002_search_keys"),
        ("geo", "0003_legacy_commune_one_index"),
        ("intake", "0001_lifecycle"),
        ("people", "0011_first_columns_one_index"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="managementevent",
                    name="person",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="management_events",
                        to="people.person",
                        verbose_name="person",
                    ),
                ),
                migrations.AlterField(
                    model_name="managementevent",
                    name="province",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="geo.province",
                        verbose_name="province",
                    ),
                ),
                migrations.AlterField(
                    model_name="releasenotice",
                    name="commune",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="geo.commune",
                        verbose_name="expected commune",
                    ),
                ),
                migrations.AlterField(
                    model_name="releasenotice",
                    name="facility",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        limit_choices_to={"kind": "detention_facility"},
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="release_notices",
                        to="access.organisation",
                        verbose_name="detention facility",
                    ),
                ),
                migrations.AlterField(
                    model_name="transfer",
                    name="to_commune",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="geo.commune",
                        verbose_name="to commune",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    sql=[
                        "DROP INDEX IF EXISTS intake_managementevent_person_id_06d9e17e",
                        "DROP INDEX IF EXISTS intake_managementevent_province_id_127d65be",
                        "DROP INDEX IF EXISTS intake_releasenotice_commune_id_bd157c59",
                        "DROP INDEX IF EXISTS intake_releasenotice_facility_id_0a5d98de",
                        "DROP INDEX IF EXISTS intake_transfer_to_commune_id_bee27810",
                    ],
                    reverse_sql=[
                        'CREATE INDEX intake_managementevent_person_id_06d9e17e ON "intake_managementevent" ("person_id")',
                        'CREATE INDEX intake_managementevent_province_id_127d65be ON "intake_managementevent" ("province_id")',
                        'CREATE INDEX intake_releasenotice_commune_id_bd157c59 ON "intake_releasenotice" ("commune_id")',
                        'CREATE INDEX intake_releasenotice_facility_id_0a5d98de ON "intake_releasenotice" ("facility_id")',
                        'CREATE INDEX intake_transfer_to_commune_id_bee27810 ON "intake_transfer" ("to_commune_id")',
                    ],
                ),
            ],
        ),
    ]
