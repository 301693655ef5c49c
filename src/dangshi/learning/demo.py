"""Demo learning content: the starter columns from data/*.json (each entry with its source),
the catalogues (the four required books of 2021, red films, songs, short videos), a
targeted push to mobile members, and reading records, 五个一 activities and points for a
share of the demo members so that figures are not empty."""

import json
from datetime import datetime, time, timedelta
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from dangshi.core.demo import DemoContext
from dangshi.core.provenance import starter_fields
from dangshi.learning.models import (
    Activity,
    FiveOneKind,
    Item,
    ItemStatus,
    LearningColumn,
    PointEntry,
    PointRule,
    Push,
    PushReceipt,
    ReadRecord,
)
from dangshi.learning.services import content_policy_set
from dangshi.learning.textindex import index_items, plain_text
from dangshi.orgs.scope import scope_for
from dangshi.orgs.selectors import member_subtree

DATA = Path(__file__).resolve().parent / "data"
BOOKS = [
    ("《论中国共产党历史》", "中央文献出版社,2021"),
    ("《毛泽东、邓小平、江泽民、胡锦涛关于中国共产党历史论述摘编》", "中央文献出版社,2021"),
    ("《习近平新时代中国特色社会主义思想学习问答》", "学习出版社、人民出版社,2021"),
    ("《中国共产党简史》", "人民出版社、中共党史出版社,2021"),
]
FILMS = ["《建党伟业》", "《建国大业》", "《1921》", "《革命者》", "《长津湖》", "《悬崖之上》", "《跨过鸭绿江》",
         "《觉醒年代》", "《闪闪的红星》", "《地道战》", "《红色娘子军》", "《开国大典》"]
SONGS = ["《没有共产党就没有新中国》", "《唱支山歌给党听》", "《我和我的祖国》", "《歌唱祖国》", "《东方红》",
         "《团结就是力量》", "《映山红》", "《在希望的田野上》", "《春天的故事》", "《走进新时代》"]


def _html(text: str) -> str:
    return "".join(f"<p>{p}</p>" for p in text.split("\n") if p.strip())


def _items(ctx: DemoContext, columns: dict, at: datetime) -> list[Item]:
    def item(code, **fields):
        body = fields.pop("body", "")
        return Item(column=columns[code], org=ctx.root, body=body, plain=plain_text(body),
                    status=ItemStatus.PUBLISHED, publish_at=at, **fields)

    def shipped(name: str, key: str) -> list[dict]:
        # Withheld entries (a source no reader could find) stay in the file, out of the demo.
        return [e for e in json.loads((DATA / name).read_text("utf-8"))[key] if not e.get("withheld")]

    out = []
    for e in shipped("today_in_history.json", "entries"):
        out.append(item("today", title=e["title"], body=_html(e["body"]), month=e["month"], day=e["day"],
                        event_year=e["year"], **starter_fields(e)))
    for q in shipped("hundred_questions.json", "items"):
        out.append(item("questions", title=q["question"], answer=_html(q["answer"]), **starter_fields(q)))
    for s in shipped("stories.json", "items"):
        out.append(item("stories", title=s["title"], body=_html(s["body"]), **starter_fields(s)))
    for r in shipped("daily_reading.json", "items"):
        out.append(item("daily", title=r["title"], body=_html(r["body"]), number=r["number"], **starter_fields(r)))
    for title, source in BOOKS:
        out.append(item("books", title=title, body=_html(f"党史学习教育指定学习材料{title}。"), source=source,
                        for_all=True))
    for n, title in enumerate(FILMS):
        out.append(item("films", title=title, body=_html(f"红色影片{title},组织党员集中观看或线上观看。"),
                        duration_seconds=7200, media_url=f"https://example.org/films/{n + 1}"))
    for n, title in enumerate(SONGS):
        out.append(item("songs", title=title, body=_html(f"红色歌曲{title},每周听唱一首。"), duration_seconds=240,
                        media_url=f"https://example.org/songs/{n + 1}"))
    for n in range(1, 101):  # the series has 100 episodes: one a day, none repeated
        out.append(item("videos", title=f"《百炼成钢:中国共产党的100年》第{n}集", duration_seconds=300,
                        body=_html("中央宣传部等联合摄制的百集微纪录片。"), source="央视网,2021",
                        media_url=f"https://example.org/videos/{n}"))
    out.append(item("stories", title="千里送学:写给在外务工的流动党员", for_all=False, for_mobile=True, public=False,
                    body=_html("身在外地,学习不断线。请通过“每日学习”完成本周的党史学习和答题。"),
                    source="红星区学习教育办公室"))
    return out


