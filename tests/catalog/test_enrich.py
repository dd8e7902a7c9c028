"""The catalogs on the real captures: the share of each provider's models priced, exact figures
for known models, the provider's own figures untouched, disagreements reported, unknown ids left
`None`, costs estimated with tiers. Offline: the installed genai-prices and the shipped copy."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from catalog.catalogs import Catalogs
from catalog.catalogs.enrich import enrich
from catalog.catalogs.metadata import SHIPPED, MetadataCatalog, load_metadata, trim
from catalog.catalogs.prices import PriceCatalog, load_prices
from catalog.cost import Usage, estimated_cost
from catalog.filters import ModelFilter, ModelQuery, apply
from catalog.ordering import SortField
from errors import InvalidInputError
from providers import Capability, ModelRecord, discover
from tests.providers._captures import capture

NOW = datetime(2026, 12, 1, tzinfo=UTC)
KINDS = discover()
GENAI = "catalog:genai-prices@0.2.3"
MODELS_DEV = "catalog:models.dev@2026-07-02"


@pytest.fixture(scope="module")
def prices() -> PriceCatalog:
    return load_prices(None)


@pytest.fixture(scope="module")
def metadata() -> MetadataCatalog:
    return load_metadata(None)


def listed(kind: str, name: str) -> list[ModelRecord]:
    spec = KINDS.get(kind)
    assert spec is not None
    return spec.parse_models(capture(kind, name))


def enriched(
    kind: str, name: str, prices: PriceCatalog, metadata: MetadataCatalog
) -> dict[str, ModelRecord]:
    return {m.id: m for m in enrich(kind, listed(kind, name), prices, metadata, NOW)}


def priced(model: ModelRecord) -> bool:
    return (
        model.input_price is not None or model.output_price is not None or bool(model.other_prices)
    )


@pytest.mark.parametrize(
    ("kind", "name", "count", "floor"),
    [
        ("openai", "models-2025-05.json", 82, 0.90),
        ("anthropic", "models-2025-05.json", 11, 1.00),
        ("groq", "models-2026-03.json", 20, 0.85),
        ("gemini", "models-2026-03.json", 48, 0.56),
        ("mistral", "models-2026-03.json", 54, 0.70),
    ],
)
def test_most_models_get_a_price_each_marked_as_the_catalogs(
    kind: str,
    name: str,
    count: int,
    floor: float,
    prices: PriceCatalog,
    metadata: MetadataCatalog,
) -> None:
    before = listed(kind, name)
    assert len(before) == count and not any(priced(m) for m in before), "the list has none"
    models = enriched(kind, name, prices, metadata).values()
    share = sum(priced(m) for m in models) / count
    assert share >= floor, f"{kind}: {share:.0%} priced"
    for model in models:
        for figure in ("input_price", "output_price", "other_prices"):
            if getattr(model, figure):
                assert model.sources[figure].startswith("catalog:"), (model.id, figure)


def test_exact_figures_for_known_models(prices: PriceCatalog, metadata: MetadataCatalog) -> None:
    openai = enriched("openai", "models-2025-05.json", prices, metadata)
    o3 = openai["o3"]
    assert (o3.input_price, o3.output_price, o3.cache_read_price) == (
        Decimal("2"),
        Decimal("8"),
        Decimal("0.5"),
    )
    assert o3.sources["input_price"] == GENAI and o3.context_window == 200_000
    assert [(p.since, p.input_price, p.output_price) for p in o3.price_history] == [
        (None, Decimal("10"), Decimal("40")),
        (date(2025, 6, 10), Decimal("2"), Decimal("8")),
    ]
    assert openai["gpt-4o"].input_price == Decimal("2.5")
    whisper = openai["whisper-1"]
    assert whisper.input_price is None
    assert ("input audio hours", 1, Decimal("0.36")) in [
        (p.unit, p.per, p.price) for p in whisper.other_prices
    ]
    sonnet = enriched("anthropic", "models-2025-05.json", prices, metadata)
    (dated,) = [m for m in sonnet.values() if m.id == "claude-3-5-sonnet-20241022"]
    assert (dated.input_price, dated.output_price, dated.cache_write_price) == (
        Decimal("3"),
        Decimal("15"),
        Decimal("3.75"),
    )
    gemini = enriched("gemini", "models-2026-03.json", prices, metadata)
    pro = gemini["gemini-2.5-pro"]  # the list's `name` is `models/gemini-2.5-pro`
    assert (pro.input_price, pro.output_price) == (Decimal("1.25"), Decimal("10"))
    assert [(t.above_input_tokens, t.input_price, t.output_price) for t in pro.price_tiers] == [
        (200_000, Decimal("2.5"), Decimal("15"))
    ]


def test_a_model_before_a_price_change_shows_the_price_of_then(prices: PriceCatalog) -> None:
    (o3,) = [m for m in listed("openai", "models-2025-05.json") if m.id == "o3"]
    before = prices.lookup("openai", ["o3"], datetime(2025, 6, 1, tzinfo=UTC))
    assert before is not None and (before.input_price, before.output_price) == (
        Decimal(10),
        Decimal(40),
    )
    after = enrich("openai", [o3], prices, load_metadata(None), NOW)[0]
    assert (after.input_price, after.output_price) == (Decimal(2), Decimal(8))


def test_the_providers_own_figures_always_win(
    prices: PriceCatalog, metadata: MetadataCatalog
) -> None:
    gemini = enriched("gemini", "models-2026-03.json", prices, metadata)
    listed_pro = {m.id: m for m in listed("gemini", "models-2026-03.json")}
    for model_id, model in gemini.items():
        before = listed_pro[model_id]
        assert model.context_window == before.context_window
        assert model.max_output_tokens == before.max_output_tokens
        assert model.capabilities == before.capabilities  # Gemini declares its own
    # a listed price, differing from the catalog's: kept, and the disagreement reported
    (gpt,) = [m for m in listed("openai", "models-2025-05.json") if m.id == "gpt-4o"]
    own = replace(gpt, input_price=Decimal("9"), sources={"input_price": "pricing.input"})
    (after,) = enrich("openai", [own], prices, metadata, NOW)
    assert after.input_price == Decimal("9") and after.sources["input_price"] == "pricing.input"
    assert after.output_price == Decimal("10") and after.sources["output_price"] == GENAI
    (disagreement,) = [d for d in after.disagreements if d.field == "input_price"]
    assert disagreement.values[0] == ("provider:pricing.input", "9")
    assert (GENAI, "2.5") in disagreement.values
    assert after.price_tiers == () and after.other_prices == ()  # never mixed with a listed price


def test_openrouter_is_left_exactly_as_listed(
    prices: PriceCatalog, metadata: MetadataCatalog
) -> None:
    models = listed("openrouter", "models-all-output-modalities-2026-08.json")
    assert enrich("openrouter", models, prices, metadata, NOW) == models


def test_a_moved_alias_is_a_disagreement_not_a_silent_pick(
    prices: PriceCatalog, metadata: MetadataCatalog
) -> None:
    """`mistral-large-latest` is 2/6 in genai-prices, but Mistral says it is
    `mistral-large-2512`, priced 0.5/1.5 there and in models.dev."""
    large = enriched("mistral", "models-2026-03.json", prices, metadata)["mistral-large-latest"]
    assert (large.input_price, large.output_price) == (Decimal("0.5"), Decimal("1.5"))
    by_field = {d.field: dict(d.values) for d in large.disagreements}
    assert by_field["input_price"][f"{GENAI} as mistral-large-latest"] == "2"
    assert by_field["output_price"][f"{GENAI} as mistral-large-latest"] == "6"
    assert by_field["input_price"][MODELS_DEV] == "0.5"


def test_unknown_ids_stay_null(prices: PriceCatalog, metadata: MetadataCatalog) -> None:
    openai = enriched("openai", "models-2025-05.json", prices, metadata)
    tuned = openai["adamtart-gpt-4.1-mini-2025-04-14"]  # a fine-tune: no guess from its name
    assert (tuned.input_price, tuned.output_price, tuned.context_window) == (None, None, None)
    assert not any(v.startswith("catalog:") for v in tuned.sources.values())
    invented = ModelRecord(id="gpt-4o-but-not-really-9000", name="x")
    assert enrich("openai", [invented], prices, metadata, NOW) == [invented]
    together = ModelRecord(id="x", name="x")
    assert enrich("ollama", [together], prices, metadata, NOW) == [together]


def test_metadata_fills_limits_modalities_and_guessed_capabilities(
    prices: PriceCatalog, metadata: MetadataCatalog
) -> None:
    openai = enriched("openai", "models-2025-05.json", prices, metadata)
    o3 = openai["o3"]
    assert o3.max_output_tokens == 100_000 and o3.sources["max_output_tokens"] == MODELS_DEV
    assert "image" in o3.input_modalities
    assert Capability.TOOLS in o3.capabilities
    assert o3.sources["capability.tools"] == MODELS_DEV


def test_mistral_names_a_replacement(prices: PriceCatalog, metadata: MetadataCatalog) -> None:
    ocr = enriched("mistral", "models-2026-03.json", prices, metadata)["mistral-ocr-2503"]
    assert ocr.replacement_model_id == "mistral-ocr-latest"
    assert ocr.sources["replacement_model_id"] == "deprecation_replacement_model"


def test_estimated_cost_is_exact_and_honours_tiers(
    prices: PriceCatalog, metadata: MetadataCatalog
) -> None:
    gemini = enriched("gemini", "models-2026-03.json", prices, metadata)
    pro = gemini["gemini-2.5-pro"]
    assert estimated_cost(pro, Usage(200_000, 1000)) == Decimal("0.26")  # at the tier: base
    assert estimated_cost(pro, Usage(200_001, 1000)) == Decimal("0.5150025")  # all at the tier
    tuned = enriched("openai", "models-2025-05.json", prices, metadata)["dall-e-3"]
    assert estimated_cost(tuned, Usage(10, 10)) is None
    assert estimated_cost(tuned, Usage(0, 0)) == 0
    with pytest.raises(InvalidInputError, match="inputTokens"):
        Usage(-1, 0).check()


def test_the_picker_sorts_and_filters_by_estimated_cost(
    prices: PriceCatalog, metadata: MetadataCatalog
) -> None:
    models = list(enriched("openai", "models-2025-05.json", prices, metadata).values())
    usage = Usage(10_000, 1_000)
    page = apply(models, ModelQuery(sort=SortField.ESTIMATED_COST, usage=usage, first=500), {})
    costs = [estimated_cost(m, usage) for m in page.models]
    known = [c for c in costs if c is not None]
    assert known == sorted(known) and costs[len(known) :] == [None] * (len(costs) - len(known))
    cheap = ModelQuery(filter=ModelFilter(max_estimated_cost=Decimal("0.001")), usage=usage)
    kept = apply(models, cheap, {}).models
    assert kept and all((estimated_cost(m, usage) or 1) <= Decimal("0.001") for m in kept)
    with pytest.raises(InvalidInputError, match="costFor"):
        apply(models, ModelQuery(sort=SortField.ESTIMATED_COST), {})
    with pytest.raises(InvalidInputError, match="costFor"):
        apply(models, ModelQuery(filter=ModelFilter(max_estimated_cost=Decimal(1))), {})
    negative = ModelFilter(max_estimated_cost=Decimal(-1))
    with pytest.raises(InvalidInputError, match="non-negative"):
        apply(models, ModelQuery(filter=negative, usage=usage), {})


def test_the_shipped_copy_is_models_devs_trimmed(metadata: MetadataCatalog) -> None:
    assert metadata.origin == "shipped copy" and metadata.version == "2026-07-02"
    assert "anomalyco/models.dev" in metadata.upstream
    api = {"mistral": {"models": {"m": {"cost": {"input": 0.1}, "name": "M", "extra": 1}}}}
    trimmed = trim(api, version="v", date="d", source="s")
    assert trimmed["providers"]["mistral"] == {"m": {"cost": {"input": 0.1}}}
    assert SHIPPED.stat().st_size < 200_000


async def test_catalogs_load_once_and_prefer_updated_data(tmp_path: Path) -> None:
    catalogs = Catalogs(tmp_path)
    first = await catalogs.ready()
    assert await catalogs.ready() is first
    (info_prices, info_metadata) = await catalogs.info()
    assert info_prices.version == "0.2.3" and info_prices.origin == "installed package"
    assert info_prices.models["openai"] > 50 and info_metadata.models["gemini"] > 10
    newer = trim({"openai": {"models": {"o3": {"limit": {"output": 1}}}}}, version="2027-01-01",
                 date="2027-01-01", source="constructed")  # fmt: skip
    import json

    (tmp_path / "models-dev.json").write_text(json.dumps(newer))
    catalogs.reload()
    _, metadata = await catalogs.ready()
    assert metadata.version == "2027-01-01" and metadata.models_of("openai") == 1


async def test_damaged_updated_data_falls_back_to_the_installed(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "genai-prices.json").write_text("{not json")
    (tmp_path / "models-dev.json").write_text('{"version": 1}')
    prices, metadata = await Catalogs(tmp_path).ready()
    assert prices.origin == "installed package" and metadata.origin == "shipped copy"
    assert "unreadable" in caplog.text
