"""GraphQL types of the catalogs' freshness."""

from __future__ import annotations

import strawberry

from catalog.catalogs import CatalogInfo


@strawberry.type(description="How many models a catalog knows for one provider kind.")
class CatalogCoverage:
    kind: str = strawberry.field(description="The provider kind (`openai`, `gemini`, ...).")
    models: int = strawberry.field(description="Models the catalog lists for it.")


@strawberry.type(
    description=(
        "A catalog the service fills missing figures from: its version, the date of its data, "
        "and where the data in use was read from."
    )
)
class PriceCatalog:
    name: str = strawberry.field(description="`genai-prices` (prices) or `models.dev` (metadata).")
    version: str = strawberry.field(
        description="The version in use: the package's, or the data's date after an update."
    )
    data_date: str | None = strawberry.field(
        description="The day (UTC) the data in use was taken; null: as the package shipped it."
    )
    origin: str = strawberry.field(
        description=(
            "Where it was read from: `installed package`, `shipped copy`, or the file "
            "`ai-model-sync catalogs update` wrote."
        )
    )
    source: str = strawberry.field(
        description="How a figure it filled names it in `sources` (`catalog:<name>@<version>`)."
    )
    coverage: list[CatalogCoverage] = strawberry.field(
        description="Models known per provider kind the service enriches."
    )

    @classmethod
    def of(cls, info: CatalogInfo) -> PriceCatalog:
        return cls(
            name=info.name,
            version=info.version,
            data_date=info.data_date,
            origin=info.origin,
            source=info.source,
            coverage=[CatalogCoverage(kind=k, models=n) for k, n in info.models.items()],
        )
