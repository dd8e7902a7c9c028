"""Managing webhook endpoints and sending a test event. All need `ai.manage`."""

from __future__ import annotations

from typing import Annotated

import strawberry

from catalog.watch.endpoints import NewEndpoint
from errors import InvalidInputError
from schema.context import Info
from schema.permissions import CanManage
from schema.watching.types import RegisteredWebhook, WebhookDelivery, WebhookEndpoint

IdArg = Annotated[strawberry.ID, strawberry.argument(description="The endpoint's id.")]


def endpoint_id(value: strawberry.ID) -> int:
    if not str(value).isdigit() or len(str(value)) > 18:
        raise InvalidInputError("id: not a webhook endpoint id")
    return int(value)


@strawberry.input(description="A new webhook endpoint.")
class RegisterWebhookInput:
    url: str = strawberry.field(
        description="An http:// or https:// URL (see the README's SSRF stance)."
    )
    events: list[str] | None = strawberry.field(
        default=None,
        description=(
            "Event types to send; default all but the opt-in `models.added`: `model.missing`, "
            "`model.retiring`, `model.changed`, `refresh.failing`."
        ),
    )
    secret: str | None = strawberry.field(
        default=None, description="A `whsec_...` secret of your own; default: one is generated."
    )
    description: str = strawberry.field(default="", description="What it is for.")


@strawberry.input(description="Changes to an endpoint; fields left out keep their value.")
class UpdateWebhookInput:
    url: str | None = strawberry.field(default=None, description="A new URL.")
    events: list[str] | None = strawberry.field(default=None, description="New event types.")
    is_active: bool | None = strawberry.field(default=None, description="False pauses it.")
    description: str | None = strawberry.field(default=None, description="A new description.")


@strawberry.type
class WatchingMutation:
    @strawberry.mutation(
        permission_classes=[CanManage],
        description=(
            "Register a webhook endpoint. Its secret is stored encrypted and returned here "
            "only: keep it to verify the `webhook-signature` header."
        ),
    )
    async def register_webhook(
        self,
        info: Info,
        input: Annotated[RegisterWebhookInput, strawberry.argument(description="The endpoint.")],
    ) -> RegisteredWebhook:
        registered = await info.context.catalog.watch.register_webhook(
            info.context.actor,
            NewEndpoint(
                url=input.url,
                events=input.events,
                secret=input.secret,
                description=input.description,
            ),
        )
        return RegisteredWebhook.of(registered)

    @strawberry.mutation(permission_classes=[CanManage], description="Change an endpoint.")
    async def update_webhook(
        self,
        info: Info,
        id: IdArg,
        input: Annotated[UpdateWebhookInput, strawberry.argument(description="What changes.")],
    ) -> WebhookEndpoint:
        record = await info.context.catalog.watch.update_webhook(
            info.context.actor,
            endpoint_id(id),
            url=input.url,
            events=input.events,
            is_active=input.is_active,
            description=input.description,
        )
        return WebhookEndpoint.of(record)

    @strawberry.mutation(
        permission_classes=[CanManage],
        description="Remove an endpoint and its delivery log; true when done.",
    )
    async def remove_webhook(self, info: Info, id: IdArg) -> bool:
        await info.context.catalog.watch.remove_webhook(info.context.actor, endpoint_id(id))
        return True

    @strawberry.mutation(
        permission_classes=[CanManage],
        description="Send a signed `webhook.test` event to an endpoint now; its delivery.",
    )
    async def send_test_webhook(self, info: Info, id: IdArg) -> WebhookDelivery:
        return WebhookDelivery.of(
            await info.context.catalog.watch.send_test_webhook(info.context.actor, endpoint_id(id))
        )
