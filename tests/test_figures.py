"""The stored figures (`storage.figures`) hold everywhere they are read: every `ModelRecord`
field is stored or said not to be, and every figure is written, synced, compared and shown
through the real database, the catalog and the schema, whatever its kind."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from graphql import GraphQLEnumType, GraphQLObjectType

from catalog.drift import compare
from catalog.saving import to_values
from catalog.snapshot import Snapshot
from providers import Capability, ModelRecord
from schema import build_schema
from storage import curation, rewrite, saved
from storage.database import open_database
from storage.figures import (
    CAPABILITIES,
    COMPARED,
    CURATED,
    FIGURE,
    FIGURES,
    MATERIAL,
    NOT_STORED,
    SHOWN,
    Figure,
    Kind,
    reader,
)
from storage.records import StoredModel
from storage.state import saved_with_figures
from tests.clock import ManualClock

LIVE: dict[Kind, tuple[Any, Any]] = {
    Kind.TEXT: ("One", "Two"),
    Kind.LONG_TEXT: ("the first", None),
    Kind.CAPABILITIES: (frozenset({Capability.CHAT}), frozenset({Capability.VISION})),
    Kind.PRICE: (Decimal("1.5"), Decimal("0.000002")),
    Kind.TOKENS: (1000, 2000),
    Kind.MAPPING: ({"a": 1}, {"b": [2]}),
    Kind.LABEL: ("Fast chat", None),
    Kind.TAGS: (["cheap", "eu"], []),
}
"""Two different values of each kind, as a `ModelRecord` (or an admin, for the kinds only an
admin sets) gives them."""

NOW = datetime(2026, 1, 1, tzinfo=UTC)
READ = tuple(figure for figure in FIGURES if figure.record is not None)
SYNCED_READ = tuple(figure for figure in READ if figure.synced)


def test_every_record_field_is_stored_or_said_not_to_be() -> None:
    record_fields = {field.name for field in dataclasses.fields(ModelRecord) if field.init}
    read = {figure.record for figure in READ}
    assert read | set(NOT_STORED) == record_fields, "a ModelRecord field is in neither list"
    assert not read & set(NOT_STORED), "a field is both stored and listed as not stored"
    assert set(LIVE) == set(Kind), "a kind without sample values"


def test_a_figure_no_list_gives_is_never_synced() -> None:
    with pytest.raises(ValueError, match="a sync can only write what a list gives"):
        Figure("display_name", Kind.TEXT, "A name an admin chose.", record=None)
    assert (
        Figure(
            "display_name", Kind.TEXT, "", record=None, synced=False, compared=False, material=False
        ).record
        is None
    )


def test_an_admins_figure_is_no_upstream_change_and_fires_no_event() -> None:
    """Display names, notes, tags: never compared by drift, never material (no change-feed
    entry, no webhook), declared so on their rows."""
    for compared, material in ((True, False), (False, True)):
        with pytest.raises(ValueError, match="no upstream change"):
            Figure(
                "label",
                Kind.LABEL,
                "",
                record=None,
                synced=False,
                compared=compared,
                material=material,
            )
    assert {figure.name for figure in CURATED} == {"display_name", "notes", "tags"}
    assert not any(figure.compared or figure.material for figure in CURATED)
    assert MATERIAL.isdisjoint(figure.name for figure in CURATED)


def test_a_reader_reads_each_figure_as_the_figure_does() -> None:
    records = (live_record(0), live_record(1, capabilities=frozenset(Capability)))
    for figures in (READ, READ[:1], [FIGURE[CAPABILITIES]]):
        read = reader(figures)
        for record in records:
            assert read(record) == {figure.name: figure.read(record) for figure in figures}
    with pytest.raises(ValueError, match="figures a provider's list gives"):
        reader(CURATED)


def live_record(n: int, **changes: Any) -> ModelRecord:
    """A record whose every figure holds the `n`th sample of its kind."""
    base: dict[str, Any] = {str(figure.record): LIVE[figure.kind][n] for figure in READ}
    return ModelRecord(**{"id": "m", **base, **changes})


def stored_form(figure: Figure, n: int) -> Any:
    """The `n`th sample as a column gives it back."""
    if figure.record is None:  # set by an admin only: a save leaves it empty
        return None
    value = figure.column_value(figure.read(live_record(n)))
    return value if figure.kind is not Kind.CAPABILITIES else sorted(value)


@pytest.fixture
async def provider_id(database_url: str) -> AsyncIterator[int]:
    async with open_database(database_url, migrate_schema=True):
        yield await saved.ensure_provider("p", "openrouter", "P")


async def stored(slug: str = "p") -> StoredModel:
    (model,) = (await saved_with_figures(slug, FIGURES)).models
    return model


async def test_each_figure_is_saved_then_rewritten_by_both_syncs(provider_id: int) -> None:
    created, _ = await saved.save_model(
        provider_id, to_values(live_record(0), None), is_active=True, overridden=False
    )
    assert {f.name: created.figures[f.name] for f in SHOWN} == {
        f.name: stored_form(f, 0) for f in SHOWN
    }
    model = await stored()
    assert model.figures == {figure.name: stored_form(figure, 0) for figure in FIGURES}

    await saved.bulk_upsert(provider_id, [to_values(live_record(1), None)], activate_first=False)
    model = await stored()
    for figure in FIGURES:
        expected = stored_form(figure, 1 if figure.synced else 0)
        assert model.figures[figure.name] == expected, f"a bulk sync left {figure.name!r}"
    assert model.is_active  # a sync never touches the flag

    async with rewrite.saved_for_update(provider_id, "p") as batch:
        await batch.write([to_values(live_record(0), None)])
    model = await stored()
    for figure in FIGURES:
        assert model.figures[figure.name] == stored_form(figure, 0), figure.name


async def test_each_curated_figure_survives_both_syncs(provider_id: int) -> None:
    await saved.save_model(
        provider_id, to_values(live_record(0), None), is_active=True, overridden=False
    )
    given = {figure.name: LIVE[figure.kind][0] for figure in CURATED}
    curated = await curation.curate((await stored()).db_id, "p", given)
    assert {figure.name: curated.figures[figure.name] for figure in CURATED} == given
    await saved.bulk_upsert(provider_id, [to_values(live_record(1), None)], activate_first=False)
    async with rewrite.saved_for_update(provider_id, "p") as batch:
        await batch.write([to_values(live_record(0), None)])
    model = await stored()
    assert {figure.name: model.figures[figure.name] for figure in CURATED} == given


@pytest.mark.parametrize("figure", SYNCED_READ, ids=lambda figure: figure.name)
async def test_a_bulk_sync_rewrites_a_model_only_when_a_figure_differs(
    provider_id: int, figure: Figure
) -> None:
    """The same figures again: the model is not written (its `updatedAt` stays), yet counts
    as updated; any one synced figure changed alone: written, with a new `updatedAt`."""
    assert figure.record is not None
    first = [to_values(live_record(0), None)]
    assert await saved.bulk_upsert(provider_id, first, activate_first=False) == (1, 0)
    saved_at = (await stored()).updated_at
    assert await saved.bulk_upsert(provider_id, first, activate_first=False) == (0, 1)
    assert (await stored()).updated_at == saved_at
    changed = [to_values(live_record(0, **{figure.record: LIVE[figure.kind][1]}), None)]
    assert await saved.bulk_upsert(provider_id, changed, activate_first=False) == (0, 1)
    model = await stored()
    assert model.figures[figure.name] == stored_form(figure, 1)
    assert model.updated_at > saved_at


@pytest.mark.parametrize("figure", COMPARED, ids=lambda figure: figure.name)
def test_each_compared_figure_drifts_alone(figure: Figure) -> None:
    assert figure.record is not None
    then = live_record(0)
    values = to_values(then, None)
    model = StoredModel(
        db_id=1,
        provider="p",
        model_id="m",
        is_active=True,
        capabilities_overridden=False,
        created_at=NOW,
        updated_at=NOW,
        figures={f.name: f.column_value(values.figures[f.name]) for f in COMPARED},
    )
    now = replace(then, **{figure.record: LIVE[figure.kind][1]})
    snapshot = Snapshot.fetched_now("p", [now], 600, ManualClock(NOW.timestamp()))
    (drift,) = compare([model], snapshot, now=NOW).models
    assert [change.field for change in drift.changes] == [figure.name]
    unchanged = Snapshot.fetched_now("p", [then], 600, ManualClock(NOW.timestamp()))
    assert compare([model], unchanged, now=NOW).models[0].changes == ()


def test_the_schema_shows_each_figure_and_compares_each_compared_one() -> None:
    types = build_schema()._schema.type_map
    saved_type, drift_type = types["SavedModel"], types["DriftField"]
    assert isinstance(saved_type, GraphQLObjectType) and isinstance(drift_type, GraphQLEnumType)
    saved_model = saved_type.fields
    for figure in SHOWN:
        field = saved_model[_camel(figure.name)]
        assert field.description == figure.description
    drift_field = drift_type.values
    assert list(drift_field) == [figure.name.upper() for figure in COMPARED]
    assert [value.description for value in drift_field.values()] == [
        figure.description for figure in COMPARED
    ]


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(word.title() for word in rest)
