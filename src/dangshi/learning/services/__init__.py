"""Writes of learning: items and their editorial flow (`services.items`, re-exported here);
reading records, offline activities and points (`services.reading`), pushes and the
broadcast (`services.channels`), the point rules (`services.rules`) and the column
import/export (`services.imports`) are submodules."""

from dangshi.learning.services import channels, imports, reading, rules  # noqa: F401 - submodules
from dangshi.learning.services.items import (  # noqa: F401 - the public surface
    AUDIENCE_FLAGS,
    EDITABLE,
    SOURCE_FIELDS,
    TRANSITIONS,
    content_policy_set,
    item_create,
    item_prepare,
    item_publish_due,
    item_return,
    item_transition,
    item_update,
    item_verify,
    tags_set,
)
