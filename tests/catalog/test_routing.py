"""`catalog.routing.choose` on constructed saved models and lists: each skip reason alone."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from catalog.routing import Listed, SkipReason, choose
from catalog.snapshot import Snapshot
from providers import ModelRecord
from storage.records import ProbeSummary, StoredModel
from tests.clock import ManualClock

NOW = datetime(2026, 6, 1, tzinfo=UTC)


def _model(model_id: str, provider: str = "p", **changes: object) -> StoredModel:
    model = StoredModel(
        db_id=hash(model_id) % 1000,
        provider=provider,
        model_id=model_id,
        is_active=True,
        capabilities_overridden=False,
        created_at=NOW,
        updated_at=NOW,
        figures={"capabilities": ["chat"]},
    )
    return replace(model, **changes)  # type: ignore[arg-type]


def _listed(*records: ModelRecord, complete: bool = True) -> Listed:
    return Listed(
        Snapshot.fetched_now("p", list(records), 600, ManualClock(NOW.timestamp())), complete
    )


def test_each_reason_skips_and_the_first_usable_model_wins() -> None:
    failed = ProbeSummary(ok=False, at=NOW, status=500, error="HTTP 500")
    retired = ModelRecord(id="retired", name="R", expires_at=NOW - timedelta(days=1))
    models = [
        _model("off", is_active=False),
        _model("other", provider="q"),
        _model("gone"),
        _model("retired"),
        _model("flaky", probe=failed),
        _model("good"),
    ]
    listing = _listed(retired, ModelRecord(id="flaky", name="F"), ModelRecord(id="good", name="G"))
    route = choose(
        "chat", models, provider_active={"p": True, "q": False}, lists={"p": listing}, now=NOW
    )
    assert route.model is not None and route.model.model_id == "good"
    assert [(s.model.model_id, s.reason) for s in route.skipped] == [
        ("off", SkipReason.INACTIVE),
        ("other", SkipReason.PROVIDER_INACTIVE),
        ("gone", SkipReason.MISSING),
        ("retired", SkipReason.RETIRED),
        ("flaky", SkipReason.PROBE_FAILED),
    ]
    assert route.skipped[4].detail == "HTTP 500"


def test_unlisted_and_selection_lists_never_make_a_model_missing() -> None:
    models = [_model("private", unlisted=True)]
    route = choose("chat", models, provider_active={"p": True}, lists={"p": _listed()}, now=NOW)
    assert route.model is not None
    selection = _listed(complete=False)
    route = choose(
        "chat", [_model("x")], provider_active={"p": True}, lists={"p": selection}, now=NOW
    )
    assert route.model is not None


def test_a_provider_whose_list_cannot_be_had_is_noted_not_judged() -> None:
    route = choose("chat", [_model("a")], provider_active={"p": True}, lists={"p": None}, now=NOW)
    assert route.model is not None and route.model.model_id == "a"
    assert route.notes == (
        "p's model list could not be had: its models were not checked against it",
    )
    empty = choose("chat", [], provider_active={}, lists={}, now=NOW)
    assert empty.model is None and empty.skipped == ()
