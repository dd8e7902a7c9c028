"""What Redis holds is exactly what was fetched: every field of every model of every capture."""

from __future__ import annotations

import json
import time
from dataclasses import fields
from decimal import Decimal
from pathlib import Path

import pytest

from catalog.codec import CodecError, decode_snapshot, encode_snapshot
from catalog.snapshot import Snapshot
from providers import ModelRecord, discover

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "providers"
CAPTURES = sorted(FIXTURES.glob("*/*.json"))
KINDS = discover()


def _snapshot(path: Path) -> Snapshot:
    spec = KINDS.get(path.parent.name)
    assert spec is not None
    models = spec.parse_models(json.loads(path.read_bytes()))
    return Snapshot.fetched_now(spec.kind, models, 600, time.time)


@pytest.mark.parametrize("path", CAPTURES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_round_trip_is_exact_on_every_capture(path: Path) -> None:
    snapshot = _snapshot(path)
    assert snapshot.models, "a capture with no models proves nothing"
    decoded = decode_snapshot(encode_snapshot(snapshot))
    assert decoded == snapshot
    assert decoded.version == snapshot.version
    for before, after in zip(snapshot.models, decoded.models, strict=True):
        for field in fields(ModelRecord):
            old, new = getattr(before, field.name), getattr(after, field.name)
            assert new == old, (before.id, field.name)
            assert type(new) is type(old) or field.name in {"sources", "raw"}, field.name
        # the same digits, not only an equal value: "0.15" stays "0.15", never "0.150"
        assert str(after.input_price) == str(before.input_price)
        assert str(after.output_price) == str(before.output_price)


def test_tricky_values_survive() -> None:
    from datetime import UTC, datetime, timedelta, timezone

    from providers import Capability

    model = ModelRecord(
        id="m",
        name="Ünïcode ✓",
        capabilities=frozenset({Capability.CHAT, Capability.VISION}),
        input_price=Decimal("1.5E-7"),
        output_price=Decimal("0.000000"),
        created_at=datetime(2026, 3, 1, 12, 30, 15, 123456, tzinfo=UTC),
        expires_at=datetime(2026, 9, 1, tzinfo=timezone(timedelta(hours=-5))),
        input_modalities=("text", "image"),
        sources={"input_price": "pricing.prompt"},
        raw={"pricing": {"prompt": "0.00000015"}, "n": 2**53 + 1, "f": 0.1, "none": None},
    )
    snapshot = Snapshot("p", (model,), fetched_at=1.5, fresh_until=2.5, stale=True, error="x")
    decoded = decode_snapshot(encode_snapshot(snapshot))
    assert decoded == snapshot
    (after,) = decoded.models
    assert str(after.input_price) == "1.5E-7" and str(after.output_price) == "0.000000"
    assert after.expires_at is not None and after.expires_at.utcoffset() == timedelta(hours=-5)


def test_every_record_field_is_encoded() -> None:
    """A field added to `ModelRecord` must be encoded too, or a worker reading Redis loses it."""
    from datetime import UTC, date, datetime

    from providers import Capability, Disagreement, PricePoint, PriceTier, UnitPrice

    every = {
        "id": "m",
        "name": "M",
        "description": "d",
        "capabilities": frozenset({Capability.CHAT}),
        "input_price": Decimal("1"),
        "output_price": Decimal("2"),
        "context_window": 3,
        "max_output_tokens": 4,
        "created_at": datetime(2026, 1, 1, tzinfo=UTC),
        "expires_at": datetime(2027, 1, 1, tzinfo=UTC),
        "owned_by": "o",
        "input_modalities": ("text",),
        "output_modalities": ("image",),
        "popularity": 5,
        "cache_read_price": Decimal("0.25"),
        "cache_write_price": Decimal("3.75"),
        "replacement_model_id": "m-2",
        "aliases": ("m-latest",),
        "price_tiers": (PriceTier(200_000, Decimal("2.5"), None),),
        "other_prices": (UnitPrice("input audio hours", 1, Decimal("0.36")),),
        "price_history": (
            PricePoint(None, Decimal("10"), Decimal("40")),
            PricePoint(date(2025, 6, 10), Decimal("2"), Decimal("8")),
        ),
        "disagreements": (Disagreement("input_price", (("a", "1"), ("b", "2"))),),
        "sources": {"name": "name"},
        "raw": {"id": "m"},
    }
    passed = [field for field in fields(ModelRecord) if field.init]  # the rest is derived
    assert set(every) == {field.name for field in passed}, "a field with no value"
    model = ModelRecord(**every)  # type: ignore[arg-type]
    for field in passed:
        assert getattr(model, field.name) != field.default, f"{field.name} left at its default"
    snapshot = Snapshot("p", (model,), fetched_at=1.0, fresh_until=2.0)
    (decoded,) = decode_snapshot(encode_snapshot(snapshot)).models
    assert decoded == model
    assert decoded.created_at and decoded.created_at_text == decoded.created_at.isoformat()


@pytest.mark.parametrize("body", [b"", b"{}", b"[1]", b'{"format": 999}', b"\xff"])
def test_garbage_is_a_codec_error(body: bytes) -> None:
    with pytest.raises(CodecError):
        decode_snapshot(body)
