"""`ModelViews`: each listed model's `AvailableModel`, built once per fetched list.

Building the views of 549 models (with ~6,000 `FigureSource`s) cost ~12 ms per request that
missed the result cache. A snapshot never changes (a new fetch is a new version), so a model's
view is a function of its record and its saved state: it is kept, and built again only for
the models whose saved state changed (a save rebuilds one view, not 549). A new fetch of the
list keeps the views of the models whose record is equal to the one before (most of them, on
most refreshes), and with them their completed fields: comparing 549 records costs ~2 ms,
building and completing their views again ~6 ms.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Mapping

from catalog.snapshot import Snapshot
from providers import ModelRecord
from schema.live.types import AvailableModel, Shared
from storage.records import SavedState

_Views = dict[str, AvailableModel]  # each with the saved state it shows (`saved`)


class _List:
    """One list's views by model id, and what they share."""

    __slots__ = ("shared", "version", "views")

    def __init__(self, version: str) -> None:
        self.version = version
        self.views: _Views = {}
        self.shared = Shared()

    def after(self, before: _List, snapshot: Snapshot) -> _List:
        """This new version's list, with the views of `before` whose record is unchanged."""
        self.shared = before.shared
        for model_id, view in before.views.items():
            record = snapshot.by_id.get(model_id)
            if record is not None and (record is view.record or record == view.record):
                self.views[model_id] = view
        return self


class ModelViews:
    """The views of each provider's latest list (an older version is never shown again), for
    at most `providers` providers; one per process (`Services`)."""

    def __init__(self, providers: int = 64) -> None:
        self.providers = providers
        self.built = 0  # views built, for tests
        self._lists: OrderedDict[str, _List] = OrderedDict()

    def clear(self) -> None:
        """Forget every view (the bench's uncached case)."""
        self._lists.clear()

    def of(
        self,
        snapshot: Snapshot,
        records: Iterable[ModelRecord],
        saved: Mapping[str, SavedState],
    ) -> list[AvailableModel]:
        """The views of `records` (of `snapshot`), each with its saved state in `saved`."""
        kept = self._lists.get(snapshot.provider)
        if kept is None or kept.version != snapshot.version:
            fresh = _List(snapshot.version)
            kept = self._lists[snapshot.provider] = (
                fresh if kept is None else fresh.after(kept, snapshot)
            )
            while len(self._lists) > self.providers:
                self._lists.popitem(last=False)
        self._lists.move_to_end(snapshot.provider)
        views, shared = kept.views, kept.shared
        out = []
        for record in records:
            state = saved.get(record.id)
            view = views.get(record.id)
            if view is None or view.saved != state:
                view = views[record.id] = AvailableModel.of(record, state, shared)
                self.built += 1
            out.append(view)
        return out
