"""Every recorded capture, mounted where the real provider serves it, under a per-provider prefix.

OpenAI and Anthropic both list models at ``/v1/models``, so provider P lives under ``/P``: its
base URL is ``<server>/P<base path>`` and its list is at ``<base URL><models path>``, with the
base path and models path of the real API (see `ENDPOINTS`). Older captures are mounted the
same way under ``/archive/<provider>/<file stem>``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from providers import ProviderSpec, discover
from tests.replay.server import ReplayServer

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "providers"


def fixture_path(provider: str, name: str) -> Path:
    """Path of a recorded capture, e.g. ``fixture_path("groq", "models-2026-03.json")``."""
    path = FIXTURES / provider / name
    if not path.is_file():
        raise FileNotFoundError(path)
    return path


@dataclass(frozen=True, slots=True)
class Endpoint:
    """Where a provider's model list lives: ``real_base`` + ``models_path``."""

    real_base: str
    base_path: str  # the path part of real_base
    models_path: str

    @classmethod
    def of(cls, spec: ProviderSpec) -> Endpoint:
        """The provider's own declaration (`SPEC`): the replay mirrors it, it never restates it."""
        return cls(spec.base_url, urlsplit(spec.base_url).path, spec.models_path)


REPLAYED = (
    "openrouter",
    "groq",
    "openai",
    "anthropic",
    "gemini",
    "mistral",
    "ollama",
    # No real capture exists for these two; tests serve their own labelled samples.
    "huggingface",
    "together",
)
ENDPOINTS: dict[str, Endpoint] = {
    spec.kind: Endpoint.of(spec) for spec in discover() if spec.kind in REPLAYED
}

LATEST: dict[str, str] = {
    "openrouter": "models-2026-08.json",
    "groq": "models-2026-03.json",
    "openai": "models-2025-05.json",
    "anthropic": "models-2025-05.json",
    "gemini": "models-2026-03.json",
    "mistral": "models-2026-03.json",
    "ollama": "tags-2025-12.json",
}
"""The capture each provider's main prefix serves."""

GEMINI_PAGED = "gemini-paged"
GEMINI_PAGE1 = "models-page1-2025-11.json"
GEMINI_PAGE2_TOKEN = "CiRtb2RlbHMvaW1hZ2VuLTQuMC11bHRyYS1nZW5lcmF0ZS0wMDE="
"""The page-1 capture's ``nextPageToken`` (base64 of ``models/imagen-4.0-ultra-generate-001``)."""


def base_url(server_url: str, provider: str, prefix: str | None = None) -> str:
    """The replayed equivalent of the provider's real base URL."""
    return f"{server_url}/{prefix or provider}{ENDPOINTS[provider].base_path}"


def models_route(provider: str, prefix: str | None = None) -> str:
    """The server path of the provider's model list, e.g. ``/groq/openai/v1/models``."""
    endpoint = ENDPOINTS[provider]
    return f"/{prefix or provider}{endpoint.base_path}{endpoint.models_path}"


def models_url(server_url: str, provider: str, prefix: str | None = None) -> str:
    """The replayed equivalent of the provider's real model-list URL."""
    return server_url + models_route(provider, prefix)


def gemini_page2() -> bytes:
    """CONSTRUCTED, not captured: the Gemini page after the page-1 capture.

    The real page 2 was never recorded. The token names the last model of page 1, so this
    takes the three models that follow it in the 2026-03 full list, with no further token.
    """
    full = json.loads(fixture_path("gemini", "models-2026-03.json").read_bytes())
    names = [m["name"] for m in full["models"]]
    start = names.index("models/imagen-4.0-ultra-generate-001") + 1
    return json.dumps({"models": full["models"][start : start + 3]}, indent=2).encode()


def serve_catalogue(server: ReplayServer) -> dict[str, str]:
    """Mount every capture on `server`; return provider -> base URL for the latest captures.

    Besides the providers in `LATEST`: OpenRouter's ``output_modalities=all`` variant on the
    same route; paged Gemini under ``/gemini-paged`` (page 1 capture, then the constructed
    page 2 for ``pageToken=GEMINI_PAGE2_TOKEN``); and `archive_bases` for older captures.
    """
    for provider, name in LATEST.items():
        server.serve(models_route(provider), fixture_path(provider, name))
    server.serve(
        models_route("openrouter"),
        fixture_path("openrouter", "models-all-output-modalities-2026-08.json"),
        query=OPENROUTER_ALL,
    )
    paged = models_route("gemini", GEMINI_PAGED)
    server.serve(paged, fixture_path("gemini", GEMINI_PAGE1))
    server.serve(paged, gemini_page2(), query={"pageToken": GEMINI_PAGE2_TOKEN})
    for label in archive_bases(""):
        provider, stem = label.split("/")
        route = models_route(provider, f"archive/{label}")
        server.serve(route, fixture_path(provider, f"{stem}.json"))
    return {provider: base_url(server.url, provider) for provider in LATEST}


OPENROUTER_ALL = {"output_modalities": "all"}
"""The query OpenRouter's parser sends so that image, audio and embedding models are listed."""


def serve_era(server: ReplayServer, provider: str, capture: str, prefix: str | None = None) -> str:
    """Switch the provider's list (under `prefix`) to another recorded capture, e.g.
    ``serve_era(server, "openrouter", "models-2025-05.json", "t1")``, as if time had moved
    between the two recordings; returns the base URL to point the service at.

    OpenRouter is asked with ``output_modalities=all``: that variant serves the same capture
    (only the latest era was also recorded with it).
    """
    route = models_route(provider, prefix)
    path = fixture_path(provider, capture)
    server.serve(route, path)
    if provider == "openrouter":
        server.serve(route, path, query=OPENROUTER_ALL)
    return base_url(server.url, provider, prefix)


def archive_bases(server_url: str) -> dict[str, str]:
    """``"<provider>/<file stem>"`` -> base URL for every capture not in `LATEST`."""
    bases: dict[str, str] = {}
    for provider in LATEST:
        for path in sorted((FIXTURES / provider).glob("*.json")):
            if path.name != LATEST[provider]:
                label = f"{provider}/{path.stem}"
                bases[label] = base_url(server_url, provider, f"archive/{label}")
    return bases
