"""The drift scenario every drift test uses: models saved from OpenRouter's 2025-05 list.

Figures below were read from the two real captures (`models-2025-05.json`, saved then, and
`models-all-output-modalities-2026-08.json`, the list the service fetches now, as it asks for
`output_modalities=all`). Per-token strings there, per 1M here: `"0.00001"` is `10`.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from catalog.saving import to_values
from catalog.snapshot import Snapshot
from providers import Capability, ModelRecord, openrouter
from storage.figures import COMPARED
from storage.records import StoredModel
from tests.replay import fixture_path

SAVED_CAPTURE = "models-2025-05.json"
LIVE_CAPTURE = "models-all-output-modalities-2026-08.json"

O3 = "openai/o3"  # active; OpenAI cut its price: 10/40 -> 2/8, and it gained `reasoning`
SONNET_37 = "anthropic/claude-3.7-sonnet"  # active; no longer listed in 2026-08
GROK_3_BETA = "x-ai/grok-3-beta"  # inactive; no longer listed in 2026-08
HAIKU_3 = "anthropic/claude-3-haiku"  # inactive; every figure the same in both lists
GEMINI_PREVIEW = "google/gemini-2.5-pro-preview"  # capabilities set by an admin: CHAT, VISION
NEMO = "mistralai/mistral-nemo"  # active; 0.02/0.07 -> 0.019/0.03, max output 131072 -> 16384

ACTIVE = (O3, SONNET_37, NEMO)
INACTIVE = (GROK_3_BETA, HAIKU_3, GEMINI_PREVIEW)
OVERRIDE = ("chat", "vision")


def raw(name: str) -> list[dict[str, Any]]:
    models: list[dict[str, Any]] = json.loads(fixture_path("openrouter", name).read_bytes())["data"]
    return models


def records(name: str) -> dict[str, ModelRecord]:
    payload = json.loads(fixture_path("openrouter", name).read_bytes())
    return {record.id: record for record in openrouter.parse_models(payload)}


CAPTURED = datetime(2026, 8, 19, tzinfo=UTC)  # the 2026-08 capture's commit date
STORED = Decimal("0.000001")  # NUMERIC(18, 6), as the database hands prices back


def saved(
    record: ModelRecord,
    db_id: int,
    *,
    active: bool = False,
    capabilities: tuple[Capability, ...] | None = None,
) -> StoredModel:
    """What `saveModel` stores for `record`, as the database reads it back (prices to 6
    places, capabilities as names)."""
    values = to_values(record, capabilities)
    figures = {f.name: f.column_value(values.figures[f.name]) for f in COMPARED}
    for price in ("input_price", "output_price"):
        if figures[price] is not None:
            figures[price] = figures[price].quantize(STORED)
    return StoredModel(
        db_id=db_id,
        provider="openrouter",
        model_id=values.model_id,
        is_active=active,
        capabilities_overridden=capabilities is not None,
        created_at=CAPTURED,
        updated_at=CAPTURED,
        figures=figures,
    )


def live(name: str = LIVE_CAPTURE) -> Snapshot:
    return Snapshot.fetched_now("openrouter", list(records(name).values()), 600, time.time)
