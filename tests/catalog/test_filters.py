"""`catalog.filters` on the real OpenRouter capture (549 models) and the Groq capture.

Every expectation is recomputed here from the raw JSON or with plain Python over the parsed
records, independently of the module under test.
"""

from __future__ import annotations

import base64
import dataclasses
from decimal import Decimal
from typing import Any

import pytest

from catalog.cost import Usage
from catalog.filters import MAX_PAGE_SIZE, ModelFilter, ModelQuery, Page, apply
from catalog.ordering import SortDirection, SortField, encode_cursor
from errors import InvalidInputError
from providers import Capability, ModelRecord, groq, openrouter
from tests.providers._captures import capture

ALL = "models-all-output-modalities-2026-08.json"


@pytest.fixture(scope="module")
def raw() -> list[dict[str, Any]]:
    models: list[dict[str, Any]] = capture("openrouter", ALL)["data"]
    return models


@pytest.fixture(scope="module")
def models() -> list[ModelRecord]:
    return openrouter.parse_models(capture("openrouter", ALL))


def ids(page: Page) -> list[str]:
    return [model.id for model in page.models]


def run(models: list[ModelRecord], saved: dict[str, bool] | None = None, **kw: Any) -> Page:
    spec = kw.pop("filter", None)
    query = ModelQuery(**kw) if spec is None else ModelQuery(filter=spec, **kw)
    return apply(models, query, saved or {})


def test_no_arguments_is_the_whole_list_in_upstream_order(
    models: list[ModelRecord], raw: list[dict[str, Any]]
) -> None:
    page = run(models)
    assert ids(page) == [m["id"] for m in raw]
    assert page.total == 549 and not page.has_next and not page.has_previous


def test_search_matches_every_word_on_id_or_name(
    models: list[ModelRecord], raw: list[dict[str, Any]]
) -> None:
    page = run(models, search="  GPT mini ")
    expected = [
        m["id"]
        for m in raw
        if all(w in (m["id"] + "\n" + m["name"]).lower() for w in ("gpt", "mini"))
    ]
    assert ids(page) == expected and "openai/gpt-4o-mini" in expected
    # the name alone can match: "Claude" is in names, ids say "anthropic/claude-..."
    by_name = run(models, search="Sonnet 4")
    assert "anthropic/claude-sonnet-4" in ids(by_name)
    assert run(models, search="no-such-model-anywhere").total == 0


def test_capabilities_must_all_be_present(models: list[ModelRecord]) -> None:
    wanted = frozenset({Capability.VISION, Capability.TOOLS})
    page = run(models, filter=ModelFilter(capabilities=wanted))
    assert ids(page) == [m.id for m in models if wanted <= m.capabilities]
    assert 0 < page.total < len(models)


def test_free_only_needs_both_prices_stated_and_zero(
    models: list[ModelRecord], raw: list[dict[str, Any]]
) -> None:
    page = run(models, filter=ModelFilter(free_only=True))
    expected = [m.id for m in models if m.input_price == 0 and m.output_price == 0]
    assert ids(page) == expected and len(expected) > 10
    # every ":free" variant of the capture is free...
    free_ids = {m["id"] for m in raw if m["id"].endswith(":free")}
    assert free_ids <= set(expected)
    # ...but an image model priced per image (token prices "0") is not: its price is unknown
    seedream = next(m for m in raw if m["id"] == "bytedance-seed/seedream-5-0-lite")
    assert seedream["pricing"]["prompt"] == "0" and seedream["id"] not in expected


def test_minimum_context_leaves_out_unknown_windows(models: list[ModelRecord]) -> None:
    page = run(models, filter=ModelFilter(min_context_window=1_000_000))
    expected = [m.id for m in models if (m.context_window or 0) >= 1_000_000]
    assert ids(page) == expected and expected


