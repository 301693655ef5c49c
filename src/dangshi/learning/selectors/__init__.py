"""Reads of learning: content, offline activities and points (`selectors.content`), the push
channels (`selectors.channels`) and the contracts `reports` and `supervision` read
(`selectors.contracts`, see core/contracts.py), re-exported here; 五个一 compliance is the
submodule `selectors.fiveones`."""

from dangshi.learning.selectors import fiveones  # noqa: F401 - submodule
from dangshi.learning.selectors.channels import (  # noqa: F401 - the public surface
    broadcast_candidates,
    broadcast_hours,
    members_targeted,
    playlist_list,
    playlist_or_404,
    push_coverage,
    push_list,
)
from dangshi.learning.selectors.content import (  # noqa: F401 - the public surface
    FEED_LATEST,
    FIVE_ONE_OF_COLUMN,
    LIST_FIELDS,
    SUBSCRIPTIONS,
    TIMED_KINDS,
    audience_q,
    column_or_404,
    columns,
    content_policy,
    editorial_item_or_404,
    editorial_list,
    feed_today,
    item_audio_or_404,
    item_list,
    item_or_404,
    item_search,
    items_visible,
    may_edit,
    offline_mine,
    offline_or_404,
    offline_pending,
    offline_pending_or_404,
    point_rule_or_404,
    point_rules,
    points_ledger,
    points_ranking,
    points_total,
    public_items,
    read_history,
    required_seconds,
    review_counts,
    review_item_or_404,
    review_items,
    reviewed_q,
    scope_member,
    unverified_published,
    visible_q,
)
from dangshi.learning.selectors.contracts import (  # noqa: F401 - the public surface
    AGENDA_THRESHOLD,
    ROLLUP_METRICS,
    agenda_items,
    member_figures,
    rollup_facts,
)
