"""The providers' generation endpoints, for probes: CONSTRUCTED answers, labelled as such.

No real generation response was recorded (nothing may call a real provider); each answer below
is written by hand in the shape of the provider's documented response, with
``"x_replay": "constructed"`` in it. Failing and slow modes are the server's own
(`ReplayServer.fail`, `hang`, `delay` on the path `generation_route` gives).
"""

from __future__ import annotations

from typing import Any

from tests.replay.catalogue import ENDPOINTS
from tests.replay.server import ReplayServer

CONSTRUCTED = {"x_replay": "constructed"}

OPENAI_CHAT: dict[str, Any] = {
    **CONSTRUCTED,
    "id": "chatcmpl-replay",
    "object": "chat.completion",
    "choices": [
        {"index": 0, "message": {"role": "assistant", "content": "p"}, "finish_reason": "length"}
    ],
    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
}
OPENAI_EMBEDDING: dict[str, Any] = {
    **CONSTRUCTED,
    "object": "list",
    "data": [{"object": "embedding", "index": 0, "embedding": [0.0, 0.1, 0.2]}],
    "usage": {"prompt_tokens": 1, "total_tokens": 1},
}
ANTHROPIC_MESSAGE: dict[str, Any] = {
    **CONSTRUCTED,
    "id": "msg_replay",
    "type": "message",
    "role": "assistant",
    "content": [{"type": "text", "text": "p"}],
    "stop_reason": "max_tokens",
    "usage": {"input_tokens": 1, "output_tokens": 1},
}
GEMINI_CONTENT: dict[str, Any] = {
    **CONSTRUCTED,
    "candidates": [
        {"content": {"parts": [{"text": "p"}], "role": "model"}, "finishReason": "MAX_TOKENS"}
    ],
    "usageMetadata": {"promptTokenCount": 1, "candidatesTokenCount": 1},
}
GEMINI_EMBEDDING: dict[str, Any] = {**CONSTRUCTED, "embedding": {"values": [0.0, 0.1, 0.2]}}

OPENAI_STYLE = ("openrouter", "groq", "openai", "mistral")


def generation_route(provider: str, path: str, prefix: str | None = None) -> str:
    """The replay path of a generation endpoint, e.g. ``("openai", "/chat/completions")``."""
    return f"/{prefix or provider}{ENDPOINTS[provider].base_path}{path}"


def serve_generation(server: ReplayServer, gemini_models: tuple[str, ...] = ()) -> None:
    """Mount the constructed answers: chat and embeddings of each OpenAI-style provider,
    Anthropic's messages, and Gemini's generateContent / embedContent for `gemini_models`."""
    for provider in OPENAI_STYLE:
        server.serve(generation_route(provider, "/chat/completions"), OPENAI_CHAT, method="POST")
        server.serve(generation_route(provider, "/embeddings"), OPENAI_EMBEDDING, method="POST")
    server.serve(generation_route("anthropic", "/messages"), ANTHROPIC_MESSAGE, method="POST")
    for model in gemini_models:
        route = generation_route("gemini", f"/models/{model}")
        server.serve(f"{route}:generateContent", GEMINI_CONTENT, method="POST")
        server.serve(f"{route}:embedContent", GEMINI_EMBEDDING, method="POST")
