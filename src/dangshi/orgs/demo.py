"""The demo district: 534 grass-roots orgs and 11,543 members (the scale 云溪区 reported in 2021).

The district itself (红星区) is invented; so are all names, phone and ID numbers (ID numbers
carry valid checksums so that they pass the same checks as real ones).
"""

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from dangshi.core.crypto import digest
from dangshi.core.demo import DEMO_PASSWORD, DemoContext
from dangshi.core.names import person_name
from dangshi.orgs.identity import id_check_char
from dangshi.orgs.models import (
    Campaign,
    CampaignGoal,
    Member,
    MemberCategory,
    Org,
    OrgKind,
    Role,
    RoleBinding,
    TwoNew,
)
from dangshi.orgs.services import member_accounts_create, path_segment

STREETS = ["红旗街道", "东湖街道", "新华街道", "长江街道", "青山街道", "滨江街道"]
COMMUNITY_SUFFIX = ["社区", "社区", "社区", "社区", "社区", "村", "村", "村"]
COMMUNITY_STEMS = ["和平", "幸福", "光明", "建设", "团结", "友谊", "朝阳", "胜利", "前进", "民主", "东风", "永安", "安居", "桂花", "丹桂", "枫林", "柳岸", "翠湖", "金港", "银河", "长青", "松园", "梅苑", "荷塘", "南湖", "北城", "西岭", "东岗", "兴隆", "和顺", "福星", "康宁", "润泽", "怡景", "紫荆", "新桥", "石桥", "龙泉", "凤凰", "白沙", "红星", "星火", "曙光", "春晖", "秋实", "丰收", "稻香", "果园"]
BRANCH_KINDS = ["第一网格党支部", "第二网格党支部", "第三网格党支部", "小区党支部", "退休党员党支部", "物业党支部", "志愿服务党支部"]
AGENCIES = ["区委办公室", "区政府办公室", "区纪委监委机关", "区委组织部", "区委宣传部", "区委统战部", "区委政法委", "区发展改革局", "区教育局", "区财政局", "区人社局", "区自然资源局", "区住建局", "区交通运输局", "区农业农村局", "区商务局", "区文旅局", "区卫健局", "区应急管理局", "区市场监管局", "区统计局", "区医保局", "区信访局", "区城管执法局", "区生态环境分局", "区税务局", "区司法局", "区民政局", "区退役军人事务局", "区档案馆"]
ENTERPRISE_WORDS = ["华兴", "远航", "恒信", "博达", "鼎盛", "新源", "汇通", "宏图", "锦程", "天成", "众诚", "嘉禾", "永丰", "盛世", "瑞丰", "海纳", "中天", "华瑞", "金桥", "力拓", "长风", "润达", "科创", "智联", "云帆", "优选", "安泰", "同创", "明德", "广源", "晨光", "凯达", "信诚", "启航", "聚力"]
ENTERPRISE_TYPES = ["科技有限公司", "实业有限公司", "物流有限公司", "建设集团有限公司", "商贸有限公司", "新材料股份有限公司"]
SOCIAL_ORGS = ["区慈善会", "区志愿者协会", "区律师协会", "区个体劳动者协会", "区社会工作者协会", "区养老服务协会", "区物业管理协会", "区会计学会", "区青年创业协会", "区书画院", "区红十字会", "区家庭教育促进会"]
GOALS = ["学史明理", "学史增信", "学史崇德", "学史力行"]
AREA = "420114"  # the demo's ID numbers use one area code


class _Tree:
    """Accumulates unsaved Orgs with their materialised paths."""

    def __init__(self):
        self.orgs: list[Org] = []
        self._children: dict[str, int] = {}
        self._codes = 0

    def add(self, parent: Org | None, name: str, kind: str, *, grassroots=False, code=None, **fields) -> Org:
        key = parent.path if parent else ""
        self._children[key] = self._children.get(key, 0) + 1
        self._codes += 1
        org = Org(
            code=code or f"HX{self._codes:05d}",
            name=name,
            kind=kind,
            parent=parent,
            path=key + path_segment(self._children[key]),
            depth=parent.depth + 1 if parent else 0,
            grassroots=grassroots,
            position=self._children[key],
            **fields,
        )
        self.orgs.append(org)
        return org


