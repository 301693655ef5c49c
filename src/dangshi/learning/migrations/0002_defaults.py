"""The standard columns and the default point rules (the office may change them)."""

from django.db import migrations

COLUMNS = [
    ("today", "党史上的今天", "today"),
    ("questions", "党史百问", "qa"),
    ("stories", "党史小故事", "story"),
    ("daily", "党史百年天天读", "daily"),
    ("books", "必读书目", "book"),
    ("films", "红色影片", "film"),
    ("songs", "红色歌曲", "song"),
    ("lessons", "微党课", "lesson"),
    ("videos", "短视频", "video"),
]
RULES = [
    # code, name, points, daily cap, total cap
    ("read", "阅读学习内容", 1, 5, None),
    ("quiz", "完成每日答题", 2, 2, None),
    ("checkin", "红色阵地打卡", 3, 6, None),
    ("attend", "参加宣讲活动", 5, 10, None),
]


def forwards(apps, schema_editor):
    LearningColumn = apps.get_model("learning", "LearningColumn")
    PointRule = apps.get_model("learning", "PointRule")
    for position, (code, name, kind) in enumerate(COLUMNS):
        LearningColumn.objects.get_or_create(code=code, defaults={"name": name, "kind": kind, "position": position})
    for code, name, points, daily, total in RULES:
        PointRule.objects.get_or_create(code=code, defaults={"name": name, "points": points, "daily_cap": daily,
                                                             "total_cap": total})


class Migration(migrations.Migration):
    dependencies = [("learning", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
