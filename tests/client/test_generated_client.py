"""The generated typed client (clients/python) against the LIVE server.

A real uvicorn process on a free port, a real SQLite file, the replay upstream: the client
drives every operation of `examples/*.graphql` over HTTP, exactly as an application would.
"""

from __future__ import annotations

from decimal import Decimal

import httpx
import pytest
from ai_model_sync_client import (
    AiModelSyncClient,
    Capability,
    DriftField,
    DriftStatus,
    GraphQLClientGraphQLMultiError,
    GraphQLClientHttpError,
    ModelFilter,
    ModelSort,
    ModelSortField,
    SortDirection,
)

from tests.client._live import LiveServer
from tests.service import coded


async def test_available_models_pages_with_typed_results(client: AiModelSyncClient) -> None:
    spec = ModelFilter(capabilities=[Capability.CHAT], min_context_window=100_000)
    order = ModelSort(field=ModelSortField.INPUT_PRICE, direction=SortDirection.ASC)
    first = await client.available_models("openrouter", filter_=spec, sort=order, first=25)
    listing = first.available_models
    assert listing.provider == "openrouter" and listing.stale is False
    assert len(listing.models) == 25 and listing.total_count > 25
    assert listing.page_info.has_next_page and listing.page_info.end_cursor
    prices = [m.input_price for m in listing.models if m.input_price is not None]
    assert all(isinstance(p, Decimal) for p in prices) and prices == sorted(prices)
    assert all(Capability.CHAT in m.capabilities for m in listing.models)
    assert all((m.context_window or 0) >= 100_000 for m in listing.models)
    second = await client.available_models(
        "openrouter", filter_=spec, sort=order, first=25, after=listing.page_info.end_cursor
    )
    page_two = second.available_models
    assert page_two.page_info.has_previous_page
    assert not {m.model_id for m in listing.models} & {m.model_id for m in page_two.models}


async def test_search_free_and_price_bounds(client: AiModelSyncClient) -> None:
    found = await client.available_models("openrouter", search="gpt-4o mini")
    assert "openai/gpt-4o-mini" in [m.model_id for m in found.available_models.models]
    cheap = await client.available_models(
        "openrouter", filter_=ModelFilter(max_input_price=Decimal("0.1"), free_only=False)
    )
    assert all(
        m.input_price is not None and m.input_price <= Decimal("0.1")
        for m in cheap.available_models.models
    )
    free = await client.available_models("openrouter", filter_=ModelFilter(free_only=True))
    assert free.available_models.total_count > 0
    assert {m.input_price for m in free.available_models.models} == {Decimal(0)}


async def test_save_sync_list_and_clear(client: AiModelSyncClient, live_server: LiveServer) -> None:
    saved = await client.save_model("openrouter", "openai/gpt-4o", is_active=True)
    assert saved.save_model.created is True
    model = saved.save_model.model
    assert model.is_active and model.input_price == Decimal("2.5") and model.db_id

    synced = await client.bulk_sync("openrouter", capability=Capability.EMBEDDING, limit=3)
    assert synced.bulk_sync.created == 3 and len(synced.bulk_sync.model_ids) == 3

    active = await client.available_models("openrouter", filter_=ModelFilter(active=True))
    assert [m.model_id for m in active.available_models.models] == ["openai/gpt-4o"]
    assert active.available_models.models[0].db_id == model.db_id

    reader_headers = {"Authorization": f"Bearer {live_server.reader_token}"}
    async with AiModelSyncClient(url=live_server.url, headers=reader_headers) as reader:
        rows = await reader.saved_models(provider="openrouter")
        assert len(rows.saved_models) == 4
        only_active = await reader.saved_models(provider="openrouter", active=True)
        assert [r.model_id for r in only_active.saved_models] == ["openai/gpt-4o"]
        routed = await reader.active_model(Capability.CHAT)
        assert routed.active_model is not None
        assert routed.active_model.model_id == "openai/gpt-4o"
        assert (await reader.active_model(Capability.EMBEDDING)).active_model is None
        with pytest.raises(GraphQLClientGraphQLMultiError) as forbidden:
            await reader.clear_models("openrouter")
        assert coded(forbidden.value.errors[0].extensions or {}) == {"code": "FORBIDDEN"}

    cleared = await client.clear_models("openrouter")
    assert cleared.clear_models.deleted == 3
    left = await client.saved_models(provider="openrouter")
    assert [r.model_id for r in left.saved_models] == ["openai/gpt-4o"]

    log = await client.audit_log(first=2, provider="openrouter")
    clear, sync = log.audit_log.entries
    assert (clear.operation, sync.operation) == ("clearModels", "bulkSync")
    assert clear.details["deleted"] == 3 and sorted(clear.model_ids) == sorted(
        synced.bulk_sync.model_ids
    )
    older = await client.audit_log(first=1, provider="openrouter", after=log.audit_log.end_cursor)
    (save,) = older.audit_log.entries
    assert save.operation == "saveModel" and save.actor == "admin" and save.request_id
    assert any(c.field == "is_active" and c.after == "true" for c in save.changes)
    async with AiModelSyncClient(url=live_server.url, headers=reader_headers) as reader:
        with pytest.raises(GraphQLClientGraphQLMultiError) as refused:
            await reader.audit_log(first=1)
        assert coded(refused.value.errors[0].extensions or {}) == {"code": "FORBIDDEN"}


