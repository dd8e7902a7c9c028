"""How one fetched list differs from the one before it: what the sync log counts and the change
feed lists. Pure: two lists in, a `ListDiff` out.

A model is `ADDED` or `REMOVED` by id; a model in both is `CHANGED` when a material figure
differs (`storage.figures.MATERIAL`: prices, context window, max output, capabilities, or its
announced retirement date), `COSMETIC` when only its name or description does. Values compare
as a save stores them (`catalog.drift.comparable`: prices to 6 places), so a price written
`0.15` then `0.150000` is no change.

>>> from providers import ModelRecord
>>> a, b = ModelRecord(id="a", name="A"), ModelRecord(id="b", name="B")
>>> [(e.model_id, e.kind.value) for e in diff([a], [replace(a, name="A2"), b]).entries]
[('b', 'added'), ('a', 'cosmetic')]
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from catalog.drift import Value, comparable
from catalog.drift_json import plain
from providers import ModelRecord
from storage.figures import COMPARED, MATERIAL

RETIREMENT = "expires_at"
"""The live-only figure the feed watches besides the stored ones: the announced retirement."""


class ChangeKind(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"
    COSMETIC = "cosmetic"


@dataclass(frozen=True, slots=True)
class FigureDiff:
    """One figure of a model that differs between two lists."""

    field: str
    old: Value
    new: Value
    material: bool

    def as_json(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "old": plain(self.old),
            "new": plain(self.new),
            "material": self.material,
        }


@dataclass(frozen=True, slots=True)
class ModelDiff:
    """One model that appeared, vanished or changed."""

    model_id: str
    name: str
    kind: ChangeKind
    fields: tuple[FigureDiff, ...] = ()


@dataclass(frozen=True, slots=True)
class ListDiff:
    """Every model that differs, added first, then removed, changed, cosmetic (each by id)."""

    entries: tuple[ModelDiff, ...]

    def of(self, kind: ChangeKind) -> tuple[ModelDiff, ...]:
        return tuple(entry for entry in self.entries if entry.kind is kind)

    def count(self, kind: ChangeKind) -> int:
        return len(self.of(kind))


def diff(previous: Iterable[ModelRecord], current: Iterable[ModelRecord]) -> ListDiff:
    """What `current` adds, removes and changes relative to `previous`."""
    before = {model.id: model for model in previous}
    after = {model.id: model for model in current}
    added = [_whole(after[i], ChangeKind.ADDED) for i in sorted(after.keys() - before.keys())]
    removed = [_whole(before[i], ChangeKind.REMOVED) for i in sorted(before.keys() - after.keys())]
    kept = [_compared(before[i], after[i]) for i in sorted(before.keys() & after.keys())]
    changed = [entry for entry in kept if entry is not None]
    changed.sort(key=lambda entry: entry.kind is ChangeKind.COSMETIC)
    return ListDiff(tuple(added + removed + changed))


def _whole(model: ModelRecord, kind: ChangeKind) -> ModelDiff:
    return ModelDiff(model.id, model.name, kind)


def _compared(old: ModelRecord, new: ModelRecord) -> ModelDiff | None:
    fields = tuple(_figure_diffs(old, new))
    if not fields:
        return None
    material = any(field.material for field in fields)
    return ModelDiff(
        new.id, new.name, ChangeKind.CHANGED if material else ChangeKind.COSMETIC, fields
    )


def _figure_diffs(old: ModelRecord, new: ModelRecord) -> Iterator[FigureDiff]:
    for figure in COMPARED:
        before = comparable(figure, figure.column_value(figure.read(old)))
        after = comparable(figure, figure.column_value(figure.read(new)))
        if before != after:
            yield FigureDiff(figure.name, before, after, figure.name in MATERIAL)
    retire_old, retire_new = _date(old), _date(new)
    if retire_old != retire_new:
        yield FigureDiff(RETIREMENT, retire_old, retire_new, True)


def _date(model: ModelRecord) -> str | None:
    return model.expires_at.isoformat() if model.expires_at else None


def names(entries: Sequence[ModelDiff]) -> list[str]:
    return [entry.model_id for entry in entries]
