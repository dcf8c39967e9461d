"""An index on (commune, year of birth): the probable-duplicate and exact-name rules look people up
by both, one person at a time in the forms and hundreds of pairs at a time in an import (without it
each pair walks the commune's people)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0008_person_note"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["commune", "birth_year"], name="people_person_comm_birth"),
        ),
    ]
