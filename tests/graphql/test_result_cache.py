"""A result-cache hit serves the very bytes the execution produced, encoded once."""

from __future__ import annotations

from typing import cast

import orjson
from graphql import ExecutionResult, OperationDefinitionNode, parse

from schema.result_cache.encoding import EncodedResponse, encode_response, encoded
from schema.result_cache.extension import Arguments
from schema.result_cache.store import ResultCache
from tests.service import Service

LIST = """
query List($provider: String!) {
  availableModels(provider: $provider) {
    count models { modelId inputPrice createdAt capabilities raw savedInDb dbId }
  }
}
"""


async def test_a_hit_serves_the_same_bytes_as_the_execution(service: Service) -> None:
    results = service.services.results
    first = await service.post(LIST, {"provider": "openrouter"})
    hits = results.hits
    second = await service.post(LIST, {"provider": "openrouter"})
    assert results.hits == hits + 1
    assert second.content == first.content
    assert orjson.loads(second.content)["data"]["availableModels"]["count"] == 549


def _dumps(data: object) -> bytes:
    return orjson.dumps(data)


def test_only_a_cached_results_exact_data_is_kept_encoded() -> None:
    cache = ResultCache(size=1)
    result = ExecutionResult(data={"n": 1})
    cache.put("k", result)
    response = encoded(cache, {"data": result.data})
    assert isinstance(response, EncodedResponse)
    body = encode_response(response, _dumps)
    assert body == b'{"data":{"n":1}}'
    assert encode_response(encoded(cache, {"data": result.data}), _dumps) is body  # reused

    equal_but_not_cached = encoded(cache, {"data": {"n": 1}})
    assert not isinstance(equal_but_not_cached, EncodedResponse)
    with_errors = encoded(cache, {"data": result.data, "errors": []})
    assert not isinstance(with_errors, EncodedResponse)

    cache.put("other", ExecutionResult(data={"n": 2}))  # evicts "k"
    assert not isinstance(encoded(cache, {"data": result.data}), EncodedResponse)


async def test_the_cache_is_bounded_in_bytes_too(service: Service) -> None:
    """Entries are few (RESULT_CACHE_SIZE) but a list's response can be megabytes: what is
    kept is bounded by its encoded size as well."""
    results = service.services.results
    queries = [LIST.replace("availableModels(", f"{a}: availableModels(") for a in "abcd"]
    first = await service.post(queries[0], {"provider": "openrouter"})
    assert results.bytes == len(first.content) > 500_000
    results.max_bytes = len(first.content) * 5 // 2  # room for two such responses, not three
    for query in queries[1:]:  # three more documents, three more entries
        assert (await service.post(query, {"provider": "openrouter"})).status_code == 200
    assert results.bytes == 2 * len(first.content) and len(results._entries) == 2


async def test_one_document_with_other_variables_is_another_entry(service: Service) -> None:
    """The root fields' arguments are remembered per document and variables: the same text
    with another provider, or with `useCache: false`, is never answered with the first's."""
    query = LIST.replace("$provider: String!", "$provider: String!, $cached: Boolean = true")
    query = query.replace("(provider: $provider)", "(provider: $provider, useCache: $cached)")
    results = service.services.results
    bodies: dict[str, bytes] = {}
    for provider in ("openrouter", "groq", "openrouter", "groq"):
        response = await service.post(query, {"provider": provider})
        bodies.setdefault(provider, response.content)
        assert response.content == bodies[provider]
    assert bodies["openrouter"] != bodies["groq"] and results.hits == 2
    count = orjson.loads(bodies["groq"])["data"]["availableModels"]["count"]
    assert 0 < count != 549
    fresh = await service.post(query, {"provider": "groq", "cached": False})
    assert orjson.loads(fresh.content)["data"]["availableModels"]["count"] == count
    assert results.hits == 2  # a list asked fresh is executed, never served from the cache


async def test_two_lists_in_one_document_are_fetched_together_and_cached_together(
    service: Service,
) -> None:
    query = """{ a: availableModels(provider: "openrouter") { count }
      b: availableModels(provider: "groq") { count } }"""
    results = service.services.results
    first = await service.post(query)
    data = orjson.loads(first.content)["data"]
    assert data["a"]["count"] == 549 and 0 < data["b"]["count"] != 549
    hits = results.hits
    assert (await service.post(query)).content == first.content and results.hits == hits + 1


def test_the_remembered_arguments_are_bounded() -> None:
    arguments = Arguments(size=2)
    operations = [parse(f'{{ availableModels(provider: "p{n}") {{ count }} }}') for n in range(3)]
    nodes = [cast(OperationDefinitionNode, doc.definitions[0]) for doc in operations]
    for n, node in enumerate(nodes):
        arguments.put(node, b"{}", (("availableModels", {"provider": f"p{n}"}),))
    assert arguments.get(nodes[0], b"{}") == (False, None)  # the oldest, forgotten
    assert arguments.get(nodes[2], b"{}") == (True, (("availableModels", {"provider": "p2"}),))
    assert arguments.get(nodes[2], b"{ }") == (False, None)  # other variables
