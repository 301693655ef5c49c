"""Pushing the show to its sockets through the channel layer (in-memory by default,
channels-redis where REDIS_URL is set, so that every ASGI server of a show gets it).

The state is built once per change, from the database, and sent to the show's group; each
consumer adds only what is its own (the host's extras, an audience member's own score)."""

import asyncio
import json
import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from dangshi.live.selectors import show_state

logger = logging.getLogger(__name__)


def group_name(contest_id: int) -> str:
    return f"live.{contest_id}"


def push(contest_id: int) -> None:
    """Called after commit by every service that changes the show."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        pass
    else:  # called in a thread that runs an event loop (a script, not a server's service call)
        logger.warning("live push for contest %s skipped: called inside an event loop", contest_id)
        return
    state = show_state(contest_id=contest_id)
    try:
        # Encoded once here, not once per socket: a hall has a thousand of them. The message
        # holds the text and two small keys only (the in-memory layer deep-copies a message
        # for every socket of the group).
        question = state.get("question") or {}
        async_to_sync(layer.group_send)(group_name(contest_id), {
            "type": "show.state", "text": json.dumps(state), "question": question.get("id"),
            "question_state": question.get("state")})
    except Exception:  # a push that fails must not fail the host's action: sockets resync on reconnect
        logger.exception("live push failed for contest %s", contest_id)
