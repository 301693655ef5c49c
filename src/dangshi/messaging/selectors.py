from django.db.models import Q, QuerySet

from dangshi.messaging.models import OutboundMessage


def message_list(*, scope, status: str = "", purpose: str = "") -> QuerySet[OutboundMessage]:
    """The 消息发送记录 an office reads: messages to members of its subtree (and, for the root
    office, those to numbers on no roster)."""
    if not scope.is_office:
        return OutboundMessage.objects.none()
    reach = Q(pk__in=[])
    for path in scope.org_paths:
        reach |= Q(org_path__startswith=path) if path else Q()
    if scope.is_root_office:
        reach |= Q(org_path="")
    qs = OutboundMessage.objects.filter(reach)
    if status:
        qs = qs.filter(status=status)
    if purpose:
        qs = qs.filter(purpose=purpose)
    return qs.order_by("-created_at", "-id")