def build(ctx: DemoContext) -> None:
    rng = ctx.rng_for("learning")
    columns = {c.code: c for c in LearningColumn.objects.all()}
    tz = timezone.get_current_timezone()
    start = datetime.combine(ctx.campaign.starts_on if ctx.campaign else ctx.today, time(8), tz)
    with transaction.atomic():
        items = Item.objects.bulk_create(_items(ctx, columns, start), batch_size=500)
        index_items(items)
        ctx.log(f"  learning: {len(items)} items")
        # The demo district shows the starter content while nobody has reviewed it: the office
        # opts in to publishing 未核 items (marked 来源待核 in the console), as a district may.
        if ctx.users.get("office") is not None:
            content_policy_set(scope=scope_for(ctx.users["office"]), actor=ctx.users["office"],
                               publish_unverified=True)
        mobile_item = items[-1]
        push = Push.objects.create(item=mobile_item, org=ctx.root, sent_at=start + timedelta(days=1),
                                   sent_by=ctx.users.get("office"))
        mobile = list(member_subtree(root="").filter(mobile=True).values_list("pk", "user_id"))
        PushReceipt.objects.bulk_create(
            PushReceipt(push=push, member_id=pk, delivered_at=push.sent_at if user_id or rng.random() < 0.9 else None,
                        opened_at=push.sent_at + timedelta(hours=rng.randint(1, 48)) if rng.random() < 0.6 else None)
            for pk, user_id in mobile)
        _reading(ctx, rng, items, tz)


def _reading(ctx: DemoContext, rng, items: list[Item], tz) -> None:
    """Reads over the last 40 days for a fifth of the members (every demo user among them)."""
    by_kind: dict[str, list[Item]] = {}
    for i in items:
        by_kind.setdefault(i.column.kind, []).append(i)
    rule = PointRule.objects.filter(code="read").first()
    members = list(member_subtree(root="").values_list("pk", flat=True))
    chosen = [m for m in members if rng.random() < 0.2]
    m1 = ctx.users.get("member1")
    if m1 is not None and m1.member.pk not in chosen:
        chosen.append(m1.member.pk)
    reads, activities, points = [], [], []
    kind_of = {"book": FiveOneKind.BOOK, "film": FiveOneKind.FILM, "song": FiveOneKind.SONG, "video": FiveOneKind.VIDEO}
    for member_id in chosen:
        keen = rng.random()  # some members keep up with 五个一, most do not
        episode = rng.randrange(len(by_kind["video"]))
        picked: set[int] = set()
        for back in range(40):
            day = ctx.today - timedelta(days=back)
            todo = []
            if keen > 0.75 or rng.random() < 0.1:
                todo.append(by_kind["video"][(episode + back) % len(by_kind["video"])])
            if day.weekday() == 2 and (keen > 0.5 or rng.random() < 0.3):
                todo.append(rng.choice(by_kind["song"]))
            if day.day in (5, 15, 25) and (keen > 0.5 or rng.random() < 0.3):
                todo.append(rng.choice(by_kind["film"]))
            if day.day == 10 and keen > 0.4:
                todo.append(rng.choice(by_kind["book"]))
            if rng.random() < 0.15:
                todo.append(rng.choice(by_kind["today"] + by_kind["qa"] + by_kind["story"]))
            for n, item in enumerate(todo):
                if item.pk in picked:
                    continue
                picked.add(item.pk)
                opened = datetime.combine(day, time(7 + rng.randint(0, 13), rng.randint(0, 59)), tz)
                seconds = item.duration_seconds or rng.randint(60, 300)
                record = ReadRecord(member_id=member_id, item=item, opened_at=opened, counted=True, seconds=seconds,
                                    finished_at=opened + timedelta(seconds=seconds))
                reads.append(record)
                if item.column.kind in kind_of:
                    activities.append((record, Activity(member_id=member_id, kind=kind_of[item.column.kind], day=day)))
                if rule is not None and n < (rule.daily_cap or 99):
                    points.append((record, PointEntry(member_id=member_id, rule=rule, points=rule.points, day=day,
                                                      created_at=record.finished_at, cause_type="learning.readrecord",
                                                      cause_id="")))
    ReadRecord.objects.bulk_create(reads, batch_size=5000)
    for record, activity in activities:
        activity.read_id = record.pk
    Activity.objects.bulk_create([a for _r, a in activities], batch_size=5000)
    for record, entry in points:
        entry.cause_id = str(record.pk)
    PointEntry.objects.bulk_create([e for _r, e in points], batch_size=5000)
    ctx.log(f"  learning: {len(reads)} reads by {len(chosen)} members, {len(points)} point entries")
