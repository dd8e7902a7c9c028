"""Read operations of the providers domain."""

from __future__ import annotations

import strawberry

from catalog.access import MANAGE
from schema.context import Info
from schema.permissions import CanRead
from schema.providers.types import ProviderInstance, ProviderKind, ProviderList


@strawberry.type
class ProvidersQuery:
    @strawberry.field(
        permission_classes=[CanRead],
        description="The provider kinds this server knows and the instances stored.",
    )
    async def providers(self, info: Info) -> ProviderList:
        catalog, principal = info.context.catalog, info.context.principal
        manager = principal is not None and principal.may(MANAGE)
        records = await catalog.providers.instances()
        return ProviderList(
            kinds=[ProviderKind.from_spec(spec) for spec in catalog.kinds],
            instances=[ProviderInstance.from_record(r, manager=manager) for r in records],
        )
