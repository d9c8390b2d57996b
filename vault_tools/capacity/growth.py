"""Growth projections: 1 and 3 years at the stated growth, 10× and 100×,
and which single-node limit breaks first."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable, Mapping

from vault_tools.capacity.quantity import BYTES, BYTES_PER_SECOND, COUNT, INSTANCES, RATE
from vault_tools.capacity.show import human, human_percent, significant

SCALES = ("now", "1 year", "3 years", "10×", "100×")


@dataclass(frozen=True)
class LimitCheck:
    """A limit from the engine assumptions that applies to this design."""

    figure: str  # the key of the figure it bounds
    label: str
    unit: str
    limit: float
    remedy: str
    source: str = ""


@dataclass(frozen=True)
class Limit:
    """A single-node limit: what breaks, when, and the usual remedy."""

    label: str
    unit: str
    now: float
    limit: float
    remedy: str
    years: float | None  # at the stated growth; None without growth or when already past
    source: str = ""

    @property
    def headroom(self) -> float:
        """How many times today's figure fits under the limit."""
        return math.inf if self.now <= 0 else self.limit / self.now

    @property
    def exceeded(self) -> bool:
        # Rounding noise (100.00000001 GB) is not past a 100 GB limit.
        return self.now > self.limit * (1 + 1e-9)

    @property
    def shown_now(self) -> str:
        return human(self.now, self.unit)

    @property
    def shown_limit(self) -> str:
        return "~" + human(self.limit, self.unit)


# (figure, label, unit) of the projection table.
PROJECTED = (
    ("dau", "Daily active users", COUNT), ("peak_writes", "Peak writes", RATE),
    ("peak_reads", "Peak reads", RATE), ("storage_per_year", "Storage per year", BYTES),
    ("storage_total", "Storage over retention", BYTES), ("peak_egress", "Peak egress", BYTES_PER_SECOND),
    ("cache_bytes", "Cache", BYTES),
)


@dataclass(frozen=True)
class Projection:
    """One figure at each of `SCALES` (None: unknown, or no growth given)."""

    label: str
    unit: str
    values: tuple[float | None, ...]
    figure: str = ""  # its key in `PROJECTED`, or "instances"


@dataclass(frozen=True)
class Growth:
    """The projection table, the limits and which breaks first."""

    rate: float | None
    projections: list[Projection] = field(default_factory=list)
    limits: list[Limit] = field(default_factory=list)
    assumptions: list[str] = field(default_factory=list)

    @property
    def first_to_break(self) -> Limit | None:
        """The limit with the least headroom (possibly already exceeded)."""
        return min(self.limits, key=lambda limit: limit.headroom, default=None)

    def to_json(self) -> dict:
        first = self.first_to_break
        return {
            "rate_per_year": self.rate,
            "scales": list(SCALES),
            "projections": {p.label: list(p.values) for p in self.projections},
            "limits": [{"label": l.label, "now": l.now, "limit": l.limit, "years": l.years,
                        "exceeded": l.exceeded} for l in self.limits],
            "first_to_break": first.label if first else None,
        }


def multipliers(rate: float | None) -> tuple[float | None, ...]:
    """The factor of each of `SCALES`: growth compounds once a year."""
    one, three = (None, None) if rate is None else (1 + rate, (1 + rate) ** 3)
    return 1.0, one, three, 10.0, 100.0


def project(growth: float | None, figures: dict[str, float | None],
            instances_for: Callable[[float | None], int | None], checks: list[LimitCheck],
            people_online: float, labels: Mapping[str, str] | None = None,
            fixed: tuple[str, ...] = (), left_out: tuple[str, ...] = ()) -> Growth:
    """Every figure at each scale (instances re-sized, not scaled; users stop
    at `people_online`), and the years until each limit in `checks`.
    `labels` renames rows of `PROJECTED` in the topic's words; `fixed` are
    figures given outright (a sized cache), which traffic does not scale;
    `left_out` rows another table of the topic says better."""
    factors = multipliers(growth)
    labels = labels or {}
    projections = [Projection(labels.get(key, label), unit, _scaled(figures.get(key), factors), key)
                   for key, label, unit in PROJECTED
                   if figures.get(key) is not None and key not in fixed and key not in left_out]
    capped = False
    for index, projection in enumerate(projections):
        if projection.unit == COUNT and any(v is not None and v > people_online for v in projection.values):
            capped = True  # 100× of 500M users is not 50B people
            values = tuple(None if v is None else min(v, people_online) for v in projection.values)
            projections[index] = Projection(projection.label + " (capped)", projection.unit, values, projection.figure)
    peaks = _scaled(figures.get("peak_total"), factors)
    if figures.get("peak_total") is not None:
        projections.append(Projection(labels.get("instances", "App instances"), INSTANCES, tuple(
            None if peak is None else instances_for(peak) for peak in peaks), "instances"))
    limits = [Limit(c.label, c.unit, figures[c.figure], c.limit, c.remedy,
                    _years(figures[c.figure], c.limit, growth), c.source)
              for c in checks if figures.get(c.figure)]
    notes = _assumptions(growth, factors, checks)
    if "cache_bytes" in fixed and figures.get("cache_bytes") is not None:
        notes.append("cache-size is given, sized by what it holds: not scaled with traffic")
    if capped:
        notes.append(f"users stop at ~{human(people_online, COUNT)}, the people online worldwide "
                     "(ITU, Facts and Figures 2024): traffic beyond that is more use per user, not more users")
    return Growth(growth, projections, limits, notes)


def _scaled(value: float | None, factors: tuple[float | None, ...]) -> tuple[float | None, ...]:
    return tuple(None if value is None or factor is None else value * factor for factor in factors)


def _years(now: float, limit: float, growth: float | None) -> float | None:
    if growth is None or growth <= 0 or now >= limit * (1 - 1e-9):
        return None
    return math.log(limit / now) / math.log1p(growth)


def _assumptions(growth: float | None, factors: tuple[float | None, ...], checks: list[LimitCheck]) -> list[str]:
    limits = "; ".join(f"{_lower_first(c.label)} ~{human(c.limit, c.unit)}" for c in checks)
    notes = ([f"limits (Engine Assumptions): {limits}"] if limits else []) + [
        "every figure grows with traffic (storage per year and over "
                                              "retention too); instances are re-sized at each scale"]
    if growth is not None:
        notes.append(f"growth {human_percent(growth)}/year compounds yearly: ×{significant(factors[1])} "
                     f"in 1 year, ×{significant(factors[2])} in 3 years")
    return notes


def _lower_first(label: str) -> str:
    """`Writes on …` → `writes on …`; `RU/s on …` stays."""
    return label[0].lower() + label[1:] if label[1:2].islower() else label
