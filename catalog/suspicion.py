"""When a freshly fetched list is not believed: it would replace a good one with far less.

An upstream that breaks rarely says so with an error: a `200` with `{"data": []}`, or a page of
a paginated list served as the whole, replaces the cached list with nothing, and every worker
then shows nothing and the drift report calls every saved model `MISSING` (an alarm). So a
fetched list is compared with the last good one before it replaces it, and refused when it is

- empty where the last good list was not, or
- a collapse: fewer than half as many models as a last good list of 20 or more, most of them
  gone (a page served as the whole list, a filter the upstream stopped honouring).

A list that changes a lot but does not shrink so is believed: OpenRouter's list of May 2025
(321 models) and of August 2026 (549) share only 90, and that is real drift to report.

A refused list is treated like an upstream failure: the last good list stays in the cache and
is served `stale: true` with the reason in `error`; nothing is saved or synced from it, and the
drift report compares with the good list, so the collapse raises no alarm. The kept list lives
as any stale copy does (`STALE_TTL`); once it has expired, whatever the upstream lists is taken
as it is. Small lists (under 20) may change freely: a local Ollama with two models that loses
one is not broken.

>>> from providers import ModelRecord
>>> def models(*ids: str) -> list[ModelRecord]: return [ModelRecord(id=i, name=i) for i in ids]
>>> implausible(models(*map(str, range(30))), models("0", "1")) is not None
True
>>> implausible(models(*map(str, range(30))), models(*map(str, range(20, 60)))) is None
True
>>> implausible(models("a", "b"), []) is not None, implausible(models("a", "b"), models("c"))
(True, None)
"""

from __future__ import annotations

from collections.abc import Sequence

from catalog.snapshot import Snapshot
from errors import ImplausibleListError
from providers import ModelRecord

KEPT_AT_LEAST = 0.5
"""The share of the last good list's length (and of its models) a large provider's new list
must keep."""
LARGE = 20
"""How many models make a list large enough for a collapse to be told from a change."""


def implausible(good: Sequence[ModelRecord], fetched: Sequence[ModelRecord]) -> str | None:
    """Why `fetched` should not replace `good` (the last good list), or None."""
    if not good:
        return None
    if not fetched:
        return f"answered with no models where {len(good)} were listed"
    if len(good) < LARGE or len(fetched) >= len(good) * KEPT_AT_LEAST:
        return None
    known = {model.id for model in good}
    kept = sum(1 for model in fetched if model.id in known)
    if kept >= len(good) * KEPT_AT_LEAST:
        return None
    return (
        f"answered with {len(fetched)} models, only {kept} of the {len(good)} it listed "
        "before: more than half vanished at once"
    )


def refuse_implausible(good: Snapshot | None, fetched: Sequence[ModelRecord], slug: str) -> None:
    """Raise `ImplausibleListError` when `fetched` should not replace the cached `good`."""
    doubt = implausible(good.models, fetched) if good is not None else None
    if doubt is not None:
        raise ImplausibleListError(slug, f"{doubt}; the last good list is kept")
