"""Write operations of the providers domain: add, change, deactivate. All need `ai.manage`."""

from __future__ import annotations

from typing import Annotated

import strawberry

from catalog.instances import NewProvider, ProviderChanges
from errors import InvalidInputError
from schema.context import Info
from schema.permissions import CanManage
from schema.providers.types import AddProviderInput, ProviderInstance, UpdateProviderInput

SLUG = "The provider instance's slug."


def _changes(data: UpdateProviderInput) -> ProviderChanges:
    changes = ProviderChanges()
    if data.display_name is not strawberry.UNSET:
        if data.display_name is None:
            raise InvalidInputError("displayName cannot be null")
        changes["display_name"] = data.display_name
    if data.base_url is not strawberry.UNSET:
        changes["base_url"] = data.base_url
    if data.api_key is not strawberry.UNSET:
        changes["api_key"] = data.api_key
    if data.ttl is not strawberry.UNSET:
        changes["ttl"] = data.ttl
    if data.is_active is not strawberry.UNSET:
        if data.is_active is None:
            raise InvalidInputError("isActive cannot be null")
        changes["is_active"] = data.is_active
    return changes


@strawberry.type
class ProvidersMutation:
    @strawberry.mutation(
        permission_classes=[CanManage],
        description=(
            "Add a provider instance. Several instances of one kind are allowed (e.g. two "
            "`openai_compatible` gateways). The API key is stored encrypted."
        ),
    )
    async def add_provider(
        self,
        info: Info,
        input: Annotated[
            AddProviderInput, strawberry.argument(description="The new instance's settings.")
        ],
    ) -> ProviderInstance:
        record = await info.context.catalog.providers.add(
            info.context.actor,
            NewProvider(
                slug=input.slug,
                kind=input.kind,
                display_name=input.display_name,
                base_url=input.base_url,
                api_key=input.api_key,
                ttl=input.ttl,
            ),
        )
        return ProviderInstance.from_record(record)

    @strawberry.mutation(
        permission_classes=[CanManage],
        description="Change an instance; fields left out keep their value.",
    )
    async def update_provider(
        self,
        info: Info,
        slug: Annotated[str, strawberry.argument(description=SLUG)],
        input: Annotated[
            UpdateProviderInput,
            strawberry.argument(description="Only the fields given change."),
        ],
    ) -> ProviderInstance:
        record = await info.context.catalog.providers.update(
            info.context.actor, slug, _changes(input)
        )
        return ProviderInstance.from_record(record)

    @strawberry.mutation(
        permission_classes=[CanManage],
        description=(
            "Deactivate an instance: its list is no longer fetched, its saved models stay. "
            "`updateProvider(input: {isActive: true})` reactivates it."
        ),
    )
    async def deactivate_provider(
        self, info: Info, slug: Annotated[str, strawberry.argument(description=SLUG)]
    ) -> ProviderInstance:
        record = await info.context.catalog.providers.deactivate(info.context.actor, slug)
        return ProviderInstance.from_record(record)
