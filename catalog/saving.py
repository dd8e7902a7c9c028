"""The saved-model writes: save one model, bulk-sync the N best, clear, switch on and off.

Each runs its storage writes inside its audit entry (`AuditLog.recording`), so the change and
its entry commit together. A write reads the list fresh or from the cache, but never from a
stale copy.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from catalog.audit import Actor, changes
from catalog.clock import utc
from catalog.core import CatalogCore, refuse_stale
from catalog.curation import unlisted_values
from catalog.ranking import best_first
from catalog.resolve import ResolvedProvider
from errors import InvalidInputError, NotFoundError
from providers import Capability, ModelRecord
from storage import saved
from storage.figures import CAPABILITIES, FIGURES, reader
from storage.providers import find_provider_record
from storage.records import ModelValues, StoredModel

MAX_SYNC = 1000
_read_figures = reader([figure for figure in FIGURES if figure.record])
"""Every figure a list gives, read off a live record (`storage.figures.reader`)."""


@dataclass(frozen=True, slots=True)
class SyncResult:
    created: int
    updated: int
    model_ids: tuple[str, ...]


class SavedWrites(CatalogCore):
    """`Catalog`'s writes to the saved models (see the module docstring)."""

    async def save_model(
        self,
        actor: Actor,
        slug: str,
        model_id: str,
        *,
        capabilities: Sequence[Capability] | None,
        is_active: bool | None,
        unlisted: bool = False,
        figures: Mapping[str, Any] | None = None,
    ) -> tuple[StoredModel, bool]:
        """Store one model read fresh from the upstream (a stale copy is refused).

        A model the list does not have is refused, unless `unlisted`: then it is saved
        marked unlisted, with the admin's `figures` (by figure name, see
        `catalog.curation.GIVEN`) and `capabilities` (required). A listed model is saved
        from the list whatever `unlisted` says; `figures` are only for unlisted ones.
        """
        if capabilities is not None and not capabilities:
            raise InvalidInputError(
                "capabilities, when given, must name at least one", field="capabilities"
            )
        provider, snapshot = await self.live(slug, use_cache=False)
        refuse_stale(snapshot)
        record = snapshot.by_id.get(model_id)
        values = _values(slug, model_id, record, unlisted, capabilities, figures)
        async with self.audit.recording(actor, "saveModel", provider=slug) as entry:
            provider_id = await self._ensure_row(provider)
            before = await saved.get_saved(provider_id, model_id)
            stored, created = await saved.save_model(
                provider_id,
                values,
                is_active=is_active,
                overridden=capabilities is not None or record is None,
                unlisted=record is None,
            )
            entry.model_ids.append(model_id)
            entry.changes += changes(_audited(before), _audited(stored), model=model_id)
            entry.details["created"] = created
            if record is None:
                entry.details["unlisted"] = True
        return stored, created

    async def bulk_sync(
        self,
        actor: Actor,
        slug: str,
        *,
        capability: Capability | None,
        limit: int,
        activate_first: bool,
    ) -> SyncResult:
        """Store the `limit` best models (see `catalog.ranking`) in one transaction."""
        if not 1 <= limit <= MAX_SYNC:
            raise InvalidInputError(f"limit must be between 1 and {MAX_SYNC}, not {limit}")
        # the provider's row alone (`live` would read its saved models too, unused here)
        provider = self.resolve(slug, await find_provider_record(slug))
        snapshot = await self.snapshot(provider)
        refuse_stale(snapshot)
        models = [m for m in snapshot.models if capability is None or capability in m.capabilities]
        chosen = best_first(models, utc(self.clock))[:limit]
        async with self.audit.recording(actor, "bulkSync", provider=slug) as entry:
            provider_id = await self._ensure_row(provider)
            created, updated = await saved.bulk_upsert(
                provider_id, [to_values(m, None) for m in chosen], activate_first=activate_first
            )
            entry.model_ids += [m.id for m in chosen]
            entry.details.update(created=created, updated=updated, limit=limit)
            entry.details.update(capability=capability, activateFirst=activate_first)
        return SyncResult(created, updated, tuple(m.id for m in chosen))

    async def clear(self, actor: Actor, slug: str, *, keep_active: bool) -> int:
        state = await self.state(slug)
        if state.provider is None:
            self.resolve(slug, None)  # an unknown slug is an error, a known one has nothing
        async with self.audit.recording(actor, "clearModels", provider=slug) as entry:
            if state.provider is not None:
                entry.model_ids += await saved.clear_models(
                    state.provider.id, keep_active=keep_active
                )
            entry.details.update(deleted=len(entry.model_ids), keepActive=keep_active)
        return len(entry.model_ids)

    async def set_active(
        self, actor: Actor, slug: str, model_ids: Sequence[str], *, active: bool
    ) -> int:
        """Enable or disable saved models at once; all or nothing if one is not saved."""
        if not model_ids:
            raise InvalidInputError("modelIds must name at least one model")
        state = await self.state(slug)
        if state.provider is None:
            self.resolve(slug, None)
            raise NotFoundError(f"no saved models for provider {slug!r}")
        unknown = [model_id for model_id in model_ids if model_id not in state.saved]
        if unknown:
            raise NotFoundError(f"not saved for {slug!r}: {', '.join(unknown[:10])}")
        async with self.audit.recording(actor, "setModelsActive", provider=slug) as entry:
            missing = await saved.set_active(state.provider.id, model_ids, active=active)
            entry.model_ids += model_ids
            for model_id in dict.fromkeys(model_ids):
                was = {"is_active": state.saved[model_id].is_active}
                entry.changes += changes(was, {"is_active": active}, model=model_id)
        if missing:  # deleted between the two statements: report, the update stands
            raise NotFoundError(f"not saved for {slug!r}: {', '.join(missing[:10])}")
        return len(set(model_ids))

    async def _ensure_row(self, provider: ResolvedProvider) -> int:
        if provider.stored_id is not None:
            return provider.stored_id
        spec = provider.endpoint.spec
        return await saved.ensure_provider(provider.slug, spec.kind, spec.display_name)


def _values(
    slug: str,
    model_id: str,
    record: ModelRecord | None,
    unlisted: bool,
    capabilities: Sequence[Capability] | None,
    figures: Mapping[str, Any] | None,
) -> ModelValues:
    """What `save_model` stores: the listed `record`'s figures, or, for a model the list does
    not have and `unlisted` allows, the admin's."""
    if record is None and not unlisted:
        raise NotFoundError(
            f"model {model_id!r} is not offered by {slug!r} right now (a model it does "
            "not list, such as a fine-tune, is saved with unlisted: true)",
            field="modelId",
        )
    if record is not None and figures:
        raise InvalidInputError(
            f"{slug!r} lists {model_id!r}: its figures come from the list", field="figures"
        )
    if record is None:
        return unlisted_values(model_id, capabilities, figures or {})
    return to_values(record, capabilities)


def _audited(model: StoredModel | None) -> dict[str, Any]:
    """What the audit log compares of a saved model: its shown figures and its flag."""
    if model is None:
        return {}
    return {**model.figures, "is_active": model.is_active}


def to_values(record: ModelRecord, capabilities: Sequence[Capability] | None) -> ModelValues:
    """What saving `record` stores: each figure read off the live record (`storage.figures`);
    `capabilities`, when an admin gives them, instead of the detected ones."""
    figures = _read_figures(record)
    if capabilities is not None:
        figures[CAPABILITIES] = list(capabilities)
    return ModelValues(record.id, figures)
