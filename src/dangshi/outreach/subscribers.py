"""Events from other modules that outreach records (registered in OutreachConfig.ready)."""

from dangshi.outreach import services


def record_visit(event, obj) -> None:
    """redsites.visit.held: a group visit to a red site is one of the org's activities."""
    if obj is not None:
        services.activity_from_visit(visit=obj)
