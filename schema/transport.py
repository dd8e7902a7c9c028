"""GraphQL over HTTP, as the graphql-over-http specification describes it.

Strawberry's ASGI view already: accepts POST with a JSON body and GET with query parameters,
refuses other methods (405), answers malformed bodies, a missing query and non-object
`variables` with 400, and refuses mutations over GET. This view adds what the specification
asks beyond that:

- A mutation over GET is refused with **405** and `Allow: POST` (Strawberry: 400).
- A POST whose `Content-Type` is not `application/json` is refused with **415** (Strawberry: 400).
- An admitted request a stored result answers is answered before any GraphQL work (`early`).
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

And what a service facing the internet needs before any GraphQL work is done:

- A caller without a valid token is refused with **401** (`UNAUTHENTICATED`, `WWW-Authenticate:
  Bearer`) before its body is read or its document parsed (`admit`): parsing a 1000-token
  document alone costs several milliseconds, which nobody anonymous may spend. Browsers still
  get GraphiQL's page; it asks for the schema with the token pasted in its Headers tab.
- The body is read bounded: a `Content-Length` over `MAX_BODY_BYTES` is refused at once, and a
  body without one is cut off as soon as it passes the limit (**413**, `PAYLOAD_TOO_LARGE`); the
  limit is never buffered past.
- A body that is not UTF-8, not JSON, not an object (`null`, `"x"`, `1`) or nested deeper than
  `MAX_JSON_DEPTH` is refused with **400** (`BAD_REQUEST`), never a 500.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from cross_web import AsyncHTTPRequestAdapter, HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Message, Receive, Scope, Send
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
MAX_JSON_DEPTH = 32
"""How deep a request body's JSON may nest: this API's inputs nest three levels."""


class RefusedRequest(HTTPException):
    """An HTTP-level refusal, with its code and the headers it must carry (`Allow` for a 405)."""

    def __init__(
        self,
        status_code: int,
        reason: str,
        headers: dict[str, str] | None = None,
        code: ErrorCode = ErrorCode.BAD_REQUEST,
    ):
        super().__init__(status_code, reason)
        self.headers = headers or {}
        self.code = code


def too_large(limit: int) -> RefusedRequest:
    return RefusedRequest(
        413,
        f"the request body is larger than {limit} bytes (MAX_BODY_BYTES)",
        code=ErrorCode.PAYLOAD_TOO_LARGE,
    )


def bounded(receive: Receive, limit: int) -> Receive:
    """`receive`, raising `too_large` as soon as the body passes `limit` bytes."""
    seen = 0

    async def receive_bounded() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise too_large(limit)
        return message

    return receive_bounded


def decode_json(data: str | bytes) -> object:
    """A request's JSON, or `RefusedRequest(400)` saying what is wrong with it."""
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        value = json.loads(text)
    except UnicodeDecodeError as exc:
        raise RefusedRequest(400, "the body is not UTF-8 text") from exc
    except json.JSONDecodeError as exc:
        raise RefusedRequest(400, f"the body is not JSON ({exc.msg} at {exc.pos})") from exc
    except RecursionError:
        raise RefusedRequest(400, f"the JSON nests deeper than {MAX_JSON_DEPTH} levels") from None
    if _depth_over(value, MAX_JSON_DEPTH):
        raise RefusedRequest(400, f"the JSON nests deeper than {MAX_JSON_DEPTH} levels")
    return value


def _depth_over(value: object, limit: int) -> bool:
    """Whether `value` nests more than `limit` arrays/objects deep (iterative: no recursion)."""
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth >= limit:
                return True
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


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

    def __init__(self, *args: Any, max_body_bytes: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_body_bytes = max_body_bytes

    async def admit(self, request: Request) -> None:
        """Refuse (`RefusedRequest`) a request that may not run at all; before its body is read.
        Here, everyone is admitted; the service's view refuses callers without a valid token."""

    async def early(self, request: Request) -> Response | Context | None:
        """A response needing no GraphQL work, or the context built to find out, or None."""
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope, receive=bounded(receive, self.max_body_bytes))
        try:
            request.state.graphql_media_type = negotiate(request.headers.get("accept"))
        except RefusedRequest as refused:
            # raised in `run`, unless this is a browser asking for GraphiQL (text/html)
            request.state.graphql_not_acceptable = refused
        try:
            self._refuse_declared_size(request)
            response = await self.run(request)
        except HTTPException as refused:
            response = self.refusal(request, refused)
        await response(scope, receive, send)

    def _refuse_declared_size(self, request: Request) -> None:
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_body_bytes:
            raise too_large(self.max_body_bytes)

    def refusal(self, request: Request, refused: HTTPException) -> Response:
        """A GraphQL-shaped JSON body for a request refused before it could run."""
        media = getattr(request.state, "graphql_media_type", JSON)
        code = getattr(refused, "code", ErrorCode.BAD_REQUEST)
        body = {"errors": [{"message": refused.reason, "extensions": {"code": code.value}}]}
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
        ide = self.should_render_graphql_ide(request)  # type: ignore[arg-type]
        not_acceptable = getattr(request.state, "graphql_not_acceptable", None)
        if not_acceptable is not None and not ide:
            raise not_acceptable
        if not ide and self.is_request_allowed(request):  # type: ignore[arg-type]
            await self.admit(request)
        response = None if ide else await self.early(request)
        if not isinstance(response, Response):
            response = await super().run(request, response or context, root_value)
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

    def parse_json(self, data: str | bytes) -> Any:
        """A POST body: a JSON object (a batch, a list, is refused by Strawberry after this)."""
        value = decode_json(data)
        if not isinstance(value, dict | list):
            kind = "null" if value is None else type(value).__name__
            raise RefusedRequest(
                400, f'the body must be a JSON object like {{"query": "..."}}, not {kind}'
            )
        return value

    def parse_query_params(self, params: Mapping[str, str]) -> dict[str, Any]:  # type: ignore[override]
        """A GET's parameters, `variables` and `extensions` decoded as JSON."""
        decoded: dict[str, Any] = dict(params)
        for name in ("variables", "extensions"):
            if decoded.get(name):
                decoded[name] = decode_json(decoded[name])
        return decoded

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
