"""The capacity engine, pure: a stub's properties → a `CapacityReport`.

`build_report` reads the numbers (`capacity_inputs.read_inputs`), works out traffic,
storage, bandwidth, cache and servers, then the SLA, growth and cost, and
records every step of the working, every default used and every problem.
Unknown inputs give unknown figures (None), never an exception.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable, Mapping

from vault_tools.capacity.assumptions import LIMIT_RULES, Assumptions, default_assumptions
from vault_tools.capacity.inputs import Inputs, Insight, Step, read_inputs
from vault_tools.capacity.cost import CostInputs, CostReport, estimate, loads
from vault_tools.capacity.prices import PriceTable, default_prices
from vault_tools.capacity.growth import Growth, LimitCheck, project
from vault_tools.problems import Problem
from vault_tools.capacity.sla import Sla, service_level
from vault_tools.capacity.quantity import DAY
from vault_tools.capacity.show import commas, human_bytes, human_count, human_percent, human_rate, significant


@dataclass(frozen=True)
class Traffic:
    """Requests per second, average and peak (None: unknown)."""

    dau: float | None
    writes: float | None
    reads: float | None
    peak_writes: float | None
    peak_reads: float | None

    @property
    def peak_total(self) -> float | None:
        if self.peak_writes is None and self.peak_reads is None:
            return None
        return (self.peak_writes or 0.0) + (self.peak_reads or 0.0)

    @property
    def read_write_ratio(self) -> float | None:
        if self.reads is None or not self.writes:
            return None
        return self.reads / self.writes


@dataclass(frozen=True)
class Storage:
    """Bytes stored: raw unless named replicated; media is part of every figure."""

    text_per_day: float | None
    media_per_day: float | None
    per_day: float | None
    per_month: float | None
    per_year: float | None
    total: float | None
    total_replicated: float | None
    hot: float | None
    cold: float | None
    text_total: float | None
    media_total: float | None
    hot_days: float = 30.0  # the hot window, from the engine assumptions
    retention_days: float | None = None

    @property
    def keeps_a_year(self) -> bool:
        """Whether more than a year is kept, so that a year's bytes mean something."""
        return self.retention_days is not None and self.retention_days > 365


@dataclass(frozen=True)
class Bandwidth:
    """Bytes per second in (writes) and out (reads), average and peak."""

    ingress: float | None
    egress: float | None
    peak_ingress: float | None
    peak_egress: float | None
    media_egress: float | None = None  # the media part of `egress`


@dataclass(frozen=True)
class CapacityReport:
    """Every figure of one topic, how it was worked out, and what was assumed."""

    topic: str
    inputs: Inputs
    traffic: Traffic
    storage: Storage
    bandwidth: Bandwidth
    cache_bytes: float | None
    instances: int | None
    sla: Sla
    growth: Growth
    cost: CostReport
    steps: list[Step] = field(default_factory=list)
    insights: list[Insight] = field(default_factory=list)
    capacity_assumptions: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # A problem's own estimates size its stores: the generic storage split
    # (database replicas, hot/cold by age) is left to them.
    own_estimates: bool = False

    @property
    def assumptions(self) -> list[str]:
        """Every default and rule used: capacity, SLA, growth, then cost."""
        return [*self.capacity_assumptions, *self.sla.assumptions, *self.growth.assumptions,
                *self.cost.assumptions]

    def to_json(self) -> dict:
        """The `capacity --json` object: base units (per second, bytes, USD)."""
        t, s, b = self.traffic, self.storage, self.bandwidth
        return {
            "topic": self.topic, "cloud": self.inputs.cloud, "dau": t.dau,
            "writes_per_second": t.writes, "reads_per_second": t.reads,
            "peak_writes_per_second": t.peak_writes, "peak_reads_per_second": t.peak_reads,
            "read_write_ratio": t.read_write_ratio,
            "storage_bytes_per_day": s.per_day, "storage_bytes_per_month": s.per_month,
            "storage_bytes_per_year": s.per_year, "storage_bytes_total": s.total,
            "storage_bytes_total_replicated": s.total_replicated,
            "storage_media_bytes_per_day": s.media_per_day, "storage_media_bytes_total": s.media_total,
            "storage_bytes_hot": s.hot, "storage_bytes_cold": s.cold,
            "ingress_bytes_per_second": b.ingress, "egress_bytes_per_second": b.egress,
            "peak_ingress_bytes_per_second": b.peak_ingress, "peak_egress_bytes_per_second": b.peak_egress,
            "cache_bytes": self.cache_bytes, "instances": self.instances,
            "monthly_cost_usd": self.cost.to_json(),
            "cost_lines": [{"key": line.key, "label": line.label, "usd": line.usd, "formula": line.formula}
                           for line in self.cost.lines],
            **self.sla.to_json(), "growth": self.growth.to_json(),
            "assumptions": list(self.assumptions),
            "problems": [problem.to_json() for problem in self.problems],
        }


