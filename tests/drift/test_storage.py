"""What a drift report reads and a drift sync writes: the saved figures in one query
(`storage.state`); the rewrite in one transaction (`storage.rewrite`)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from decimal import Decimal

import pytest

from catalog.saving import to_values
from providers import Capability
from storage import rewrite, saved
from storage.database import open_database
from storage.figures import COMPARED
from storage.models import SavedModel
from storage.state import SavedFigures, saved_with_figures
from tests.drift._data import GEMINI_PREVIEW, LIVE_CAPTURE, O3, SAVED_CAPTURE, records
from tests.service import SQLLog


@pytest.fixture
async def provider_id(database_url: str) -> AsyncIterator[int]:
    """A database holding o3 (active) and Gemini 2.5 Pro Preview (admin capabilities)."""
    may = records(SAVED_CAPTURE)
    async with open_database(database_url, migrate_schema=True):
        pid = await saved.ensure_provider("openrouter", "openrouter", "OpenRouter")
        await saved.save_model(pid, to_values(may[O3], None), is_active=True, overridden=False)
        gemini = to_values(may[GEMINI_PREVIEW], [Capability.CHAT, Capability.VISION])
        await saved.save_model(pid, gemini, is_active=False, overridden=True)
        yield pid


async def test_saved_figures_in_one_query(provider_id: int, sql: SQLLog) -> None:
    sql.clear()
    state = await saved_with_figures("openrouter", COMPARED)
    assert len(sql.statements) == 1
    assert state.provider is not None and state.provider.id == provider_id
    assert [m.model_id for m in state.models] == [GEMINI_PREVIEW, O3]
    o3 = state.models[1]
    prices = (o3.figures["input_price"], o3.figures["output_price"])
    assert (*prices, o3.is_active) == (Decimal(10), Decimal(40), True)
    assert tuple(o3.figures["capabilities"]) == ("chat", "content", "tools", "vision")
    assert state.models[0].capabilities_overridden
    assert await saved_with_figures("groq", COMPARED) == SavedFigures(provider=None)


async def test_write_keeps_flags_and_admin_capabilities(provider_id: int) -> None:
    august = records(LIVE_CAPTURE)
    async with rewrite.saved_for_update(provider_id, "openrouter") as batch:
        written = await batch.write(
            [to_values(august[O3], None), to_values(august[GEMINI_PREVIEW], None)]
        )
    assert written == batch.written == 2
    o3 = await SavedModel.get(model_id=O3)
    gemini = await SavedModel.get(model_id=GEMINI_PREVIEW)
    assert (o3.input_price, o3.output_price, o3.is_active) == (Decimal(2), Decimal(8), True)
    assert o3.upstream["pricing"]["prompt"] == "0.000002"  # the raw object is refreshed too
    assert gemini.capabilities == ["chat", "vision"] and gemini.capabilities_overridden
    assert gemini.is_active is False
    assert gemini.name == "Google: Gemini 2.5 Pro Preview 06-05"


async def test_an_error_in_the_block_rolls_the_write_back(provider_id: int) -> None:
    august = records(LIVE_CAPTURE)
    with pytest.raises(RuntimeError):
        async with rewrite.saved_for_update(provider_id, "openrouter") as batch:
            await batch.write([to_values(august[O3], None)])
            raise RuntimeError("after the write, before the commit")
    o3 = await SavedModel.get(model_id=O3)
    assert (o3.input_price, o3.output_price) == (Decimal(10), Decimal(40))


async def test_only_models_of_the_batch_can_be_written(provider_id: int) -> None:
    august = records(LIVE_CAPTURE)
    stranger = replace(to_values(august[O3], None), model_id="openai/gpt-5")
    with pytest.raises(ValueError, match="not a saved model"):
        async with rewrite.saved_for_update(provider_id, "openrouter") as batch:
            await batch.write([stranger])
    assert not await SavedModel.exists(model_id="openai/gpt-5")
