"""Webhook endpoints, events and their deliveries (the outbox), and the scheduler's lease.

An event is stored once (its `key` is unique) together with one delivery per subscribed
endpoint, in one transaction. Deliveries are claimed before they are sent: on PostgreSQL with
`FOR UPDATE SKIP LOCKED` (workers never wait on each other's rows), and everywhere with a
conditional UPDATE on `claimed_until`, so one delivery is in flight in one process at a time.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from tortoise import connections
from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from errors import NotFoundError
from storage.models import Lease, WebhookDelivery, WebhookEndpoint, WebhookEvent
from storage.records.activity import DeliveryRecord, WebhookEndpointRecord

_ENDPOINT_FIELDS = (
    "id",
    "url",
    "description",
    "secret_encrypted",
    "events",
    "is_active",
    "created_at",
)
_DELIVERY_FIELDS = (
    "id",
    "endpoint_id",
    "endpoint__url",
    "message_id",
    "event__type",
    "event__payload",
    "status",
    "attempts",
    "next_attempt_at",
    "response_status",
    "last_error",
    "created_at",
    "delivered_at",
)
UPDATABLE = frozenset({"url", "description", "secret_encrypted", "events", "is_active"})


async def create_endpoint(values: Mapping[str, Any]) -> WebhookEndpointRecord:
    row = await WebhookEndpoint.create(**values)
    return await get_endpoint(row.id)


async def update_endpoint(endpoint_id: int, changes: Mapping[str, Any]) -> WebhookEndpointRecord:
    unknown = set(changes) - UPDATABLE
    if unknown:
        raise ValueError(f"not updatable: {sorted(unknown)}")
    if changes and not await WebhookEndpoint.filter(id=endpoint_id).update(**changes):
        raise NotFoundError(f"no webhook endpoint {endpoint_id}")
    return await get_endpoint(endpoint_id)


async def delete_endpoint(endpoint_id: int) -> None:
    async with in_transaction():
        await WebhookDelivery.filter(endpoint_id=endpoint_id).delete()
        if not await WebhookEndpoint.filter(id=endpoint_id).delete():
            raise NotFoundError(f"no webhook endpoint {endpoint_id}")


async def get_endpoint(endpoint_id: int) -> WebhookEndpointRecord:
    rows = await WebhookEndpoint.filter(id=endpoint_id).values(*_ENDPOINT_FIELDS)
    if not rows:
        raise NotFoundError(f"no webhook endpoint {endpoint_id}")
    return _endpoint(rows[0])


async def list_endpoints() -> list[WebhookEndpointRecord]:
    rows = await WebhookEndpoint.all().order_by("id").values(*_ENDPOINT_FIELDS)
    return [_endpoint(row) for row in rows]


async def rotate_secrets(rotate: Callable[[str], str]) -> int:
    """Re-encrypt every endpoint's secret with `rotate`, all or none; how many."""
    async with in_transaction():
        rows = await WebhookEndpoint.all().values_list("id", "secret_encrypted")
        for row_id, token in rows:
            await WebhookEndpoint.filter(id=row_id).update(secret_encrypted=rotate(str(token)))
    return len(rows)


async def enqueue(
    key: str,
    event_type: str,
    payload: Mapping[str, Any],
    now: datetime,
    *,
    endpoint_id: int | None = None,
) -> int | None:
    """Store the event and a delivery to each active endpoint subscribed to its type (or to
    `endpoint_id` alone); None when an event with this key exists already. Returns how many
    deliveries were queued."""
    try:
        async with in_transaction():
            event = await WebhookEvent.create(
                key=key, type=event_type, payload=dict(payload), created_at=now
            )
            targets = await _targets(event_type, endpoint_id)
            await WebhookDelivery.bulk_create(
                [
                    WebhookDelivery(
                        endpoint_id=target,
                        event_id=event.id,
                        message_id=f"msg_{uuid.uuid4().hex}",
                        next_attempt_at=now,
                        created_at=now,
                    )
                    for target in targets
                ]
            )
    except IntegrityError:
        return None  # another worker (or an earlier run) stored this event: it is told once
    return len(targets)


async def _targets(event_type: str, endpoint_id: int | None) -> list[int]:
    if endpoint_id is not None:
        return [endpoint_id]
    rows = await WebhookEndpoint.filter(is_active=True).values("id", "events")
    return [int(row["id"]) for row in rows if event_type in (row["events"] or ())]


