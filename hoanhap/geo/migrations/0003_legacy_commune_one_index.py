"""A succession's legacy commune is looked up through the unique (legacy commune, commune) index,
whose first column it is: their own indexes are dropped, one less to update for every row written.

Dropped by name (the same on both databases), without rebuilding the tables on SQLite.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("geo", "0002_dataset"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="communesuccession",
                    name="legacy_commune",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="successions",
                        to="geo.legacycommune",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    sql=["DROP INDEX IF EXISTS geo_communesuccession_legacy_commune_id_1f24a7bf"],
                    reverse_sql=[
                        'CREATE INDEX geo_communesuccession_legacy_commune_id_1f24a7bf ON "geo_communesuccession" ("legacy_commune_id")'
                    ],
                ),
            ],
        ),
    ]
