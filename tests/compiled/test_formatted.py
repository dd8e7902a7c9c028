"""`formatted`: a field's value kept already serialized on an `immutable` instance is shown as
it is by the compiled completer (graphql-core formats the value); where the text is missing,
not a string, or the object another class, the value is completed as graphql-core completes
it. `AvailableModel` keeps its record's `createdAt` text, formatted where the record is built:
on every capture it is the text graphql-core's `DateTime` gives."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest
import strawberry
from strawberry.extensions import ParserCache
from strawberry.schema.types.base_scalars import isoformat

from catalog.snapshot import Snapshot
from providers import discover
from schema.compiled.executor import executor_class
from schema.compiled.runtime import formatted, immutable
from schema.live.types import AvailableModel

WHEN = datetime(2026, 12, 1, 20, 30, tzinfo=UTC)


@immutable
@formatted(when="when_text")
@strawberry.type
class Stamp:
    when: datetime | None
    when_text: strawberry.Private[object]


@strawberry.type
class Other:
    """Not the declared class: its text is never read."""

    when: datetime | None
    when_text: strawberry.Private[object]


def schema(stamps: Sequence[Stamp | Other], *, compiled: bool) -> strawberry.Schema:
    @strawberry.type
    class Query:
        @strawberry.field
        def stamps(self) -> list[Stamp]:
            return stamps  # type: ignore[return-value]

    return strawberry.Schema(
        Query,
        execution_context_class=executor_class() if compiled else None,
        extensions=[ParserCache],
    )


async def respond(stamps: Sequence[Stamp | Other], *, compiled: bool) -> bytes:
    result = await schema(stamps, compiled=compiled).execute("{ stamps { when t: when } }")
    response: dict[str, object] = {"data": result.data}
    if result.errors:
        response["errors"] = [error.formatted for error in result.errors]
    return orjson.dumps(response)


async def test_the_kept_text_is_shown_as_it_is() -> None:
    kept = [Stamp(when=WHEN, when_text="kept")]  # a broken promise shows which is read
    assert await respond(kept, compiled=True) == b'{"data":{"stamps":[{"when":"kept","t":"kept"}]}}'
    assert await respond(kept, compiled=False) == orjson.dumps(
        {"data": {"stamps": [{"when": WHEN.isoformat(), "t": WHEN.isoformat()}]}}
    )


@pytest.mark.parametrize(
    "stamp",
    [
        Stamp(when=WHEN, when_text=None),
        Stamp(when=WHEN, when_text=7),
        Stamp(when=None, when_text=None),
        Other(when=WHEN, when_text="kept"),
    ],
    ids=["no text", "not a string", "null", "another class"],
)
async def test_without_a_kept_text_the_value_is_completed_as_graphql_core_does(
    stamp: Stamp | Other,
) -> None:
    expected = await respond([stamp], compiled=False)
    assert await respond([stamp], compiled=True) == expected
    assert b"kept" not in expected


FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "providers"
CAPTURES = sorted(FIXTURES.glob("*/*.json"))


@pytest.mark.parametrize("path", CAPTURES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_a_views_created_at_text_is_graphql_cores_on_every_capture(path: Path) -> None:
    spec = discover().get(path.parent.name)
    assert spec is not None
    models = spec.parse_models(json.loads(path.read_bytes()))
    for record in Snapshot.fetched_now(spec.kind, models, 600, time.time).models:
        view = AvailableModel.of(record, None)
        assert view.created_at == record.created_at
        expected = None if record.created_at is None else isoformat(record.created_at)
        assert view.created_at_text == record.created_at_text == expected


def test_the_captures_have_dates() -> None:
    dated = 0
    for path in CAPTURES:
        spec = discover().get(path.parent.name)
        assert spec is not None
        models = spec.parse_models(json.loads(path.read_bytes()))
        dated += sum(record.created_at_text is not None for record in models)
    assert len(CAPTURES) > 5 and dated > 500
