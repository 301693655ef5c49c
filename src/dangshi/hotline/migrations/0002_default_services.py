"""The default services and time limits (configurable afterwards in the admin)."""

from django.db import migrations

DEFAULTS = [
    # code, name, group, limit hours, sign hours, keywords
    ("emergency", "紧急诉求", "紧急", 2, 1, "紧急 突发 险情 安全隐患"),
    ("water", "供水", "水电气暖", 24, 4, "供水 停水 水压 自来水"),
    ("power", "供电", "水电气暖", 24, 4, "供电 停电 电力"),
    ("gas", "燃气", "水电气暖", 24, 4, "燃气 天然气 煤气"),
    ("heat", "供暖", "水电气暖", 24, 4, "供暖 供热 暖气"),
    ("general", "一般诉求", "一般", 7 * 24, 24, ""),
    ("complex", "复杂诉求", "复杂", 15 * 24, 24, "拆迁 征收 土地 历史遗留 劳资纠纷"),
]


def seed(apps, schema_editor):
    ServiceType = apps.get_model("hotline", "ServiceType")
    for position, (code, name, group, limit, sign, words) in enumerate(DEFAULTS):
        ServiceType.objects.get_or_create(code=code, defaults={
            "name": name, "group": group, "limit_hours": limit, "sign_hours": sign, "keywords": words,
            "position": position, "description": f"{name},办理时限 {limit} 小时",
        })


class Migration(migrations.Migration):
    dependencies = [("hotline", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