async def test_errors_arrive_with_their_codes(client: AiModelSyncClient) -> None:
    with pytest.raises(GraphQLClientGraphQLMultiError) as unknown:
        await client.available_models("nope")
    assert coded(unknown.value.errors[0].extensions or {}) == {"code": "NOT_FOUND"}
    with pytest.raises(GraphQLClientGraphQLMultiError) as too_big:
        await client.available_models("openrouter", first=501)
    assert coded(too_big.value.errors[0].extensions or {}) == {"code": "BAD_USER_INPUT"}


async def test_graphql_response_json_over_the_wire(live_server: LiveServer) -> None:
    """The client asking for the modern media type: a request error is an HTTP 400."""
    headers = {
        "Authorization": f"Bearer {live_server.admin_token}",
        "Accept": "application/graphql-response+json",
    }
    async with AiModelSyncClient(url=live_server.url, headers=headers) as modern:
        ok = await modern.saved_models(provider="groq")
        assert ok.saved_models == []
        response = await modern.execute("{ nope }")
        assert isinstance(response, httpx.Response) and response.status_code == 400
        assert response.headers["content-type"].startswith("application/graphql-response+json")
        with pytest.raises(GraphQLClientHttpError):
            modern.get_data(response)


async def test_drift_report_sync_and_activation(
    client: AiModelSyncClient, live_server: LiveServer
) -> None:
    """modelChanges, syncSavedModels and setModelsActive after the upstream changed."""
    for model_id in ("openai/gpt-4o", "openai/gpt-4o-mini"):
        await client.save_model("openrouter", model_id, is_active=True)
    unchanged = await client.model_changes("openrouter")
    assert unchanged.model_changes.total == 2 and unchanged.model_changes.unchanged == 2
    try:
        live_server.serve(
            {
                "openai/gpt-4o": {"pricing": {"prompt": "0.000002", "completion": "0.000008"}},
                "openai/gpt-4o-mini": None,  # no longer listed
            }
        )
        report = (await client.model_changes("openrouter", use_cache=False)).model_changes
        assert (report.changed, report.missing, report.active_missing) == (1, 1, 1)
        by_id = {m.model_id: m for m in report.models}
        assert by_id["openai/gpt-4o-mini"].status is DriftStatus.MISSING
        assert by_id["openai/gpt-4o-mini"].active_missing
        gpt4o = by_id["openai/gpt-4o"]
        assert gpt4o.status is DriftStatus.CHANGED
        price = next(c for c in gpt4o.changes if c.field is DriftField.INPUT_PRICE)
        assert (price.old, price.new) == ("2.5", "2")

        synced = (await client.sync_saved_models("openrouter")).sync_saved_models
        assert synced.updated_model_ids == ["openai/gpt-4o"]
        assert synced.missing_model_ids == ["openai/gpt-4o-mini"]
        saved = await client.saved_models(provider="openrouter")
        prices = {m.model_id: m.input_price for m in saved.saved_models}
        assert prices == {"openai/gpt-4o": Decimal(2), "openai/gpt-4o-mini": Decimal("0.15")}

        off = await client.set_models_active("openrouter", ["openai/gpt-4o-mini"], False)
        assert off.set_models_active.changed == 1 and off.set_models_active.active is False
        after = (await client.model_changes("openrouter")).model_changes
        assert after.active_missing == 0 and after.missing == 1
    finally:
        live_server.serve()
        await client.available_models("openrouter", use_cache=False, first=0)
