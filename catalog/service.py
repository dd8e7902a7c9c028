"""The catalog's operations: live lists, and saving, syncing, clearing and comparing models.

It composes `providers` (upstream APIs, through `catalog.live`) and `storage` (the database)
and knows nothing of GraphQL or HTTP requests, so the GraphQL schema and the CLI share every
rule. Where lists come from and how they are cached is `catalog.live`'s job; turning a slug
into an endpoint is `catalog.resolve`'s.
"""

from __future__ import annotations

from catalog.drift_sync import DriftSync
from catalog.saving import SavedWrites


class Catalog(SavedWrites, DriftSync):
    """One per process: the provider kinds, the live lists and the operations on them.

    The wiring and the reads are `catalog.core`'s, the saved-model writes
    `catalog.saving`'s, the drift report and sync `catalog.drift_sync`'s; `curation`,
    `probes`, `transfer`, `watch`, `providers`, `tokens` and `audit` are its parts.
    """
