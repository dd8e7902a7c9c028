"""Routing: which saved model of a slot a request goes to, and why each earlier one was skipped.

Pure: `choose` takes a slot's models in order, which providers are active, what each provider
lists (a cached `Snapshot`, or None when no list could be had) and the time, and answers a
`Route`; `Catalog.route` (the GraphQL `route`, the CLI's `route`) reads those and calls it.

A model is usable when it is active, of an active provider, not `MISSING` upstream (a model
saved as unlisted, or absent from a list that is only a selection, is never missing), not
retired (its announced `expires_at` passed), and its last probe did not fail. When a
provider's list cannot be had at all, its models are not judged on it (a routing answer must
not depend on an upstream being up) and the route says so in `notes`.

Slot names: lower-case letters, digits, `_`, `-`, `.`; 1 to 64 characters. A slot named after
a capability (`chat`, `embedding`, ...) is that capability's default: `activeModel(chat)`
answers `route("chat")` when the slot exists.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from catalog.snapshot import Snapshot
from errors import InvalidInputError
from providers import Capability
from storage.records import StoredModel

_SLOT = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")
MAX_SLOT_MODELS = 20


class SkipReason(StrEnum):
    """Why `route` passed over a model of the slot."""

    INACTIVE = "the model is switched off"
    PROVIDER_INACTIVE = "its provider is deactivated"
    MISSING = "its provider no longer lists it"
    RETIRED = "its provider retired it"
    PROBE_FAILED = "its last probe failed"


@dataclass(frozen=True, slots=True)
class Listed:
    """What a provider lists now, and whether that list is complete (`ProviderSpec`)."""

    snapshot: Snapshot
    complete: bool = True


@dataclass(frozen=True, slots=True)
class Skipped:
    model: StoredModel
    reason: SkipReason
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Route:
    """The model a slot's request goes to (None: none is usable), and those passed over."""

    slot: str
    model: StoredModel | None
    skipped: tuple[Skipped, ...] = ()
    notes: tuple[str, ...] = field(default=())


def check_slot_name(name: str) -> str:
    """A slot name as stored, or `InvalidInputError` naming the argument."""
    if not _SLOT.match(name):
        raise InvalidInputError(
            f"invalid slot name {name[:80]!r}: 1-64 lower-case letters, digits, '_', '-' or '.'",
            field="slot",
        )
    return name


def default_capability(name: str) -> Capability | None:
    """The capability a slot of this name stands for by default (`chat` -> CHAT)."""
    try:
        return Capability(name)
    except ValueError:
        return None


def choose(
    slot: str,
    models: Sequence[StoredModel],
    *,
    provider_active: Mapping[str, bool],
    lists: Mapping[str, Listed | None],
    now: datetime,
) -> Route:
    """The first usable model of `models` (see the module docstring)."""
    skipped: list[Skipped] = []
    for model in models:
        reason, detail = _unusable(model, provider_active, lists, now)
        if reason is None:
            return Route(slot, model, tuple(skipped), _notes(models, lists))
        skipped.append(Skipped(model, reason, detail))
    return Route(slot, None, tuple(skipped), _notes(models, lists))


def _unusable(
    model: StoredModel,
    provider_active: Mapping[str, bool],
    lists: Mapping[str, Listed | None],
    now: datetime,
) -> tuple[SkipReason | None, str]:
    if not model.is_active:
        return SkipReason.INACTIVE, ""
    if not provider_active.get(model.provider, False):
        return SkipReason.PROVIDER_INACTIVE, ""
    listed = lists.get(model.provider)
    if listed is not None and not model.unlisted:
        record = listed.snapshot.by_id.get(model.model_id)
        if record is None and listed.complete:
            when = f"{listed.snapshot.fetched_at_datetime:%Y-%m-%d %H:%M} UTC"
            return SkipReason.MISSING, f"not in its list fetched {when}"
        if record is not None and record.expires_at is not None and record.expires_at <= now:
            return SkipReason.RETIRED, f"on {record.expires_at.date().isoformat()}"
    if model.probe is not None and model.probe.failed:
        return SkipReason.PROBE_FAILED, model.probe.error or f"HTTP {model.probe.status}"
    return None, ""


def _notes(models: Sequence[StoredModel], lists: Mapping[str, Listed | None]) -> tuple[str, ...]:
    unknown = sorted({m.provider for m in models if m.provider in lists} - _known(lists))
    return tuple(
        f"{slug}'s model list could not be had: its models were not checked against it"
        for slug in unknown
    )


def _known(lists: Mapping[str, Listed | None]) -> set[str]:
    return {slug for slug, listed in lists.items() if listed is not None}
