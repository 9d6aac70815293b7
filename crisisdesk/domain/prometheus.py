"""Prometheus' text exposition format (version 0.0.4), for the /metrics endpoint.

https://prometheus.io/docs/instrumenting/exposition_formats/ : one HELP and one TYPE line per metric
family, then one sample per line; label values escape backslash, double quote and newline.
"""
from dataclasses import dataclass, field

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
METRIC_TYPES = ("gauge", "counter")


@dataclass(frozen=True)
class Family:
    name: str
    kind: str  # one of METRIC_TYPES
    help: str
    samples: list = field(default_factory=list)  # [(labels dict, value)]


def render(families):
    """The exposition text of `families`, in order; a family with no samples still says what it is."""
    lines = []
    for family in families:
        if family.kind not in METRIC_TYPES:
            raise ValueError(f"unknown metric type {family.kind!r}")
        lines.append(f"# HELP {family.name} {_escape_help(family.help)}")
        lines.append(f"# TYPE {family.name} {family.kind}")
        for labels, value in family.samples:
            lines.append(f"{family.name}{_labels(labels)} {_number(value)}")
    return "\n".join(lines) + "\n"


def _labels(labels):
    if not labels:
        return ""
    return "{" + ",".join(f'{key}="{_escape_label(str(value))}"' for key, value in sorted(labels.items())) + "}"


def _escape_label(value):
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _escape_help(text):
    return text.replace("\\", "\\\\").replace("\n", "\\n")


def _number(value):
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    return repr(float(value))
