"""Provider instances as data: added, changed and deactivated by admins, keys encrypted."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import sys
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from starlette.datastructures import Secret
from tortoise import connections

from settings import Settings
from tests.processes import child_environment
from tests.replay import ReplayServer, fixture_path
from tests.service import Service, running_service

ADD = """
mutation($input: AddProviderInput!) {
  addProvider(input: $input) { id slug kind displayName baseUrl hasApiKey apiKeyLast4 ttl isActive }
}
"""
UPDATE = """
mutation($slug: String!, $input: UpdateProviderInput!) {
  updateProvider(slug: $slug, input: $input) {
    slug displayName baseUrl hasApiKey apiKeyLast4 ttl isActive
  }
}
"""
DEACTIVATE = "mutation($slug: String!) { deactivateProvider(slug: $slug) { slug isActive } }"
PROVIDERS = """
{ providers { kinds { kind displayName defaultBaseUrl needsKey }
              instances { slug kind hasApiKey apiKeyLast4 ttl isActive } } }
"""
LIST = "query($p: String!) { availableModels(provider: $p) { count stale } }"
KEY_A = "sk-gateway-a-0123456789abcdef"
KEY_B = "sk-gateway-b-fedcba9876543210"


def _gateway(replay: ReplayServer, name: str) -> str:
    """An OpenAI-compatible gateway on the replay server, serving OpenAI's real list."""
    replay.serve(f"/{name}/v1/models", fixture_path("openai", "models-2025-05.json"))
    return f"{replay.url}/{name}/v1"


async def _cli(*args: str, **env: str) -> str:
    """Run `ai-model-sync ARGS` as an operator would; its stderr (progress) on success."""
    root = Path(__file__).resolve().parents[2]
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "cli",
        *args,
        cwd=root,
        env=child_environment(**env),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, stderr = await process.communicate()
    assert process.returncode == 0, stderr.decode()
    return stderr.decode()


async def _add(service: Service, **fields: Any) -> dict[str, Any]:
    data = await service.gql(ADD, {"input": fields})
    added: dict[str, Any] = data["addProvider"]
    return added


async def test_two_instances_of_one_kind_each_with_its_own_key(
    service: Service, replay: ReplayServer
) -> None:
    url_a, url_b = _gateway(replay, "gw-a"), _gateway(replay, "gw-b")
    a = await _add(service, slug="gw-a", kind="openai_compatible", baseUrl=url_a, apiKey=KEY_A)
    b = await _add(service, slug="gw-b", kind="openai_compatible", baseUrl=url_b, apiKey=KEY_B)
    assert a["hasApiKey"] and a["apiKeyLast4"] == "cdef" and a["isActive"]
    assert b["apiKeyLast4"] == "3210" and b["displayName"] == "OpenAI-compatible server"
    count_a = (await service.gql(LIST, {"p": "gw-a"}))["availableModels"]["count"]
    count_b = (await service.gql(LIST, {"p": "gw-b"}))["availableModels"]["count"]
    assert count_a == count_b > 0
    assert replay.requests("/gw-a/v1/models")[-1].headers["Authorization"] == f"Bearer {KEY_A}"
    assert replay.requests("/gw-b/v1/models")[-1].headers["Authorization"] == f"Bearer {KEY_B}"


