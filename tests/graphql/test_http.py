"""GraphQL over HTTP (the graphql-over-http specification), tested over HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import httpx
import pytest

from settings import Settings
from tests.service import Service, SQLLog, coded, running_service

SAVED = "{ savedModels { modelId } }"
CLEAR = 'mutation { clearModels(provider: "openrouter") { deleted } }'
GQL_RESPONSE = "application/graphql-response+json"


async def send(
    service: Service, method: str, *, token: str | None = "", **kwargs: Any
) -> httpx.Response:
    headers = dict(kwargs.pop("headers", {}))
    bearer = service.manager_token if token == "" else token
    if bearer is not None:
        headers["Authorization"] = f"Bearer {bearer}"
    return await service.http.request(method, "/graphql", headers=headers, **kwargs)


def refused(response: httpx.Response, status: int, code: str = "BAD_REQUEST") -> str:
    """The message of an HTTP-level refusal, checked for its status and GraphQL shape."""
    assert response.status_code == status, response.text
    body = response.json()
    assert "data" not in body
    assert coded(body["errors"][0]["extensions"]) == {"code": code}
    message: str = body["errors"][0]["message"]
    return message


async def test_post_json_and_get_queries(service: Service) -> None:
    posted = await send(service, "POST", json={"query": SAVED})
    assert posted.status_code == 200 and posted.json() == {"data": {"savedModels": []}}
    assert posted.headers["content-type"].startswith("application/json")
    got = await send(
        service, "GET", params={"query": SAVED}, headers={"accept": "application/json"}
    )
    assert got.status_code == 200 and got.json() == {"data": {"savedModels": []}}
    variables = await send(
        service,
        "GET",
        params={
            "query": "query($a: Boolean) { savedModels(active: $a) { modelId } }",
            "variables": '{"a": true}',
        },
    )
    assert variables.json() == {"data": {"savedModels": []}}


async def test_mutation_over_get_is_405_with_allow_post(service: Service) -> None:
    response = await send(service, "GET", params={"query": CLEAR})
    assert "POST" in refused(response, 405)
    assert response.headers["allow"] == "POST"
    # and nothing ran: the same mutation over POST still works
    posted = await send(service, "POST", json={"query": CLEAR})
    assert posted.json() == {"data": {"clearModels": {"deleted": 0}}}


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH", "HEAD"])
async def test_other_methods_are_405_with_allow(service: Service, method: str) -> None:
    response = await send(service, method, params={"query": SAVED})
    assert response.status_code == 405
    assert {"GET", "POST"} <= {m.strip() for m in response.headers["allow"].split(",")}


@pytest.mark.parametrize(
    ("kwargs", "status", "message"),
    [
        ({"content": b"{not json", "headers": {"content-type": "application/json"}}, 400, "JSON"),
        ({"json": {"variables": {}}}, 400, "No GraphQL query"),
        ({"json": {"query": SAVED, "variables": [1]}}, 400, "`variables` must be an object"),
        ({"json": [{"query": SAVED}]}, 400, "Batching is not enabled"),
        ({"content": SAVED.encode(), "headers": {"content-type": "text/plain"}}, 415, "text/plain"),
        ({"content": b'{"query": "{ savedModels { modelId } }"}'}, 415, "without a Content-Type"),
        (
            {"json": {"query": SAVED}, "headers": {"accept": "text/xml"}},
            406,
            "application/graphql-response+json",
        ),
    ],
)
async def test_malformed_requests_get_4xx(
    service: Service, kwargs: dict[str, Any], status: int, message: str
) -> None:
    response = await send(service, "POST", **kwargs)
    assert message in refused(response, status)


async def test_json_body_with_a_charset_is_accepted(service: Service) -> None:
    response = await send(
        service,
        "POST",
        content=b'{"query": "{ savedModels { modelId } }"}',
        headers={"content-type": "application/json; charset=utf-8"},
    )
    assert response.status_code == 200 and response.json() == {"data": {"savedModels": []}}


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        (None, "application/json"),
        ("*/*", "application/json"),
        ("application/json", "application/json"),
        (GQL_RESPONSE, GQL_RESPONSE),
        (f"{GQL_RESPONSE}, application/json;q=0.9", GQL_RESPONSE),
        (f"application/json, {GQL_RESPONSE};q=0.5", "application/json"),
        (f"text/html, {GQL_RESPONSE}", GQL_RESPONSE),
    ],
)
async def test_accept_picks_the_response_media_type(
    service: Service, accept: str | None, media: str
) -> None:
    headers = {"accept": accept} if accept else {}
    response = await send(service, "POST", json={"query": SAVED}, headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media
    assert response.json() == {"data": {"savedModels": []}}


@pytest.mark.parametrize(
    ("query", "variables", "code"),
    [
        ("{ savedModels(", None, "GRAPHQL_PARSE_FAILED"),
        ("{ nope }", None, "GRAPHQL_VALIDATION_FAILED"),
        ("query($a: Boolean!) { savedModels(active: $a) { modelId } }", {}, "BAD_USER_INPUT"),
    ],
)
async def test_request_errors_are_400_with_graphql_response_json(
    service: Service, query: str, variables: dict[str, Any] | None, code: str
) -> None:
    body = {"query": query, "variables": variables}
    modern = await send(service, "POST", json=body, headers={"accept": GQL_RESPONSE})
    assert modern.status_code == 400
    assert modern.headers["content-type"].startswith(GQL_RESPONSE)
    assert "data" not in modern.json()
    assert modern.json()["errors"][0]["extensions"]["code"] == code
    # the legacy media type: 200 for every well-formed request, as the specification says
    legacy = await send(service, "POST", json=body, headers={"accept": "application/json"})
    assert legacy.status_code == 200
    assert _without_ids(legacy.json()) == _without_ids(modern.json())  # two requests, two ids


def _without_ids(body: dict[str, Any]) -> dict[str, Any]:
    errors = [{**error, "extensions": coded(error["extensions"])} for error in body["errors"]]
    return {**body, "errors": errors}


async def test_field_errors_stay_200_with_graphql_response_json(service: Service) -> None:
    """Execution ran (data is present, maybe null): 2xx, whatever the field errors."""
    response = await send(
        service,
        "POST",
        json={"query": CLEAR},
        token=service.reader_token,
        headers={"accept": GQL_RESPONSE},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["data"] is None and body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_graphiql_is_served_to_browsers(service: Service) -> None:
    page = await send(service, "GET", headers={"accept": "text/html"})
    assert page.status_code == 200 and "graphiql" in page.text.lower()


# --- what reaches GraphQL at all: bodies, sizes, callers --------------------------------------

DEEP = b'{"a": ' * 100_000 + b"1" + b"}" * 100_000


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"null", "must be a JSON object"),
        (b'"x"', "must be a JSON object"),
        (b"1", "must be a JSON object"),
        (b'{"query": "{ savedModels { modelId } }", "x": "\xff\xfe"}', "not UTF-8"),
        (b'{"query": "{ savedModels { modelId } }", "variables": ' + DEEP + b"}", "nests deeper"),
        (
            b'{"query": "{ savedModels { modelId } }", "variables": {"a": '
            + b"[" * 40
            + b"]" * 40
            + b"}}",
            "nests deeper than 32 levels",
        ),
    ],
    ids=["null", "string", "number", "invalid-utf8", "100000-deep", "40-deep"],
)
async def test_malformed_bodies_are_400_bad_request(
    service: Service, body: bytes, message: str
) -> None:
    response = await send(
        service, "POST", content=body, headers={"content-type": "application/json"}
    )
    assert message in refused(response, 400)


async def test_malformed_get_variables_are_400_bad_request(service: Service) -> None:
    deep = '{"a": ' + "[" * 40 + "]" * 40 + "}"  # a URL cannot carry 100,000 levels
    response = await send(service, "GET", params={"query": SAVED, "variables": deep})
    assert "nests deeper" in refused(response, 400)


def unauthenticated(response: httpx.Response) -> str:
    assert response.status_code == 401, response.text
    assert response.headers["www-authenticate"].startswith("Bearer")
    body = response.json()
    assert "data" not in body and coded(body["errors"][0]["extensions"]) == {
        "code": "UNAUTHENTICATED"
    }
    message: str = body["errors"][0]["message"]
    return message


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer ams_" + "x" * 43, "Bearer not-ours", "Basic YWRtaW46YWRtaW4=", "Bearer "],
    ids=["none", "unknown", "malformed", "basic", "empty"],
)
async def test_a_caller_without_a_valid_token_is_401_before_anything_is_read(
    service: Service, sql: SQLLog, authorization: str | None
) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    # a document that does not even parse: refused as unauthenticated, so it was never parsed
    response = await service.http.post("/graphql", json={"query": "{ (("}, headers=headers)
    assert "Authorization: Bearer" in unauthenticated(response)
    if authorization != "Bearer ams_" + "x" * 43:
        assert sql.statements == []  # not one of ours: no database query either


async def test_anonymous_introspection_is_refused_and_the_ide_page_is_served(
    service: Service,
) -> None:
    introspection = {"query": "{ __schema { queryType { name } } }"}
    unauthenticated(await send(service, "POST", json=introspection, token=None))
    unauthenticated(await send(service, "GET", params=introspection, token=None))
    page = await send(service, "GET", token=None, headers={"accept": "text/html"})
    assert page.status_code == 200 and "graphiql" in page.text.lower()
    # with the token pasted in GraphiQL's Headers tab, the schema comes back
    schema = await send(service, "POST", json=introspection)
    assert schema.json() == {"data": {"__schema": {"queryType": {"name": "Query"}}}}


@pytest.fixture
def small_body(settings: Settings) -> Settings:
    return replace(settings, max_body_bytes=4096)


class Pulled:
    """A request body sent in 1 KiB chunks, counting how many the server asked for."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.chunks = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield b'{"query": "{ savedModels { modelId } }", "pad": "'
        for _ in range(self.size // 1024):
            self.chunks += 1
            yield b"x" * 1024
        yield b'"}'


async def test_a_declared_body_over_the_limit_is_413_unread(small_body: Settings) -> None:
    async with running_service(small_body) as service:
        body = Pulled(10 * 1024 * 1024)
        response = await send(
            service,
            "POST",
            content=body,
            headers={"content-type": "application/json", "content-length": str(body.size + 50)},
        )
    assert "larger than 4096 bytes (MAX_BODY_BYTES)" in refused(
        response, 413, code="PAYLOAD_TOO_LARGE"
    )
    assert body.chunks == 0


async def test_a_streamed_body_is_cut_off_at_the_limit(small_body: Settings) -> None:
    async with running_service(small_body) as service:
        body = Pulled(10 * 1024 * 1024)  # chunked: no Content-Length to refuse it by
        response = await send(
            service, "POST", content=body, headers={"content-type": "application/json"}
        )
        assert "larger than 4096 bytes" in refused(response, 413, code="PAYLOAD_TOO_LARGE")
        assert body.chunks <= 5  # read up to the limit, then refused: never buffered past it
        small = await send(service, "POST", json={"query": SAVED, "pad": "x" * 3000})
        assert small.json() == {"data": {"savedModels": []}}  # under the limit: served
