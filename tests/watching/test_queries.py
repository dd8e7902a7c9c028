"""The sync log's and the feed's arguments: paging bounds, cursors, `since`, permissions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.clock import ManualClock
from tests.replay import ReplayServer, serve_era
from tests.service import Service
from tests.watching.conftest import AUGUST, SAVE, SLUG

RUNS = "query($first: Int!, $after: String) { syncRuns(first: $first, after: $after) { hasMore } }"
SINCE = """query($since: DateTime) { catalogChanges(provider: "watched", since: $since, first: 1) {
  changes { kind at } } }"""


async def test_paging_arguments_are_refused_naming_them(watching: Service) -> None:
    for first in (0, 201):
        error = await watching.error(RUNS, {"first": first})
        assert error["extensions"]["code"] == "BAD_USER_INPUT"
        assert error["message"] == f"first must be between 1 and 200, not {first}"
    for after in ("abc", "9" * 40):
        error = await watching.error(RUNS, {"first": 5, "after": after})
        assert error["extensions"]["code"] == "BAD_USER_INPUT" and error["message"].startswith(
            "after:"
        )


async def test_since_keeps_the_later_changes(
    watching: Service, replay: ReplayServer, clock: ManualClock, prefix: str
) -> None:
    await watching.gql(SAVE, {"p": SLUG, "m": "openai/o3"})
    serve_era(replay, "openrouter", AUGUST, prefix)
    clock.advance(601)
    await watching.services.scheduler.tick()
    found_at = datetime.fromtimestamp(clock(), tz=UTC)
    before = await watching.gql(SINCE, {"since": (found_at - timedelta(minutes=1)).isoformat()})
    assert len(before["catalogChanges"]["changes"]) == 1
    after = await watching.gql(SINCE, {"since": (found_at + timedelta(minutes=1)).isoformat()})
    assert after["catalogChanges"]["changes"] == []


async def test_readers_read_the_log_but_not_the_webhooks(watching: Service) -> None:
    runs = await watching.post(RUNS, {"first": 5}, token=watching.reader_token)
    assert "errors" not in runs.json()
    hooks = await watching.error("{ webhookEndpoints { id } }", token=watching.reader_token)
    assert hooks["extensions"]["code"] == "FORBIDDEN"
