"""`ModelViews`: a listed model's view is built once per fetched list and saved state."""

from __future__ import annotations

import dataclasses
import json
import time

from catalog.snapshot import Snapshot
from providers import discover
from schema.live.types import AvailableModel
from schema.live.views import ModelViews
from storage.records import SavedState
from tests.replay import fixture_path


def _groq() -> Snapshot:
    spec = discover().get("groq")
    assert spec is not None
    payload = json.loads(fixture_path("groq", "models-2026-03.json").read_bytes())
    return Snapshot.fetched_now("groq", spec.parse_models(payload), 600, time.time)


def test_a_write_rebuilds_the_view_of_the_model_it_touched_only() -> None:
    views, snapshot = ModelViews(), _groq()
    first = views.of(snapshot, snapshot.models, {})
    assert views.built == len(snapshot.models) == 20
    assert views.of(snapshot, snapshot.models, {}) == first and views.built == 20
    touched = snapshot.models[3].id
    again = views.of(snapshot, snapshot.models, {touched: SavedState(7, True)})
    assert views.built == 21
    assert [a is b for a, b in zip(first, again, strict=True)].count(False) == 1
    assert again[3].saved_in_db and again[3].db_id == "7" and again[3].is_active_in_db


def test_a_new_fetch_replaces_the_providers_views() -> None:
    views, old = ModelViews(), _groq()
    renamed = [dataclasses.replace(m, name=f"{m.name} 2") for m in old.models]
    new = Snapshot.fetched_now("groq", renamed, 600, time.time)
    views.of(old, old.models, {})
    views.of(new, new.models, {})  # every record changed: every view built again
    views.of(old, old.models[:1], {})  # the old version is not kept: built again
    assert views.built == 20 + 20 + 1


def test_a_lists_views_share_each_figure_source_and_show_every_one() -> None:
    views, snapshot = ModelViews(), _groq()
    built = views.of(snapshot, snapshot.models, {})
    for view, record in zip(built, snapshot.models, strict=True):
        assert [(s.field, s.origin) for s in view.sources] == list(record.sources.items())
    shown = [source for view in built for source in view.sources]
    distinct = {(s.field, s.origin) for s in shown}
    assert len(shown) > len(distinct)  # the capture's models share sources
    assert len({id(s) for s in shown}) == len(distinct)  # one object per distinct source
    rebuilt = views.of(snapshot, snapshot.models, {snapshot.models[0].id: SavedState(1, False)})
    assert all(a is b for a, b in zip(built[0].sources, rebuilt[0].sources, strict=True))


def test_a_new_fetch_keeps_the_views_of_the_models_it_did_not_change() -> None:
    views, old = ModelViews(), _groq()
    first = views.of(old, old.models, {})
    changed = dataclasses.replace(old.models[2], name="Renamed")
    models = [changed if m.id == changed.id else m for m in _groq().models]
    new = Snapshot.fetched_now("groq", models, 600, time.time)
    again = views.of(new, new.models, {})
    assert views.built == 20 + 1  # the renamed model's view only
    assert [a is b for a, b in zip(first, again, strict=True)].count(False) == 1
    assert again[2].name == "Renamed" and again[2].record is changed
    assert [v.model_id for v in again] == [m.id for m in new.models]


def test_renaming_a_saved_model_rebuilds_its_view_with_the_new_display_name() -> None:
    views, snapshot = ModelViews(), _groq()
    model = snapshot.models[0].id
    named = views.of(snapshot, snapshot.models, {model: SavedState(7, True, "Fast chat")})
    assert named[0].display_name == "Fast chat"
    renamed = views.of(snapshot, snapshot.models, {model: SavedState(7, True, "Cheap chat")})
    assert views.built == 21 and renamed[0].display_name == "Cheap chat"
    assert renamed[1] is named[1]  # the others are kept


def test_a_view_sets_every_field_of_its_type_as_the_dataclass_would() -> None:
    record = _groq().models[0]
    view = AvailableModel.of(record, SavedState(7, True, "Fast chat"))
    fields = {name for name, f in AvailableModel.__dataclass_fields__.items() if f.init}
    assert set(vars(view)) == fields  # `of` sets each one, and nothing else
    assert AvailableModel(**{name: getattr(view, name) for name in fields}) == view
    assert view.capabilities == tuple(sorted(record.capabilities))
