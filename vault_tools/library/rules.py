"""Conditions library notes use to say when they apply to a topic
(`suggest-when:` and `choose: - when:` in their frontmatter).

    always                      component: cache, websocket
    read-heavy  (reads ≥ `read-heavy` × writes, Engine Assumptions)   write-heavy  (writes ≥ reads)
    media       (media-share > 0)              keyword: payment, checkout
    METRIC OP VALUE, e.g. `peak-qps > 10K`, `storage >= 100 TB`, `read-write-ratio >= 100`
      METRIC: dau, write-qps, read-qps, peak-qps, peak-write-qps, peak-read-qps,
              storage (total over retention), storage-per-day, egress (bytes/s), cache (bytes)

Each evaluates to (holds, evidence): the evidence is the figure that decided
it, shown next to a prefilled choice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from vault_tools.capacity.quantity import Quantity, read_count, read_size
from vault_tools.capacity.show import human_count

_COMPARE = re.compile(r"^(?P<metric>[a-z-]+)\s*(?P<op>>=|<=|>|<)\s*(?P<value>[\d.]+\s*[a-z]*)$", re.I)


@dataclass(frozen=True)
class Signals:
    """What rules may look at in one topic."""

    components: frozenset[str]
    words: str  # topic name and stub body, lower-case
    figures: dict  # capacity --json keys (None where unknown)
    read_heavy: float  # the engine assumptions' `read-heavy` ratio
    media: bool = False

    def metric(self, name: str) -> float | None:
        f = self.figures
        peak_w, peak_r = f.get("peak_writes_per_second"), f.get("peak_reads_per_second")
        values = {
            "dau": f.get("dau"), "write-qps": f.get("writes_per_second"), "read-qps": f.get("reads_per_second"),
            "peak-write-qps": peak_w, "peak-read-qps": peak_r,
            "peak-qps": (peak_w or 0) + (peak_r or 0) if peak_w is not None or peak_r is not None else None,
            "storage": f.get("storage_bytes_total"), "storage-per-day": f.get("storage_bytes_per_day"),
            "egress": f.get("egress_bytes_per_second"), "cache": f.get("cache_bytes"),
            "read-write-ratio": _ratio(f),
        }
        return values.get(name)


def _ratio(figures: dict) -> float | None:
    reads, writes = figures.get("reads_per_second"), figures.get("writes_per_second")
    return reads / writes if reads is not None and writes else None


def holds(condition: str, signals: Signals) -> tuple[bool, str]:
    """Whether the condition holds for the topic, and the evidence."""
    text = condition.strip().lower()
    if text == "always":
        return True, ""
    if text.startswith("component:"):
        wanted = {part.strip() for part in text.split(":", 1)[1].split(",") if part.strip()}
        hit = sorted(wanted & signals.components)
        return bool(hit), f"component {', '.join(hit)}" if hit else ""
    if text.startswith("keyword:"):
        words = [part.strip() for part in text.split(":", 1)[1].split(",") if part.strip()]
        hit = [word for word in words if re.search(rf"\b{re.escape(word)}", signals.words)]
        return bool(hit), f"mentions {hit[0]}" if hit else ""
    if text == "media":
        return signals.media, "media in writes" if signals.media else ""
    ratio = signals.metric("read-write-ratio")
    if text == "read-heavy":
        return ratio is not None and ratio >= signals.read_heavy, f"read:write {ratio:,.0f}:1" if ratio else ""
    if text == "write-heavy":
        return ratio is not None and ratio <= 1, f"read:write {ratio:,.2g}:1" if ratio else ""
    match = _COMPARE.match(text)
    limit = _limit(match["value"]) if match else None
    value = signals.metric(match["metric"]) if match else None
    if limit is None or value is None:
        return False, ""
    ok = {">": value > limit, ">=": value >= limit, "<": value < limit, "<=": value <= limit}[match["op"]]
    return ok, f"{match['metric']} ≈ {human_count(value)}"


def _limit(text: str) -> float | None:
    """`10K` or `100 TB`: a count or a size, as the stub properties read them."""
    for reader in (read_count, read_size):
        found = reader("limit", text)
        if isinstance(found, Quantity):
            return found.value
    return None
