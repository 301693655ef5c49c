"""Roster import (all or nothing, row-by-row report) and export (masked)."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from dangshi.audit.services import log_event
from dangshi.core import progress, tabular
from dangshi.core.crypto import digest, mask_id_number, mask_phone
from dangshi.core.phones import normalise_phone
from dangshi.core.tabular import Column, ImportFailed, RowError
from dangshi.orgs.identity import normalise_id_number
from dangshi.orgs.models import Gender, Member, MemberCategory, Org
from dangshi.orgs.scope import Scope
from dangshi.orgs.services import member_accounts_create, member_build

CATEGORIES = {
    "县处级以上": MemberCategory.LEADER,
    "县处级以上领导干部": MemberCategory.LEADER,
    "领导干部": MemberCategory.LEADER,
    "科级": MemberCategory.CADRE,
    "科级干部": MemberCategory.CADRE,
    "普通": MemberCategory.ORDINARY,
    "普通党员": MemberCategory.ORDINARY,
}
GENDERS = {"男": Gender.MALE, "女": Gender.FEMALE}

COLUMNS = [
    Column("name", "姓名", parse=tabular.compact),
    Column("gender", "性别", parse=tabular.choice(GENDERS)),
    Column("birth_date", "出生日期", parse=tabular.parse_date),
    Column("joined_on", "入党日期", parse=tabular.parse_date),
    Column("id_number", "身份证号", parse=normalise_id_number),
    Column("phone", "手机号", parse=normalise_phone),
    Column("category", "人员类别", parse=tabular.choice(CATEGORIES)),
    Column("org_code", "所在组织编码", parse=tabular.compact, aliases=("组织编码",)),
    Column("mobile", "流动党员", required=False, optional_column=True, parse=tabular.parse_bool),
    Column("youth", "青年党员", required=False, optional_column=True, parse=tabular.parse_bool),
    Column("two_new", "两新组织党员", required=False, optional_column=True, parse=tabular.parse_bool),
]
HEADERS = [c.header for c in COLUMNS]


def roster_validate(*, file, scope: Scope, filename: str | None = None) -> list[dict]:
    """Every row parsed and checked against the file and the database; ImportFailed lists all errors."""
    try:
        table = tabular.read_table(file, COLUMNS, filename=filename)
    except ImportFailed as failure:
        if failure.table is None:
            raise
        table, errors = failure.table, list(failure.errors)
    else:
        errors = []
    bad_rows = {e.row for e in errors}
    rows = [r for r in table.rows if r["_row"] not in bad_rows]
    progress.phase("checking")

    codes = {r["org_code"] for r in rows}
    orgs = {o.code: o for o in scope.orgs().filter(code__in=codes)}
    seen: dict[str, int] = {}
    for r in rows:
        r["digest"] = digest(r["id_number"])
    existing = _existing_digests([r["digest"] for r in rows])
    for checked, r in enumerate(rows):
        if checked % 500 == 0:
            progress.report(checked=checked)
        n = r["_row"]
        if r["org_code"] not in orgs:
            errors.append(RowError(n, "所在组织编码", _("组织编码不存在或不在您的管理范围内:%(c)s") % {"c": r["org_code"]}))
        else:
            r["org"] = orgs[r["org_code"]]
        if r["digest"] in seen:
            errors.append(RowError(n, "身份证号", _("与第 %(row)d 行的身份证号重复。") % {"row": seen[r["digest"]]}))
        else:
            seen[r["digest"]] = n
        if r["digest"] in existing:
            errors.append(RowError(n, "身份证号", _("该身份证号的党员已在系统中。")))
        id_birth = r["id_number"][6:14]
        if r["birth_date"] and r["birth_date"].strftime("%Y%m%d") != id_birth:
            errors.append(RowError(n, "出生日期", _("与身份证号中的出生日期不一致。")))
        if r["joined_on"] and r["birth_date"] and r["joined_on"] <= r["birth_date"]:
            errors.append(RowError(n, "入党日期", _("入党日期应晚于出生日期。")))
    progress.report(checked=len(table.rows))
    if errors:
        errors.sort(key=lambda e: (e.row, HEADERS.index(e.column) if e.column in HEADERS else -1))
        raise ImportFailed(errors, table)
    return rows


def _existing_digests(digests: list[str]) -> set[str]:
    found: set[str] = set()
    for i in range(0, len(digests), 900):  # under SQLite's variable limit
        found.update(Member.objects.filter(id_digest__in=digests[i : i + 900]).values_list("id_digest", flat=True))
    return found


def roster_import(*, file, scope: Scope, actor=None, filename: str | None = None) -> int:
    """Import a roster file whole, or nothing (ImportFailed). Returns the number of members added."""
    rows = roster_validate(file=file, scope=scope, filename=filename)
    progress.phase("writing")  # building the rows (encrypting phones and ID numbers) and saving them
    members = [
        member_build(
            org=r["org"],
            name=r["name"],
            gender=r["gender"],
            birth_date=r["birth_date"],
            joined_on=r["joined_on"],
            id_number=r["id_number"],
            phone=r["phone"],
            category=r["category"],
            mobile=bool(r.get("mobile")),
            youth=bool(r.get("youth")),
            two_new=bool(r.get("two_new")),
        )
        for r in rows
    ]
    with transaction.atomic():
        # The unique id_digest constraint closes the race with a concurrent import of
        # the same person: the second transaction fails whole.
        member_accounts_create(members=members)
        Member.objects.bulk_create(members, batch_size=1000)
        log_event(
            "orgs.roster.imported",
            actor=actor,
            org=scope.home_org,
            data={"rows": len(members), "orgs": sorted({r["org_code"] for r in rows})},
        )
    return len(members)


EXPORT_HEADERS = ["姓名", "性别", "出生日期", "入党日期", "身份证号", "手机号", "人员类别", "所在组织编码", "所在组织",
                  "流动党员", "青年党员", "两新组织党员"]


def roster_export(*, scope: Scope, org: Org, actor=None) -> bytes:
    """The subtree's roster as .xlsx; phone and ID number masked."""
    members = (
        scope.members()
        .filter(org__path__startswith=org.path, active=True)
        .select_related("org")
        .order_by("org__path", "id")
    )
    yes = {True: "是", False: "否"}

    def rows():
        for m in members.iterator(chunk_size=2000):
            yield [
                m.name, m.get_gender_display(), m.birth_date, m.joined_on, mask_id_number(m.id_number),
                mask_phone(m.phone), m.get_category_display(), m.org.code, m.org.name,
                yes[m.mobile], yes[m.youth], yes[m.two_new],
            ]

    data = tabular.workbook_bytes(EXPORT_HEADERS, rows(), title="党员名册")
    log_event("orgs.roster.exported", actor=actor, obj=org, data={"org": org.code})
    return data


def roster_template() -> bytes:
    example = ["张三", "男", date(1985, 6, 1), date(2010, 7, 1), "110101198506010016", "13800001234", "普通党员", "D0001",
               "否", "否", "否"]
    yes_no = ("是", "否")
    return tabular.template_bytes(COLUMNS, [example], title="党员名册", choices={
        "gender": tuple(GENDERS), "category": ("普通党员", "科级干部", "县处级以上领导干部"),
        "mobile": yes_no, "youth": yes_no, "two_new": yes_no,
    }, hints={
        "id_number": "18位,末位可为X;出生日期须与身份证号一致",
        "phone": "11位手机号",
        "org_code": "党员所在党组织的编码,须在您的管理范围内",
        "joined_on": "应晚于出生日期",
    })