async def claim_due(now: datetime, until: datetime, limit: int) -> list[DeliveryRecord]:
    """Claim up to `limit` pending deliveries due by `now`, for this process until `until`."""
    due = Q(status="pending", next_attempt_at__lte=now) & (
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    )
    claimed: list[int] = []
    async with in_transaction():
        query = WebhookDelivery.filter(due).order_by("next_attempt_at", "id").limit(limit)
        if connections.get("default").capabilities.dialect == "postgres":
            query = query.select_for_update(skip_locked=True)
        for row_id in await query.values_list("id", flat=True):
            # the conditional UPDATE is what makes the claim exclusive on every database
            if await WebhookDelivery.filter(due, id=row_id).update(claimed_until=until):
                claimed.append(int(row_id))  # type: ignore[call-overload]
    return await deliveries_by_id(claimed)


async def deliveries_by_id(ids: Sequence[int]) -> list[DeliveryRecord]:
    rows = await WebhookDelivery.filter(id__in=list(ids)).order_by("id").values(*_DELIVERY_FIELDS)
    return [_delivery(row) for row in rows]


async def secret_of(endpoint_id: int) -> str:
    return (await get_endpoint(endpoint_id)).secret_encrypted


async def record_attempt(
    delivery_id: int,
    *,
    delivered: bool,
    given_up: bool,
    response_status: int | None,
    error: str | None,
    now: datetime,
    next_attempt_at: datetime,
) -> None:
    """One attempt's outcome: delivered, retried at `next_attempt_at`, or given up."""
    status = "delivered" if delivered else "failed" if given_up else "pending"
    row = await WebhookDelivery.get(id=delivery_id)
    await WebhookDelivery.filter(id=delivery_id).update(
        status=status,
        attempts=row.attempts + 1,
        response_status=response_status,
        last_error=error,
        claimed_until=None,
        next_attempt_at=next_attempt_at,
        delivered_at=now if delivered else None,
    )


async def list_deliveries(
    endpoint_id: int | None, *, first: int, before_id: int | None
) -> list[DeliveryRecord]:
    """The delivery log, newest first (`first + 1` rows)."""
    query = WebhookDelivery.all()
    if endpoint_id is not None:
        query = query.filter(endpoint_id=endpoint_id)
    if before_id is not None:
        query = query.filter(id__lt=before_id)
    rows = await query.order_by("-id").limit(first + 1).values(*_DELIVERY_FIELDS)
    return [_delivery(row) for row in rows]


async def prune_events(before: datetime) -> None:
    """Forget finished deliveries and their events older than `before`."""
    async with in_transaction():
        await WebhookDelivery.filter(created_at__lt=before, status__not="pending").delete()
        old = WebhookEvent.filter(created_at__lt=before, deliveries__isnull=True)
        await WebhookEvent.filter(id__in=await old.values_list("id", flat=True)).delete()


async def take_lease(name: str, holder: str, *, now: datetime, until: datetime) -> bool:
    """Hold `name` until `until` if it is free, expired or already ours (one UPDATE, or the
    INSERT of a new row: the primary key lets one process win)."""
    free = Q(name=name) & (Q(holder=holder) | Q(expires_at__lt=now))
    if await Lease.filter(free).update(holder=holder, expires_at=until):
        return True
    try:
        await Lease.create(name=name, holder=holder, expires_at=until)
    except IntegrityError:
        return False
    return True


def _endpoint(row: Mapping[str, Any]) -> WebhookEndpointRecord:
    return WebhookEndpointRecord(
        id=int(row["id"]),
        url=str(row["url"]),
        description=str(row["description"]),
        secret_encrypted=str(row["secret_encrypted"]),
        events=tuple(row["events"] or ()),
        is_active=bool(row["is_active"]),
        created_at=row["created_at"],
    )


def _delivery(row: Mapping[str, Any]) -> DeliveryRecord:
    return DeliveryRecord(
        id=int(row["id"]),
        endpoint_id=int(row["endpoint_id"]),
        url=str(row["endpoint__url"]),
        message_id=str(row["message_id"]),
        event_type=str(row["event__type"]),
        payload=dict(row["event__payload"] or {}),
        status=str(row["status"]),
        attempts=int(row["attempts"]),
        next_attempt_at=row["next_attempt_at"],
        response_status=row["response_status"],
        last_error=row["last_error"],
        created_at=row["created_at"],
        delivered_at=row["delivered_at"],
    )
