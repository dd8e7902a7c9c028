"""Abuse limits (depth, aliases, tokens, page size) and the production switches, over HTTP."""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from pathlib import Path

import pytest

from schema import build_schema
from schema.parsing import DOCUMENT_CACHE_BYTES, DocumentCache
from settings import Settings
from tests.service import Service, running_service

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
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


# --- documents built to cost: refused before anything runs, whatever their shape ---------------


def fan_out(levels: int, on: str, body: str, root: str) -> str:
    """Fragment i spreads fragment i+1 through `body` ({next} marks each spread)."""
    parts = [root]
    for i in range(levels):
        parts.append(f"fragment F{i} on {on} {{ {body.format(next=f'F{i + 1}')} }}")
    parts.append(f"fragment F{levels} on {on} {{ __typename }}")
    return "\n".join(parts)


SHAPES = {
    "root": fan_out(40, "Query", "...{next} ...{next}", "query { ...F0 }"),
    "nested": fan_out(40, "SavedModel", "...{next} ...{next}", "query { savedModels { ...F0 } }"),
    "inline": fan_out(40, "Query", "... on Query {{ ...{next} }} ...{next}", "query { ...F0 }"),
    "with-fields": fan_out(
        40, "SavedModel", "modelId ...{next} ... {{ ...{next} }}", "{ savedModels { ...F0 } }"
    ),
    "introspection": fan_out(
        40, "__Type", "name ...{next} ...{next}", "{ __schema { types { ...F0 } } }"
    ),
}


@pytest.fixture
def defaults(settings: Settings) -> Settings:
    """The default limits again (this module's `settings` lowers them)."""
    default = Settings()
    names = ("max_query_depth", "max_aliases", "max_tokens", "max_page_size", "introspection")
    return replace(settings, **{name: getattr(default, name) for name in names})


@pytest.mark.parametrize("shape", SHAPES)
async def test_fragment_fan_out_is_refused_for_any_shape(defaults: Settings, shape: str) -> None:
    """40 levels: 2^40 fields once expanded. Re-expanding every spread at every use would
    never finish (22 levels took ~29 s of CPU); measured once per fragment it takes a few ms
    (`python -m bench.abuse` prints the figure)."""
    async with running_service(defaults) as service:
        error = await service.error(SHAPES[shape])
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    count, rest = error["message"].split(" ", 1)
    assert int(count) >= 2**40 and rest.startswith("fields once its fragments are expanded")
    assert rest.endswith("at most 2000 are allowed (MAX_FIELDS)")


async def test_a_fragment_used_often_but_small_passes(defaults: Settings) -> None:
    query = (
        "{ a: savedModels { ...M } b: savedModels { ...M } c: savedModels { ... on SavedModel "
        "{ ...M } } } fragment M on SavedModel { modelId name isActive }"
    )
    async with running_service(defaults) as service:
        assert await service.gql(query) == {"a": [], "b": [], "c": []}


async def test_fields_repeated_to_cost_quadratic_validation_are_refused(defaults: Settings) -> None:
    """graphql-core compares every pair of fields sharing a name (240 repeats: ~0.3 s)."""
    repeated = "{" + " savedModels { modelId }" * 240 + "}"
    async with running_service(defaults) as service:
        error = await service.error(repeated)
        assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
        assert "takes more than 5000 comparisons" in error["message"]
        # a few repeats, as fragments produce, are fine
        assert await service.gql("{" + " savedModels { modelId }" * 5 + "}") == {"savedModels": []}


async def test_an_unknown_fragment_has_a_code(defaults: Settings) -> None:
    async with running_service(defaults) as service:
        error = await service.error("{ ...Missing }")
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "Unknown fragment 'Missing'" in error["message"]


@pytest.mark.parametrize(
    "padding", [" " * 70_000, "# a comment\n" * 6000], ids=["whitespace", "comments"]
)
async def test_whitespace_and_comments_are_bounded_too(defaults: Settings, padding: str) -> None:
    async with running_service(defaults) as service:
        error = await service.error("{ savedModels { modelId } }" + padding)
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert (
        "more than 65536 code points" in error["message"]
        or "more than 1000 tokens" in error["message"]
    )


async def test_comments_count_as_tokens(service: Service) -> None:
    """The module's settings: MAX_TOKENS=40."""
    error = await service.error("{ savedModels { modelId } }" + "\n#" * 50)
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert "more than 40 tokens" in error["message"]


def test_the_document_cache_is_bounded_in_bytes() -> None:
    """Unique documents are kept until the cache's byte budget is spent, not 128 whole
    documents whatever their size (60 unique 10 MB documents once held 700 MiB)."""
    [cache] = [
        extension.keywords["cache"]
        for extension in build_schema().extensions
        if isinstance(extension, partial) and "cache" in extension.keywords
    ]
    assert isinstance(cache, DocumentCache) and cache.max_bytes == DOCUMENT_CACHE_BYTES
    for n in range(400):  # 400 x 60 kB: 24 MB of text, the most MAX_QUERY_LENGTH allows each
        cache.document(f"{{ savedModels {{ modelId }} }} # {n}" + " " * 60_000)
    assert DOCUMENT_CACHE_BYTES - 70_000 < cache.size <= DOCUMENT_CACHE_BYTES
    assert "{ savedModels { modelId } } # 0" + " " * 60_000 not in cache  # the oldest went
    assert "{ savedModels { modelId } } # 399" + " " * 60_000 in cache


SUGGESTED = [
    ("{ savedModel { modelId } }", None, "Cannot query field 'savedModel'"),
    ("{ savedModels(activ: true) { modelId } }", None, "Unknown argument 'activ'"),
    ("{ savedModels(capability: CHATT) { modelId } }", None, "CHATT"),
    (
        "query($c: Capability) { savedModels(capability: $c) { modelId } }",
        {"c": "CHATT"},
        "CHATT",
    ),
    (
        'query($f: ModelFilter) { availableModels(provider: "groq", filter: $f) { count } }',
        {"f": {"capabilitie": ["CHAT"]}},
        "capabilitie",
    ),
]


@pytest.mark.parametrize(("query", "variables", "about"), SUGGESTED)
async def test_no_suggestions_when_introspection_is_off(
    service: Service,
    defaults: Settings,
    query: str,
    variables: dict[str, object] | None,
    about: str,
) -> None:
    """Field, argument, enum value and input field names are not given away by "Did you
    mean ...": not in validation, not in coercing variables. With introspection on they are
    (which shows this test would see them)."""
    hidden = await service.error(query, variables)
    assert about in hidden["message"] and "Did you mean" not in hidden["message"]
    async with running_service(defaults) as open_service:
        shown = await open_service.error(query, variables)
    assert about in shown["message"] and "Did you mean" in shown["message"]


def test_real_documents_have_no_overlapping_pairs() -> None:
    """The shipped operations and GraphiQL's introspection query pass the pair count with
    nothing to count: the limit only ever meets documents built to cost."""
    from graphql import get_introspection_query, parse

    from schema.limits import overlapping_pairs

    documents = [path.read_text() for path in sorted(EXAMPLES.glob("*.graphql"))]
    documents.append(get_introspection_query(descriptions=True, input_value_deprecation=True))
    for text in documents:
        assert overlapping_pairs(parse(text)) == 0, text[:60]
    assert (
        overlapping_pairs(parse("{ a: x { y } a: x { z } b: x ...F } fragment F on Q { b: x }"))
        == 2
    )
