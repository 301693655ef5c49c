from django.db import migrations

# The "七进" list the districts reported; more kinds can be added in the admin.
VENUES = [
    ("office", "进机关"), ("village", "进农村"), ("community", "进社区"), ("enterprise", "进企业"),
    ("school", "进学校"), ("barracks", "进军营"), ("internet", "进网络"),
]


def seed(apps, schema_editor):
    VenueKind = apps.get_model("outreach", "VenueKind")
    for i, (code, name) in enumerate(VENUES):
        VenueKind.objects.get_or_create(code=code, defaults={"name": name, "position": i})


class Migration(migrations.Migration):
    dependencies = [("outreach", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
