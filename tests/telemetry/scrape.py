"""Reading a Prometheus exposition the way Prometheus does (prometheus-client's parser)."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families


def value(text: str, name: str, **labels: str) -> float:
    """The sum of the samples called `name` whose labels include `labels` (0 when none)."""
    total = 0.0
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and labels.items() <= sample.labels.items():
                total += sample.value
    return total


def label_values(text: str) -> set[str]:
    """Every label value of every sample: what a canary must not be among."""
    return {
        str(item)
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        for item in sample.labels.values()
    }
