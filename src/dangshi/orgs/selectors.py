"""What every module reads of the org tree, members, campaigns and roles.

The tree is a materialised path of fixed-width segments (`Org.path`, ORG_PATH_STEP characters
per level): an org's ancestors are the prefixes of its path at whole segments, its subtree the
orgs whose path starts with its own. Other apps use these functions instead of querying the
orgs models or cutting paths themselves.
"""

from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from dangshi.accounts.selectors import AccountState, pending_q
from dangshi.orgs.models import Campaign, Member, Org
from dangshi.orgs.scope import Scope


# -- paths ------------------------------------------------------------------------------
def path_chain(path: str, *, include_self: bool = True) -> list[str]:
    """The paths from the root down to `path`: every ancestor's, and `path` itself unless
    `include_self` is false. Root first."""
    step = settings.ORG_PATH_STEP
    end = len(path) + 1 if include_self else len(path)
    return [path[:i] for i in range(step, end, step)]


def path_at_depth(path: str, depth: int) -> str:
    """The path of `path`'s ancestor at `depth` (0 is the root); `path` itself if it is that
    shallow or shallower."""
    return path[: settings.ORG_PATH_STEP * (depth + 1)]


# -- orgs -------------------------------------------------------------------------------
def org_by_code(code: str) -> Org | None:
    """Unscoped, for public pages, the CLI and imports (which check scope themselves)."""
    return Org.objects.filter(code=code).first() if code else None


def org_get(*, pk: int) -> Org:
    return Org.objects.get(pk=pk)


def org_root() -> Org | None:
    """The first root of the tree (the district in a one-district deployment)."""
    return Org.objects.filter(depth=0).order_by("path").first()


def org_roots() -> QuerySet[Org]:
    return Org.objects.filter(depth=0).order_by("path")


def org_tree_exists() -> bool:
    return Org.objects.exists()


def org_ancestors(*, org: Org, include_self: bool = False) -> QuerySet[Org]:
    """The orgs above `org` (and `org` itself with include_self), root first."""
    return Org.objects.filter(path__in=path_chain(org.path, include_self=include_self)).order_by("depth")


def org_subtree(*, root: Org | str, grassroots: bool | None = None) -> QuerySet[Org]:
    """`root` and every org below it; `root` is an Org or a path ("" for the whole tree)."""
    path = root if isinstance(root, str) else root.path
    qs = Org.objects.filter(path__startswith=path) if path else Org.objects.all()
    if grassroots is not None:
        qs = qs.filter(grassroots=grassroots)
    return qs


def org_child_list(*, org: Org) -> QuerySet[Org]:
    """The orgs directly under `org`, in tree order."""
    return Org.objects.filter(parent=org).order_by("path")


def orgs_by_id(ids: Iterable[int]) -> dict[int, Org]:
    return Org.objects.in_bulk(list(ids))


def orgs_with_paths(paths: Iterable[str]) -> QuerySet[Org]:
    return Org.objects.filter(path__in=list(paths))


def org_ids_by_path(*, root_path: str = "") -> dict[str, int]:
    """path → id for `root_path`'s subtree (the whole tree by default)."""
    return dict(org_subtree(root=root_path).values_list("path", "id"))


def org_list(*, scope: Scope, parent: Org | None = None, grassroots: bool | None = None, q: str = "") -> QuerySet[Org]:
    qs = scope.orgs()
    if parent is not None:
        qs = qs.filter(parent=parent)
    if grassroots is not None:
        qs = qs.filter(grassroots=grassroots)
    if q:
        qs = qs.filter(name__contains=q)
    return qs.select_related("parent").order_by("path")


def org_children(*, scope: Scope, org: Org | None) -> QuerySet[Org]:
    """Children for the tree picker: the scope's roots when `org` is None."""
    if org is None:
        roots = scope.org_paths or ((scope.member_org_path,) if scope.member_org_path else ())
        qs = Org.objects.filter(path__in=roots) if "" not in roots else Org.objects.filter(depth=0)
    else:
        qs = scope.orgs().filter(parent=org)
    return qs.annotate(child_count=Count("children")).order_by("path")


# -- members ----------------------------------------------------------------------------
def member_list(*, scope: Scope, org: Org | None = None, q: str = "", category: str = "") -> QuerySet[Member]:
    qs = scope.members().filter(active=True)
    if org is not None:
        qs = qs.filter(org__path__startswith=org.path)
    if q:
        qs = qs.filter(name__contains=q)
    if category:
        qs = qs.filter(category=category)
    return qs.select_related("org").order_by("org__path", "id")


def member_subtree(*, root: Org | str, active: bool | None = True) -> QuerySet[Member]:
    """The members of `root`'s subtree (an Org or a path), the active ones by default. Unscoped:
    for figures and for services that have checked the caller's scope."""
    path = root if isinstance(root, str) else root.path
    qs = Member.objects.filter(org__path__startswith=path) if path else Member.objects.all()
    return qs.filter(active=active) if active is not None else qs


def subtree_member_count(*, org: Org) -> int:
    return member_subtree(root=org).count()


def member_of(*, scope: Scope) -> Member | None:
    """The signed-in member's own record, with its org; None for a user who is no member."""
    if scope.member_id is None:
        return None
    return Member.objects.select_related("org").filter(pk=scope.member_id).first()


def members_by_id(ids: Iterable[int]) -> dict[int, Member]:
    return Member.objects.select_related("org").in_bulk(list(ids))


def member_none() -> QuerySet[Member]:
    return Member.objects.none()


# -- campaigns --------------------------------------------------------------------------
def campaign_for(*, org: Org | None, today: date | None = None) -> Campaign | None:
    """The campaign that applies to `org`: of the campaigns run over a tree containing it (its
    root is `org` or an ancestor), the one whose dates include today, else the latest. With no
    org (public pages), the same rule over every campaign. The one rule for "which campaign"."""
    today = today or timezone.localdate()
    qs = Campaign.objects.all() if org is None else Campaign.objects.filter(root__path__in=path_chain(org.path))
    return (qs.filter(starts_on__lte=today, ends_on__gte=today).order_by("-starts_on").first()
            or qs.order_by("-starts_on").first())


def campaign_roots() -> QuerySet[Org]:
    """The orgs that lead a campaign."""
    return Org.objects.filter(campaigns__isnull=False).distinct().order_by("path")


def member_account(*, member: Member) -> dict:
    """The member's account as the console and the API show it."""
    user = member.user
    if user is None:
        return {"state": "none", "state_label": _("无账号"), "last_login": None}
    return {"state": user.account_state, "state_label": str(AccountState(user.account_state).label),
            "last_login": user.last_login}


def account_counts(*, org: Org) -> dict[str, int]:
    """How many members of `org`'s subtree have activated, are pending, or have no account."""
    members = member_subtree(root=org)
    return {
        "members": members.count(),
        "pending": members.filter(pending_q("user")).count(),
        "active": members.filter(user__is_active=True).exclude(pending_q("user")).count(),
    }
    return Member.objects.filter(org__path__startswith=org.path, active=True).count()


def campaign_of_org(*, org: Org) -> Campaign | None:
    """The newest campaign run over a tree that contains `org` (its root is the org or above it)."""
    prefixes = [org.path[:i] for i in range(1, len(org.path) + 1)]
    return Campaign.objects.filter(root__path__in=prefixes).order_by("-starts_on", "-id").first()
