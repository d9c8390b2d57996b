"""The engine's rules and limits: the vault note `Capacity/Engine Assumptions.md`,
tables a person edits like the price note.

Rows are `| key | value | … |`, read like a stub's properties. The note
shipped with the package holds every value; a vault's note overrides the rows
it has, and a row that does not read is a Problem naming its key (the shipped
value is used). Python knows only what each key is (how to read it, which
figure a limit bounds), never the numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable

from vault_tools.capacity.prices import table_rows
from vault_tools.capacity.quantity import (
    BYTES, BYTES_PER_SECOND, COUNT, RATE, Reading, read_count, read_duration, read_fraction, read_rate, read_ratio, read_size,
)
from vault_tools.problems import Kind, Problem
from vault_tools.template import package_template

ASSUMPTIONS_NOTE = "Capacity/Engine Assumptions.md"

# Each key and how its value reads.
_READERS: dict[str, Callable[[str, object], Reading]] = {
    "headroom": read_fraction, "min-instances": read_count, "hot-days": read_duration,
    "read-heavy": read_ratio, "queries-per-vcore": read_rate,
    "cosmos-ru-per-kb-read": read_count, "cosmos-ru-per-kb-write": read_count, "cosmos-min-ru": read_count,
    "dynamodb-write-unit": read_size, "dynamodb-read-unit": read_size,
    "stream-unit-events": read_rate, "stream-unit-bytes": read_size, "people-online": read_count,
    "sql-primary-writes": read_rate, "sql-disk": read_size, "cosmos-container-ru": read_count,
    "cosmos-partition-ru": read_count, "cosmos-partition-size": read_size,
    "dynamodb-table-wcu": read_count, "dynamodb-table-rcu": read_count, "dynamodb-partition-wcu": read_count,
    "redis-shard-memory": read_size, "redis-shard-ops": read_rate, "redis-premium-shards": read_count,
    "stream-partition-bytes": read_size, "event-hubs-standard-units": read_count,
    "apim-unit-calls": read_rate, "aws-gateway-calls": read_rate,
}


@dataclass(frozen=True)
class LimitRule:
    """A limit the growth table checks: the figure it bounds, when it applies."""

    figure: str  # a key of the engine's figures, e.g. "peak_db_writes"
    unit: str
    role: str  # the design must have this part ("sql", "nosql", "cache", "stream", "gateway")
    cloud: str | None = None  # None: either cloud


# Which figure each limit bounds. Label, value, remedy and source are the note's.
LIMIT_RULES = {
    "sql-primary-writes": LimitRule("peak_db_writes", RATE, "sql"),
    "sql-disk": LimitRule("db_bytes", BYTES, "sql"),
    "cosmos-container-ru": LimitRule("peak_rus", COUNT, "nosql", "azure"),
    "dynamodb-table-wcu": LimitRule("peak_wcu", COUNT, "nosql", "aws"),
    "dynamodb-table-rcu": LimitRule("peak_rcu", COUNT, "nosql", "aws"),
    "redis-shard-memory": LimitRule("cache_bytes", BYTES, "cache"),
    "redis-shard-ops": LimitRule("peak_reads", RATE, "cache"),
    "stream-partition-bytes": LimitRule("peak_stream_bytes", BYTES_PER_SECOND, "stream"),
    "event-hubs-standard-units": LimitRule("stream_units", COUNT, "stream", "azure"),
    "apim-unit-calls": LimitRule("peak_gateway_calls", RATE, "gateway", "azure"),
    "aws-gateway-calls": LimitRule("peak_gateway_calls", RATE, "gateway", "aws"),
}


@dataclass(frozen=True)
class Row:
    """One row of the note: the value read, and the words around it."""

    key: str
    value: float
    text: str
    meaning: str = ""  # "What it means" or, for a limit, "What breaks"
    remedy: str = ""
    source: str = ""


@dataclass(frozen=True)
class Assumptions:
    """Every rule and limit by key, and the default latency split."""

    rows: dict[str, Row]
    split: tuple[tuple[str, float], ...] = ()
    problems: list[Problem] = field(default_factory=list, compare=False)

    def __getitem__(self, key: str) -> float:
        return self.rows[key].value

    def row(self, key: str) -> Row:
        return self.rows[key]


def parse_assumptions(text: str, fallback: Assumptions | None = None) -> Assumptions:
    """The note's rows over `fallback`'s (the shipped note's when None); a row
    whose key is unknown or whose value does not read is a Problem and is skipped."""
    base = default_assumptions() if fallback is None else fallback
    rows, problems = dict(base.rows), []
    split: list[tuple[str, float]] = []
    for header, body in table_rows(text):
        names = [_name(cell) for cell in header]
        if names and names[0] == "hop":
            split += _split_rows(names, body, problems)
        elif names and names[0] == "key":
            for number, cells in body:
                row = _row(names, cells, number, problems)
                if row is not None:
                    rows[row.key] = _words_kept(row, rows.get(row.key))
    if split and not _adds_up(split):
        total = sum(share for _, share in split)
        problems.append(_problem(f"the latency shares add up to {total:.0%}, not 100%; the shipped split is used",
                                 None, "e.g. | Service logic | 30% | why |"))
        split = []
    return Assumptions(rows, tuple(split) or base.split, problems)


def read_split(rows: list[dict[str, str]]) -> tuple[tuple[str, float], ...]:
    """`| Hop | Share |` rows (header → cell) → (hop, fraction); () unless
    every share reads and they sum to 100%."""
    split = []
    for row in rows:
        share = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*%\s*", row.get("share", ""))
        if not row.get("hop") or share is None:
            return ()
        split.append((row["hop"].strip(), float(share[1]) / 100))
    return tuple(split) if split and _adds_up(split) else ()


def _adds_up(split: list[tuple[str, float]]) -> bool:
    """Whether the shares make the whole budget (to half a percent)."""
    return abs(sum(share for _, share in split) - 1) < 0.005


def default_assumptions() -> Assumptions:
    """The assumptions shipped with the package."""
    return _shipped()


@lru_cache(maxsize=1)
def _shipped() -> Assumptions:
    path = package_template() / ASSUMPTIONS_NOTE
    text = path.read_text(encoding="utf-8-sig") if path.is_file() else ""
    return parse_assumptions(text, Assumptions({}))


def _name(cell: str) -> str:
    return cell.replace("*", "").strip().lower()


def _row(names: list[str], cells: list[str], number: int, problems: list[Problem]) -> Row | None:
    cell = dict(zip(names, cells))
    key = cell.get("key", "").strip("` ").lower()
    raw = cell.get("value", cell.get("limit", "")).strip("` ")
    if key not in _READERS:
        problems.append(_problem(f"line {number}: `{key}` is not a key the engine knows; the row is skipped",
                                 key or None, "keys: " + ", ".join(sorted(_READERS))))
        return None
    reading = _READERS[key](key, raw)
    value = getattr(reading, "value", None)
    if value is None:
        problems.append(_problem(f'line {number}: `{key}` has "{raw}", which does not read as a number; '
                                 "the shipped value is used", key, _example(key)))
        return None
    return Row(key, value, raw, cell.get("what it means", cell.get("what breaks", "")),
               cell.get("remedy", ""), cell.get("source", ""))


def _words_kept(row: Row, before: Row | None) -> Row:
    """A row that leaves a word cell empty keeps the shipped row's words."""
    if before is None:
        return row
    return Row(row.key, row.value, row.text, row.meaning or before.meaning, row.remedy or before.remedy,
               row.source or before.source)


def _split_rows(names: list[str], body: list[tuple[int, list[str]]],
                problems: list[Problem]) -> list[tuple[str, float]]:
    found = []
    for number, cells in body:
        cell = dict(zip(names, cells))
        share = read_fraction("share", cell.get("share", ""))
        if not cell.get("hop") or getattr(share, "value", None) is None:
            problems.append(_problem(f"line {number}: a latency hop needs a name and a share like 30%",
                                     None, "e.g. | Service logic | 30% | why |"))
            continue
        found.append((cell["hop"].strip(), share.value))
    return found


def _example(key: str) -> str:
    shipped = _shipped().rows.get(key)
    return f"e.g. | `{key}` | {shipped.text} | … |" if shipped else f"e.g. | `{key}` | 10 | … |"


def _problem(message: str, key: str | None, hint: str) -> Problem:
    return Problem(message, ASSUMPTIONS_NOTE, key, hint, Kind.PRICES)