async def test_keys_are_encrypted_at_rest_and_never_shown_or_logged(
    service: Service, replay: ReplayServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # every log line, the ORM's SQL included
    url = _gateway(replay, "gw-secret")
    response = await service.post(
        ADD,
        {
            "input": {
                "slug": "gw-secret",
                "kind": "openai_compatible",
                "baseUrl": url,
                "apiKey": KEY_A,
            }
        },
    )
    listing = await service.post(PROVIDERS, token=service.reader_token)
    replay.fail("/gw-secret/v1/models", 401)
    failed = await service.post(LIST, {"p": "gw-secret"})
    for text in (response.text, listing.text, failed.text, caplog.text):
        assert KEY_A not in text
    assert failed.json()["errors"][0]["extensions"]["code"] == "UPSTREAM_ERROR"
    _, rows = await connections.get("default").execute_query(
        "SELECT * FROM ai_provider WHERE slug = 'gw-secret'"
    )
    stored = " ".join(str(value) for value in dict(rows[0]).values())
    assert KEY_A not in stored and "cdef" in stored  # only the last four, by design


async def test_without_secret_keys_a_key_is_refused_not_stored_in_clear(
    settings: Settings, replay: ReplayServer
) -> None:
    async with running_service(dataclasses.replace(settings, secret_keys=())) as service:
        fields = {"slug": "gw-nokeys", "kind": "openai_compatible", "apiKey": KEY_A}
        error = await service.error(ADD, {"input": fields})
        assert error["extensions"]["code"] == "BAD_USER_INPUT"
        assert "SECRET_KEYS" in error["message"] and KEY_A not in error["message"]
        instances = (await service.gql(PROVIDERS))["providers"]["instances"]
        assert instances == []
        keyless = await _add(service, slug="gw-nokeys", kind="openai_compatible")
        assert keyless["hasApiKey"] is False and keyless["apiKeyLast4"] is None


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"slug": "Bad Slug"}, "invalid slug"),
        ({"slug": "x"}, "invalid slug"),
        ({"kind": "telepathy"}, "unknown provider kind 'telepathy'"),
        ({"baseUrl": "ftp://example.com/v1"}, "http:// or https://"),
        ({"baseUrl": "not a url"}, "http:// or https://"),
        ({"baseUrl": "https://user:pw@example.com/v1"}, "must not contain credentials"),
        ({"ttl": 5}, "ttl must be between 10 and 604800"),
        ({"ttl": 10**7}, "ttl must be between 10 and 604800"),
        ({"slug": "groq"}, "names the 'groq' provider kind"),
        ({"apiKey": "has space inside"}, "apiKey must be"),
        ({"displayName": "   "}, "displayName must be"),
    ],
)
async def test_invalid_input_is_refused(
    service: Service, fields: dict[str, Any], message: str
) -> None:
    base = {"slug": "gw-valid", "kind": "openai_compatible"}
    error = await service.error(ADD, {"input": {**base, **fields}})
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert message in error["message"]
    assert (await service.gql(PROVIDERS))["providers"]["instances"] == []


async def test_a_duplicate_slug_is_refused_clearly(service: Service) -> None:
    await _add(service, slug="gw-dup", kind="openai_compatible")
    error = await service.error(ADD, {"input": {"slug": "gw-dup", "kind": "ollama"}})
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "a provider with slug 'gw-dup' already exists" in error["message"]


async def test_update_changes_only_what_is_given(service: Service, replay: ReplayServer) -> None:
    url = _gateway(replay, "gw-upd")
    await _add(service, slug="gw-upd", kind="openai_compatible", apiKey=KEY_A, ttl=60)
    updated = await service.gql(UPDATE, {"slug": "gw-upd", "input": {"baseUrl": url}})
    assert updated["updateProvider"] == {
        "slug": "gw-upd",
        "displayName": "OpenAI-compatible server",
        "baseUrl": url,
        "hasApiKey": True,
        "apiKeyLast4": "cdef",
        "ttl": 60,
        "isActive": True,
    }
    assert (await service.gql(LIST, {"p": "gw-upd"}))["availableModels"]["count"] > 0
    cleared = await service.gql(UPDATE, {"slug": "gw-upd", "input": {"apiKey": None, "ttl": None}})
    assert cleared["updateProvider"]["hasApiKey"] is False
    assert cleared["updateProvider"]["ttl"] is None
    missing = await service.error(UPDATE, {"slug": "nope", "input": {"ttl": 60}})
    assert missing["extensions"]["code"] == "NOT_FOUND"


async def test_deactivated_instance_is_not_listed_until_reactivated(
    service: Service, replay: ReplayServer
) -> None:
    await _add(service, slug="gw-off", kind="openai_compatible", baseUrl=_gateway(replay, "gw-off"))
    off = await service.gql(DEACTIVATE, {"slug": "gw-off"})
    assert off["deactivateProvider"] == {"slug": "gw-off", "isActive": False}
    error = await service.error(LIST, {"p": "gw-off"})
    assert error["extensions"]["code"] == "BAD_USER_INPUT" and "deactivated" in error["message"]
    await service.gql(UPDATE, {"slug": "gw-off", "input": {"isActive": True}})
    assert (await service.gql(LIST, {"p": "gw-off"}))["availableModels"]["count"] > 0


