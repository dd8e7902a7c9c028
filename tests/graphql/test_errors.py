"""Every failure is a GraphQL error with a stable code and a readable message, nothing more."""

from __future__ import annotations

import logging

import pytest

from errors import shorten
from tests.replay import ReplayServer
from tests.service import GROQ_KEY, Service, coded

LIST = "query($p: String!) { availableModels(provider: $p) { count } }"
ROUTE = "/openrouter/api/v1/models"


async def test_unknown_provider_is_not_found(service: Service) -> None:
    error = await service.error(LIST, {"p": "nope"})
    assert error["extensions"]["code"] == "NOT_FOUND"
    assert "unknown provider 'nope'" in error["message"]
    assert "openrouter" in error["message"]  # says which ones exist


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        ("fail", "HTTP 500"),
        ("garbage", "not valid JSON"),
        ("truncate", "not valid JSON"),  # half a body, in a well-formed HTTP answer
        ("hang", "no complete answer within 2 s"),
    ],
)
async def test_upstream_failures_are_upstream_errors(
    service: Service, replay: ReplayServer, fault: str, message: str
) -> None:
    if fault == "fail":
        replay.fail(ROUTE, 500)
    else:
        getattr(replay, fault)(ROUTE)
    error = await service.error(LIST, {"p": "openrouter"})
    assert error["extensions"]["code"] == "UPSTREAM_ERROR"
    assert error["extensions"]["provider"] == "openrouter"
    assert message in error["message"]
    assert "Traceback" not in error["message"]


async def test_retries_a_429_honouring_retry_after(service: Service, replay: ReplayServer) -> None:
    replay.fail(ROUTE, 429, times=1, retry_after="1")
    data = await service.gql(LIST, {"p": "openrouter"})
    assert data["availableModels"]["count"] == 549
    first, second = replay.requests(ROUTE)[-2:]
    assert second.time - first.time >= 0.9


async def test_key_missing_for_a_provider_that_needs_one(service: Service) -> None:
    error = await service.error('{ availableModels(provider: "openai") { count } }')
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "needs an API key" in error["message"]


async def test_no_secret_in_upstream_error(service: Service, replay: ReplayServer) -> None:
    replay.fail("/groq/openai/v1/models", 401)
    response = await service.post('{ availableModels(provider: "groq") { count } }')
    assert GROQ_KEY not in response.text
    error = response.json()["errors"][0]
    assert coded(error["extensions"]) == {
        "code": "UPSTREAM_ERROR",
        "provider": "groq",
        "upstreamStatus": 401,
    }
    assert "API key was rejected" in error["message"]


async def test_malformed_operations_have_codes(service: Service) -> None:
    parse = await service.error("{ availableModels(")
    assert parse["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"
    invalid = await service.error('{ availableModels(provider: "x") { nope } }')
    assert invalid["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    bad_var = await service.error(
        'query($c: Capability) { availableModels(provider: "openrouter", capability: $c) '
        "{ count } }",
        {"c": "TELEPATHY"},
    )
    assert bad_var["extensions"]["code"] == "BAD_USER_INPUT"


async def test_authentication_and_permissions(service: Service) -> None:
    none = await service.error(LIST, {"p": "openrouter"}, token=None)
    assert none["extensions"]["code"] == "UNAUTHENTICATED"
    bogus = await service.error(LIST, {"p": "openrouter"}, token="ams_not_a_token")
    assert bogus["extensions"]["code"] == "UNAUTHENTICATED"
    reader = await service.error(LIST, {"p": "openrouter"}, token=service.reader_token)
    assert reader["extensions"]["code"] == "FORBIDDEN"
    assert "ai.manage" in reader["message"]
    saved = await service.gql("{ savedModels { modelId } }", token=service.reader_token)
    assert saved == {"savedModels": []}
    anonymous = await service.error("{ savedModels { modelId } }", token=None)
    assert anonymous["extensions"]["code"] == "UNAUTHENTICATED"


async def test_no_secret_in_logs(
    service: Service, replay: ReplayServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    await service.gql('{ availableModels(provider: "groq") { count } }')
    replay.fail("/groq/openai/v1/models", 401)
    await service.post('{ availableModels(provider: "groq", useCache: false) { count } }')
    assert "groq" in caplog.text  # the fetch and the failure were logged ...
    assert GROQ_KEY not in caplog.text  # ... without the key
    assert service.manager_token not in caplog.text


HUGE = "a" * 900_000  # just under the 1 MiB body limit


@pytest.mark.parametrize(
    ("query", "variables", "says"),
    [
        (LIST, {"p": HUGE}, "unknown provider 'aaaa"),  # a service error quoting a slug
        (
            'mutation($m: String!) { saveModel(provider: "openrouter", modelId: $m) { created } }',
            {"m": HUGE},
            "is not offered by 'openrouter' right now",
        ),
        (
            'mutation($ids: [String!]!) { setModelsActive(provider: "openrouter", '
            "modelIds: $ids, active: true) { changed } }",
            {"ids": [HUGE[:90_000]] * 10},
            "",
        ),
        (  # graphql-core's own message, quoting the value it could not coerce
            'query($n: Int) { availableModels(provider: "groq", first: $n) { count } }',
            {"n": HUGE},
            "Variable '$n' has invalid value",
        ),
        ("{ " + "b" * 60_000 + " }", None, "Cannot query field 'bbbb"),
    ],
    ids=["slug", "model-id", "ten-ids", "coercion", "field-name"],
)
async def test_an_error_never_echoes_an_unbounded_input(
    service: Service, query: str, variables: dict[str, object] | None, says: str
) -> None:
    if "setModelsActive" in query:  # a provider with a saved model, so the ids are looked up
        await service.gql(
            'mutation { saveModel(provider: "openrouter", modelId: "openai/gpt-4o") { created } }'
        )
    response = await service.post(query, variables)
    assert response.status_code == 200
    assert len(response.content) < 2000  # not the megabyte sent
    [error] = response.json()["errors"]
    assert says in error["message"] and "characters cut)…" in error["message"]
    assert len(error["message"]) <= 1000 and error["extensions"]["code"] != "INTERNAL_SERVER_ERROR"


def test_shorten_keeps_both_ends_of_a_message() -> None:
    message = shorten(f"unknown provider '{'x' * 5000}'; known providers: groq, openai")
    assert message.startswith("unknown provider 'xxx") and message.endswith("groq, openai")
    assert "(4923 characters cut)" in message and len(message) == 150
    assert shorten("short and sweet") == "short and sweet"
    many = shorten(", ".join(["model-id"] * 10_000))  # no long word, but long as a whole
    assert len(many) < 1100 and many.startswith("model-id, ") and many.endswith(", model-id")
