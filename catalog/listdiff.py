"""How one fetched list differs from the one before it: what the sync log counts and the change
feed lists. Pure: two lists in, a `ListDiff` out.

A model is `ADDED` or `REMOVED` by id; a model in both is `CHANGED` when a material figure
differs (`storage.figures.MATERIAL`: prices, context window, max output, capabilities, or its
announced retirement date), `COSMETIC` when only its name or description does. Values compare
as a save stores them (`catalog.drift.comparable`: prices to 6 places), so a price written
`0.15` then `0.150000` is no change.

Between runs the last list is kept in the database (`seen_form`), so every process diffs
against the same "before", whatever its cache holds; a description is kept as its digest.

>>> from providers import ModelRecord
>>> a, b = ModelRecord(id="a", name="A"), ModelRecord(id="b", name="B")
>>> [(e.model_id, e.kind.value) for e in diff([a], [replace(a, name="A2"), b]).entries]
[('b', 'added'), ('a', 'cosmetic')]
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from catalog.drift import Value, comparable
from catalog.drift_json import plain
from providers import Capability, ModelRecord
from storage.figures import COMPARED, MATERIAL, Figure, Kind

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


def diff_seen(
    seen: Sequence[Mapping[str, Any]], current: Sequence[ModelRecord]
) -> tuple[ListDiff, list[dict[str, Any]]]:
    """`diff` of the last list as kept (`seen_form`) and the current one, and the current one
    in that form. Models whose kept form is the same are skipped before the figure by figure
    comparison: a refresh that finds (mostly) the same list costs a dictionary comparison
    per model."""
    now = seen_form(current)
    before = {str(row["id"]): row for row in seen}
    after = {str(row["id"]): row for row in now}
    same = {i for i in before.keys() & after.keys() if before[i] == after[i]}
    differing = comparable_form(model for model in current if model.id not in same)
    changes = diff(from_seen(r for i, r in before.items() if i not in same), differing)
    return changes, now


def seen_form(models: Iterable[ModelRecord]) -> list[dict[str, Any]]:
    """A list as the sync log keeps it between runs: every figure `diff` reads (`COMPARED`, by
    its `ModelRecord` field), prices as strings, a cosmetic text as its digest (a rewording is
    noticed, not stored), and the retirement date."""
    return [
        {
            "id": m.id,
            **{field: _kept(figure, getattr(m, field)) for figure, field in _KEPT},
            RETIREMENT: m.expires_at.isoformat() if m.expires_at else None,
        }
        for m in models
    ]


def from_seen(rows: Iterable[Mapping[str, Any]]) -> list[ModelRecord]:
    """The records `seen_form` kept, to diff the next list against (a figure a row predates
    reads as unknown)."""
    out = []
    for row in rows:
        figures: dict[str, Any] = {field: _restored(fig, row.get(field)) for fig, field in _KEPT}
        retires = row.get(RETIREMENT)
        expires = datetime.fromisoformat(retires) if retires else None
        out.append(ModelRecord(id=str(row["id"]), **figures, expires_at=expires))
    return out


def comparable_form(models: Iterable[ModelRecord]) -> list[ModelRecord]:
    """A live list as `from_seen` gives the last one: cosmetic texts as digests."""
    digested = [field for figure, field in _KEPT if _digested(figure)]
    out = []
    for model in models:
        digests: dict[str, Any] = {field: _digest(getattr(model, field)) for field in digested}
        out.append(replace(model, **digests))
    return out


def _digested(figure: Figure) -> bool:
    return figure.kind is Kind.LONG_TEXT and not figure.material


def _kept(figure: Figure, value: Any) -> Any:
    if value is None:
        return None
    match figure.kind:
        case Kind.PRICE:
            return str(value)
        case Kind.CAPABILITIES:
            return sorted(value)
        case _:
            return _digest(value) if _digested(figure) else value


def _restored(figure: Figure, value: Any) -> Any:
    match figure.kind:
        case Kind.PRICE:
            return _decimal(value)
        case Kind.CAPABILITIES:
            return frozenset(Capability(c) for c in value or () if c in _CAPS)
        case Kind.TEXT:
            return str(value or "")
        case _:
            return value


def _digest(text: str | None) -> str | None:
    return None if text is None else "sha256:" + hashlib.sha256(text.encode()).hexdigest()[:16]


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


_CAPS = frozenset(c.value for c in Capability)
_KEPT = tuple((figure, str(figure.record)) for figure in COMPARED)
"""The figures a kept list holds, each with the `ModelRecord` field it is read from."""