def build_report(props: Mapping[str, object], topic: str, prices: PriceTable | None = None,
                 roles: tuple[str, ...] | None = None,
                 latency_split: tuple[tuple[str, float], ...] | None = None,
                 rules: Assumptions | None = None, own_estimates: bool = False) -> CapacityReport:
    """Work out the capacity, SLA, growth and monthly cost of one topic.

    `props` has kebab-case keys as the YAML loader gave them. Never raises
    on a property value: unreadable ones become Problems (path None) and
    their figures unknown or defaulted, and every default is an assumption.
    `prices` None means the price table shipped with the package; `roles`
    are what the components do, from the catalog (see `read_inputs`);
    `latency_split` the hops of the main request and their shares of p99;
    `rules` the vault's engine assumptions (None: the shipped ones);
    `own_estimates` a problem that sizes its stores itself and has its own
    10×/100× table: no generic replicas, hot/cold split, limits, users or
    storage-stock projection, and no generic advice.
    """
    rules = default_assumptions() if rules is None else rules
    inputs, working = read_inputs(props, roles)
    steps = list(working.steps)
    traffic = _traffic(inputs, steps)
    storage = _storage(inputs, traffic, steps, rules, own_estimates)
    bandwidth = _bandwidth(inputs, traffic, steps)
    cache = _cache(inputs, traffic, steps)
    instances = _instances(inputs, traffic, steps, rules)
    sla = service_level(inputs, traffic.writes, traffic.reads, latency_split or rules.split,
                        default_split=not latency_split)
    cost_inputs = _cost_inputs(inputs, traffic, storage, bandwidth, cache, instances, rules)
    figures = {**_figures(traffic, storage, bandwidth, cache, inputs), **loads(cost_inputs, inputs.peak_factor)}
    growth = project(inputs.growth, figures, _instances_at(inputs, rules),
                     [] if own_estimates else _limits(inputs, rules), rules["people-online"], inputs.labels,
                     ("cache_bytes",) if inputs.cache_size is not None else (),
                     ("dau", "storage_total") if own_estimates else ())
    cost = estimate(cost_inputs, default_prices() if prices is None else prices)
    assumptions = [*working.assumptions, *_fixed_assumptions(inputs, traffic, rules, own_estimates)]
    insights = [i for i in _insights(traffic, storage, growth, rules) if not (own_estimates and i.about)]
    return CapacityReport(topic, inputs, traffic, storage, bandwidth, cache, instances, sla, growth, cost,
                          steps, insights, assumptions, [*working.problems, *cost.problems], own_estimates)


def _times(value: float | None, factor: float) -> float | None:
    return None if value is None else value * factor


def _traffic(inputs: Inputs, steps: list[Step]) -> Traffic:
    factor = inputs.peak_factor
    peak_writes, peak_reads = _times(inputs.writes, factor), _times(inputs.reads, factor)
    for label, average, peak in (("Peak writes", inputs.writes, peak_writes),
                                 ("Peak reads", inputs.reads, peak_reads)):
        if average is not None:
            working = f"{human_rate(average)} × {significant(factor)} (peak-factor) ≈ {human_rate(peak)}"
            steps.append(Step(label, working))
    return Traffic(inputs.dau, inputs.writes, inputs.reads, peak_writes, peak_reads)


