"""GraphQL over HTTP (the graphql-over-http specification), tested over HTTP."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.service import Service

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


def refused(response: httpx.Response, status: int) -> str:
    """The message of an HTTP-level refusal, checked for its status and GraphQL shape."""
    assert response.status_code == status, response.text
    body = response.json()
    assert "data" not in body
    assert body["errors"][0]["extensions"] == {"code": "BAD_REQUEST"}
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
    assert legacy.status_code == 200 and legacy.json() == modern.json()


async def test_field_errors_stay_200_with_graphql_response_json(service: Service) -> None:
    """Execution ran (data is present, maybe null): 2xx, whatever the field errors."""
    response = await send(
        service, "POST", json={"query": SAVED}, token=None, headers={"accept": GQL_RESPONSE}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["data"] is None and body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_graphiql_is_served_to_browsers(service: Service) -> None:
    page = await send(service, "GET", headers={"accept": "text/html"})
    assert page.status_code == 200 and "graphiql" in page.text.lower()
