from django.db.models import Q, QuerySet

from dangshi.audit.models import AuditEvent


def event_list(*, scope, action: str = "", actor: str = "", object_type: str = "", date_from=None, date_to=None) -> QuerySet:
    """Events an office user may read: those filed under their subtree, and unfiled ones for the root office."""
    if not scope.is_office:
        return AuditEvent.objects.none()
    qs = AuditEvent.objects.all()
    if not scope.is_root_office:
        paths = Q()
        for path in scope.org_paths:
            paths |= Q(org_path__startswith=path)
        qs = qs.filter(paths)
    if action:
        qs = qs.filter(action__startswith=action)
    if actor:
        qs = qs.filter(actor_label=actor)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if date_from:
        qs = qs.filter(at__date__gte=date_from)
    if date_to:
        qs = qs.filter(at__date__lte=date_to)
    return qs.order_by("-at", "-id")
