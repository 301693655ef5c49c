"""BriefingSeries: the row a briefing generation locks to number a new issue (issue 13: the
org row belongs to `orgs`, so reports no longer locks it)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0001_initial"),
        ("reports", "0002_highlights_picked_from_reports"),
    ]

    operations = [
        migrations.CreateModel(
            name="BriefingSeries",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("org", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="orgs.org")),
            ],
        ),
    ]