def test_maximum_prices_leave_out_unpriced_models(models: list[ModelRecord]) -> None:
    bound = Decimal("0.5")
    page = run(models, filter=ModelFilter(max_input_price=bound, max_output_price=Decimal(2)))
    expected = [
        m.id
        for m in models
        if m.input_price is not None
        and m.input_price <= bound
        and m.output_price is not None
        and m.output_price <= 2
    ]
    assert ids(page) == expected and expected
    unpriced = [m.id for m in models if m.input_price is None]
    assert unpriced  # OpenRouter's "-1" routers
    assert not set(unpriced) & set(ids(page))


def test_modalities_must_all_be_declared(
    models: list[ModelRecord], raw: list[dict[str, Any]]
) -> None:
    page = run(
        models,
        filter=ModelFilter(
            input_modalities=frozenset({"IMAGE", "audio"}), output_modalities=frozenset({"text"})
        ),
    )
    expected = [
        m["id"]
        for m in raw
        if {"image", "audio"} <= set(m["architecture"]["input_modalities"])
        and "text" in m["architecture"]["output_modalities"]
    ]
    assert ids(page) == expected and expected


def test_saved_and_active_follow_the_database(models: list[ModelRecord]) -> None:
    saved = {"openai/gpt-4o": True, "anthropic/claude-sonnet-4": False}
    assert ids(run(models, saved, filter=ModelFilter(saved=True))) == [
        m.id for m in models if m.id in saved
    ]
    assert ids(run(models, saved, filter=ModelFilter(active=True))) == ["openai/gpt-4o"]
    inactive_saved = run(models, saved, filter=ModelFilter(saved=True, active=False))
    assert ids(inactive_saved) == ["anthropic/claude-sonnet-4"]
    unsaved = run(models, saved, filter=ModelFilter(saved=False))
    assert unsaved.total == len(models) - 2


@pytest.mark.parametrize(
    ("field", "figure"),
    [
        (SortField.NAME, lambda m: m.name.casefold()),
        (SortField.CREATED_AT, lambda m: m.created_at),
        (SortField.INPUT_PRICE, lambda m: m.input_price),
        (SortField.OUTPUT_PRICE, lambda m: m.output_price),
        (SortField.CONTEXT_WINDOW, lambda m: m.context_window),
    ],
)
@pytest.mark.parametrize("direction", list(SortDirection))
def test_sorting_puts_unknown_figures_last_and_breaks_ties_by_id(
    models: list[ModelRecord], field: SortField, figure: Any, direction: SortDirection
) -> None:
    page = run(models, sort=field, direction=direction)
    known = [m for m in models if figure(m) is not None]
    unknown = sorted((m for m in models if figure(m) is None), key=lambda m: m.id)
    desc = direction is SortDirection.DESC
    ordered = sorted(known, key=lambda m: (figure(m), m.id), reverse=desc)
    assert ids(page) == [m.id for m in ordered + unknown]


def test_newest_first(models: list[ModelRecord], raw: list[dict[str, Any]]) -> None:
    page = run(models, sort=SortField.CREATED_AT, direction=SortDirection.DESC, first=3)
    newest = sorted(raw, key=lambda m: (-m["created"], m["id"]))[:3]
    assert ids(page) == [m["id"] for m in newest]


@pytest.mark.parametrize("field", list(SortField))
@pytest.mark.parametrize("direction", list(SortDirection))
def test_pages_walk_the_whole_list_once(
    models: list[ModelRecord], field: SortField, direction: SortDirection
) -> None:
    sized: dict[str, Any] = {"usage": Usage(1000, 500)} if field is SortField.ESTIMATED_COST else {}
    whole = ids(run(models, sort=field, direction=direction, **sized))
    walked: list[str] = []
    after = None
    pages = 0
    while True:
        page = run(models, sort=field, direction=direction, first=100, after=after, **sized)
        assert page.total == 549
        assert page.has_previous is (after is not None)
        walked += ids(page)
        pages += 1
        if not page.has_next:
            break
        after = page.end_cursor
    assert walked == whole and pages == 6


