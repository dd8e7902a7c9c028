"""Drift as an operation: the report of how saved models differ from the live list
(`catalog.drift` compares), and `sync_saved`, which applies the list's figures to them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from catalog.audit import Actor, shown
from catalog.clock import utc
from catalog.core import CatalogCore, refuse_stale
from catalog.drift import DEFAULT_RETIRE_WITHIN, MAX_RETIRE_WITHIN_DAYS, DriftReport, compare
from catalog.saving import to_values
from errors import InvalidInputError
from storage import rewrite
from storage.figures import COMPARED, DISPLAY_NAME, FIGURE
from storage.records.activity import AuditChange
from storage.state import saved_with_figures


@dataclass(frozen=True, slots=True)
class SavedSyncResult:
    """What `sync_saved` did: the report it acted on and the models it rewrote."""

    report: DriftReport
    updated: tuple[str, ...]


class DriftSync(CatalogCore):
    """`Catalog`'s drift report and drift sync (see the module docstring)."""

    async def drift(
        self,
        slug: str,
        *,
        use_cache: bool = True,
        retire_within_days: int = DEFAULT_RETIRE_WITHIN.days,
    ) -> DriftReport:
        """How the saved models differ from the live list (see `catalog.drift`).

        One query reads the provider and every saved model; the list comes from the cache,
        served stale (and reported so) when the upstream fails.
        """
        retire_within = _retire_within(retire_within_days)
        state = await saved_with_figures(slug, (*COMPARED, FIGURE[DISPLAY_NAME]))
        provider = self.resolve(slug, state.provider)
        snapshot = await self.snapshot(provider, use_cache=use_cache)
        return compare(
            state.models,
            snapshot,
            now=utc(self.clock),
            retire_within=retire_within,
            complete_list=provider.endpoint.spec.complete_list,
        )

    async def sync_saved(
        self, actor: Actor, slug: str, *, use_cache: bool = True
    ) -> SavedSyncResult:
        """Apply the upstream's current figures to the changed saved models, in one transaction.

        Each model keeps its active flag and any capabilities an admin set; missing (and
        unlisted) models are left as they are, and reported. A stale list is refused: nothing
        is written.
        """
        state = await self.state(slug)
        provider = self.resolve(slug, state.provider)
        snapshot = await self.snapshot(provider, use_cache=use_cache)
        refuse_stale(snapshot)
        now, complete = utc(self.clock), provider.endpoint.spec.complete_list
        async with self.audit.recording(actor, "syncSavedModels", provider=slug) as entry:
            if state.provider is None:  # nothing was ever saved for this provider
                empty = compare((), snapshot, now=now, complete_list=complete)
                return SavedSyncResult(empty, ())
            async with rewrite.saved_for_update(state.provider.id, slug) as batch:
                report = compare(batch.models, snapshot, now=now, complete_list=complete)
                changed = [snapshot.by_id[model.model_id] for model in report.changed]
                await batch.write([to_values(record, None) for record in changed])
            entry.model_ids += [record.id for record in changed]
            entry.changes += drift_changes(report)
            entry.details.update(missing=len(report.missing), unchanged=len(report.unchanged))
        return SavedSyncResult(report, tuple(record.id for record in changed))


def drift_changes(report: DriftReport) -> list[AuditChange]:
    """The figures a drift sync rewrote, model by model (an admin's override is kept)."""
    return [
        AuditChange(change.field, shown(change.old), shown(change.new), model.model_id)
        for model in report.changed
        for change in model.changes
        if not change.overridden
    ]


def _retire_within(days: int) -> timedelta:
    most = MAX_RETIRE_WITHIN_DAYS
    if not 0 <= days <= most:
        raise InvalidInputError(f"the retirement window must be 0 to {most} days, not {days}")
    return timedelta(days=days)
