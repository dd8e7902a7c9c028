"""An audit-log entry as the CLI prints it: one line of text, or one JSON object."""

from __future__ import annotations

from typing import Any

from storage.records.activity import AuditRecord

_SHOWN_MODELS = 3


def audit_json(record: AuditRecord) -> dict[str, Any]:
    return {
        "id": record.id,
        "at": record.at.isoformat(),
        "actor": record.actor,
        "via": record.via,
        "requestId": record.request_id,
        "operation": record.operation,
        "provider": record.provider,
        "modelIds": list(record.model_ids),
        "changes": [
            {"modelId": c.model, "field": c.field, "before": c.before, "after": c.after}
            for c in record.changes
        ],
        "details": dict(record.details),
    }


def audit_line(record: AuditRecord) -> str:
    """`when  actor  operation  provider  models  changes`, tab-separated."""
    models = ", ".join(record.model_ids[:_SHOWN_MODELS])
    if len(record.model_ids) > _SHOWN_MODELS:
        models += f" (+{len(record.model_ids) - _SHOWN_MODELS} more)"
    changed = "; ".join(
        f"{f'{c.model} ' if c.model else ''}{c.field}: {c.before or '(none)'} -> "
        f"{c.after or '(none)'}"
        for c in record.changes[:5]
    )
    if len(record.changes) > 5:
        changed += f"; (+{len(record.changes) - 5} more)"
    return "\t".join(
        [
            f"{record.at:%Y-%m-%d %H:%M:%S} UTC",
            record.actor,
            record.operation,
            record.provider or "-",
            models or "-",
            changed or "-",
        ]
    )
