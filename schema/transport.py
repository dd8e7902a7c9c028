"""GraphQL over HTTP, as the graphql-over-http specification describes it.

Strawberry's ASGI view already: accepts POST with a JSON body and GET with query parameters,
refuses other methods (405), answers malformed bodies, a missing query and non-object
`variables` with 400, and refuses mutations over GET. This view adds what the specification
asks beyond that:

- A mutation over GET is refused with **405** and `Allow: POST` (Strawberry: 400).
- A POST whose `Content-Type` is not `application/json` is refused with **415** (Strawberry: 400).
- The `Accept` header is honoured: the response is `application/graphql-response+json` when the
  client prefers it, else `application/json`; a client accepting neither gets **406**.
- With `application/graphql-response+json`, a *request error* (the document does not parse, does
  not validate, is over a limit, or its variables are wrong) is answered with **400**, and any
  response with data with 200. With `application/json` every well-formed request gets 200, as the
  specification requires for that legacy media type.
- A request error's response has no `data` entry (GraphQL spec, "Response": "If an error was raised
  before execution begins, the data entry should not be present").
- Refusals (400/405/406/415) carry a GraphQL-shaped JSON body, `{"errors": [{"message",
  "extensions": {"code": "BAD_REQUEST"}}]}`, in the negotiated media type, not plain text.
"""

from __future__ import annotations

from typing import Any

from cross_web import AsyncHTTPRequestAdapter, HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.http.parse_content_type import parse_content_type
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types import ExecutionResult
from strawberry.types.unset import UNSET

from schema.context import Context
from schema.errors import ErrorCode

JSON = "application/json"
GRAPHQL_RESPONSE = "application/graphql-response+json"
_SUPPORTED = (GRAPHQL_RESPONSE, JSON)


class RefusedRequest(HTTPException):
    """An HTTP-level refusal, with the headers it must carry (`Allow` for a 405)."""

    def __init__(self, status_code: int, reason: str, headers: dict[str, str] | None = None):
        super().__init__(status_code, reason)
        self.headers = headers or {}


def negotiate(accept: str | None) -> str:
    """The media type to answer in, per the `Accept` header; `RefusedRequest(406)` for none.

    >>> negotiate(None), negotiate("*/*"), negotiate("application/graphql-response+json, */*;q=0.5")
    ('application/json', 'application/json', 'application/graphql-response+json')
    >>> negotiate("application/json;q=0.9, application/graphql-response+json")
    'application/graphql-response+json'
    """
    if not accept or not accept.strip():
        return JSON
    quality: dict[str, tuple[float, bool]] = {}  # media type -> (q, named explicitly)
    for part in accept.split(","):
        media, params = parse_content_type(part.strip())
        try:
            q = float(params.get("q", "1"))
        except ValueError:
            q = 0.0
        for supported in _SUPPORTED:
            explicit = media == supported
            if explicit or media in ("*/*", "application/*"):
                known = quality.get(supported)
                if known is None or (explicit, q) > (known[1], known[0]):
                    quality[supported] = (q, explicit)
    ranked = [
        (q, explicit, media == (GRAPHQL_RESPONSE if explicit else JSON), media)
        for media, (q, explicit) in quality.items()
        if q > 0
    ]
    if not ranked:
        raise RefusedRequest(
            406,
            "cannot answer in any media type the Accept header allows: "
            f"accept {GRAPHQL_RESPONSE} or {JSON}",
        )
    # highest q; on a tie a type named explicitly; then the GraphQL-specific type if named,
    # else (a wildcard) application/json, the default until clients all send Accept
    return max(ranked)[3]


def is_request_error(result: ExecutionResult) -> bool:
    """True when the operation never ran: its document or variables were refused."""
    return (
        result.data is None
        and bool(result.errors)
        and all(error.path is None for error in result.errors or ())
    )


class GraphQLOverHTTP(GraphQL[Context, None]):
    """Strawberry's ASGI view, completed to the graphql-over-http specification."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope, receive=receive)
        try:
            request.state.graphql_media_type = negotiate(request.headers.get("accept"))
        except RefusedRequest as refused:
            # raised in `run`, unless this is a browser asking for GraphiQL (text/html)
            request.state.graphql_not_acceptable = refused
        try:
            response = await self.run(request)
        except HTTPException as refused:
            response = self.refusal(request, refused)
        await response(scope, receive, send)

    def refusal(self, request: Request, refused: HTTPException) -> Response:
        """A GraphQL-shaped JSON body for a request refused before it could run."""
        media = getattr(request.state, "graphql_media_type", JSON)
        body = {
            "errors": [
                {"message": refused.reason, "extensions": {"code": ErrorCode.BAD_REQUEST.value}}
            ]
        }
        headers = dict(getattr(refused, "headers", {}))
        if refused.status_code == 405:
            headers.setdefault("Allow", "GET, POST")  # a 405 must say what is allowed
        return Response(
            self.encode_json(body),
            status_code=refused.status_code,
            headers=headers,
            media_type=media,
        )

    async def run(  # type: ignore[override]
        self, request: Request, context: Context = UNSET, root_value: None = UNSET
    ) -> Response:
        not_acceptable = getattr(request.state, "graphql_not_acceptable", None)
        if not_acceptable is not None and not self.should_render_graphql_ide(request):  # type: ignore[arg-type]
            raise not_acceptable
        response = await super().run(request, context, root_value)
        media = getattr(request.state, "graphql_media_type", JSON)
        if response.media_type == JSON and media == GRAPHQL_RESPONSE:
            response.headers["content-type"] = f"{GRAPHQL_RESPONSE}; charset=utf-8"
            if getattr(request.state, "graphql_request_error", False):
                response.status_code = 400
        return response

    async def parse_http_body(
        self, request: AsyncHTTPRequestAdapter
    ) -> GraphQLRequestData | list[GraphQLRequestData]:
        if request.method == "POST":
            content_type, _ = parse_content_type(request.content_type or "")
            if content_type != JSON:
                raise RefusedRequest(
                    415,
                    f"a GraphQL POST must be sent as {JSON}; this one is "
                    f"{content_type or 'without a Content-Type'}",
                )
        return await super().parse_http_body(request)

    async def execute_single(self, *args: Any, **kwargs: Any) -> ExecutionResult:
        try:
            return await super().execute_single(*args, **kwargs)
        except HTTPException as refused:
            if isinstance(refused.__cause__, InvalidOperationTypeError):
                raise RefusedRequest(
                    405,
                    "only queries may be sent over GET: POST mutations",
                    {"Allow": "POST"},
                ) from refused
            raise

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        processed = await super().process_result(request, result)
        if is_request_error(result):
            request.state.graphql_request_error = True
            processed.pop("data", None)
        return processed
