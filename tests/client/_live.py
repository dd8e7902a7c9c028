"""What the generated client's tests know of the LIVE server (its fixture is in conftest)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from tests.replay import ReplayServer, fixture_path

LIVE_CAPTURE = "models-all-output-modalities-2026-08.json"


@dataclass(frozen=True)
class LiveServer:
    url: str
    admin_token: str
    reader_token: str
    replay: ReplayServer
    openrouter_route: str
    """OpenRouter's list for this server alone: a test may change what it lists."""
    openai_base_url: str
    """The replayed OpenAI API (its latest capture), for OpenAI-compatible instances."""
    openai_route: str
    """Where that list is served: `replay.hits(openai_route)` counts its fetches."""

    def serve(self, changes: dict[str, dict[str, Any] | None] | None = None) -> None:
        """List the 2026-08 capture, with `{model_id: {field: value}}` replaced (None: drop)."""
        payload = json.loads(fixture_path("openrouter", LIVE_CAPTURE).read_bytes())
        changes = changes or {}
        payload["data"] = [
            {**model, **(changes.get(model["id"]) or {})}
            for model in payload["data"]
            if model["id"] not in changes or changes[model["id"]] is not None
        ]
        self.replay.serve(self.openrouter_route, payload)
