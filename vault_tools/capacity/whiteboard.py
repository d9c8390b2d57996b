"""A `CapacityReport` as Markdown for the live blocks, pure.

`render(name, report)` gives the text of one block: "summary" (section 1),
"sla" (2), "capacity" (3), "growth" (11) or "cost". Text uses "\\n" and ends
with exactly one "\\n". Unreadable properties show as warning callouts in
the blocks whose figures they feed.
"""

from __future__ import annotations

from typing import Callable, Iterable

from vault_tools import markdown
from vault_tools.capacity.engine import CapacityReport
from vault_tools.capacity.inputs import Insight
from vault_tools.capacity.growth import SCALES, Limit
from vault_tools.problems import Kind, Problem
from vault_tools.capacity.quantity import INSTANCES
from vault_tools.capacity.show import (
    NONE, human, human_bytes, human_count, human_duration, human_money, human_percent, human_rate, significant,
)

PRICE_NOTE_LINK = "[[Cloud Prices]]"
# The properties each block's figures depend on: their problems show there.
_KEYS = {
    "capacity": {"dau", "mau", "daily-active", "writes", "reads", "read-write-ratio", "write-size",
                 "read-size", "media-share", "media-size", "retention", "peak-factor", "replication",
                 "cache-hot", "server-rps"},
    "sla": {"availability", "latency-p99"},
    "growth": {"growth"},
    "cost": {"cloud", "components"},
}


def render(name: str, report: CapacityReport) -> str:
    """The Markdown of live block `name`; a ValueError for a name it does not know."""
    try:
        make = BLOCKS[name]
    except KeyError:
        raise ValueError(f"unknown capacity block {name!r}; known: {', '.join(BLOCKS)}") from None
    parts = [part.strip("\n") for part in make(report) if part and part.strip()]
    return "\n\n".join(parts) + "\n"


def warnings(problems: Iterable[Problem]) -> str:
    """`> [!warning] Could not read `dau`: found "lots" — e.g. dau: 100M`, one per problem."""
    return "\n\n".join(_safe(f"> [!warning] {p.message}" + (f" — {p.hint}" if p.hint else ""))
                       for p in problems)


def _safe(text: str) -> str:
    """A person's text that cannot end the live block (`%%`) or open a fence."""
    return text.replace("%%", "%\u200b%").replace("```", "`\u200b``")


def _problems_for(report: CapacityReport, block: str) -> list[Problem]:
    keys = _KEYS[block]
    return [p for p in report.problems
            if (p.kind == Kind.PROPERTY and p.key in keys) or (block == "cost" and p.kind == Kind.PRICES)]


def callouts(insights: Iterable[Insight]) -> str:
    return "\n\n".join(f"> [!{insight.kind}] {insight.text}" for insight in insights)


def bullets(title: str, items: Iterable[str]) -> str:
    items = list(items)
    return f"**{title}**\n\n" + "\n".join(f"- {item}" for item in items) if items else ""


def table(header: Iterable[str], rows: Iterable[Iterable[str]]) -> str:
    return markdown.table(list(header), [[_cell(value) for value in row] for row in rows]).rstrip("\n")


def _cell(value: object) -> str:
    return _safe(str(value)).replace("|", "\\|").replace("\n", " ").strip() or " "


def _pair(average: str, peak: str) -> str:
    return f"{average} / {peak}"


def _retention(report: CapacityReport) -> str:
    return human_duration(report.inputs.retention)


def capacity(report: CapacityReport) -> list[str]:
    """Section 3: the working, the results, the insights, the assumptions."""
    steps = report.steps
    width = max((len(step.label) for step in steps), default=0)
    working = "\n".join(f"{step.label.ljust(width)}  {step.working}" for step in steps)
    working = f"```text\n{working}\n```" if steps else "> [!note] Add `dau` and `writes` to see the working."
    return [warnings(_problems_for(report, "capacity")), working, table(("Figure", "Value"), _results(report)),
            callouts(report.insights), bullets("Assumptions", report.capacity_assumptions)]