def _storage(inputs: Inputs, traffic: Traffic, steps: list[Step], rules: Assumptions,
             own_estimates: bool = False) -> Storage:
    if traffic.writes is None:
        return Storage(*([None] * 11), hot_days=rules['hot-days'] / DAY)
    writes_per_day = traffic.writes * DAY
    text = writes_per_day * inputs.write_size
    media = writes_per_day * inputs.media_share * inputs.media_size
    per_day = text + media
    days = inputs.retention / DAY
    total = per_day * days
    hot = per_day * min(days, rules['hot-days'] / DAY)
    # The database keeps `replication` copies of the text it holds (db-retention's window, else all);
    # an object store's price covers its own copies, the archived rows' too.
    db_days = days if inputs.db_retention is None else min(days, inputs.db_retention / DAY)
    replicated = text * db_days * inputs.replication + text * (days - db_days) + media * days
    storage = Storage(text, media, per_day, per_day * 30, per_day * 365, total, replicated,
                      hot, total - hot, text * days, media * days, rules['hot-days'] / DAY, days)
    steps += _storage_steps(inputs, writes_per_day, storage, days, own_estimates)
    return storage


def _storage_steps(inputs: Inputs, writes_per_day: float, storage: Storage, days: float,
                   own_estimates: bool) -> list[Step]:
    writes, per_day = human_count(writes_per_day), human_bytes(storage.per_day)
    text = human_bytes(storage.text_per_day)
    steps = [Step("Writes per day", f"{human_rate(inputs.writes)} × 86,400 s ≈ {writes}"),
             Step("Text per day", f"{writes} × {human_bytes(inputs.write_size)} ≈ {text}")]
    if inputs.media_share:
        media = human_bytes(storage.media_per_day)
        steps += [Step("Media per day", f"{writes} × {human_percent(inputs.media_share)} × "
                                        f"{human_bytes(inputs.media_size)} ≈ {media}"),
                  Step("Storage per day", f"{text} + {media} ≈ {per_day}")]
    replicas = significant(inputs.replication)
    kept = "" if inputs.db_retention is None or inputs.db_retention >= days * DAY else \
        f" ({_days(inputs.db_retention / DAY)} days of it; older rows once in object storage)"
    copies = (f"text{kept} × {replicas} database replicas + media once (the storage price covers its copies) "
              if inputs.media_share else f"× {replicas} database replicas{kept} ")
    yearly = [Step("Storage per year", f"{per_day} × 365 ≈ {human_bytes(storage.per_year)}")] \
        if storage.keeps_a_year else []
    return steps + yearly + [
        Step("Over retention", f"{per_day} × {_days(days)} days ≈ {human_bytes(storage.total)}"
                               + ("" if own_estimates else f"; {copies}≈ {human_bytes(storage.total_replicated)}")),
    ]


def _days(days: float) -> str:
    return commas(days) if float(days).is_integer() else significant(days)


def _bandwidth(inputs: Inputs, traffic: Traffic, steps: list[Step]) -> Bandwidth:
    """Each write carries write-size and each read returns read-size; the
    media share of writes also uploads media-size, and of reads downloads
    media-read-size (a rendition or thumbnail; default the original)."""
    media_in = inputs.media_share * inputs.media_size
    media_out = inputs.media_share * inputs.media_read_size
    ingress = _times(traffic.writes, inputs.write_size + media_in)
    egress = _times(traffic.reads, inputs.read_size + media_out)
    size_in, size_out = human_bytes(inputs.write_size), human_bytes(inputs.read_size)
    if media_in:
        size_in = f"({size_in} + {human_percent(inputs.media_share)} × {human_bytes(inputs.media_size)})"
        size_out = f"({size_out} + {human_percent(inputs.media_share)} × {human_bytes(inputs.media_read_size)})"
    if ingress is not None:
        steps.append(Step("Ingress", f"{human_rate(traffic.writes)} × {size_in} ≈ {human_bytes(ingress)}/s"))
    if egress is not None:
        steps.append(Step("Egress", f"{human_rate(traffic.reads)} × {size_out} ≈ {human_bytes(egress)}/s"))
    return Bandwidth(ingress, egress, _times(ingress, inputs.peak_factor), _times(egress, inputs.peak_factor),
                     _times(traffic.reads, media_out))


