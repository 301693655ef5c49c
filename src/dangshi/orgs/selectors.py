from django.db.models import Count, QuerySet

from dangshi.orgs.models import Campaign, Member, Org
from dangshi.orgs.scope import Scope


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


def member_list(*, scope: Scope, org: Org | None = None, q: str = "", category: str = "") -> QuerySet[Member]:
    qs = scope.members().filter(active=True)
    if org is not None:
        qs = qs.filter(org__path__startswith=org.path)
    if q:
        qs = qs.filter(name__contains=q)
    if category:
        qs = qs.filter(category=category)
    return qs.select_related("org").order_by("org__path", "id")


def campaign_current() -> Campaign | None:
    """The campaign whose dates include today, else the most recent one."""
    from django.utils import timezone

    today = timezone.localdate()
    return (
        Campaign.objects.filter(starts_on__lte=today, ends_on__gte=today).order_by("-starts_on").first()
        or Campaign.objects.order_by("-starts_on").first()
    )


def subtree_member_count(*, org: Org) -> int:
    return Member.objects.filter(org__path__startswith=org.path, active=True).count()


def campaign_of_org(*, org: Org) -> Campaign | None:
    """The newest campaign run over a tree that contains `org` (its root is the org or above it)."""
    prefixes = [org.path[:i] for i in range(1, len(org.path) + 1)]
    return Campaign.objects.filter(root__path__in=prefixes).order_by("-starts_on", "-id").first()