def _results(report: CapacityReport) -> list[tuple[str, str]]:
    t, s, b, replicas = report.traffic, report.storage, report.bandwidth, significant(report.inputs.replication)
    ratio, labels = t.read_write_ratio, report.inputs.labels
    return [
        (labels["dau"], human_count(t.dau)),
        (f"{labels['writes']} (average / peak)", _pair(human_rate(t.writes), human_rate(t.peak_writes))),
        (f"{labels['reads']} (average / peak)", _pair(human_rate(t.reads), human_rate(t.peak_reads))),
        ("Read : write", NONE if ratio is None else f"{significant(ratio)} : 1" if ratio >= 1 or ratio == 0
         else f"1 : {significant(1 / ratio)}"),
        ("Storage per day", human_bytes(s.per_day)),
        *([("Storage per year", human_bytes(s.per_year))] if s.keeps_a_year or s.total is None else []),
        (f"Storage over {_retention(report)}", NONE if s.total is None else human_bytes(s.total)
         if report.own_estimates else
         f"{human_bytes(s.total)} raw, {human_bytes(s.total_replicated)} with {replicas} database replicas"),
        *([] if report.own_estimates else
          [(f"Hot (last {s.hot_days:g} days) / cold", _pair(human_bytes(s.hot), human_bytes(s.cold)))]),
        ("Ingress (average / peak)", _pair(human(b.ingress, "bytes-per-second"),
                                           human(b.peak_ingress, "bytes-per-second"))),
        ("Egress (average / peak)", _pair(human(b.egress, "bytes-per-second"),
                                          human(b.peak_egress, "bytes-per-second"))),
        ("Cache memory", human_bytes(report.cache_bytes)),
        (f"{report.inputs.labels['instances']} at peak", human(report.instances, INSTANCES)),
    ]


def sla(report: CapacityReport) -> list[str]:
    """Section 2: downtime and error budget from availability; latency budget per hop."""
    level = report.sla
    parts = [warnings(_problems_for(report, "sla"))]
    if level.availability is None and level.latency_p99 is None:
        parts.append("> [!note] Add `availability: 99.95%` and `latency-p99: 200ms` to the properties "
                     "for the downtime, error budget and latency budget.")
    if level.availability is not None:
        errors = level.error_budget_per_month
        budget = NONE if errors is None else f"{human_count(errors)} of {human_count(level.requests_per_month)} requests"
        row = (human_percent(level.availability), human_duration(level.downtime_per_month),
               human_duration(level.downtime_per_year), budget)
        parts.append(table(("Availability", "Downtime per month", "Downtime per year", "Error budget per month"),
                           [row]))
    if level.latency_budget:
        rows = [(hop.name, f"{hop.share:.0%}", human_duration(hop.seconds)) for hop in level.latency_budget]
        rows.append(("**p99 target**", "100%", f"**{human_duration(level.latency_p99)}**"))
        parts.append(table(("Hop", "Share", "Budget"), rows))
    return parts + [callouts(level.insights), bullets("Assumptions", level.assumptions)]


def growth(report: CapacityReport) -> list[str]:
    """Section 11: 1 and 3 years, 10× and 100×, and the first thing that breaks."""
    projected = report.growth
    parts = [warnings(_problems_for(report, "growth"))]
    if projected.rate is None:
        parts.append("> [!note] Add `growth: 40%/year` to the properties for the 1-year and 3-year columns.")
    if projected.projections:
        header = ["Figure", *(_scale_label(scale, projected.rate) for scale in SCALES)]
        rows = [(p.label, *(human(value, p.unit) for value in p.values)) for p in projected.projections]
        parts.append(table(header, rows))
    first = projected.first_to_break
    if first is not None:
        parts.append(f"> [!warning] First to break: {_breaks(first, projected.rate)} → {first.remedy}")
        parts.append(table(("Limit (Engine Assumptions)", "Now", "Limit", "Headroom", "Reached", "Source"),
                           [_limit_row(limit, projected.rate) for limit in projected.limits]))
    return parts + [bullets("Assumptions", projected.assumptions)]