def _build_tree(ctx: DemoContext) -> tuple[_Tree, list[Org]]:
    rng = ctx.rng_for("orgs.tree")
    t = _Tree()
    root = t.add(None, "中共红星区委员会", OrgKind.DISTRICT, code="HX")
    branches: list[Org] = []
    stems = iter(rng.sample(COMMUNITY_STEMS, len(COMMUNITY_STEMS)))

    def branch(parent, name, **kw):
        b = t.add(parent, name, OrgKind.BRANCH, grassroots=True, secretary=person_name(rng, rng.choice("MF")), **kw)
        branches.append(b)
        return b

    for s, street in enumerate(STREETS):  # 6 × (8 community committees × 7 branches) = 384
        gwc = t.add(root, f"中共{street}工作委员会", OrgKind.WORKING_COMMITTEE)
        ctx.orgs[f"street{s + 1}"] = gwc
        for c in range(8):
            community = next(stems) + COMMUNITY_SUFFIX[c]
            committee = t.add(gwc, f"中共{street}{community}委员会", OrgKind.COMMITTEE, grassroots=True,
                              secretary=person_name(rng, rng.choice("MF")))
            for kind in BRANCH_KINDS:
                branch(committee, f"{community}{kind}")
    agencies = t.add(root, "中共红星区直属机关工作委员会", OrgKind.WORKING_COMMITTEE)
    for name in AGENCIES[:10]:  # 10 general branches × 4 branches = 50
        gb = t.add(agencies, f"中共{name}总支部委员会", OrgKind.GENERAL_BRANCH, grassroots=True,
                   secretary=person_name(rng, rng.choice("MF")))
        for i in range(4):
            branch(gb, f"{name}第{'一二三四'[i]}党支部")
    for name in AGENCIES[10:30]:  # 20 branches
        branch(agencies, f"中共{name}支部委员会")
    two_new = t.add(root, "中共红星区非公有制经济组织和社会组织工作委员会", OrgKind.WORKING_COMMITTEE)
    words = iter(rng.sample(ENTERPRISE_WORDS, len(ENTERPRISE_WORDS)))
    for i in range(5):  # 5 enterprise committees × 6 branches = 35
        company = f"红星{next(words)}{ENTERPRISE_TYPES[i]}"
        committee = t.add(two_new, f"中共{company}委员会", OrgKind.COMMITTEE, grassroots=True, two_new=TwoNew.ENTERPRISE)
        for j in range(6):
            branch(committee, f"{company}第{'一二三四五六'[j]}党支部", two_new=TwoNew.ENTERPRISE)
    for _ in range(30):  # 30 enterprise branches
        w = next(words, None) or rng.choice(ENTERPRISE_WORDS) + rng.choice(ENTERPRISE_WORDS)
        branch(two_new, f"红星{w}{rng.choice(ENTERPRISE_TYPES)}党支部", two_new=TwoNew.ENTERPRISE)
    for name in SOCIAL_ORGS:  # 12 social-organisation branches
        branch(two_new, f"{name}党支部", two_new=TwoNew.SOCIAL)
    for place in ("广东深圳", "浙江杭州", "上海"):  # 3 mobile-member branches
        branch(two_new, f"红星区驻{place}流动党员党支部", mobile=True)
    return t, branches


def _id_number(rng, birth: date, gender: str, taken: set[str]) -> str:
    while True:
        order = rng.randint(0, 499) * 2 + (1 if gender == "M" else 0)  # odd for men, even for women
        first17 = f"{AREA}{birth:%Y%m%d}{order:03d}"
        if first17 not in taken:
            taken.add(first17)
            return first17 + id_check_char(first17)


