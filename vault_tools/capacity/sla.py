"""Availability and latency targets → downtime, error budget, latency budget."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from vault_tools.capacity.inputs import Inputs, Insight
from vault_tools.capacity.quantity import MONTH, YEAR
from vault_tools.capacity.show import human_count, human_duration, human_percent

CROSS_CONTINENT_ROUND_TRIP = 0.150  # s, CA → Netherlands → CA ("latency numbers")
IN_DATACENTER_ROUND_TRIP = 0.0005  # s


@dataclass(frozen=True)
class Hop:
    """One hop's share of the latency budget."""

    name: str
    share: float
    seconds: float


@dataclass(frozen=True)
class Sla:
    """Downtime and errors allowed by `availability`; the p99 budget per hop.
    Durations in seconds; None where the target is not given."""

    availability: float | None
    downtime_per_month: float | None
    downtime_per_year: float | None
    error_budget_per_month: float | None
    latency_p99: float | None
    latency_budget: list[Hop] = field(default_factory=list)
    assumptions: list[str] = field(default_factory=list)
    insights: list[Insight] = field(default_factory=list)
    requests_per_month: float | None = None  # what the error budget is a share of

    def to_json(self) -> dict:
        return {
            "availability": self.availability,
            "downtime_seconds_per_month": self.downtime_per_month,
            "downtime_seconds_per_year": self.downtime_per_year,
            "error_budget_requests_per_month": self.error_budget_per_month,
            "latency_p99_seconds": self.latency_p99,
            "latency_budget_seconds": {hop.name: hop.seconds for hop in self.latency_budget},
        }


def service_level(inputs: Inputs, writes: float | None, reads: float | None,
                  split: tuple[tuple[str, float], ...], default_split: bool = False) -> Sla:
    """Allowed downtime per 30-day month and 365-day year, requests allowed
    to fail per month (of `slo-requests`, else all writes and reads), and the p99 split per hop
    (`split`: the topic's own hops and shares, or with `default_split` the
    engine assumptions' usual five)."""
    availability, p99 = inputs.availability, inputs.latency_p99
    allowed = None if availability is None else 1 - availability
    requests = None if writes is None and reads is None else ((writes or 0.0) + (reads or 0.0)) * MONTH
    if inputs.slo_requests is not None:  # the path the target is measured on, not every request
        requests = inputs.slo_requests * MONTH
    hops = [] if p99 is None else [Hop(name, share, p99 * share) for name, share in split]
    assumptions = []
    if hops and default_split:
        shares = ", ".join(f"{name.split(' (')[0].lower()} {share:.0%}" for name, share in split)
        assumptions.append(f"latency budget: p99 split as {shares}")
    return Sla(availability,
               None if allowed is None else allowed * MONTH,
               None if allowed is None else allowed * YEAR,
               None if allowed is None or requests is None else allowed * requests,
               p99, hops, assumptions, _insights(availability, p99, split), requests)


def _insights(availability: float | None, p99: float | None,
              split: tuple[tuple[str, float], ...]) -> list[Insight]:
    insights = []
    if availability is not None and availability >= 0.9999:
        insights.append(Insight("warning", f"{human_percent(availability)} allows "
                                           f"{human_duration((1 - availability) * MONTH)} down per month: "
                                           "too little for a person to react → automatic failover, "
                                           "multi-zone, zero-downtime deploys"))
    data_share = next((share for name, share in split if re.search(r"cache|database|store|redis", name, re.I)), None)
    if p99 is not None and p99 < 2 * CROSS_CONTINENT_ROUND_TRIP and data_share:
        data = p99 * data_share
        round_trips = human_count(data / IN_DATACENTER_ROUND_TRIP)
        insights.append(Insight("tip", f"p99 {human_duration(p99)}: a cross-continent round trip (~150 ms) "
                                       "does not fit in the request path → serve from the nearest region; "
                                       f"cache / database get {human_duration(data)} (~{round_trips} "
                                       "in-datacenter round trips)"))
    return insights
