"""The drift report's JSON form (`ai-model-sync drift --json`): plain JSON, GraphQL's names."""

from __future__ import annotations

import json

from catalog.drift import compare
from catalog.drift_json import as_json
from storage.records import StoredModel
from tests.drift._data import CAPTURED, O3, live


def test_json_form(scenario: list[StoredModel]) -> None:
    document = as_json(compare(scenario, live(), now=CAPTURED))
    json.dumps(document)  # plain JSON, no Decimal or datetime left
    assert {key: document[key] for key in ("total", "changed", "missing", "activeMissing")} == {
        "total": 6,
        "changed": 3,
        "missing": 2,
        "activeMissing": 1,
    }
    o3 = next(m for m in document["models"] if m["modelId"] == O3)
    prices = [c for c in o3["changes"] if c["field"] in ("INPUT_PRICE", "OUTPUT_PRICE")]
    assert prices == [
        {
            "field": "INPUT_PRICE",
            "old": "10",
            "new": "2",
            "overridden": False,
            "source": "pricing.prompt",
            "since": None,
            "material": True,
        },
        {
            "field": "OUTPUT_PRICE",
            "old": "40",
            "new": "8",
            "overridden": False,
            "source": "pricing.completion",
            "since": None,
            "material": True,
        },
    ]
    caps = next(c for c in o3["changes"] if c["field"] == "CAPABILITIES")
    assert caps["new"] == ["CHAT", "CONTENT", "REASONING", "TOOLS", "VISION"]
