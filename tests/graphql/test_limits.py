"""Abuse limits (depth, aliases, tokens, page size) and the production switches, over HTTP."""

from __future__ import annotations

from dataclasses import replace

import pytest

from settings import Settings
from tests.service import Service

INTROSPECTION = "{ __schema { queryType { name } types { name fields { name } } } }"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Small limits, introspection and GraphiQL off: production-like."""
    return replace(
        settings,
        max_query_depth=2,
        max_aliases=2,
        max_tokens=40,
        max_page_size=20,
        introspection=False,
        graphiql=False,
    )


async def test_depth_limit(service: Service) -> None:
    ok = '{ availableModels(provider: "groq") { models { modelId } } }'
    assert (await service.gql(ok))["availableModels"]["models"]
    deep = '{ availableModels(provider: "groq") { models { sources { field } } } }'
    error = await service.error(deep)
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert "exceeds maximum operation depth of 2" in error["message"]


async def test_depth_counts_through_fragments(service: Service) -> None:
    query = """
    query { availableModels(provider: "groq") { ...L } }
    fragment L on AvailableModelList { models { sources { origin } } }
    """
    error = await service.error(query)
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"


async def test_alias_limit(service: Service) -> None:
    two = "{ a: savedModels { modelId } b: savedModels { modelId } }"
    assert await service.gql(two) == {"a": [], "b": []}
    three = "{ a: savedModels { modelId } b: savedModels { modelId } c: savedModels { name } }"
    error = await service.error(three)
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert "3 aliases found. Allowed: 2" in error["message"]


async def test_token_limit(service: Service) -> None:
    fields = " ".join(["modelId"] * 40)
    error = await service.error(f"{{ savedModels {{ {fields} }} }}")
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert "more than 40 tokens" in error["message"]


async def test_page_size_limit_is_bad_user_input(service: Service) -> None:
    query = 'query($n: Int) { availableModels(provider: "groq", first: $n) { count } }'
    assert (await service.gql(query, {"n": 20}))["availableModels"]["count"] == 20
    error = await service.error(query, {"n": 21})
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "between 0 and 20 (the maximum page size)" in error["message"]


async def test_introspection_can_be_switched_off(service: Service) -> None:
    body = (await service.post(INTROSPECTION)).json()
    assert "data" not in body
    error = body["errors"][0]
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "introspection has been disabled" in error["message"]
    # __typename is not introspection of the schema: still allowed
    assert await service.gql("{ __typename }") == {"__typename": "Query"}


async def test_graphiql_can_be_switched_off(service: Service) -> None:
    page = await service.http.get("/graphql", headers={"accept": "text/html"})
    assert page.status_code == 404 and "graphiql" not in page.text.lower()


async def test_limits_are_refused_before_anything_runs(service: Service) -> None:
    """A refused document is a request error: 400 with application/graphql-response+json."""
    three = "{ a: savedModels { modelId } b: savedModels { modelId } c: savedModels { name } }"
    response = await service.http.post(
        "/graphql",
        json={"query": three},
        headers={
            "Authorization": f"Bearer {service.manager_token}",
            "accept": "application/graphql-response+json",
        },
    )
    assert response.status_code == 400 and "data" not in response.json()


def test_settings_read_the_limits_from_the_environment() -> None:
    env = {
        "MAX_PAGE_SIZE": "100",
        "MAX_QUERY_DEPTH": "6",
        "MAX_ALIASES": "4",
        "MAX_TOKENS": "500",
        "INTROSPECTION": "false",
        "GRAPHIQL": "false",
    }
    settings = Settings.from_env(env)
    assert (settings.max_page_size, settings.max_query_depth) == (100, 6)
    assert (settings.max_aliases, settings.max_tokens) == (4, 500)
    assert settings.introspection is False and settings.graphiql is False
    defaults = Settings.from_env({})
    assert (defaults.max_page_size, defaults.max_query_depth) == (500, 10)
    assert (defaults.max_aliases, defaults.max_tokens, defaults.introspection) == (15, 1000, True)