def _members(ctx: DemoContext, branches: list[Org]) -> list[Member]:
    rng = ctx.rng_for("orgs.members")
    # Each branch gets a weight; members fall into branches by weight. Every branch gets
    # at least `floor` (3 when there are enough members) and the first, member1's, at least 1.
    weights = [rng.uniform(0.4, 1.6) * (0.5 if b.mobile else 1) for b in branches]
    total = sum(weights)
    floor = min(3, ctx.members // len(branches))
    counts = [max(floor, int(ctx.members * w / total)) for w in weights]
    counts[0] = max(counts[0], 1)
    i = 0
    while (diff := ctx.members - sum(counts)) != 0:
        k = i % len(counts)
        if diff > 0:
            counts[k] += 1
        elif counts[k] > max(floor, 1 if k == 0 else 0):
            counts[k] -= 1
        i += 1
    members, phones, ids = [], set(), set()
    year = ctx.today.year
    for b, n in zip(branches, counts, strict=True):
        for _ in range(n):
            gender = "M" if rng.random() < 0.62 else "F"
            birth = date(year - rng.randint(20, 85), 1, 1) + timedelta(days=rng.randint(0, 364))
            joined = birth + timedelta(days=rng.randint(18 * 365 + 5, max(18 * 365 + 6, (date(year, 1, 1) - birth).days - 30)))
            id_number = _id_number(rng, birth, gender, ids)
            while True:
                phone = f"1{rng.choice('3578')}{rng.randint(0, 9)}{rng.randint(0, 99_999_999):08d}"
                if phone not in phones:
                    phones.add(phone)
                    break
            roll = rng.random()
            category = MemberCategory.LEADER if roll < 0.03 else MemberCategory.CADRE if roll < 0.15 else MemberCategory.ORDINARY
            members.append(Member(
                org=b, name=person_name(rng, gender), gender=gender, birth_date=birth, joined_on=joined,
                # Clear text here: the field encrypts on the way to the database, bulk_create too.
                phone=phone, phone_digest=digest(phone), id_number=id_number, id_digest=digest(id_number), category=category,
                mobile=b.mobile, youth=year - birth.year <= 35, two_new=bool(b.two_new),
            ))
    return members


def build(ctx: DemoContext) -> None:
    tree, branches = _build_tree(ctx)
    ctx.log(f"  orgs: {len(tree.orgs)} orgs, {sum(o.grassroots for o in tree.orgs)} grass-roots")
    with transaction.atomic():
        # Parents first, so every parent_id is known when its children are inserted.
        for depth in sorted({o.depth for o in tree.orgs}):
            level = [o for o in tree.orgs if o.depth == depth]
            for o in level:
                o.parent_id = o.parent.pk if o.parent else None
            Org.objects.bulk_create(level, batch_size=1000)
        ctx.root = tree.orgs[0]
        ctx.campaign = Campaign.objects.create(
            name=f"党史学习教育({ctx.today.year} 演示)", root=ctx.root,
            starts_on=date(ctx.today.year, 1, 1), ends_on=date(ctx.today.year, 12, 31),
        )
        CampaignGoal.objects.bulk_create(CampaignGoal(campaign=ctx.campaign, title=g, position=i) for i, g in enumerate(GOALS))
        members = _members(ctx, branches)
        # Every member has a pending account: the branch's activation sheet or an SMS code
        # (shown on 消息发送记录, the console backend) gets them in; member1's is activated.
        member_accounts_create(members=members)
        Member.objects.bulk_create(members, batch_size=2000)
        ctx.log(f"  members: {len(members)}")
        _demo_users(ctx, branches)


def _demo_users(ctx: DemoContext, branches: list[Org]) -> None:
    User = get_user_model()
    password = make_password(DEMO_PASSWORD)  # hashed once: hashing is deliberately slow
    # branch1 and branch2 administer two sibling 党支部 under the first community committee.
    b1, b2 = branches[0], branches[1]
    assert b1.parent_id == b2.parent_id
    ctx.orgs.update(branch1=b1, branch2=b2)

    def user(username, display, **kw):
        u = User.objects.create(username=username, display_name=display, password=password, **kw)
        ctx.users[username] = u
        return u

    office = user("office", "区学习教育办公室", is_staff=True)
    RoleBinding.objects.create(user=office, role=Role.OFFICE, org=ctx.root)
    RoleBinding.objects.create(user=user("branch1", f"{b1.name}书记"), role=Role.ORG_ADMIN, org=b1)
    RoleBinding.objects.create(user=user("branch2", f"{b2.name}书记"), role=Role.ORG_ADMIN, org=b2)
    m1 = Member.objects.filter(org=b1).select_related("user").order_by("id").first()
    m1.user.username, m1.user.password, m1.user.activated_at = "member1", password, timezone.now()
    m1.user.save(update_fields=["username", "password", "activated_at"])
    ctx.users["member1"] = m1.user
    lecturer = user("lecturer1", "宣讲员")
    RoleBinding.objects.create(user=lecturer, role=Role.LECTURER, org=ctx.orgs["street1"])

