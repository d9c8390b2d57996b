"""What goes inside generated text: live block and one-off generators.

A generator is a pure function of a `Topic` (the note, its properties and the
vault's settings) returning Markdown with `\\n` line endings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from vault_tools.note import Note
from vault_tools.settings import Settings

# The properties shown in the overview, in this order, with their labels.
_OVERVIEW = (
    ("cloud", "Cloud"), ("dau", "Daily active users"), ("mau", "Monthly active users"),
    ("daily-active", "Daily active share"), ("writes", "Writes"), ("reads", "Reads"),
    ("read-write-ratio", "Read:write"), ("write-size", "Write size"), ("read-size", "Read size"),
    ("media-share", "Media share"), ("media-size", "Media size"), ("retention", "Retention"),
    ("availability", "Availability"), ("latency-p99", "Latency p99"), ("growth", "Growth"),
    ("components", "Components"), ("deep-dives", "Deep dives"), ("trade-offs", "Trade-offs"),
)


@dataclass(frozen=True)
class Topic:
    """Everything a generator may read about one topic note."""

    note: Note
    settings: Settings

    @property
    def name(self) -> str:
        return self.note.topic

    @property
    def props(self) -> dict:
        return self.note.props

    def prop_list(self, key: str) -> list[str]:
        """A list property (`[a, b]` or `a, b`) as clean strings."""
        value = self.props.get(key)
        items = value if isinstance(value, list) else str(value).split(",") if value else []
        return [str(item).strip() for item in items if str(item).strip()]


def cell(value: object) -> str:
    """A value as one Markdown table cell (pipes and newlines escaped)."""
    if isinstance(value, list):
        value = ", ".join(str(item) for item in value)
    return str(value).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").strip()


def overview(topic: Topic) -> str:
    cloud = topic.props.get("cloud") or topic.settings.cloud
    rows = [("Topic", topic.name), ("Cloud", f"{cloud}" + ("" if "cloud" in topic.props else " (default)"))]
    rows += [(label, topic.props[key]) for key, label in _OVERVIEW[1:] if topic.props.get(key) not in (None, "")]
    lines = ["| Property | Value |", "|---|---|"]
    lines += [f"| {label} | {cell(value)} |" for label, value in rows]
    return "\n".join(lines) + "\n"


def link_target(item: str) -> str:
    """`[[SQL vs NoSQL|alias]]` or `sql-vs-nosql` → the name to link to."""
    item = item.strip()
    if item.startswith("[[") and item.endswith("]]"):
        item = item[2:-2]
    return item.split("|")[0].split("#")[0].strip()


def trade_off_table(topic: Topic) -> str:
    lines = ["| Decision | Options | Choice | Why |", "|---|---|---|---|"]
    names = [link_target(item) for item in topic.prop_list("trade-offs")]
    lines += [f"| [[{cell(name)}]] | see the note | | |" for name in names if name]
    if not names:
        lines.append("| | | | |")
    return "\n".join(lines) + "\n"


Generator = Callable[[Topic], str]

LIVE: dict[str, Generator] = {"overview": overview}
ONCE: dict[str, Generator] = {"trade-offs": trade_off_table}


def generator_for(topic: Topic, table: dict[str, Generator]) -> Callable[[str], str | None]:
    """name → generated text, or None for a name this version does not know."""

    def generate(name: str) -> str | None:
        make = table.get(name)
        return make(topic) if make else None

    return generate
