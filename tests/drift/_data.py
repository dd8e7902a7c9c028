"""The drift scenario every drift test uses: models saved from OpenRouter's 2025-05 list.

Figures below were read from the two real captures (`models-2025-05.json`, saved then, and
`models-all-output-modalities-2026-08.json`, the list the service fetches now, as it asks for
`output_modalities=all`). Per-token strings there, per 1M here: `"0.00001"` is `10`.
"""

from __future__ import annotations

import json
from typing import Any

from providers import ModelRecord, openrouter
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
