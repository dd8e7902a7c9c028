"""What "the N best models" of a provider means for `bulkSync`, in one place.

Best first: models the upstream does not announce for removal, then the most popular (Hugging
Face downloads), then the newest, then the largest context window, then by id so the order is
stable. Models without a known price (OpenRouter's `"-1"` routers) go after priced ones of the
same release, because an admin cannot budget for them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from providers import ModelRecord


def best_first(models: Iterable[ModelRecord], now: datetime) -> list[ModelRecord]:
    def key(model: ModelRecord) -> tuple[bool, int, float, bool, int, str]:
        retiring = model.expires_at is not None and model.expires_at <= now.replace(
            year=now.year + 1
        )
        created = model.created_at.timestamp() if model.created_at else 0.0
        unpriced = model.input_price is None and model.output_price is None
        return (
            retiring,
            -(model.popularity or 0),
            -created,
            unpriced,
            -(model.context_window or 0),
            model.id,
        )

    return sorted(models, key=key)
