"""A drift report as plain JSON, with the GraphQL fields' names: what `ai-model-sync drift
--json` prints, and what anything sending a report elsewhere can send."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from catalog.drift import DriftReport, Value


def plain(value: Value) -> Any:
    """A value as JSON shows it: exact prices as strings, capabilities as upper-case names."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, tuple):
        return [name.upper() for name in value]
    return value


def as_json(report: DriftReport) -> dict[str, Any]:
    """The report as the CLI's `--json` prints it (the same names as the GraphQL fields)."""
    return {
        "provider": report.provider,
        "fetchedAt": report.fetched_at.isoformat(),
        "stale": report.stale,
        "error": report.error,
        "retireWithinDays": report.retire_within.days,
        "total": len(report.models),
        "unchanged": len(report.unchanged),
        "changed": len(report.changed),
        "missing": len(report.missing),
        "activeMissing": len(report.active_missing),
        "unlisted": len(report.unlisted),
        "completeList": report.complete_list,
        "retiring": len(report.retiring),
        "warnings": report.warnings(),
        "models": [
            {
                "modelId": model.model_id,
                "dbId": str(model.db_id),
                "name": model.saved.figures["name"],
                "displayName": model.saved.figures.get("display_name"),
                "unlisted": model.saved.unlisted,
                "isActive": model.is_active,
                "status": model.status.name,
                "activeMissing": model.active_missing,
                "retiresAt": model.expires_at.isoformat() if model.expires_at else None,
                "retiring": model.retiring,
                "replacementModelId": model.replacement_model_id,
                "changes": [
                    {
                        "field": change.field.upper(),
                        "old": plain(change.old),
                        "new": plain(change.new),
                        "overridden": change.overridden,
                        "source": change.source,
                        "since": change.since.isoformat() if change.since else None,
                        "material": change.material,
                    }
                    for change in model.changes
                ],
            }
            for model in report.models
        ],
    }
