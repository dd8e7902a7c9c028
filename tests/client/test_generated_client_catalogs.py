"""The generated client's catalog operations against the LIVE server: the catalogs' freshness,
and Groq's list (which carries no price) priced by them, cheapest first for a request size."""

from __future__ import annotations

from decimal import Decimal

from ai_model_sync_client import AiModelSyncClient


async def test_catalogs_say_version_date_and_origin(client: AiModelSyncClient) -> None:
    catalogs = {c.name: c for c in (await client.catalogs()).catalogs}
    assert catalogs["genai-prices"].version == "0.2.3"
    assert catalogs["genai-prices"].origin == "installed package"
    assert catalogs["genai-prices"].source == "catalog:genai-prices@0.2.3"
    assert catalogs["models.dev"].data_date == "2026-07-02"
    coverage = {c.kind: c.models for c in catalogs["models.dev"].coverage}
    assert coverage["groq"] > 0 and coverage["mistral"] > 0


async def test_groq_is_priced_by_the_catalog_cheapest_first(client: AiModelSyncClient) -> None:
    page = (await client.priced_models("groq", 1_000_000, 100_000, first=50)).available_models
    assert page.total_count == 20
    costs = [m.estimated_cost for m in page.models]
    known = [c for c in costs if c is not None]
    assert len(known) >= 13 and known == sorted(known)
    for model in page.models:
        if model.input_price is not None:
            assert model.price_source == "catalog:genai-prices@0.2.3"
            expected = model.input_price + model.output_price / 10  # type: ignore[operator]
            assert model.estimated_cost == expected
    whisper = [m for m in page.models if m.model_id == "whisper-large-v3"]
    assert whisper and whisper[0].other_prices and whisper[0].estimated_cost is None
    cheap = await client.priced_models("groq", 1_000_000, 100_000, max_cost=Decimal("0.1"))
    assert 0 < cheap.available_models.total_count < page.total_count
