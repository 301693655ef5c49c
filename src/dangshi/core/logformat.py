"""The formatter of the request log (settings.LOGGING loads it before the apps: no Django here)."""

import json
import logging


class JsonLineFormatter(logging.Formatter):
    """The message is already one JSON object (core/observe.py): add the time and level to it."""

    def format(self, record):
        return json.dumps({"time": self.formatTime(record), "level": record.levelname,
                           **json.loads(record.getMessage())}, ensure_ascii=False)
