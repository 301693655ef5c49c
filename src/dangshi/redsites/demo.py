"""Demo red sites for the invented 红星区: 32 sites (every name invented and marked as
demo), heroes, two teaching routes (one 红色巴士 line), check-ins, visitors, group visits."""

import math
from datetime import date, timedelta

from django.db import transaction

from dangshi.core.demo import DemoContext
from dangshi.orgs.selectors import member_subtree
from dangshi.redsites import geo, services
from dangshi.redsites.models import (
    Achievement,
    CheckIn,
    Hero,
    Period,
    Route,
    RouteStop,
    Site,
    SiteEvent,
    SiteKind,
    SiteLevel,
    VisitorCount,
)

DEMO_NOTE = "(演示数据:名称与内容均为虚构)"
CENTRE = (30.59, 114.035)  # the middle of the bundled outline (static/redsites/district.geojson)

K, L = SiteKind, SiteLevel
SITES = [
    ("红星区革命历史纪念馆", K.MEMORIAL, L.PROVINCIAL, "陈列 1921—1949 年红星地区党组织的创建与斗争历程。"),
    ("红星区革命烈士陵园", K.MARTYRS, L.NATIONAL, "安葬革命烈士 312 位,建有烈士纪念碑和英名墙。"),
    ("中共红星特别支部旧址", K.FORMER_SITE, L.PROVINCIAL, "1927 年红星地区第一个党支部在此秘密成立。"),
    ("东湖农民协会旧址", K.FORMER_SITE, L.CITY, "大革命时期农民运动的指挥所。"),
    ("新四军红星办事处旧址", K.FORMER_SITE, L.PROVINCIAL, "抗战时期联络敌后抗日力量的秘密交通站。"),
    ("长江渡口战斗遗址", K.FORMER_SITE, L.CITY, "1949 年解放军渡江作战的前沿阵地。"),
    ("青山抗日烈士纪念碑", K.MARTYRS, L.CITY, "纪念 1938 年青山阻击战中牺牲的 46 位抗日将士。"),
    ("红星区爱国主义教育基地(工业馆)", K.PATRIOTIC_BASE, L.CITY, "展示新中国成立后红星老工业基地的建设成就。"),
    ("滨江抗洪纪念广场", K.PATRIOTIC_BASE, L.DISTRICT, "纪念 1998 年抗洪抢险中的党员突击队。"),
    ("红旗街道党史学习驿站", K.STATION, L.DISTRICT, "社区党群服务中心内的党史读书角与微课堂。"),
    ("东湖街道党史学习驿站", K.STATION, L.DISTRICT, "“家门口”的党史学习点,每周开设党史微课。"),
    ("新华街道党史学习驿站", K.STATION, L.DISTRICT, "以老党员口述史为特色的学习驿站。"),
    ("长江街道党史学习驿站", K.STATION, L.DISTRICT, "设于江滩公园,配备智能讲解屏。"),
    ("青山街道党史学习驿站", K.STATION, L.DISTRICT, "与辖区中小学共建的少先队党史教育点。"),
    ("滨江街道党史学习驿站", K.STATION, L.DISTRICT, "面向快递小哥、网约车司机等新就业群体开放。"),
    ("红星特支旧址实境课堂", K.CLASSROOM, L.DISTRICT, "情景党课《黎明前的誓言》,时长 90 分钟。"),
    ("渡江战役实境课堂", K.CLASSROOM, L.DISTRICT, "现场教学“渡江精神”,配套情景剧。"),
    ("老工业基地实境课堂", K.CLASSROOM, L.DISTRICT, "走进车间,讲述劳模故事。"),
    ("幸福村农家书屋", K.LIBRARY, L.DISTRICT, "藏书 4000 余册,设党史专架。"),
    ("光明村农家书屋", K.LIBRARY, L.DISTRICT, "配备电子阅读设备的“红色书屋”。"),
    ("丰收村农家书屋", K.LIBRARY, L.DISTRICT, "每月举办一次党史故事会。"),
    ("红星区档案馆红色档案展厅", K.PATRIOTIC_BASE, L.DISTRICT, "展出馆藏革命历史档案 200 余件。"),
    ("王家湾战斗纪念亭", K.MARTYRS, L.DISTRICT, "1947 年王家湾突围战纪念亭。"),
    ("李家大屋地下党联络站旧址", K.FORMER_SITE, L.DISTRICT, "解放战争时期地下党联络站。"),
    ("红星区名人故居(周怀民故居)", K.MEMORIAL, L.CITY, "革命先驱周怀民(虚构人物)青少年时期居所。"),
    ("英雄母亲纪念馆", K.MEMORIAL, L.DISTRICT, "讲述送三子参军的“英雄母亲”的故事。"),
    ("红星兵工厂旧址", K.FORMER_SITE, L.CITY, "抗战时期为前线修造枪械的秘密工厂。"),
    ("长江大堤党员示范岗", K.PATRIOTIC_BASE, L.DISTRICT, "防汛抗旱党员先锋岗教育点。"),
    ("东湖红色文化公园", K.PATRIOTIC_BASE, L.DISTRICT, "以党史时间轴为主线的主题公园。"),
    ("新华路红色街区", K.PATRIOTIC_BASE, L.DISTRICT, "保存完好的民国街区与革命标语墙。"),
    ("青年志愿者纪念林", K.PATRIOTIC_BASE, L.DISTRICT, "青年党员、团员义务植树纪念林。"),
    ("红星区退役军人事迹陈列室", K.MEMORIAL, L.DISTRICT, "陈列辖区退役军人的立功证书与实物。"),
]
HEROES = [
    ("周怀民", 1901, 1931, "红星特别支部创始人之一,领导东湖农民运动,1931 年英勇就义。", [0, 2, 3, 24]),
    ("陈秀英", 1915, 1990, "“英雄母亲”,抗战时期先后送三个儿子参加新四军。", [25, 4]),
    ("刘长江", 1922, 1949, "渡江战役突击队队长,牺牲于长江渡口。", [5, 16]),
    ("赵铁生", 1930, 2012, "全国劳动模范,红星老工业基地技术革新能手。", [7, 17]),
    ("孙建国", 1968, 1998, "抗洪抢险党员突击队员,1998 年牺牲于长江大堤。", [8, 27]),
]


