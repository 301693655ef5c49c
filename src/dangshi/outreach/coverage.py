"""Coverage of grass-roots orgs by sessions: the orgs × months matrix, rates per zone,
street and district, the gap list, and the 场次 / 人次 totals.

A session covering two orgs counts once for each org in coverage (SessionOrg rows) and
once in 场次, at its host org (Session rows)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cached_property
from typing import TYPE_CHECKING

from django.db import connection, transaction
from django.db.models import Count, FilteredRelation, Q, Sum
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from dangshi.orgs.selectors import org_child_list, org_subtree
from dangshi.outreach.models import CoverageTarget, LectureGroup, Session, SessionOrg

if TYPE_CHECKING:
    from dangshi.orgs.models import Campaign, Org


def local_range(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, end+1 00:00) in local time, as aware datetimes."""
    tz = timezone.get_current_timezone()
    return (datetime.combine(start, time.min, tzinfo=tz), datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz))


def month_add(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def months_ending(month: date, count: int) -> list[date]:
    month = month.replace(day=1)
    return [month_add(month, i) for i in range(-count + 1, 1)]


def target_for(campaign: Campaign | None) -> int:
    if campaign is None:
        return 1
    return CoverageTarget.objects.filter(campaign=campaign).values_list("min_sessions", flat=True).first() or 1


@dataclass
class Row:
    org_id: int
    code: str
    name: str
    path: str
    counts: list[int]


@dataclass
class Matrix:
    root: Org
    months: list[date]
    target: int
    rows: list[Row] = field(default_factory=list)

    @cached_property
    def covered(self) -> list[int]:
        """Orgs meeting the target, per month (rows are set once, before this is read)."""
        covered = [0] * len(self.months)
        target = self.target
        for r in self.rows:
            for i, c in enumerate(r.counts):
                if c >= target:
                    covered[i] += 1
        return covered

    @property
    def columns(self) -> list[tuple[date, int, str]]:
        """(month, orgs covered, rate as a percentage) per column, for the page's footer."""
        return [(m, c, f"{r:.0%}") for m, c, r in zip(self.months, self.covered, self.rates, strict=True)]

    def body_html(self) -> str:
        """The matrix's <tbody> rows. Built here rather than in a template loop: 534 orgs ×
        12 months is 6,408 cells, and the template engine alone took ~250 ms for them."""
        target, out = self.target, []
        for r in self.rows:
            cells = "".join(f'<td class="n gap">{c}</td>' if c < target else f'<td class="n ok">{c}</td>' for c in r.counts)
            name = escape(r.name)
            out.append(f'<tr><td class="org" title="{name}">{name}</td>{cells}</tr>')
        return mark_safe("".join(out))  # noqa: S308 - names are escaped above, counts are ints

    @property
    def rates(self) -> list[float]:
        total = len(self.rows)
        return [round(c / total, 4) if total else 0.0 for c in self.covered]


def _counts(org_filter: Q, months: list[date]) -> dict[tuple[int, date], int]:
    rows = (
        SessionOrg.objects.filter(org_filter, month__gte=months[0], month__lte=months[-1])
        .values_list("org_id", "month")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {(org_id, month): n for org_id, month, n in rows}


def coverage_matrix(*, root: Org, months: list[date], target: int = 1) -> Matrix:
    """Sessions received per grass-roots org under `root` per month: one query, one row per
    org with a conditional count per month (for 100,000 orgs the database returns 100,000
    rows, not one per org and month)."""
    window = FilteredRelation("outreach_covered", condition=Q(outreach_covered__month__gte=months[0],
                                                              outreach_covered__month__lte=months[-1]))
    per_month = {f"m{i}": Count("window__month", filter=Q(window__month=m)) for i, m in enumerate(months)}
    rows = (
        org_subtree(root=root, grassroots=True)
        .annotate(window=window, **per_month)
        .order_by("path")
        .values_list("id", "code", "name", "path", *per_month)
    )
    # Executed through the cursor: the ORM would run a converter on each of the 1,200,000
    # counts of a 100,000-org matrix, which costs more than the query itself.
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    matrix = Matrix(root=root, months=months, target=target)
    matrix.rows = [Row(r[0], r[1], r[2], r[3], list(r[4:])) for r in fetched]
    return matrix


@dataclass(frozen=True)
class MatrixRows:
    """The matrix as the API sends it: `rows_json` is the inside of a JSON array of
    [code, name, [count per month]] in tree order, ready to be spliced into the body."""

    rows_json: str
    total: int
    covered: list[int]

    @property
    def rates(self) -> list[float]:
        return [round(c / self.total, 4) if self.total else 0.0 for c in self.covered]


def matrix_rows(*, root: Org, months: list[date], target: int) -> MatrixRows:
    """The whole matrix, built as JSON text. On PostgreSQL the database writes it (see
    `_matrix_rows_postgres`); elsewhere the rows of `coverage_matrix` are written here."""
    if connection.vendor == "postgresql":
        return _matrix_rows_postgres(root=root, months=months, target=target)
    matrix = coverage_matrix(root=root, months=months, target=target)
    rows = ",".join(f"[{_dumps(r.code)},{_dumps(r.name)},[{','.join(map(str, r.counts))}]]" for r in matrix.rows)
    return MatrixRows(rows, len(matrix.rows), matrix.covered)


def _dumps(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _matrix_rows_postgres(*, root: Org, months: list[date], target: int) -> MatrixRows:
    """One statement: for each grass-roots org in path order, a LATERAL aggregate over its
    (org, month) index range (an index-only scan of ~12 entries), then one pass that writes
    each row as JSON text and counts the orgs meeting the target per month.

    Measured on 100,000 orgs (docs/perf/outreach.md): the rows never reach Python as
    values, which was most of the time (fetching 1.2M counts, building 100,000 dicts,
    encoding 14 MiB of escaped JSON). JIT is off for the statement: its cost estimate
    crosses the inlining threshold and compiling took 0.3-0.5 s, longer than the
    interpreted run it would speed up. work_mem lets the ORDER BY of 100,000 short
    rows sort in memory rather than spill to disk."""
    per_month = ", ".join("count(*) FILTER (WHERE so.month = %s)" for _ in months)
    covered = ", ".join(f"count(*) FILTER (WHERE c.n[{i + 1}] >= %s)" for i in range(len(months)))
    sql = f"""
        SELECT coalesce(string_agg(concat('[', to_json(o.code), ',', to_json(o.name), ',[', array_to_string(c.n, ','), ']]'),
                                   ',' ORDER BY o.path), ''),
               ARRAY[count(*), {covered}]
        FROM {root._meta.db_table} o CROSS JOIN LATERAL (
            SELECT ARRAY[{per_month}]::int[] AS n FROM {SessionOrg._meta.db_table} so
            WHERE so.org_id = o.id AND so.month >= %s AND so.month <= %s) c
        WHERE o.grassroots AND o.path LIKE %s"""  # noqa: S608 - only table names and placeholders are formatted in; values are parameters
    params = [*[target] * len(months), *months, months[0], months[-1], f"{root.path}%"]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        cursor.execute("SET LOCAL work_mem = '32MB'")
        cursor.execute(sql, params)
        rows_json, counts = cursor.fetchone()
    return MatrixRows(rows_json, counts[0], list(counts[1:]))


@dataclass(frozen=True)
class Rate:
    label: str
    total: int
    covered: int
    code: str = ""

    @property
    def rate(self) -> float:
        return round(self.covered / self.total, 4) if self.total else 0.0

    @property
    def percent(self) -> str:
        return f"{self.rate:.1%}"


def rates_by_street(matrix: Matrix, month_index: int = -1) -> list[Rate]:
    """Coverage rate per child of the matrix root (the streets, for the district)."""
    root = matrix.root
    children = list(org_child_list(org=root).values_list("path", "name", "code"))
    out = []
    for path, name, code in children:
        rows = [r for r in matrix.rows if r.path.startswith(path)]
        if rows:
            out.append(Rate(name, len(rows), sum(1 for r in rows if r.counts[month_index] >= matrix.target), code))
    return out


def rate_total(matrix: Matrix, month_index: int = -1) -> Rate:
    return Rate(matrix.root.name, len(matrix.rows), matrix.covered[month_index] if matrix.months else 0, matrix.root.code)


def rates_by_zone(*, campaign: Campaign | None, root: Org, month: date, target: int) -> list[Rate]:
    """Coverage rate of each lecture group's zone in `month` (zone orgs under `root`)."""
    if campaign is None:
        return []
    groups = LectureGroup.objects.filter(campaign=campaign).order_by("position", "id")
    counts = _counts(Q(org__lecture_zones__campaign=campaign, org__path__startswith=root.path), [month])
    zones: dict[int, list[int]] = {}
    for group_id, org_id in LectureGroup.zone.through.objects.filter(
        lecturegroup__campaign=campaign, org__path__startswith=root.path
    ).values_list("lecturegroup_id", "org_id"):
        zones.setdefault(group_id, []).append(org_id)
    out = []
    for group in groups:
        members = zones.get(group.pk, [])
        if members:
            covered = sum(1 for oid in members if counts.get((oid, month), 0) >= target)
            out.append(Rate(group.name, len(members), covered, str(group.pk)))
    return out


@dataclass(frozen=True)
class Gap:
    org_id: int
    code: str
    name: str
    sessions: int
    groups: tuple[str, ...]


def coverage_gaps(*, root: Org, month: date, target: int, campaign: Campaign | None = None) -> list[Gap]:
    """Grass-roots orgs under `root` that received fewer than `target` sessions in `month`,
    each with the lecture groups answerable for it (分片包干), for the weekly dispatch."""
    matrix = coverage_matrix(root=root, months=[month], target=target)
    short = [r for r in matrix.rows if r.counts[0] < target]
    groups: dict[int, list[str]] = {}
    if campaign is not None and short:
        for org_id, name in LectureGroup.zone.through.objects.filter(
            lecturegroup__campaign=campaign, org_id__in=[r.org_id for r in short]
        ).values_list("org_id", "lecturegroup__name"):
            groups.setdefault(org_id, []).append(name)
    return [Gap(r.org_id, r.code, r.name, r.counts[0], tuple(groups.get(r.org_id, ()))) for r in short]


@dataclass(frozen=True)
class Totals:
    sessions: int  # 场次, each session once, at its host org
    audience_offline: int  # 人次 offline
    audience_online: int  # 人次 online
    orgs_covered: int


def session_totals(*, root: Org, start: date, end: date, count_covered: bool = True) -> Totals:
    """场次 and 人次 for sessions hosted under `root` with local dates in [start, end]."""
    lo, hi = local_range(start, end)
    agg = Session.objects.filter(org__path__startswith=root.path, starts_at__gte=lo, starts_at__lt=hi).aggregate(
        n=Count("id"), off=Sum("audience_offline"), on=Sum("audience_online"))
    covered = 0 if not count_covered else (
        SessionOrg.objects.filter(org__path__startswith=root.path, session__starts_at__gte=lo, session__starts_at__lt=hi)
        .values("org_id").distinct().count()
    )
    return Totals(agg["n"] or 0, agg["off"] or 0, agg["on"] or 0, covered)
