"""Strings no database can store (NUL, a lone surrogate) are refused at the edge, naming the
argument, for every operation, before anything runs: on SQLite and, in CI, PostgreSQL."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.service import Service, coded

NUL, SURROGATE = "\x00", "\ud800"
SAVE = "mutation($p: String!, $m: String!) { saveModel(provider: $p, modelId: $m) { created } }"
ACTIVE = (
    'mutation($ids: [String!]!) { setModelsActive(provider: "openrouter", modelIds: $ids, '
    "active: true) { changed } }"
)
ADD = "mutation($new: AddProviderInput!) { addProvider(input: $new) { slug } }"
UPDATE = (
    "mutation($s: String!, $c: UpdateProviderInput!) { updateProvider(slug: $s, input: $c) "
    "{ slug } }"
)
LIST = 'query($q: String) { availableModels(provider: "openrouter", search: $q) { count } }'
SAVED = "query($p: String) { savedModels(provider: $p) { modelId } }"


async def post_raw(service: Service, query: str, variables: dict[str, Any]) -> httpx.Response:
    """JSON with `\\ud800` escapes, as a browser's JSON.stringify sends a lone surrogate."""
    body = json.dumps({"query": query, "variables": variables})  # ensure_ascii: escaped
    return await service.http.post(
        "/graphql",
        content=body.encode(),
        headers={
            "Authorization": f"Bearer {service.manager_token}",
            "Content-Type": "application/json",
        },
    )


CASES = [
    (SAVE, {"p": "openrouter", "m": "openai/gpt-4o{bad}"}, "argument 'modelId' (variable '$m')"),
    (SAVE, {"p": "open{bad}router", "m": "x"}, "argument 'provider' (variable '$p')"),
    (ACTIVE, {"ids": ["openai/gpt-4o", "x{bad}"]}, "argument 'modelIds' (variable '$ids' at [1])"),
    (
        ADD,
        {"new": {"slug": "gw", "kind": "openai_compatible", "apiKey": "sk{bad}"}},
        "argument 'input' (variable '$new' at apiKey)",
    ),
    (
        UPDATE,
        {"s": "openrouter", "c": {"displayName": "Open{bad}Router"}},
        "argument 'input' (variable '$c' at displayName)",
    ),
    (LIST, {"q": "gpt{bad}"}, "argument 'search' (variable '$q')"),
    (SAVED, {"p": "{bad}"}, "argument 'provider' (variable '$p')"),
]


@pytest.mark.parametrize("bad", [NUL, SURROGATE], ids=["nul", "surrogate"])
@pytest.mark.parametrize(("query", "variables", "named"), CASES)
async def test_an_unstorable_variable_is_bad_user_input_naming_the_argument(
    service: Service, bad: str, query: str, variables: dict[str, Any], named: str
) -> None:
    filled = json.loads(json.dumps(variables).replace("{bad}", json.dumps(bad)[1:-1]))
    response = await post_raw(service, query, filled)
    assert response.status_code == 200, response.text
    body = response.json()
    assert "data" not in body  # refused before execution: nothing ran, nothing was written
    [error] = body["errors"]
    assert coded(error["extensions"]) == {"code": "BAD_USER_INPUT"}
    assert error["message"].startswith(f"{named}: the string contains a ")
    assert ("NUL character" if bad == NUL else "lone surrogate (U+D800)") in error["message"]
    assert await service.gql("{ savedModels { modelId } providers { instances { slug } } }") == {
        "savedModels": [],
        "providers": {"instances": []},
    }


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ('{ availableModels(provider: "a\\u0000b") { count } }', "argument 'provider'"),
        (
            'mutation { addProvider(input: {slug: "gw", kind: "openai_compatible", '
            'displayName: "G\\u0000W"}) { slug } }',
            "argument 'input' at displayName",
        ),
        (
            'mutation { setModelsActive(provider: "openrouter", modelIds: ["a", "b\\u0000"], '
            "active: true) { changed } }",
            "argument 'modelIds'",
        ),
    ],
)
async def test_an_unstorable_literal_is_bad_user_input_naming_the_argument(
    service: Service, query: str, named: str
) -> None:
    response = await service.post(query)
    body = response.json()
    assert "data" not in body
    [error] = body["errors"]
    assert coded(error["extensions"]) == {"code": "BAD_USER_INPUT"}
    assert error["message"].startswith(f"{named}: the string contains a NUL character")


async def test_a_lone_surrogate_literal_is_a_parse_error(service: Service) -> None:
    error = await service.error('{ availableModels(provider: "\\ud800") { count } }')
    assert error["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"


async def test_storable_strings_pass(service: Service) -> None:
    """Not a blanket refusal of the unusual: emoji, CJK, control characters but NUL."""
    data = await service.gql(SAVED, {"p": "模型-🚀-\t\u0001"})
    assert data == {"savedModels": []}
