"""A stored result served early (`schema.result_cache.early`): the very response the usual way
gives (status, headers, bytes, errors), counted alike in every metric, for each kind of
request; served without executing anything; and never stale: a write by another process shows
on the very next request."""

from __future__ import annotations

from collections.abc import Callable
from itertools import product
from typing import Any

import httpx
import orjson
import pytest

from schema import Schema
from server import GraphQLApp
from settings import Settings
from tests.live import cli, environment
from tests.service import Service

LIST = """
query List($provider: String!, $first: Int) {
  availableModels(provider: $provider, first: $first) {
    provider count totalCount fetchedAt stale error
    models {
      modelId name capabilities inputPrice outputPrice contextWindow createdAt
      sources { field origin } raw savedInDb isActiveInDb dbId
    }
  }
}
"""
TWO = """
query Small { availableModels(provider: "groq") { count models { modelId savedInDb } } }
query Both {
  __typename
  a: availableModels(provider: "groq") { count }
  b: availableModels(provider: "openrouter", first: 2) { models { id: modelId } }
}
"""
SAVE = 'mutation($id: String!) { saveModel(provider: "groq", modelId: $id) { created } }'
SAVED = '{ availableModels(provider: "groq") { models { modelId savedInDb isActiveInDb } } }'
REQUEST_ID = "test-early-hits"

Send = Callable[[Service, str], Any]


def _view(service: Service) -> GraphQLApp:
    assert service.app is not None
    route = next(r for r in service.app.router.routes if getattr(r, "path", "") == "/graphql")
    view = getattr(route, "endpoint", None)
    assert isinstance(view, GraphQLApp)
    return view


def _post(body: object, **headers: str) -> Send:
    async def send(service: Service, token: str) -> httpx.Response:
        head = {"Content-Type": "application/json", "X-Request-ID": REQUEST_ID, **headers}
        if token:
            head["Authorization"] = f"Bearer {token}"
        content = body if isinstance(body, bytes) else orjson.dumps(body)
        return await service.http.post("/graphql", content=content, headers=head)

    return send


def _get(params: dict[str, str]) -> Send:
    async def send(service: Service, token: str) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}", "X-Request-ID": REQUEST_ID}
        return await service.http.get("/graphql", params=params, headers=headers)

    return send


def _nested(depth: int) -> object:
    value: object = 1
    for _ in range(depth):
        value = [value]
    return value


OPENROUTER = {"provider": "openrouter"}
REQUESTS: dict[str, Send] = {
    "the bench's list": _post({"query": LIST, "variables": OPENROUTER}),
    "a page": _post({"query": LIST, "variables": {"provider": "groq", "first": 3}}),
    "no variables": _post({"query": SAVED}),
    "variables null": _post({"query": SAVED, "variables": None, "operationName": None}),
    "a named operation of two": _post({"query": TWO, "operationName": "Both"}),
    "the other one": _post({"query": TWO, "operationName": "Small"}),
    "two operations, none named": _post({"query": TWO}),
    "an unknown operation name": _post({"query": TWO, "operationName": "Nope"}),
    "the GraphQL media type": _post(
        {"query": LIST, "variables": OPENROUTER}, Accept="application/graphql-response+json"
    ),
    "a charset": _post({"query": SAVED}, **{"Content-Type": "application/json; charset=utf-8"}),
    "extensions": _post({"query": SAVED, "extensions": {"persistedQuery": None}}),
    "other keys": _post({"query": SAVED, "id": "x"}),
    "a GET": _get({"query": SAVED}),
    "a bad variable": _post({"query": LIST, "variables": {"provider": 5}}),
    "variables a list": _post({"query": SAVED, "variables": [1]}),
    "an operation name not a string": _post({"query": TWO, "operationName": 5}),
    "server-sent events": _post({"query": SAVED}, Accept="text/event-stream"),
    "an unstorable variable": _post({"query": LIST, "variables": {"provider": "a\u0000b"}}),
    "an unknown provider": _post({"query": LIST, "variables": {"provider": "nope"}}),
    "an invalid document": _post({"query": "{ availableModels { nope } }"}),
    "a mutation": _post({"query": SAVE, "variables": {"id": "nope/none"}}),
    "not JSON": _post(b"{nope"),
    "a batch": _post([{"query": SAVED}]),
    "a string body": _post(b'"query"'),
    "too deep": _post({"query": SAVED, "variables": {"x": _nested(31)}}),
    "text/plain": _post({"query": SAVED}, **{"Content-Type": "text/plain"}),
    "not acceptable": _post({"query": SAVED}, Accept="text/csv"),
}


