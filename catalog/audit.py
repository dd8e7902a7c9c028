"""Who changed what: every write operation of the catalog runs inside `AuditLog.recording`,
which puts the change and its entry in one transaction (`storage.audit.recorded`).

The caller is an `Actor`: a token's name (never the token), how it came (GraphQL or the CLI)
and the request id. What changed is given as before/after mappings (`changes`): only the
fields that differ are kept, values shown as text, a secret only as "set", "changed" or
"removed". Entries older than `AUDIT_RETENTION_DAYS` are deleted, at most once an hour, by the
process that writes.

>>> [c.field for c in changes({"ttl": 60, "name": "a"}, {"ttl": 120, "name": "a"})]
['ttl']
>>> changes({"api_key": None}, {"api_key": "sk-1"}, secrets={"api_key"})[0].after
'set'
"""

from __future__ import annotations

import base64
import binascii
import os
import pwd
import time
from collections.abc import AsyncIterator, Collection, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from catalog.clock import Clock, utc
from catalog.metrics import Metrics
from catalog.request_id import current_request_id
from errors import InvalidInputError
from storage import audit
from storage.records.activity import AuditChange, AuditDraft, AuditFilter, AuditRecord

PRUNE_EVERY = 3600.0
"""Seconds between two deletions of expired entries by one process."""
MAX_PAGE = 500


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is changing something: a token's name, or the CLI's user; never a secret."""

    name: str
    via: str  # "graphql" or "cli"

    @classmethod
    def cli(cls) -> Actor:
        """The CLI's caller: the operating-system user running it."""
        try:
            user = pwd.getpwuid(os.getuid()).pw_name
        except KeyError:  # a uid without a passwd entry (containers)
            user = f"uid {os.getuid()}"
        return cls(f"cli:{user}", "cli")


@dataclass(frozen=True, slots=True)
class AuditPage:
    entries: tuple[AuditRecord, ...]
    end_cursor: str | None  # pass as `after` for the next page; None when there is none


class AuditLog:
    """Writes entries with the changes they record, reads them back, prunes old ones."""

    def __init__(
        self, retention_days: int, clock: Clock = time.time, metrics: Metrics | None = None
    ) -> None:
        self.retention_days = retention_days
        self.clock = clock
        self.metrics = metrics or Metrics()
        self._pruned_at: float | None = None

    @asynccontextmanager
    async def recording(
        self, actor: Actor, operation: str, *, provider: str | None = None
    ) -> AsyncIterator[AuditDraft]:
        """The block's writes and their entry, all or nothing: fill in the draft inside."""
        draft = AuditDraft(
            actor.name, actor.via, operation, request_id=current_request_id(), provider=provider
        )
        async with audit.recorded(draft, utc(self.clock)):
            yield draft
        self.metrics.audit_entries.labels(operation).inc()
        await self._prune()

    async def page(
        self, where: AuditFilter, *, first: int = 50, after: str | None = None
    ) -> AuditPage:
        """Entries newest first; `after` is a previous page's `end_cursor`."""
        if not 1 <= first <= MAX_PAGE:
            raise InvalidInputError(f"first must be between 1 and {MAX_PAGE}, not {first}")
        before_id = decode_cursor(after) if after is not None else None
        found = await audit.entries(where, before_id=before_id, limit=first + 1)
        shown = tuple(found[:first])
        more = len(found) > first
        return AuditPage(shown, encode_cursor(shown[-1].id) if more and shown else None)

    async def _prune(self) -> None:
        now = self.clock()
        if not self.retention_days:
            return
        if self._pruned_at is not None and now - self._pruned_at < PRUNE_EVERY:
            return
        self._pruned_at = now
        await audit.prune(utc(self.clock) - timedelta(days=self.retention_days))


def encode_cursor(entry_id: int) -> str:
    """An opaque cursor holding the id of a page's last entry.

    >>> decode_cursor(encode_cursor(42))
    42
    """
    return base64.urlsafe_b64encode(f"audit:{entry_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        kind, _, number = text.partition(":")
        if kind != "audit" or not number.isdigit():
            raise ValueError(cursor)
        return int(number)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise InvalidInputError("after: not a cursor of the audit log") from None


def shown(value: Any) -> str | None:
    """A stored value as the log shows it: text (lists joined by commas), None for none.

    >>> shown(["chat", "vision"]), shown(True), shown(Decimal("0.50")), shown(None)
    ('chat,vision', 'true', '0.50', None)
    """
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ",".join(str(item) for item in value)
    if isinstance(value, dict):
        return ",".join(f"{key}={item}" for key, item in sorted(value.items()))
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def changes(
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    *,
    model: str | None = None,
    secrets: Collection[str] = (),
) -> list[AuditChange]:
    """The fields of `after` whose shown value differs from `before`'s (a field missing
    from `before` was not there: a creation). A secret is compared by presence only."""
    found: list[AuditChange] = []
    for name, new in after.items():
        if name in secrets:
            found.extend(_secret(name, before.get(name), new, model))
            continue
        old = shown(before.get(name))
        if old != shown(new):
            found.append(AuditChange(name, old, shown(new), model))
    return found


def _secret(name: str, old: Any, new: Any, model: str | None) -> list[AuditChange]:
    """By presence only: a key replaced by another is said so by the caller, who knows."""
    if (old is None) == (new is None):
        return []
    if new is None:
        return [AuditChange(name, "set", "removed", model)]
    return [AuditChange(name, None, "set", model)]
