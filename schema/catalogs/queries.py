"""`catalogs`: the catalogs in use and their freshness."""

from __future__ import annotations

import strawberry

from schema.catalogs.types import PriceCatalog
from schema.context import Info
from schema.permissions import CanRead


@strawberry.type
class CatalogsQuery:
    @strawberry.field(
        permission_classes=[CanRead],
        description=(
            "The catalogs prices and metadata come from when a provider's list has none: "
            "version, data date, origin. `ai-model-sync catalogs update` fetches newer data."
        ),
    )
    async def catalogs(self, info: Info) -> list[PriceCatalog]:
        return [PriceCatalog.of(item) for item in await info.context.catalog.catalog_info()]
