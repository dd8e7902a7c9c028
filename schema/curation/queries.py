"""Reading slots and routing a request (`slots`, `route`); both need `ai.read`."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.arguments import PROVIDER
from schema.context import Info
from schema.curation.types import ProbeRecord, Route, Slot
from schema.permissions import CanRead

SLOT = "The slot's name: `chat`, `title`, `embedding`, `transcription`, or any the app uses."


@strawberry.type
class CurationQuery:
    @strawberry.field(permission_classes=[CanRead], description="Every slot, by name.")
    async def slots(self, info: Info) -> list[Slot]:
        return [Slot.of(slot) for slot in await info.context.catalog.curation.slots()]

    @strawberry.field(
        permission_classes=[CanRead],
        description=(
            "Where a request for `slot` goes: its first model that is active, of an active "
            "provider, still listed (or saved as unlisted), not retired, and whose last probe "
            "did not fail; with the reason each earlier one was skipped. Never probes."
        ),
    )
    async def route(
        self, info: Info, slot: Annotated[str, strawberry.argument(description=SLOT)]
    ) -> Route:
        return Route.of(await info.context.catalog.curation.route(slot))

    @strawberry.field(
        permission_classes=[CanRead], description="A saved model's probes, newest first."
    )
    async def probe_history(
        self,
        info: Info,
        provider: Annotated[str, strawberry.argument(description=PROVIDER)],
        model_id: Annotated[
            str, strawberry.argument(description="The saved model's id at the provider.")
        ],
        last: Annotated[int, strawberry.argument(description="How many, 1 to 100.")] = 20,
    ) -> list[ProbeRecord]:
        found = await info.context.catalog.probes.history(provider, model_id, last)
        return [
            ProbeRecord(
                ok=bool(probe.ok),
                at=probe.at,
                status=probe.status,
                latency_ms=probe.latency_ms,
                error=probe.error,
            )
            for probe in found
        ]
