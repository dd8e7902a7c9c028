"""`catalog.drift.compare` on the real captures: saved from 2025-05, compared with 2026-08."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from catalog.drift import DriftStatus, FieldChange, compare
from catalog.drift_json import as_json
from catalog.snapshot import Snapshot
from providers import Capability, ModelRecord, huggingface, openrouter
from storage.records import StoredModel
from tests.drift._data import (
    CAPTURED,
    GEMINI_PREVIEW,
    GROK_3_BETA,
    HAIKU_3,
    LIVE_CAPTURE,
    NEMO,
    O3,
    SAVED_CAPTURE,
    SONNET_37,
    live,
    raw,
    records,
    saved,
)


def with_prices(model: StoredModel, input_price: Decimal, output_price: Decimal) -> StoredModel:
    figures = {**model.figures, "input_price": input_price, "output_price": output_price}
    return replace(model, figures=figures)


def by_field(changes: tuple[FieldChange, ...]) -> dict[str, FieldChange]:
    return {change.field: change for change in changes}


def applied(changes: tuple[FieldChange, ...]) -> tuple[FieldChange, ...]:
    """The changes a sync applies: everything but capabilities an admin set."""
    return tuple(change for change in changes if not change.overridden)


def test_o3_price_cut_and_new_reasoning_flag(scenario: list[StoredModel]) -> None:
    report = compare(scenario, live(), now=CAPTURED)
    o3 = next(m for m in report.models if m.model_id == O3)
    assert o3.status is DriftStatus.CHANGED and o3.is_active and not o3.active_missing
    changes = by_field(o3.changes)
    assert set(changes) == {
        "input_price",
        "output_price",
        "cache_read_price",
        "capabilities",
        "description",
    }
    assert (changes["cache_read_price"].old, changes["cache_read_price"].new) == (
        Decimal("2.5"),
        Decimal("0.5"),
    )
    assert changes["input_price"] == FieldChange(
        "input_price", Decimal("10"), Decimal("2"), source="pricing.prompt"
    )
    assert changes["output_price"] == FieldChange(
        "output_price", Decimal("40"), Decimal("8"), source="pricing.completion"
    )
    assert changes["capabilities"] == FieldChange(
        "capabilities",
        ("chat", "content", "tools", "vision"),
        ("chat", "content", "reasoning", "tools", "vision"),
    )
    # shown as they read: "10" and "2", not "10.000000" or "1E+1"
    assert [str(changes["input_price"].old), str(changes["input_price"].new)] == [
        "10",
        "2",
    ]
    description = changes["description"]
    assert isinstance(description.old, str) and isinstance(description.new, str)
    # May 2025 asked for your own key ("BYOK is required"); August 2026 no longer says so
    assert description.old.endswith("Set up here: https://openrouter.ai/settings/integrations")
    assert description.new.endswith("technical writing and instruction-following....")


def test_mistral_nemo_prices_and_output_limit(scenario: list[StoredModel]) -> None:
    report = compare(scenario, live(), now=CAPTURED)
    nemo = next(m for m in report.models if m.model_id == NEMO)
    changes = by_field(applied(nemo.changes))
    assert (changes["input_price"].old, changes["input_price"].new) == (
        Decimal("0.02"),
        Decimal("0.019"),
    )
    assert (changes["output_price"].old, changes["output_price"].new) == (
        Decimal("0.07"),
        Decimal("0.03"),
    )
    assert (
        changes["max_output_tokens"].old,
        changes["max_output_tokens"].new,
    ) == (
        131072,
        16384,
    )
    assert "context_window" not in changes  # 131072 then and now


def test_removed_models_are_missing_and_the_active_one_is_flagged(
    scenario: list[StoredModel],
) -> None:
    report = compare(scenario, live(), now=CAPTURED)
    sonnet = next(m for m in report.models if m.model_id == SONNET_37)
    grok = next(m for m in report.models if m.model_id == GROK_3_BETA)
    assert sonnet.status is grok.status is DriftStatus.MISSING
    assert sonnet.active_missing and not grok.active_missing
    assert sonnet.changes == grok.changes == ()
    assert [m.model_id for m in report.active_missing] == [SONNET_37]
    assert report.warnings()[0] == (
        "ACTIVE model 'anthropic/claude-3.7-sonnet' is no longer offered by openrouter: "
        "requests to it will fail"
    )


def test_unchanged_model_and_the_order_of_the_report(scenario: list[StoredModel]) -> None:
    report = compare(scenario, live(), now=CAPTURED)
    haiku = next(m for m in report.models if m.model_id == HAIKU_3)
    assert haiku.status is DriftStatus.UNCHANGED and haiku.changes == ()
    # most urgent first: the active missing model, the other missing one, changed, unchanged
    assert [m.model_id for m in report.models] == [
        SONNET_37,
        GROK_3_BETA,
        GEMINI_PREVIEW,
        NEMO,
        O3,
        HAIKU_3,
    ]
    assert (len(report.changed), len(report.missing), len(report.unchanged)) == (3, 2, 1)


def test_admin_capabilities_are_reported_but_marked_overridden(
    scenario: list[StoredModel], may: dict[str, ModelRecord]
) -> None:
    report = compare(scenario, live(), now=CAPTURED)
    gemini = next(m for m in report.models if m.model_id == GEMINI_PREVIEW)
    changes = by_field(gemini.changes)
    assert changes["capabilities"] == FieldChange(
        "capabilities",
        ("chat", "vision"),
        ("audio", "chat", "content", "reasoning", "tools", "vision"),
        overridden=True,
    )
    assert "capabilities" not in by_field(applied(gemini.changes))
    # still CHANGED: OpenRouter renamed it and raised its output limit by one token
    assert gemini.status is DriftStatus.CHANGED
    assert (changes["name"].old, changes["name"].new) == (
        "Google: Gemini 2.5 Pro Preview",
        "Google: Gemini 2.5 Pro Preview 06-05",
    )
    assert (
        changes["max_output_tokens"].old,
        changes["max_output_tokens"].new,
    ) == (
        65535,
        65536,
    )
    # an override alone is nothing to apply: the model is UNCHANGED, the difference still shown
    haiku = saved(may[HAIKU_3], 7, capabilities=(Capability.CHAT,))
    only = compare([haiku], live(), now=CAPTURED).models[0]
    assert only.status is DriftStatus.UNCHANGED
    assert [(c.field, c.overridden) for c in only.changes] == [("capabilities", True)]


def test_every_model_saved_in_may_2025(may: dict[str, ModelRecord]) -> None:
    everything = [saved(record, n) for n, record in enumerate(may.values(), start=1)]
    report = compare(everything, live(), now=CAPTURED)
    gone = {m["id"] for m in raw(SAVED_CAPTURE)} - {m["id"] for m in raw(LIVE_CAPTURE)}
    assert {m.model_id for m in report.missing} == gone
    assert len(gone) == 231 and len(report.models) == 321
    assert len(report.changed) + len(report.unchanged) == 321 - 231
    assert {m.model_id for m in report.unchanged if not m.changes} == {
        "anthropic/claude-3-haiku",
        "openai/gpt-3.5-turbo",
        "openai/gpt-3.5-turbo-0613",
        "openai/gpt-3.5-turbo-instruct",
        "openai/gpt-4-turbo",
    }
    # 28 more differ only in their description (shortened in 2026-08): cosmetic, not CHANGED;
    # four Mistral models whose description changed too list a prompt-cache price now: CHANGED
    cosmetic = [m for m in report.unchanged if m.changes]
    assert len(cosmetic) == 28 and len(report.changed) == 57
    assert {c.field for m in cosmetic for c in m.changes} == {"description"}
    assert report.active_missing == ()  # nothing active: no alarm


def test_the_same_list_shows_no_drift(may: dict[str, ModelRecord]) -> None:
    everything = [saved(record, n, active=True) for n, record in enumerate(may.values())]
    report = compare(everything, live(SAVED_CAPTURE), now=CAPTURED)
    assert len(report.unchanged) == 321 and report.warnings() == []


def test_announced_retirements_within_the_window() -> None:
    august = records(LIVE_CAPTURE)
    # the 2026-08 list announces: nemotron-nano-12b-v2-vl:free on 2026-08-24, glm-4.5 on
    # 2026-12-31, glm-5-turbo on 2098-12-31 (a placeholder for "not planned")
    ids = ("nvidia/nemotron-nano-12b-v2-vl:free", "z-ai/glm-4.5", "z-ai/glm-5-turbo", O3)
    models = [saved(august[model_id], n, active=True) for n, model_id in enumerate(ids)]
    month = compare(models, live(), now=CAPTURED)
    retiring = {m.model_id: m.expires_at for m in month.retiring}
    assert retiring == {"nvidia/nemotron-nano-12b-v2-vl:free": datetime(2026, 8, 24, tzinfo=UTC)}
    assert month.warnings() == [
        "active model 'nvidia/nemotron-nano-12b-v2-vl:free' retires on 2026-08-24 (openrouter)"
    ]
    half_year = compare(models, live(), now=CAPTURED, retire_within=timedelta(days=180))
    assert {m.model_id for m in half_year.retiring} == {
        "nvidia/nemotron-nano-12b-v2-vl:free",
        "z-ai/glm-4.5",
    }
    later = compare(models, live(), now=datetime(2026, 9, 1, tzinfo=UTC))
    assert later.warnings() == [
        "active model 'nvidia/nemotron-nano-12b-v2-vl:free' retired on 2026-08-24 (openrouter)"
    ]
    assert all(m.status is DriftStatus.UNCHANGED for m in later.models)


def test_stored_precision_is_not_drift(may: dict[str, ModelRecord]) -> None:
    deepseek = may["deepseek/deepseek-chat"]  # 2026-08 price 0.2574 in, 1.0287 out
    august = records(LIVE_CAPTURE)["deepseek/deepseek-chat"]
    row = with_prices(saved(august, 1), Decimal("0.257400"), Decimal("1.028700"))
    assert compare([row], live(), now=CAPTURED).models[0].status is DriftStatus.UNCHANGED
    # a truly different price is drift, whatever the trailing zeros
    old = saved(deepseek, 2)
    change = by_field(compare([old], live(), now=CAPTURED).models[0].changes)
    assert (change["input_price"].old, change["input_price"].new) == (
        Decimal("0.38"),
        Decimal("0.2574"),
    )


def test_a_stale_list_says_so(scenario: list[StoredModel]) -> None:
    stale = live().as_stale("openrouter: HTTP 503")
    report = compare(scenario, stale, now=CAPTURED)
    assert report.stale and report.error == "openrouter: HTTP 503"
    assert "stale copy" in report.warnings()[-1]


def test_absent_from_a_partial_list_is_unlisted_not_missing(
    scenario: list[StoredModel],
) -> None:
    """Hugging Face lists only its most downloaded models per task: absence proves nothing."""
    assert huggingface.SPEC.complete_list is False
    assert openrouter.SPEC.complete_list is True
    report = compare(scenario, live(), now=CAPTURED, complete_list=False)
    sonnet = next(m for m in report.models if m.model_id == SONNET_37)
    assert sonnet.status is DriftStatus.UNLISTED and not sonnet.active_missing
    assert report.active_missing == report.missing == ()
    assert {m.model_id for m in report.unlisted} == {SONNET_37, GROK_3_BETA}
    assert len(report.changed) == 3  # what is listed still compares as usual
    assert report.warnings() == [
        "2 saved models are not in openrouter's list, which holds only a selection of its "
        "models: they may still be offered"
    ]
    assert as_json(report)["completeList"] is False


def test_a_rewritten_description_alone_is_cosmetic_not_changed() -> None:
    """gpt-4o-mini: the 2026-08 list carries a shortened description and nothing else new."""
    mini = saved(records(SAVED_CAPTURE)["openai/gpt-4o-mini"], 1, active=True)
    report = compare([mini], live(), now=CAPTURED)
    (model,) = report.models
    assert model.status is DriftStatus.UNCHANGED and report.changed == ()
    (change,) = model.changes
    assert change.field == "description" and not change.material and not change.counts
    assert as_json(report)["models"][0]["changes"][0]["material"] is False


def test_a_material_change_beside_a_cosmetic_one_is_changed(scenario: list[StoredModel]) -> None:
    o3 = next(m for m in compare(scenario, live(), now=CAPTURED).models if m.model_id == O3)
    material = {change.field: change.material for change in o3.changes}
    assert material == {
        "input_price": True,
        "output_price": True,
        "cache_read_price": True,
        "capabilities": True,
        "description": False,
    }
    assert o3.status is DriftStatus.CHANGED


def test_a_catalog_price_change_says_since_when_and_a_replacement_is_named() -> None:
    """OpenAI lists no prices: o3 saved at 10/40 before 2025-06-10, genai-prices dates the cut
    to 2/8; Mistral names `mistral-ocr-latest` as the successor of a retiring OCR model."""
    from catalog.catalogs.enrich import enrich
    from catalog.catalogs.metadata import load_metadata
    from catalog.catalogs.prices import load_prices
    from providers import mistral, openai
    from tests.providers._captures import capture

    now = datetime(2026, 3, 15, tzinfo=UTC)
    prices, metadata = load_prices(None), load_metadata(None)
    listed = openai.parse_models(capture("openai", "models-2025-05.json"))
    live_o3 = {m.id: m for m in enrich("openai", listed, prices, metadata, now)}["o3"]
    before = enrich("openai", [live_o3], prices, metadata, datetime(2025, 6, 1, tzinfo=UTC))
    stored = with_prices(saved(live_o3, 1), Decimal("10"), Decimal("40"))
    (o3,) = compare([stored], _list(live_o3), now=now).models
    change = by_field(o3.changes)["input_price"]
    assert (change.old, change.new) == (Decimal("10"), Decimal("2"))
    assert change.source == "catalog:genai-prices@0.2.3"
    assert change.since == datetime(2025, 6, 10).date()
    assert before[0].input_price == Decimal("2")  # a listed figure is never re-priced
    ocr_list = mistral.parse_models(capture("mistral", "models-2026-03.json"))
    (ocr,) = [m for m in ocr_list if m.id == "mistral-ocr-2503"]
    (drift,) = compare([saved(ocr, 2)], _list(ocr), now=now).models
    assert drift.retiring and drift.replacement_model_id == "mistral-ocr-latest"
    assert (
        as_json(compare([saved(ocr, 2)], _list(), now=now))["models"][0]["replacementModelId"]
        == "mistral-ocr-latest"
    )


def _list(*models: ModelRecord) -> Snapshot:
    return Snapshot("p", models, fetched_at=0.0, fresh_until=1.0)
