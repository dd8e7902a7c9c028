"""The committed client was generated from the committed schema and operations.

`clients/python/regenerate` records a hash of what it generated from; a change to
schema.graphql, examples/*.graphql or the generator's settings or pins without regenerating
fails here, at once. CI also regenerates the client and compares it file by file
(`clients/python/regenerate --check`), which catches a hand edit of the generated code.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CLIENT = ROOT / "clients" / "python"


def inputs_hash() -> str:
    """What `inputs` in clients/python/regenerate computes."""
    files = [
        "schema.graphql",
        *sorted(f"examples/{path.name}" for path in (ROOT / "examples").glob("*.graphql")),
        "clients/python/codegen.toml",
        "clients/python/codegen-requirements.txt",
    ]
    digest = hashlib.sha256()
    for name in files:
        digest.update(f"== {name}\n".encode())
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()


def test_client_was_generated_from_the_current_schema_and_examples() -> None:
    recorded = (CLIENT / "generated-from.sha256").read_text().strip()
    assert recorded == inputs_hash(), (
        "the typed client is out of date: run clients/python/regenerate and commit it"
    )


def test_every_example_operation_has_a_client_method() -> None:
    client = (CLIENT / "ai_model_sync_client" / "client.py").read_text()
    for example in (ROOT / "examples").glob("*.graphql"):
        assert f"async def {example.stem}(" in client, example.name