def _cache(inputs: Inputs, traffic: Traffic, steps: list[Step]) -> float | None:
    """cache-size when given (the hot state's own size); else cache-hot share
    of one day's reads × read-size (media stays in the CDN)."""
    if inputs.cache_size is not None:
        steps.append(Step("Cache", f"{human_bytes(inputs.cache_size)} (cache-size, given)"))
        return inputs.cache_size
    if traffic.reads is None:
        return None
    reads_per_day = traffic.reads * DAY
    cache = inputs.cache_hot * reads_per_day * inputs.read_size
    working = (f"{human_percent(inputs.cache_hot)} × {human_count(reads_per_day)} reads/day × "
               f"{human_bytes(inputs.read_size)} ≈ {human_bytes(cache)}")
    steps.append(Step("Cache", working))
    return cache


def _instances_at(inputs: Inputs, rules: Assumptions) -> Callable[[float | None], int | None]:
    """Instances for a peak: ceil(peak ÷ (server-rps × 70%)), at least 2."""
    def instances(peak: float | None) -> int | None:
        if peak is None:
            return None
        return max(int(rules['min-instances']), math.ceil(peak / (inputs.server_rps * rules['headroom'])))
    return instances


def _instances(inputs: Inputs, traffic: Traffic, steps: list[Step], rules: Assumptions) -> int | None:
    count = _instances_at(inputs, rules)(traffic.peak_total)
    if count is not None:
        working = (f"{human_rate(traffic.peak_total)} ÷ ({human_rate(inputs.server_rps)} × "
                   f"{rules['headroom']:.0%}) → {count:,} (at least {rules['min-instances']:g})")
        steps.append(Step(inputs.labels["instances"], working))
    return count


def _figures(traffic: Traffic, storage: Storage, bandwidth: Bandwidth, cache: float | None,
             inputs: Inputs) -> dict:
    db_writes = traffic.peak_writes if inputs.db_writes is None else inputs.db_writes * inputs.peak_factor
    # Which store these bound is `_limits`' business: a relational one only.
    return {"dau": traffic.dau, "peak_writes": traffic.peak_writes, "peak_reads": traffic.peak_reads,
            "peak_db_writes": db_writes, "peak_total": traffic.peak_total,
            "storage_per_year": storage.per_year if storage.keeps_a_year else None,
            "storage_total": storage.total, "db_bytes": _db_bytes(inputs, storage),
            "peak_egress": bandwidth.peak_egress, "cache_bytes": cache}


def _limits(inputs: Inputs, rules: Assumptions) -> list[LimitCheck]:
    """The note's limits that apply to this design: its parts, on its cloud
    (with no components named, a relational database and a cache)."""
    parts = inputs.components or ("sql", "cache")
    checks = []
    for key, rule in LIMIT_RULES.items():
        if rule.role in parts and rule.cloud in (None, inputs.cloud) and key in rules.rows:
            row = rules.row(key)
            checks.append(LimitCheck(rule.figure, row.meaning or key, rule.unit, row.value,
                                     row.remedy, row.source))
    return checks


def _db_bytes(inputs: Inputs, storage: Storage) -> float | None:
    """What the database keeps at steady state: db-writes × db-row-size (else
    every write's text) for `db-retention` (else the whole retention)."""
    per_day = _db_bytes_per_day(inputs, storage)
    return None if per_day is None else per_day * _db_days(inputs)


def _db_bytes_per_day(inputs: Inputs, storage: Storage) -> float | None:
    if inputs.db_writes is None:
        return storage.text_per_day
    return inputs.db_writes * DAY * inputs.db_row_size


def _db_days(inputs: Inputs) -> float:
    kept = inputs.retention if inputs.db_retention is None else min(inputs.db_retention, inputs.retention)
    return kept / DAY


