"""Drift tests get their own OpenRouter route on the replay server, at a fresh prefix.

A test changes what "the provider lists" by re-serving that route (a capture, or a modified copy
of one), so the catalogue routes other tests rely on are never touched.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

from providers import Capability, ModelRecord
from settings import ProviderOverride, Settings
from storage.records import StoredModel
from tests.drift._data import (
    GEMINI_PREVIEW,
    GROK_3_BETA,
    HAIKU_3,
    NEMO,
    O3,
    SAVED_CAPTURE,
    SONNET_37,
    records,
    saved,
)
from tests.replay import ReplayServer, base_url, fixture_path, models_route


@dataclass(frozen=True, slots=True)
class Upstream:
    """OpenRouter's list as the drift tests' provider serves it."""

    server: ReplayServer
    prefix: str

    @property
    def base_url(self) -> str:
        return base_url(self.server.url, "openrouter", self.prefix)

    @property
    def route(self) -> str:
        return models_route("openrouter", self.prefix)

    def serve(self, capture: str) -> None:
        """List what a real capture lists (the same bytes)."""
        self.server.serve(self.route, fixture_path("openrouter", capture))

    def serve_modified(self, capture: str, changes: Mapping[str, Mapping[str, Any]]) -> None:
        """A copy of a capture with some models' fields replaced: `{model_id: {field: value}}`."""
        payload = json.loads(Path(fixture_path("openrouter", capture)).read_bytes())
        for model in payload["data"]:
            model.update(changes.get(model["id"], {}))
        self.server.serve(self.route, payload)


@pytest.fixture
def upstream(replay_server: ReplayServer) -> Upstream:
    """A fresh route serving the 2025-05 capture: the list the models were saved from."""
    served = Upstream(replay_server, f"drift-{uuid.uuid4().hex[:10]}")
    served.serve(SAVED_CAPTURE)
    return served


@pytest.fixture
def settings(settings: Settings, upstream: Upstream) -> Settings:
    """The usual test settings, with OpenRouter at the drift tests' own route."""
    providers = {**settings.providers, "openrouter": ProviderOverride(base_url=upstream.base_url)}
    return replace(settings, providers=providers)


@pytest.fixture(scope="module")
def may() -> dict[str, ModelRecord]:
    return records(SAVED_CAPTURE)


@pytest.fixture
def scenario(may: dict[str, ModelRecord]) -> list[StoredModel]:
    return [
        saved(may[O3], 1, active=True),
        saved(may[SONNET_37], 2, active=True),
        saved(may[GROK_3_BETA], 3),
        saved(may[HAIKU_3], 4),
        saved(may[GEMINI_PREVIEW], 5, capabilities=(Capability.CHAT, Capability.VISION)),
        saved(may[NEMO], 6, active=True),
    ]
