"""Probe history and each saved model's last probe.

`claim` is the rate limit across workers: one conditional UPDATE sets `probed_at` only when the
last probe is older than the interval, so of two workers probing at once one wins and the
other sends nothing. `record` stores the outcome: a history row, the summary on the model
(p50/p95 of its last `WINDOW` successful probes) and the history trimmed to `KEEP` rows.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from storage.models import ProbeResult, SavedModel
from storage.records import ProbeSummary

WINDOW = 50
KEEP = 200


async def claim(db_id: int, now: datetime, interval: float) -> datetime | None:
    """Mark the model probed at `now` if its last probe is older than `interval` seconds;
    else the time of that last probe (the caller refuses: rate limited)."""
    before = now - timedelta(seconds=interval)
    won = await SavedModel.filter(
        Q(id=db_id) & (Q(probed_at__isnull=True) | Q(probed_at__lte=before))
    ).update(probed_at=now, probe_ok=None)
    if won:
        return None
    rows = await SavedModel.filter(id=db_id).values("probed_at")
    return rows[0]["probed_at"] if rows else now


async def record(
    db_id: int, at: datetime, *, ok: bool, status: int | None, latency_ms: float, error: str | None
) -> None:
    async with in_transaction():
        await ProbeResult.create(
            saved_model_id=db_id, ok=ok, status=status, latency_ms=latency_ms, error=error, at=at
        )
        recent = (
            await ProbeResult.filter(saved_model_id=db_id, ok=True)
            .order_by("-at", "-id")
            .limit(WINDOW)
            .values("latency_ms")
        )
        latencies = sorted(float(row["latency_ms"]) for row in recent)
        await SavedModel.filter(id=db_id).update(
            probe_ok=ok,
            probe_status=status,
            probe_latency_ms=latency_ms,
            probe_error=error,
            probe_p50_ms=percentile(latencies, 50),
            probe_p95_ms=percentile(latencies, 95),
        )
        old = (
            await ProbeResult.filter(saved_model_id=db_id)
            .order_by("-at", "-id")
            .offset(KEEP)
            .values("id")
        )
        if old:
            await ProbeResult.filter(id__in=[row["id"] for row in old]).delete()


async def history(db_id: int, limit: int) -> list[ProbeSummary]:
    """The model's probes, newest first."""
    rows = await (
        ProbeResult.filter(saved_model_id=db_id)
        .order_by("-at", "-id")
        .limit(limit)
        .values("ok", "at", "status", "latency_ms", "error")
    )
    return [ProbeSummary(**{**row, "ok": bool(row["ok"])}) for row in rows]


def percentile(values: list[float], p: int) -> float | None:
    """The nearest-rank percentile of sorted `values`; None when there are none.

    >>> percentile([10.0, 20.0, 30.0, 40.0], 50), percentile([10.0, 20.0, 30.0, 40.0], 95)
    (20.0, 40.0)
    """
    if not values:
        return None
    return values[max(0, math.ceil(p / 100 * len(values)) - 1)]
