"""Counting the SQL statements Tortoise sends (it logs each one at DEBUG on `tortoise.db_client`).

The handler never formats a record: `bulk_create`'s statement carries hundreds of value rows,
and rendering them would cost more than the statement itself.
"""

from __future__ import annotations

import logging

LOGGER = "tortoise.db_client"
_VERBS = frozenset({"SELECT", "INSERT", "UPDATE", "DELETE"})


class SQLCounter(logging.Handler):
    """Collects every SELECT/INSERT/UPDATE/DELETE while `start`ed: its first `width`
    characters (all of it with `width=None`), never its parameters."""

    def __init__(self, width: int | None = 120) -> None:
        super().__init__(level=logging.DEBUG)
        self.statements: list[str] = []
        self.width = width
        self._previous: tuple[int, bool] | None = None

    def emit(self, record: logging.LogRecord) -> None:
        args = record.args
        query = args[0] if record.msg == "%s: %s" and isinstance(args, tuple) and args else None
        text = str(query if query is not None else record.msg)
        if text.split(" ", 1)[0].upper() in _VERBS:
            self.statements.append(text[: self.width])

    def start(self) -> None:
        self.statements.clear()
        logger = logging.getLogger(LOGGER)
        if self._previous is None:
            self._previous = (logger.level, logger.propagate)
            logger.setLevel(logging.DEBUG)
            logger.propagate = False  # counted, not printed by the root handler
            logger.addHandler(self)

    def stop(self) -> list[str]:
        logger = logging.getLogger(LOGGER)
        if self._previous is not None:
            logger.removeHandler(self)
            logger.setLevel(self._previous[0])
            logger.propagate = self._previous[1]
            self._previous = None
        return list(self.statements)