def _moved_rows(inputs: Inputs, storage: Storage) -> float | None:
    """Rows older than `db-retention`, moved to object storage (None without it)."""
    per_day = _db_bytes_per_day(inputs, storage)
    if inputs.db_retention is None or per_day is None or inputs.db_retention >= inputs.retention:
        return None
    return per_day * (inputs.retention - inputs.db_retention) / DAY


def _cost_inputs(inputs: Inputs, traffic: Traffic, storage: Storage, bandwidth: Bandwidth,
                 cache: float | None, instances: int | None, rules: Assumptions) -> CostInputs:
    def peak(given: float | None, otherwise: float | None) -> float | None:
        return otherwise if given is None else given * inputs.peak_factor

    return CostInputs(inputs.cloud, inputs.components, storage.media_per_day, _db_bytes(inputs, storage),
                      inputs.retention / DAY, bandwidth.egress, instances, cache,
                      peak(inputs.db_reads, traffic.peak_reads), peak(inputs.db_writes, traffic.peak_writes),
                      traffic.writes if inputs.messages is None else inputs.messages, inputs.read_size,
                      inputs.write_size,
                      traffic.peak_writes if inputs.messages is None else inputs.messages * inputs.peak_factor,
                      None if traffic.reads is None and traffic.writes is None
                      else (traffic.reads or 0.0) + (traffic.writes or 0.0), inputs.cdn_hit,
                      None if inputs.archive_after is None else inputs.archive_after / DAY, inputs.gateway_calls,
                      inputs.db_row_size if inputs.db_writes is not None else None,
                      None if traffic.peak_writes is None else traffic.peak_writes * inputs.write_size,
                      bandwidth.media_egress, inputs.cdn_serves, rules,
                      None if inputs.db_retention is None else _db_days(inputs), _moved_rows(inputs, storage),
                      inputs.labels["instances"])


def _fixed_assumptions(inputs: Inputs, traffic: Traffic, rules: Assumptions, own_estimates: bool) -> list[str]:
    notes = ["day = 86,400 s; month = 30 days (2,592,000 s); year = 365 days; decimal units (1 KB = 1,000 B)",
             *([] if own_estimates else [f"hot storage = the last {rules['hot-days'] / DAY:g} days; the rest is cold"]),
             f"{inputs.instances_are} run at {rules['headroom']:.0%} of server-rps at peak, "
             f"at least {rules['min-instances']:g} for redundancy",
             *([] if inputs.cache_size is not None else
               ["cache holds read-size objects only" + ("; media is served from object storage / CDN"
                                                        if inputs.media_share else "")])]
    if inputs.media_share:
        notes.append("the media-share of writes and of reads also moves media-size (ingress and egress)")
    if traffic.reads is None and traffic.writes is not None:
        notes.append("reads unknown: no read, egress or cache figures; instances sized on writes only")
    return notes


def _insights(traffic: Traffic, storage: Storage, growth: Growth, rules: Assumptions) -> list[Insight]:
    insights = _ratio_insight(traffic.read_write_ratio, rules["read-heavy"])
    if storage.per_day and storage.media_per_day and storage.media_per_day / storage.per_day > 0.5:
        share = human_percent(round(storage.media_per_day / storage.per_day, 3))
        insights.append(Insight("tip", f"Media is {share} of storage → object storage + CDN; "
                                       "the database keeps only metadata", "media"))
    for limit in growth.limits:
        if limit.exceeded:
            insights.append(Insight("warning", f"{limit.label} already exceeded: {limit.shown_now} > "
                                               f"{limit.shown_limit} → {limit.remedy}", "limit"))
    return insights


def _ratio_insight(ratio: float | None, read_heavy: float) -> list[Insight]:
    if ratio is None or 1 < ratio < read_heavy:
        return []
    if ratio >= read_heavy:
        return [Insight("important", f"Read-heavy {significant(ratio)}:1 → cache first, read replicas, "
                                     "CDN for static and media reads", "ratio")]
    writes_per_read = significant(1 / ratio) if ratio else "∞"
    return [Insight("important", f"Write-heavy (1:{writes_per_read} read:write) → append-only storage, "
                                 "partition by key, a queue to absorb peaks", "ratio")]
