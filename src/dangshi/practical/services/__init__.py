"""Writes of 我为群众办实事: `matters` (the life cycle, adjustments, progress, milestones) and
`claims` (claiming rules, claims). Deeds and ratings: `services_people.py`."""

from dangshi.practical.services.claims import claim_rule_set, matter_claim
from dangshi.practical.services.matters import (
    OPEN_FOR_CLAIMS,
    WORKING,
    adjustment_decide,
    adjustment_request,
    matter_cancel,
    matter_complete,
    matter_create,
    matter_draft_from_source,
    matter_publish,
    matter_resume,
    matter_source_linked,
    matter_start,
    matter_suspend,
    matter_verify,
    milestone_add,
    milestone_done,
    progress_report,
)

__all__ = [
    "OPEN_FOR_CLAIMS", "WORKING", "adjustment_decide", "adjustment_request", "claim_rule_set", "matter_cancel",
    "matter_claim", "matter_complete", "matter_create", "matter_draft_from_source", "matter_publish", "matter_resume",
    "matter_source_linked", "matter_start", "matter_suspend", "matter_verify", "milestone_add", "milestone_done",
    "progress_report",
]