def _counted(service: Service) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every counter and histogram count of the process (gauges and timings left out)."""
    counted = {}
    for metric in service.services.catalog.metrics.registry.collect():
        if metric.type == "gauge":
            continue
        for sample in metric.samples:
            if sample.name.endswith(("_total", "_count")):
                counted[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return counted


def _delta(before: dict[Any, float], after: dict[Any, float]) -> dict[Any, float]:
    return {
        key: value - before.get(key, 0)
        for key, value in after.items()
        if value != before.get(key, 0)
    }


async def _exchange(service: Service, send: Send, token: str) -> tuple[Any, ...]:
    before = _counted(service)
    response = await send(service, token)
    return (
        response.status_code,
        response.headers.multi_items(),
        response.content,
        _delta(before, _counted(service)),
    )


@pytest.fixture
async def warm(service: Service) -> Service:
    """Two groq models saved, both lists cached (by other documents than the tests')."""
    await service.gql(SAVE, {"id": "llama-3.3-70b-versatile"})
    await service.gql(SAVE, {"id": "whisper-large-v3"})
    await service.gql('{ availableModels(provider: "openrouter") { count } }')
    return service


async def test_the_early_answer_is_the_usual_one_byte_for_byte(warm: Service) -> None:
    """Each request, by each caller, answered the usual way and then early, on a miss (the
    result just forgotten: executed and stored) and on a hit."""
    schema: Schema = _view(warm).schema  # type: ignore[assignment]
    hits = schema.early_hits
    assert hits is not None
    callers = {"manager": warm.manager_token, "reader": warm.reader_token, "nobody": ""}
    for (name, send), (caller, token) in product(REQUESTS.items(), callers.items()):
        await send(warm, token)  # validated, its arguments known, its result stored
        for cached in (False, True):
            answers = []
            for early in (None, hits):
                schema.early_hits = early
                if not cached:
                    warm.services.results.clear()
                answers.append(await _exchange(warm, send, token))
            assert answers[1] == answers[0], (name, caller, cached)


async def test_variables_a_get_may_nest_but_a_post_may_not_are_refused_early_too(
    warm: Service,
) -> None:
    """A body nests one level deeper than a GET's `variables`: the same variables may be
    cacheable over GET and too deep in a POST."""
    variables = {"x": _nested(31)}
    by_get = _get({"query": SAVED, "variables": orjson.dumps(variables).decode()})
    assert (await by_get(warm, warm.manager_token)).status_code == 200
    response = await _post({"query": SAVED, "variables": variables})(warm, warm.manager_token)
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == "the JSON nests deeper than 32 levels"


async def test_a_hit_executes_nothing(warm: Service, monkeypatch: pytest.MonkeyPatch) -> None:
    schema: Schema = _view(warm).schema  # type: ignore[assignment]
    executed = 0
    execute = schema.execute

    async def counting(*args: Any, **kwargs: Any) -> Any:
        nonlocal executed
        executed += 1
        return await execute(*args, **kwargs)

    monkeypatch.setattr(schema, "execute", counting)
    send = REQUESTS["the bench's list"]
    first = await send(warm, warm.manager_token)
    assert executed == 1
    for _ in range(3):
        again = await send(warm, warm.manager_token)
        assert again.content == first.content
    assert executed == 1 and warm.services.results.hits == 3
    await warm.gql(SAVE, {"id": "llama-3.1-8b-instant"})  # groq's list changes, not this one
    executed = 0
    await send(warm, warm.manager_token)
    assert executed == 0


async def test_a_write_by_another_process_shows_on_the_next_request(
    warm: Service, settings: Settings
) -> None:
    saved = {
        m["modelId"] for m in (await warm.gql(SAVED))["availableModels"]["models"] if m["savedInDb"]
    }
    assert saved == {"llama-3.3-70b-versatile", "whisper-large-v3"}
    await warm.gql(SAVED)  # a hit, served early
    env = environment(DATABASE_URL=settings.database_url, MIGRATE_ON_START="false")
    cli(env, "clear", "openrouter")
    cli(env, "clear", "groq")  # both inactive: deleted, by another process
    after = (await warm.gql(SAVED))["availableModels"]["models"]
    assert not any(model["savedInDb"] for model in after)


def test_a_schema_with_extra_extensions_answers_nothing_early() -> None:
    from schema import build_schema
    from schema.observed import Observed

    assert build_schema().early_hits is not None
    assert build_schema([Observed]).early_hits is None
