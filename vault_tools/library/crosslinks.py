"""Cross-topic live blocks of the library notes, pure: a function of the
library note and the facts of every topic."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from vault_tools.facts import TopicFacts
from vault_tools.library.notes import CAPACITY, DEEP_DIVE, TRADE_OFF, LibraryNote
from vault_tools.links import LinkStyle, Resolver
from vault_tools.generators import cell, table
from vault_tools.capacity.show import human_bytes, human_count, human_money, human_rate

_NONE = "—"


class Crosslinks:
    """Renders the `used-by`, `capacity-table` and `figures` blocks."""

    def __init__(self, facts: Iterable[TopicFacts], resolver: Resolver, style: LinkStyle):
        self.facts = sorted(facts, key=lambda f: (f.name.lower(), f.path))
        self.resolver = resolver
        self.style = style

    def generator(self, note: LibraryNote) -> Callable[[str], str | None]:
        def generate(name: str) -> str | None:
            if name == "used-by" and note.kind in (TRADE_OFF, DEEP_DIVE):
                return self._trade_off(note) if note.kind == TRADE_OFF else self._deep_dive(note)
            if name == "capacity-table" and note.kind == CAPACITY:
                return self._capacity_table(note)
            if name == "figures" and note.kind == CAPACITY:
                return self._figures(note)
            return None

        return generate

    def _link(self, facts: TopicFacts, source: str) -> str:
        return cell(self.style.link(facts.path, source, self.resolver, facts.name))

    def _trade_off(self, note: LibraryNote) -> str:
        rows = []
        for facts in self.facts:
            mine = [row for row in facts.rows if row.path == note.path]
            for row in mine:
                rows.append([self._link(facts, note.path), cell(row.choice) or _NONE, cell(row.why) or _NONE])
            if not mine and note.path in facts.links:
                rows.append([self._link(facts, note.path), _NONE, "linked, not in its trade-off table"])
        if not rows:
            return "> [!note] No topic cites this trade-off yet.\n"
        return table(["Topic", "Choice", "Why"], rows)

    def _deep_dive(self, note: LibraryNote) -> str:
        users = [facts for facts in self.facts if note.path in facts.links]
        if not users:
            return "> [!note] No topic uses this deep dive yet.\n"
        return "".join(f"- {self.style.link(f.path, note.path, self.resolver, f.name)}\n" for f in users)

    def _capacity_table(self, note: LibraryNote) -> str:
        rows = []
        for facts in self.facts:
            f = facts.figure
            rows.append([self._link(facts, note.path), human_count(f.get("dau")),
                         f"{_rate(f, 'writes_per_second')} / {_rate(f, 'peak_writes_per_second')}",
                         f"{_rate(f, 'reads_per_second')} / {_rate(f, 'peak_reads_per_second')}",
                         human_bytes(f.get("storage_bytes_per_year")), human_bytes(f.get("storage_bytes_total")),
                         f"{_bandwidth(f, 'ingress_bytes_per_second')} / {_bandwidth(f, 'egress_bytes_per_second')}",
                         human_bytes(f.get("cache_bytes")), _plain(f.get("instances")),
                         human_money(f.get("monthly_cost_usd_total"))])
        if not rows:
            return "> [!note] No topics yet.\n"
        header = ["Topic", "DAU", "Writes/s avg / peak", "Reads/s avg / peak", "Storage / year", "Storage total",
                  "In / out", "Cache", "Instances", "Cost / month"]
        return table(header, rows)

    def _figures(self, note: LibraryNote) -> str | None:
        if note.figures not in _FIGURES:
            return (f"> [!warning] Say which figures this note shows: `figures:` in its properties, one of "
                    f"{', '.join(_FIGURES)}" + (f" (found `{note.figures}`)" if note.figures else "") + "\n")
        header, columns = _FIGURES[note.figures]
        rows = [[self._link(facts, note.path)] + [show(facts.figure) for show in columns] for facts in self.facts]
        if not rows:
            return "> [!note] No topics yet.\n"
        return table(["Topic", *header], rows)


def _rate(figures: dict, key: str) -> str:
    return human_rate(figures.get(key)).removesuffix("/s")


def _bandwidth(figures: dict, key: str) -> str:
    value = figures.get(key)
    return f"{human_bytes(value)}/s" if value is not None else _NONE


def _plain(value: object) -> str:
    return _NONE if value is None else f"{value:,}" if isinstance(value, int) else str(value)


_FIGURES: dict[str, tuple[list[str], list[Callable[[dict], str]]]] = {
    "qps": (["Writes/s avg", "Writes/s peak", "Reads/s avg", "Reads/s peak"],
            [lambda f, k=k: _rate(f, k) for k in ("writes_per_second", "peak_writes_per_second",
                                                   "reads_per_second", "peak_reads_per_second")]),
    "storage": (["Per day", "Per year", "Total (raw)", "Total (replicated)"],
                [lambda f, k=k: human_bytes(f.get(k)) for k in ("storage_bytes_per_day", "storage_bytes_per_year",
                                                                "storage_bytes_total",
                                                                "storage_bytes_total_replicated")]),
    "bandwidth": (["Ingress", "Egress"],
                  [lambda f, k=k: _bandwidth(f, k) for k in ("ingress_bytes_per_second", "egress_bytes_per_second")]),
    "cache": (["Cache memory", "Reads/s peak"],
              [lambda f: human_bytes(f.get("cache_bytes")), lambda f: _rate(f, "peak_reads_per_second")]),
    "cost": (["Monthly total", "Instances"],
             [lambda f: human_money(f.get("monthly_cost_usd_total")), lambda f: _plain(f.get("instances"))]),
}
