"""Request.matter_ref (free text) becomes Request.matter, a foreign key to practical.Matter.

A reference that names a matter's id ("12", "#12", "实事12") is carried over as the link.
Any other reference is not lost: it is written into the request's own history (an update
row, as every change of a request is) before the text column is dropped.
"""

import re

import django.db.models.deletion
from django.db import migrations, models
from django.utils import timezone

_ID = re.compile(r"^\s*(?:#|实事|实事编号)?\s*(\d{1,18})\s*$")


def carry_over(apps, schema_editor):
    Request = apps.get_model("hotline", "Request")
    Update = apps.get_model("hotline", "Update")
    Matter = apps.get_model("practical", "Matter")
    now = timezone.now()
    for req in Request.objects.exclude(matter_ref="").only("pk", "matter_ref", "state", "org_id").iterator():
        m = _ID.match(req.matter_ref)
        if m and Matter.objects.filter(pk=int(m[1])).exists():
            Request.objects.filter(pk=req.pk).update(matter_id=int(m[1]))
            continue
        Update.objects.create(request_id=req.pk, action="link", state=req.state, org_id=req.org_id, at=now,
                              actor_label="migration",
                              note=f"原关联实事编号“{req.matter_ref}”未匹配到实事,已取消关联")


def carry_back(apps, schema_editor):
    Request = apps.get_model("hotline", "Request")
    for pk, matter_id in Request.objects.filter(matter__isnull=False).values_list("pk", "matter_id"):
        Request.objects.filter(pk=pk).update(matter_ref=str(matter_id))


class Migration(migrations.Migration):

    dependencies = [
        ("hotline", "0002_default_services"),
        ("practical", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="request",
            name="matter",
            field=models.ForeignKey(blank=True, db_index=False, null=True,
                                    on_delete=django.db.models.deletion.SET_NULL, related_name="+",
                                    to="practical.matter", verbose_name="关联实事"),
        ),
        migrations.RunPython(carry_over, carry_back),
        migrations.RemoveField(model_name="request", name="matter_ref"),
        migrations.AddIndex(
            model_name="request",
            index=models.Index(condition=models.Q(("matter__isnull", False)), fields=["matter"],
                               name="hotline_req_matter"),
        ),
    ]
