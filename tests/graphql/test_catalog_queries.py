"""`availableModels` as a model picker uses it: search, filter, sort, pages (over HTTP)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tests.service import Service

PAGE = """
query Page($provider: String!, $search: String, $filter: ModelFilter, $sort: ModelSort,
           $first: Int, $after: String) {
  availableModels(provider: $provider, search: $search, filter: $filter, sort: $sort,
                  first: $first, after: $after) {
    totalCount count
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    models { modelId name inputPrice contextWindow capabilities savedInDb isActiveInDb }
  }
}
"""
SAVE = """
mutation($provider: String!, $modelId: String!, $isActive: Boolean) {
  saveModel(provider: $provider, modelId: $modelId, isActive: $isActive) { created }
}
"""


async def page(service: Service, **variables: Any) -> dict[str, Any]:
    data = await service.gql(PAGE, {"provider": "openrouter", **variables})
    listing: dict[str, Any] = data["availableModels"]
    return listing


async def test_cursor_pages_cover_the_filtered_list_once(service: Service) -> None:
    spec = {"capabilities": ["CHAT"], "minContextWindow": 100000}
    order = {"field": "INPUT_PRICE", "direction": "DESC"}
    whole = await page(service, filter=spec, sort=order)
    assert whole["count"] == whole["totalCount"] == len(whole["models"]) > 100
    walked: list[str] = []
    after = None
    while True:
        listing = await page(service, filter=spec, sort=order, first=40, after=after)
        assert listing["totalCount"] == whole["totalCount"]
        assert listing["count"] == len(listing["models"]) <= 40
        assert listing["pageInfo"]["hasPreviousPage"] is (after is not None)
        walked += [m["modelId"] for m in listing["models"]]
        if not listing["pageInfo"]["hasNextPage"]:
            break
        after = listing["pageInfo"]["endCursor"]
    assert walked == [m["modelId"] for m in whole["models"]]
    prices = [Decimal(m["inputPrice"]) for m in whole["models"] if m["inputPrice"] is not None]
    assert prices == sorted(prices, reverse=True)
    assert all(
        m["contextWindow"] >= 100000 and "CHAT" in m["capabilities"] for m in whole["models"]
    )


async def test_search_and_free_only(service: Service) -> None:
    found = await page(service, search="gpt-4o mini")
    assert "openai/gpt-4o-mini" in [m["modelId"] for m in found["models"]]
    free = await page(service, filter={"freeOnly": True}, sort={"field": "NAME"})
    names = [m["name"].casefold() for m in free["models"]]
    assert names == sorted(names) and free["totalCount"] > 10
    assert {m["inputPrice"] for m in free["models"]} == {"0"}


async def test_saved_and_active_filters_read_the_database(service: Service) -> None:
    await service.gql(
        SAVE, {"provider": "openrouter", "modelId": "openai/gpt-4o", "isActive": True}
    )
    await service.gql(SAVE, {"provider": "openrouter", "modelId": "openai/gpt-4o-mini"})
    saved = await page(service, filter={"saved": True}, sort={"field": "NAME"})
    assert [m["modelId"] for m in saved["models"]] == ["openai/gpt-4o", "openai/gpt-4o-mini"]
    active = await page(service, filter={"active": True})
    assert [m["modelId"] for m in active["models"]] == ["openai/gpt-4o"]
    assert active["models"][0]["isActiveInDb"] is True


async def test_each_page_is_cached_on_its_own(service: Service) -> None:
    results = service.services.results
    first = await page(service, first=10, sort={"field": "NAME"})
    second = await page(
        service, first=10, sort={"field": "NAME"}, after=first["pageInfo"]["endCursor"]
    )
    assert first["models"] != second["models"]
    hits = results.hits
    assert await page(service, first=10, sort={"field": "NAME"}) == first
    again = await page(
        service, first=10, sort={"field": "NAME"}, after=first["pageInfo"]["endCursor"]
    )
    assert again == second and results.hits == hits + 2
    # a write changes the fingerprint: the saved filter sees it at once
    before = await page(service, filter={"saved": True})
    await service.gql(SAVE, {"provider": "openrouter", "modelId": "openai/gpt-4o"})
    after = await page(service, filter={"saved": True})
    assert before["totalCount"] == 0 and after["totalCount"] == 1


async def test_page_size_and_cursor_errors_are_bad_user_input(service: Service) -> None:
    too_big = await service.error(PAGE, {"provider": "openrouter", "first": 501})
    assert too_big["extensions"]["code"] == "BAD_USER_INPUT"
    assert "maximum page size" in too_big["message"]
    bad = await service.error(PAGE, {"provider": "openrouter", "after": "garbage"})
    assert bad["extensions"]["code"] == "BAD_USER_INPUT"
    first = await page(service, first=5)
    foreign = await service.error(
        PAGE,
        {
            "provider": "openrouter",
            "after": first["pageInfo"]["endCursor"],
            "sort": {"field": "NAME"},
        },
    )
    assert foreign["extensions"]["code"] == "BAD_USER_INPUT"
    assert "another sort order" in foreign["message"]


async def test_the_capability_shorthand_filters_as_the_filter_does(service: Service) -> None:
    old = await service.gql(
        '{ availableModels(provider: "openrouter", capability: EMBEDDING) '
        "{ count models { modelId } } }"
    )
    new = await page(service, filter={"capabilities": ["EMBEDDING"]})
    listing = old["availableModels"]
    assert listing["count"] == new["totalCount"] > 0
    assert [m["modelId"] for m in listing["models"]] == [m["modelId"] for m in new["models"]]
