"""The database holds only what admins chose: provider instances, saved models, API tokens,
curation, what watching keeps, and the audit log of every change to them. Live model lists
are never written here; they live in the cache.

The one Tortoise models module (`storage.database.MODELS_MODULE`): its tables are defined by
domain in the modules beside this one, and Tortoise finds them all among this module's names.
"""

from storage.models.access import ApiToken, AuditEntry, AuditModel
from storage.models.curation import ProbeResult, Slot, SlotModel
from storage.models.providers import Provider, SavedModel
from storage.models.watching import (
    CatalogChange,
    Lease,
    ListSeen,
    SyncRun,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)

__all__ = [
    "ApiToken",
    "AuditEntry",
    "AuditModel",
    "CatalogChange",
    "Lease",
    "ListSeen",
    "ProbeResult",
    "Provider",
    "SavedModel",
    "Slot",
    "SlotModel",
    "SyncRun",
    "WebhookDelivery",
    "WebhookEndpoint",
    "WebhookEvent",
]