def _point(rng) -> tuple[float, float]:
    """A point well inside the bundled outline (its smallest radius is 0.07°)."""
    r, a = 0.06 * math.sqrt(rng.random()), rng.uniform(0, 2 * math.pi)
    return round(CENTRE[0] + r * math.sin(a), 6), round(CENTRE[1] + r * 1.25 * math.cos(a), 6)


def _route(route: Route, sites: list[Site], stay: int = 40) -> None:
    stops, prev = [], None
    for i, site in enumerate(sites, 1):
        road = geo.distance_m(prev.lat, prev.lng, site.lat, site.lng) * 1.3 if prev else 0  # roads wind
        stops.append(RouteStop(route=route, site=site, position=i, distance_m=round(road),
                               travel_minutes=math.ceil(road / 500) if prev else 0, stay_minutes=stay))
        prev = site
    RouteStop.objects.bulk_create(stops)


def build(ctx: DemoContext) -> None:
    rng = ctx.rng_for("redsites")
    streets = [ctx.orgs[f"street{i}"] for i in range(1, 7)]
    with transaction.atomic():
        sites = []
        for n, (name, kind, level, text) in enumerate(SITES, 1):
            lat, lng = _point(rng)
            street = streets[n % len(streets)]
            local = kind in {K.STATION, K.LIBRARY}
            sites.append(Site(
                code=f"HX-RS-{n:03d}", name=name, kind=kind, level=level, lat=lat, lng=lng,
                address=f"红星区{street.name.removeprefix('中共').removesuffix('工作委员会')}{rng.choice('东西南北中')}路{rng.randint(1, 300)}号",
                opening_hours="周二至周日 9:00—17:00(周一闭馆)" if not local else "每日 8:30—20:00",
                capacity=rng.choice([40, 60, 80, 100, 150]) if not local else 30,
                contact=f"027-8{rng.randint(1000000, 9999999)}",
                description=f"{text}{DEMO_NOTE}",
                geofence_m=rng.choice([None, 300, 500]) if not local else 200,
                org=street if local else ctx.root, is_demo=True,
            ))
        Site.objects.bulk_create(sites)
        SiteEvent.objects.bulk_create(
            SiteEvent(site=sites[i], year=y, title=t + DEMO_NOTE) for i, y, t in [
                (2, 1927, "中共红星特别支部成立"), (3, 1926, "东湖农民协会成立"), (5, 1949, "解放军在此强渡长江"),
                (6, 1938, "青山阻击战"), (22, 1947, "王家湾突围战"), (8, 1998, "党员突击队坚守大堤 56 天"),
            ]
        )
        for name, born, died, deeds, where in HEROES:
            hero = Hero.objects.create(name=name, birth_year=born, death_year=died, deeds=deeds + DEMO_NOTE,
                                       sources="《红星区革命史》(演示,虚构)", is_demo=True)
            hero.sites.set([sites[i] for i in where])

        bus = Route.objects.create(name="红色巴士 1 号线", audience="机关党员、党员干部", suggested_minutes=300,
                                   is_bus=True, org=ctx.root, is_demo=True,
                                   description="纪念馆—特支旧址—烈士陵园—渡口遗址—工业馆,周六、周日发车。" + DEMO_NOTE)
        _route(bus, [sites[i] for i in (0, 2, 1, 5, 7)])
        teaching = Route.objects.create(name="“学史力行”精品教学线路", audience="基层党支部、青年党员",
                                        suggested_minutes=210, org=ctx.root, is_demo=True,
                                        description="实境课堂串联教学线路,含一堂情景党课。" + DEMO_NOTE)
        _route(teaching, [sites[i] for i in (15, 4, 25, 16)], stay=50)

        # Check-ins over the campaign so far: about one member in four visits a few sites.
        start = ctx.campaign.starts_on if ctx.campaign else date(ctx.today.year, 1, 1)
        days = max((ctx.today - start).days, 1)
        members = list(member_subtree(root="").values_list("pk", "org_id"))
        checkins, seen = [], set()
        for pk, org_id in rng.sample(members, len(members) // 4):
            for _ in range(rng.choice([1, 1, 2, 3, 5])):
                site = rng.choice(sites)
                day = start + timedelta(days=rng.randrange(days))
                if (site.pk, pk, day) in seen:
                    continue
                seen.add((site.pk, pk, day))
                checkins.append(CheckIn(site=site, member_id=pk, org_id=org_id, day=day,
                                        lat=site.lat, lng=site.lng, distance_m=0))
        member1 = ctx.users.get("member1")
        m1 = getattr(member1, "member", None)
        if m1 is not None:
            for i, site in enumerate(sites[:4]):
                key = (site.pk, m1.pk, ctx.today - timedelta(days=7 * (i + 1)))
                if key not in seen:
                    checkins.append(CheckIn(site=site, member_id=m1.pk, org_id=m1.org_id, day=key[2], distance_m=0))
            Achievement.objects.create(member=m1, threshold=3)
        CheckIn.objects.bulk_create(checkins, batch_size=2000)
        VisitorCount.objects.bulk_create(
            VisitorCount(site=site, day=start + timedelta(days=d), count=rng.randint(5, 120))
            for site in sites if site.kind in {K.MEMORIAL, K.MARTYRS, K.PATRIOTIC_BASE}
            for d in range(0, days, 7)
        )
        # Group visits through the services, so the held ones reach `outreach` as activities.
        office = ctx.users.get("office")
        held = 0
        for i, key in enumerate(("branch1", "branch2", "street1", "street2", "street3", "street4")):
            org = ctx.orgs[key]
            day = ctx.today - timedelta(days=10 + 9 * i)
            booking = services.booking_create(org=org, site=sites[15 + i % 3], day=day, period=Period.MORNING,
                                              people=min(25, sites[15 + i % 3].capacity), topic="实境课堂",
                                              actor=office, today=day)
            services.booking_hold(booking=booking, attendees=booking.people - i % 3, actor=office, today=ctx.today)
            held += 1
        services.booking_create(org=ctx.orgs["branch1"], site=sites[0], day=ctx.today + timedelta(days=5),
                                period=Period.AFTERNOON, people=30, topic="主题党日参观", actor=office,
                                today=ctx.today)
    ctx.log(f"  redsites: {len(sites)} sites, 2 routes, {len(checkins)} check-ins, {held} group visits held")
