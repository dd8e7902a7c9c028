"""Snapshots to bytes and back, for caches shared between processes (Redis).

The encoding is JSON (orjson) and loses nothing a `ModelRecord` holds: prices travel as
decimal strings (`"0.15"`, `"1.5E-7"`: `Decimal(str(d)) == d` digit for digit), datetimes as
ISO 8601 with their offset, capability sets as sorted names, tuples as arrays, `sources` and the
upstream's `raw` object as they are.

>>> from providers import ModelRecord
>>> snap = Snapshot("p", (ModelRecord(id="m", name="M"),), fetched_at=1.0, fresh_until=2.0)
>>> decode_snapshot(encode_snapshot(snap)) == snap
True
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import orjson

from catalog.snapshot import Snapshot
from providers import Capability, Disagreement, ModelRecord, PricePoint, PriceTier, UnitPrice

FORMAT = 2
"""Bumped when the encoding changes (2: the catalogs' figures), and part of every Redis key, so
workers of two releases sharing one Redis during a rolling update never read each other's
entries."""
_KNOWN = frozenset(cap.value for cap in Capability)


class CodecError(ValueError):
    """Bytes that are not an encoded snapshot of this `FORMAT`."""


def encode_snapshot(snapshot: Snapshot) -> bytes:
    return orjson.dumps(
        {
            "format": FORMAT,
            "provider": snapshot.provider,
            "fetched_at": snapshot.fetched_at,
            "fresh_until": snapshot.fresh_until,
            "version": snapshot.version,
            "stale": snapshot.stale,
            "error": snapshot.error,
            "models": [_encode_model(model) for model in snapshot.models],
        },
        default=_plain,
    )


def decode_snapshot(body: bytes | str) -> Snapshot:
    try:
        data = orjson.loads(body)
        if data.get("format") != FORMAT:
            raise CodecError(f"snapshot format {data.get('format')!r}, expected {FORMAT}")
        return Snapshot(
            provider=data["provider"],
            models=tuple(_decode_model(model) for model in data["models"]),
            fetched_at=data["fetched_at"],
            fresh_until=data["fresh_until"],
            version=data["version"],
            stale=data["stale"],
            error=data["error"],
        )
    except (ValueError, ArithmeticError, KeyError, TypeError, AttributeError) as exc:
        raise CodecError(f"not an encoded snapshot: {type(exc).__name__}") from exc


def _encode_model(model: ModelRecord) -> dict[str, Any]:
    return {
        "id": model.id,
        "name": model.name,
        "description": model.description,
        "capabilities": sorted(cap.value for cap in model.capabilities),
        "input_price": _text(model.input_price),
        "output_price": _text(model.output_price),
        "context_window": model.context_window,
        "max_output_tokens": model.max_output_tokens,
        "created_at": _iso(model.created_at),
        "expires_at": _iso(model.expires_at),
        "owned_by": model.owned_by,
        "input_modalities": list(model.input_modalities),
        "output_modalities": list(model.output_modalities),
        "popularity": model.popularity,
        "cache_read_price": _text(model.cache_read_price),
        "cache_write_price": _text(model.cache_write_price),
        "replacement_model_id": model.replacement_model_id,
        "aliases": list(model.aliases),
        "price_tiers": [
            [t.above_input_tokens, _text(t.input_price), _text(t.output_price)]
            for t in model.price_tiers
        ],
        "other_prices": [[p.unit, p.per, str(p.price)] for p in model.other_prices],
        "price_history": [
            [_day(p.since), _text(p.input_price), _text(p.output_price)]
            for p in model.price_history
        ],
        "disagreements": [[d.field, [list(v) for v in d.values]] for d in model.disagreements],
        "sources": dict(model.sources),
        "raw": model.raw,
    }


def _decode_model(data: Mapping[str, Any]) -> ModelRecord:
    return ModelRecord(
        id=data["id"],
        name=data["name"],
        description=data["description"],
        # a name this release does not know (written by a newer one) is skipped, not fatal
        capabilities=frozenset(Capability(name) for name in data["capabilities"] if name in _KNOWN),
        input_price=_decimal(data["input_price"]),
        output_price=_decimal(data["output_price"]),
        context_window=data["context_window"],
        max_output_tokens=data["max_output_tokens"],
        created_at=_datetime(data["created_at"]),
        expires_at=_datetime(data["expires_at"]),
        owned_by=data["owned_by"],
        input_modalities=tuple(data["input_modalities"]),
        output_modalities=tuple(data["output_modalities"]),
        popularity=data["popularity"],
        cache_read_price=_decimal(data["cache_read_price"]),
        cache_write_price=_decimal(data["cache_write_price"]),
        replacement_model_id=data["replacement_model_id"],
        aliases=tuple(data["aliases"]),
        price_tiers=tuple(
            PriceTier(start, _decimal(i), _decimal(o)) for start, i, o in data["price_tiers"]
        ),
        other_prices=tuple(UnitPrice(u, per, Decimal(p)) for u, per, p in data["other_prices"]),
        price_history=tuple(
            PricePoint(_date(since), _decimal(i), _decimal(o))
            for since, i, o in data["price_history"]
        ),
        disagreements=tuple(
            Disagreement(f, tuple((src, val) for src, val in values))
            for f, values in data["disagreements"]
        ),
        sources=data["sources"],
        raw=data["raw"],
    )


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _datetime(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _date(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


def _plain(value: object) -> object:
    """What orjson cannot encode itself: mappings that are not dicts (e.g. a read-only view)."""
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, tuple | frozenset):
        return list(value)
    raise TypeError(f"cannot encode {type(value).__name__}")
