"""A free-text note on a person's record (an import's "Ghi chú" of a persons row lands here)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0007_postgres_covering_name_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="note",
            field=models.TextField(blank=True, verbose_name="note"),
        ),
    ]
