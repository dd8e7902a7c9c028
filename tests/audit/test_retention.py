"""`AUDIT_RETENTION_DAYS`: entries past it are deleted (their models with them) by the next
write after an hour; `0` keeps every entry."""

from __future__ import annotations

import dataclasses

from settings import Settings
from storage.models import AuditEntry, AuditModel
from tests.clock import ManualClock
from tests.service import running_service

SYNC = 'mutation($n: Int!) { bulkSync(provider: "openrouter", limit: $n) { created } }'
DAY = 24 * 3600.0


async def test_entries_past_the_retention_are_deleted(settings: Settings) -> None:
    clock = ManualClock()
    kept_a_day = dataclasses.replace(settings, audit_retention_days=1)
    async with running_service(kept_a_day, clock=clock) as service:
        await service.gql(SYNC, {"n": 3})
        clock.advance(DAY / 2)
        await service.gql(SYNC, {"n": 2})  # nothing is a day old yet
        assert await AuditEntry.all().count() == 2
        clock.advance(DAY)  # the first is 1.5 days old, the second 1 day
        await service.gql(SYNC, {"n": 4})
        assert await AuditEntry.all().count() == 2
        assert await AuditModel.all().count() == 2 + 4  # the first entry's 3 went with it


async def test_zero_keeps_every_entry(settings: Settings) -> None:
    clock = ManualClock()
    for_ever = dataclasses.replace(settings, audit_retention_days=0)
    async with running_service(for_ever, clock=clock) as service:
        await service.gql(SYNC, {"n": 1})
        clock.advance(3650 * DAY)
        await service.gql(SYNC, {"n": 1})
        assert await AuditEntry.all().count() == 2