def test_a_cursor_survives_a_refreshed_list(models: list[ModelRecord]) -> None:
    """The list changes between two pages: nothing kept is repeated or skipped."""
    first = run(models, sort=SortField.NAME, first=50)
    last = first.models[-1]
    refreshed = [m for m in models if m is not last and m is not first.models[10]]
    refreshed.insert(0, dataclasses.replace(models[0], id="new/model", name="AAA New"))
    second = run(refreshed, sort=SortField.NAME, first=50, after=first.end_cursor)
    expected = ids(run(refreshed, sort=SortField.NAME))
    start = expected.index(ids(first)[-2]) + 1
    assert ids(second) == expected[start : start + 50]


def test_filters_and_paging_combine(models: list[ModelRecord]) -> None:
    spec = ModelFilter(capabilities=frozenset({Capability.CHAT}), min_context_window=100_000)
    whole = run(models, filter=spec, sort=SortField.INPUT_PRICE)
    page = run(models, filter=spec, sort=SortField.INPUT_PRICE, first=10)
    assert page.total == whole.total and ids(page) == ids(whole)[:10]
    assert page.start_cursor is not None and page.has_next


def test_an_empty_page(models: list[ModelRecord]) -> None:
    page = run(models, first=0)
    assert page.models == () and page.total == 549 and page.has_next
    assert page.start_cursor is None and page.end_cursor is None
    end = run(models, first=10, after=run(models).end_cursor)
    assert end.models == () and not end.has_next and end.has_previous


def test_groq_has_no_prices_so_price_filters_keep_nothing() -> None:
    records = groq.parse_models(capture("groq", "models-2026-03.json"))
    assert run(records, filter=ModelFilter(max_input_price=Decimal(100))).total == 0
    by_price = run(records, sort=SortField.INPUT_PRICE)
    assert ids(by_price) == sorted(m.id for m in records)  # all unknown: by id


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (ModelQuery(first=MAX_PAGE_SIZE + 1), "maximum page size"),
        (ModelQuery(first=-1), "between 0 and 500"),
        (ModelQuery(filter=ModelFilter(min_context_window=-5)), "minContextWindow"),
        (ModelQuery(filter=ModelFilter(max_input_price=Decimal(-1))), "maxInputPrice"),
        (ModelQuery(filter=ModelFilter(max_output_price=Decimal("NaN"))), "maxOutputPrice"),
        (ModelQuery(after="not a cursor!"), "invalid cursor"),
        (ModelQuery(after=base64.urlsafe_b64encode(b"[1, 2]").decode()), "invalid cursor"),
        (
            ModelQuery(
                sort=SortField.NAME,
                after=encode_cursor((False, 3, "x"), SortField.UPSTREAM, SortDirection.ASC),
            ),
            "another sort order",
        ),
        (
            ModelQuery(
                sort=SortField.CONTEXT_WINDOW,
                after=encode_cursor(
                    (False, "big", "x"), SortField.CONTEXT_WINDOW, SortDirection.ASC
                ),
            ),
            "invalid cursor",
        ),
    ],
)
def test_bad_input_is_refused(models: list[ModelRecord], query: ModelQuery, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        apply(models, query, {})


def test_the_page_size_limit_is_a_parameter(models: list[ModelRecord]) -> None:
    assert len(apply(models, ModelQuery(first=20), {}, max_page_size=20).models) == 20
    with pytest.raises(InvalidInputError, match="between 0 and 10"):
        apply(models, ModelQuery(first=20), {}, max_page_size=10)


def test_the_unpaged_shortcut_agrees_with_the_general_path(models: list[ModelRecord]) -> None:
    shortcut = apply(models, ModelQuery(), {})
    general = apply(models, ModelQuery(first=len(models)), {}, max_page_size=1000)
    assert shortcut == general
    assert apply([], ModelQuery(), {}) == Page((), 0, False, False, None, None)