async def test_providers_lists_kinds_and_instances_for_readers_only_managers_write(
    service: Service,
) -> None:
    await _add(service, slug="gw-list", kind="openai_compatible", ttl=120)
    data = (await service.gql(PROVIDERS, token=service.reader_token))["providers"]
    kinds = {kind["kind"]: kind for kind in data["kinds"]}
    assert {"openrouter", "groq", "openai_compatible"} <= set(kinds)
    assert kinds["groq"]["needsKey"] is True
    assert data["instances"] == [
        {
            "slug": "gw-list",
            "kind": "openai_compatible",
            "hasApiKey": False,
            "apiKeyLast4": None,
            "ttl": 120,
            "isActive": True,
        }
    ]
    denied = await service.error(
        ADD, {"input": {"slug": "gw-no", "kind": "ollama"}}, token=service.reader_token
    )
    assert denied["extensions"]["code"] == "FORBIDDEN"


async def test_key_rotation_keeps_every_stored_key_usable(
    settings: Settings, replay: ReplayServer
) -> None:
    old, new = settings.secret_keys[0], Secret(Fernet.generate_key().decode())
    url = _gateway(replay, "gw-rot")
    async with running_service(settings) as service:
        await _add(service, slug="gw-rot", kind="openai_compatible", baseUrl=url, apiKey=KEY_A)
    only_new = dataclasses.replace(settings, secret_keys=(new,))
    async with running_service(only_new) as service:  # the old key dropped too early
        error = await service.error(LIST, {"p": "gw-rot"})
        assert error["extensions"]["code"] == "BAD_USER_INPUT"
        assert "cannot be decrypted" in error["message"]
    both = dataclasses.replace(settings, secret_keys=(new, old))  # 1. add the new key first
    async with running_service(both) as service:
        assert (await service.gql(LIST, {"p": "gw-rot"}))["availableModels"]["count"] > 0
    rotated = await _cli(  # 2. `ai-model-sync rotate-keys`
        "rotate-keys", DATABASE_URL=settings.database_url, SECRET_KEYS=f"{new},{old}"
    )
    assert "re-encrypted 1 stored API key(s)" in rotated
    async with running_service(only_new) as service:  # 3. drop the old key
        listing = (await service.gql(LIST, {"p": "gw-rot"}))["availableModels"]
        assert listing["count"] > 0 and listing["stale"] is False
    assert replay.requests("/gw-rot/v1/models")[-1].headers["Authorization"] == f"Bearer {KEY_A}"


async def test_one_gateway_two_keys_two_cached_lists(
    service: Service, replay: ReplayServer
) -> None:
    """A list fetched with one tenant's key is never served to another's."""
    url = _gateway(replay, "gw-shared")
    await _add(service, slug="tenant-a", kind="openai_compatible", baseUrl=url, apiKey=KEY_A)
    await _add(service, slug="tenant-b", kind="openai_compatible", baseUrl=url, apiKey=KEY_B)
    for slug in ("tenant-a", "tenant-b", "tenant-a", "tenant-b"):
        await service.gql(LIST, {"p": slug})
    sent = [request.headers["Authorization"] for request in replay.requests("/gw-shared/v1/models")]
    assert sent == [f"Bearer {KEY_A}", f"Bearer {KEY_B}"]  # one fetch per key, then cached
    # a new key on the same instance: its list is fetched with it, not taken from the old key's
    await service.gql(UPDATE, {"slug": "tenant-a", "input": {"apiKey": KEY_B}})
    await service.gql(LIST, {"p": "tenant-a"})
    assert replay.requests("/gw-shared/v1/models")[-1].headers["Authorization"] == f"Bearer {KEY_B}"
    assert replay.hits("/gw-shared/v1/models") == 3
