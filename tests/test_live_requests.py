"""Refusals as a real uvicorn server gives them, read from its socket like any client would."""

from __future__ import annotations

import socket
from collections.abc import Iterable, Iterator
from typing import Any

import httpx
import orjson
import pytest

from tests.live import LiveServer, cli, environment, live_server
from tests.service import coded


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    directory = tmp_path_factory.mktemp("live-requests")
    env = environment(DATABASE_URL=f"sqlite://{directory / 'live.sqlite3'}")
    with live_server(env, directory / "server.log") as running:
        yield running


@pytest.fixture(scope="module")
def token(server: LiveServer) -> str:
    env = environment(DATABASE_URL=f"sqlite://{server.log.parent / 'live.sqlite3'}")
    return cli(env, "token", "create", "admin").stdout.strip()


def _exchange(server: LiveServer, head: bytes, chunks: Iterable[bytes] = ()) -> bytes:
    """Send `head` and then `chunks` (stopping when the server stops reading), then read the
    whole answer: what a client streaming a huge body gets back."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(head)
        try:
            for chunk in chunks:
                sock.sendall(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered and closed while the rest was still coming
        answer = b""
        while True:
            try:
                data = sock.recv(65536)
            except ConnectionResetError:
                break
            if not data:
                break
            answer += data
            if b"\r\n\r\n" in answer and answer.endswith(b"}"):
                break
    return answer


def _body(answer: bytes) -> dict[str, object]:
    head, _, body = answer.partition(b"\r\n\r\n")
    if b"transfer-encoding: chunked" in head.lower():
        body = body.split(b"\r\n", 1)[1].rsplit(b"\r\n0\r\n", 1)[0]
    decoded: dict[str, object] = orjson.loads(body)
    return decoded


def _post_head(server: LiveServer, token: str, *, length: int | None) -> bytes:
    size = f"Content-Length: {length}" if length is not None else "Transfer-Encoding: chunked"
    return (
        f"POST /graphql HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
        f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n{size}\r\n\r\n"
    ).encode()


def test_a_100_mb_content_length_is_413_before_any_body_is_sent(
    server: LiveServer, token: str
) -> None:
    answer = _exchange(server, _post_head(server, token, length=100 * 1024 * 1024))
    assert answer.startswith(b"HTTP/1.1 413 ")
    errors: list[dict[str, Any]] = _body(answer)["errors"]  # type: ignore[assignment]
    (error,) = errors
    assert error["message"] == "the request body is larger than 1048576 bytes (MAX_BODY_BYTES)"
    assert coded(error["extensions"]) == {"code": "PAYLOAD_TOO_LARGE"}


def test_a_streamed_100_mb_body_is_cut_off_without_growing_the_server(
    server: LiveServer, token: str
) -> None:
    before = server.rss_kib()
    chunk = b"10000\r\n" + b" " * 0x10000 + b"\r\n"  # 64 KiB of JSON whitespace per chunk
    chunks = (chunk for _ in range(1600))  # 100 MiB, if the server kept reading
    answer = _exchange(server, _post_head(server, token, length=None), chunks)
    assert answer.startswith(b"HTTP/1.1 413 ")
    assert coded(_body(answer)["errors"][0]["extensions"]) == {"code": "PAYLOAD_TOO_LARGE"}  # type: ignore[index]
    assert server.rss_kib() - before < 20 * 1024  # not 100 MiB: read up to the limit only
    # and the server goes on serving
    health = httpx.get(f"{server.url}/healthz", timeout=5)
    assert health.status_code == 200


def test_a_body_that_is_not_an_object_is_400_not_500(server: LiveServer, token: str) -> None:
    for body in (b"null", b'"x"', b"1", b"\xff\xfe"):
        response = httpx.post(
            f"{server.url}/graphql",
            content=body,
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        assert response.status_code == 400, response.text
        assert coded(response.json()["errors"][0]["extensions"]) == {"code": "BAD_REQUEST"}


def test_anonymous_is_401_from_the_socket(server: LiveServer) -> None:
    response = httpx.post(f"{server.url}/graphql", json={"query": "{ __typename }"})
    assert response.status_code == 401
    assert coded(response.json()["errors"][0]["extensions"]) == {"code": "UNAUTHENTICATED"}
