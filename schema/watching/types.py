"""GraphQL types of the watching domain. A webhook endpoint never shows its secret: it is
returned once, by `registerWebhook`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from strawberry.scalars import JSON

from catalog.watch.endpoints import Registered
from catalog.watch.service import FeedEntry
from storage.records.activity import DeliveryRecord, SyncRunRecord, WebhookEndpointRecord


@strawberry.type(
    description="One refresh of a provider's list, and how it differed from the one before."
)
class SyncRun:
    id: strawberry.ID = strawberry.field(description="The run's id; also its cursor.")
    provider: str = strawberry.field(description="The provider instance's slug.")
    trigger: str = strawberry.field(
        description=(
            "`scheduled`, `manual` (`refreshModels`), `cli` or `request` (a list found expired)."
        )
    )
    started_at: datetime = strawberry.field(description="When it ran (UTC).")
    duration_ms: int = strawberry.field(description="How long the fetch took, in milliseconds.")
    outcome: str = strawberry.field(description="`ok` or `failed` (the last good list was kept).")
    models: int | None = strawberry.field(description="Models listed; null when it failed.")
    added: int = strawberry.field(description="Models that appeared.")
    removed: int = strawberry.field(description="Models that vanished.")
    changed: int = strawberry.field(
        description=(
            "Models whose price, context window, max output, capabilities or retirement date "
            "changed."
        )
    )
    cosmetic: int = strawberry.field(
        description="Models whose name or description alone changed (never counted as changed)."
    )
    baseline: bool = strawberry.field(
        description="True when there was no earlier list to compare with (a first fetch)."
    )
    error: str | None = strawberry.field(description="What went wrong, when it failed.")

    @classmethod
    def of(cls, run: SyncRunRecord) -> SyncRun:
        values: dict[str, Any] = {
            name: getattr(run, name) for name in SyncRunRecord.__dataclass_fields__
        }
        return cls(**{**values, "id": strawberry.ID(str(run.id))})


@strawberry.type(description="A page of the sync log, newest first.")
class SyncRunPage:
    runs: list[SyncRun] = strawberry.field(description="The runs of this page.")
    has_more: bool = strawberry.field(description="True when older runs follow.")
    end_cursor: str | None = strawberry.field(
        description="The last entry's cursor: pass as `after` for the next page."
    )


@strawberry.type(description="One figure of a model that differs between two lists.")
class FigureChange:
    field: str = strawberry.field(
        description=(
            "The figure: `input_price`, `output_price`, `context_window`, `max_output_tokens`, "
            "`capabilities`, `expires_at`, `name` or `description`."
        )
    )
    old: JSON | None = strawberry.field(
        description="Its value before (a price as a decimal string)."
    )
    new: JSON | None = strawberry.field(description="Its value now.")
    material: bool = strawberry.field(description="False for name and description (cosmetic).")


@strawberry.type(description="A model that appeared, vanished or changed upstream in one refresh.")
class CatalogChange:
    id: strawberry.ID = strawberry.field(description="The entry's id; also its cursor.")
    run_id: strawberry.ID = strawberry.field(description="The sync run that found it.")
    provider: str = strawberry.field(description="The provider instance's slug.")
    model_id: str = strawberry.field(description="The provider's id for the model.")
    name: str = strawberry.field(description="The model's name in the list.")
    kind: str = strawberry.field(
        description=(
            "`added`, `removed`, `changed` (a material figure) or `cosmetic` (name or "
            "description only)."
        )
    )
    at: datetime = strawberry.field(description="When the refresh ran (UTC).")
    saved: bool = strawberry.field(description="Whether the model is saved now.")
    active: bool = strawberry.field(description="Whether it is saved and active now.")
    changes: list[FigureChange] = strawberry.field(description="The figures that differ.")

    @classmethod
    def of(cls, entry: FeedEntry) -> CatalogChange:
        change = entry.change
        return cls(
            id=strawberry.ID(str(change.id)),
            run_id=strawberry.ID(str(change.run_id)),
            provider=change.provider,
            model_id=change.model_id,
            name=change.name,
            kind=change.kind,
            at=change.at,
            saved=entry.saved,
            active=entry.active,
            changes=[FigureChange(**dict(figure)) for figure in change.fields],
        )


@strawberry.type(description="A page of the change feed, newest first.")
class CatalogChangePage:
    changes: list[CatalogChange] = strawberry.field(description="The entries of this page.")
    has_more: bool = strawberry.field(description="True when older entries follow.")
    end_cursor: str | None = strawberry.field(
        description="The last entry's cursor: pass as `after` for the next page."
    )


@strawberry.type(
    description="Where events are POSTed, signed per the Standard Webhooks specification."
)
class WebhookEndpoint:
    id: strawberry.ID = strawberry.field(description="The endpoint's id.")
    url: str = strawberry.field(description="Where deliveries are POSTed.")
    description: str = strawberry.field(description="What the admin said it is for.")
    events: list[str] = strawberry.field(
        description=(
            "The event types it gets: `model.missing`, `model.retiring`, `model.changed`, "
            "`refresh.failing`, `models.added`."
        )
    )
    is_active: bool = strawberry.field(description="False: no deliveries are queued for it.")
    created_at: datetime = strawberry.field(description="When it was registered.")

    @classmethod
    def of(cls, record: WebhookEndpointRecord) -> WebhookEndpoint:
        return cls(
            id=strawberry.ID(str(record.id)),
            url=record.url,
            description=record.description,
            events=list(record.events),
            is_active=record.is_active,
            created_at=record.created_at,
        )


@strawberry.type(description="A registered endpoint and its signing secret, shown this once.")
class RegisteredWebhook:
    endpoint: WebhookEndpoint = strawberry.field(description="The endpoint.")
    secret: str = strawberry.field(
        description="The `whsec_...` secret receivers verify signatures with; never shown again."
    )

    @classmethod
    def of(cls, registered: Registered) -> RegisteredWebhook:
        return cls(endpoint=WebhookEndpoint.of(registered.endpoint), secret=registered.secret)


@strawberry.type(description="One event's delivery to one endpoint.")
class WebhookDelivery:
    id: strawberry.ID = strawberry.field(description="The delivery's id; also its cursor.")
    endpoint_id: strawberry.ID = strawberry.field(description="The endpoint it goes to.")
    url: str = strawberry.field(description="The endpoint's URL.")
    message_id: str = strawberry.field(
        description="The `webhook-id` header, the same on every retry."
    )
    event_type: str = strawberry.field(description="The event's type.")
    payload: JSON = strawberry.field(description="The event's `data`.")
    status: str = strawberry.field(
        description="`pending` (to be tried), `delivered` or `failed` (given up)."
    )
    attempts: int = strawberry.field(description="Attempts so far.")
    next_attempt_at: datetime = strawberry.field(
        description="When a pending delivery is tried next."
    )
    response_status: int | None = strawberry.field(description="The last answer's HTTP status.")
    last_error: str | None = strawberry.field(description="What the last failed attempt got.")
    created_at: datetime = strawberry.field(description="When the event was queued.")
    delivered_at: datetime | None = strawberry.field(description="When a 2xx answer came.")

    @classmethod
    def of(cls, record: DeliveryRecord) -> WebhookDelivery:
        values: dict[str, Any] = {
            name: getattr(record, name) for name in DeliveryRecord.__dataclass_fields__
        }
        values["payload"] = dict(record.payload)
        values["id"] = strawberry.ID(str(record.id))
        values["endpoint_id"] = strawberry.ID(str(record.endpoint_id))
        return cls(**values)


@strawberry.type(description="A page of the delivery log, newest first.")
class WebhookDeliveryPage:
    deliveries: list[WebhookDelivery] = strawberry.field(description="The deliveries of this page.")
    has_more: bool = strawberry.field(description="True when older deliveries follow.")
    end_cursor: str | None = strawberry.field(
        description="The last entry's cursor: pass as `after` for the next page."
    )
