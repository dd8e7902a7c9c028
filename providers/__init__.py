"""Provider kinds: adding `providers/<kind>.py` with a `SPEC` and a pure `parse_models` is all
it takes (`discover` finds it). This package knows upstream APIs and nothing of storage or
GraphQL; what other layers use of it is named here.
"""

from providers._convert import normalize
from providers._generation import (
    ProbeOutcome,
    ProbeRequest,
    probe_capability,
    probe_request,
    send_probe,
)
from providers._http import Endpoint, FetchOptions, fetch_models
from providers._registry import Registry, discover
from providers._spec import (
    Capability,
    Disagreement,
    ModelRecord,
    PricePoint,
    PriceTier,
    ProviderSpec,
    UnitPrice,
)

__all__ = [
    "Capability",
    "Disagreement",
    "Endpoint",
    "FetchOptions",
    "ModelRecord",
    "PricePoint",
    "PriceTier",
    "ProbeOutcome",
    "ProbeRequest",
    "ProviderSpec",
    "Registry",
    "UnitPrice",
    "discover",
    "fetch_models",
    "normalize",
    "probe_capability",
    "probe_request",
    "send_probe",
]