def _scale_label(scale: str, rate: float | None) -> str:
    label = scale[0].upper() + scale[1:]
    return f"{label} (+{human_percent(rate)}/y)" if scale == "1 year" and rate is not None else label


def _breaks(limit: Limit, rate: float | None) -> str:
    what = f"{limit.label.lower()} ({limit.shown_limit})"
    if limit.exceeded:
        return f"{what} is already exceeded today ({limit.shown_now})"
    when = "" if limit.years is None else f", in {significant(limit.years)} years at {human_percent(rate)}/year"
    return f"{what} at {significant(limit.headroom)}× today ({limit.shown_now}{when})"


def _limit_row(limit: Limit, rate: float | None) -> tuple[str, ...]:
    headroom = "exceeded" if limit.exceeded else f"{significant(limit.headroom)}×"
    if limit.exceeded:
        reached = "now"
    elif limit.years is not None:
        reached = f"in {significant(limit.years)} years"
    else:
        reached = "at 10×" if limit.headroom <= 10 else "at 100×" if limit.headroom <= 100 else "beyond 100×"
    source = limit.source.split(" (")[0]
    return limit.label, limit.shown_now, limit.shown_limit, headroom, reached, source or "—"


def cost(report: CapacityReport) -> list[str]:
    """The monthly cost lines with their formulas, the total and the prices' sources."""
    estimate = report.cost
    rows = [(line.label, line.formula, human_money(line.usd)) for line in estimate.lines]
    total = _total(report)
    if not estimate.complete and estimate.total is not None:
        total += " (lines marked — are unknown)"
    rows.append(("**Total per month**", " ", f"**{total}**"))
    sources = {(p.item, p.usd, p.unit, p.source, p.as_of) for line in estimate.lines for p in line.prices}
    listed = [_safe(f"`{item}` ${usd:g} per {unit} — {source or 'no source given'}, as of {as_of or 'not dated'}")
              for item, usd, unit, source, as_of in sorted(sources)]
    return [warnings(_problems_for(report, "cost")),
            table((f"Line ({estimate.cloud})", "Formula", "Monthly"), rows),
            bullets(f"Prices from {PRICE_NOTE_LINK}", listed),
            bullets("Assumptions", estimate.assumptions)]


def _total(report: CapacityReport) -> str:
    """The monthly total, "≥ $X" when some lines are unknown."""
    total = human_money(report.cost.total)
    return total if report.cost.complete or report.cost.total is None else f"≥ {total}"


def summary(report: CapacityReport) -> list[str]:
    """Section 1: a few headline figures."""
    t, s = report.traffic, report.storage
    unread = [p for p in report.problems if p.kind == Kind.PROPERTY]
    note = ""
    if unread:
        keys = ", ".join(dict.fromkeys(f"`{p.key}`" for p in unread))
        note = f"> [!warning] Could not read {keys} — see Capacity Planning."
    labels, known = report.inputs.labels, t.peak_writes is not None  # a crawler has writes, no users or reads
    rows = [*([] if known and t.dau is None else [(labels["dau"], human_count(t.dau))]),
            (labels["peak_writes"], human_rate(t.peak_writes)) if known and t.peak_reads is None else
            (labels["peak_pair"], _pair(human_rate(t.peak_writes), human_rate(t.peak_reads))),
            (f"Storage over {_retention(report)}", human_bytes(s.total)),
            ("Egress (average)", human(report.bandwidth.egress, "bytes-per-second")),
            (labels["instances"], human(report.instances, INSTANCES)),
            (f"Monthly cost ({report.cost.cloud})", _total(report))]
    return [note, table(("Headline", "Value"), rows)]


BLOCKS: dict[str, Callable[[CapacityReport], list[str]]] = {
    "summary": summary, "sla": sla, "capacity": capacity, "growth": growth, "cost": cost,
}
