"""Structured logs: every record of the app's loggers ("resolutions_tracker.*") as one JSON object per line
on standard error, for a log collector to read. The level comes from RT_LOG_LEVEL (DEBUG, INFO, WARNING,
ERROR; INFO by default: one line per write and per error).

A line holds `time` (UTC), `level`, `logger`, `message`, the fields the code gave (`extra=`: an error's
`error_id`, the audit event of a write...) and, for an error, `error_type` and `traceback` (the traceback
in one JSON string, so one error stays one line).
"""

import json
import logging
import os
import sys
from datetime import UTC, datetime

APP_LOGGER = "resolutions_tracker"
LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "taskName"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update({k: v for k, v in vars(record).items() if k not in _STANDARD and not k.startswith("_")})
        if record.exc_info and record.exc_info[1] is not None:
            line["error_type"] = type(record.exc_info[1]).__name__
            line["traceback"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class _Stderr(logging.StreamHandler):
    """Standard error as it is when a line is written (not when configured: test runners swap it)."""

    def __init__(self) -> None:
        super().__init__()

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


def configure(level: str | None = None) -> logging.Handler:
    """Send the app's log records to standard error as JSON lines (once per process; calling again only
    sets the level). Records still reach the root logger's handlers, if any (tests capture them there).
    A level that is not one of LEVELS is logged as a warning and INFO is used: a typo never stops the app."""
    logger = logging.getLogger(APP_LOGGER)
    handler = next((h for h in logger.handlers if isinstance(h, _Stderr)), None)
    if handler is None:
        handler = _Stderr()
        handler.setFormatter(JsonFormatter())
        logger.addHandler(handler)
    wanted = (level or os.environ.get("RT_LOG_LEVEL") or "INFO").strip().upper()
    logger.setLevel(wanted if wanted in LEVELS else "INFO")
    if wanted not in LEVELS:
        logger.warning("RT_LOG_LEVEL %r is not one of %s: logging at INFO", wanted, ", ".join(LEVELS))
    return handler
