"""The quantity reader: stub property values → numbers in base units.

Values arrive as the YAML loader gives them (str, int, float, bool, None,
list). Every reader returns a `Quantity`, `None` when the value is absent,
or a `Problem` naming the key, the value found and a valid example. A reader
never raises and never guesses a unit: `retention: 5` is a Problem, not
five seconds or five years.

Base units: counts, per second, bytes, seconds, fractions (0.4 = 40%).
Calendar: day = 86,400 s, month = 30 days, year = 365 days.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace

from vault_tools.problems import Kind, Problem

DAY = 86_400.0
MONTH = 30 * DAY
YEAR = 365 * DAY

COUNT = "count"
RATE = "per-second"
PER_USER_RATE = "per-user-per-second"
BYTES = "bytes"
SECONDS = "seconds"
FRACTION = "fraction"
RATIO = "ratio"
GROWTH = "per-year"
BYTES_PER_SECOND = "bytes-per-second"
INSTANCES = "instances"


@dataclass(frozen=True)
class Quantity:
    """A value read from a property: `value` in the base unit of `unit`;
    `text` is what the person wrote, for showing back. For a rate, `per` is
    the period it was written in, in seconds (86,400 for `/day`), and `member`
    the population it is per, if any."""

    value: float
    unit: str
    text: str
    per: float = 1.0
    member: str = ""  # a rate per member of a population: "user" (× DAU), "driver" (× `drivers`)


Reading = Quantity | Problem | None

# Beyond these a value is a typo, and products of them stay finite.
_LARGEST = 1e18
_LONGEST = 100

# A valid value per key, for the hint of a Problem.
EXAMPLES = {
    "dau": "100M", "mau": "300M", "daily-active": "50%", "writes": "100M/day",
    "reads": "1B/day", "read-write-ratio": '"10:1"', "write-size": "500 B",
    "read-size": "2 KB", "media-share": "10%", "media-size": "1 MB",
    "retention": "10 years", "peak-factor": "2", "replication": "3",
    "cache-hot": "20%", "server-rps": "1000", "availability": "99.95%",
    "latency-p99": "200ms", "growth": "40%/year", "db-writes": "500/s", "db-reads": "2K/s",
    "messages": "5K/s", "cache-size": "10 GB", "db-row-size": "1 KB", "cdn-hit": "90%", "cdn-serves": "media", "archive-after": "1 year", "media-read-size": "200 KB", "gateway-calls": "2K/s",
    "users-are": "merchants", "writes-are": "payments", "reads-are": "status reads",
    "instances-are": "API pods",
}

_NUM = r"[+-]?(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?"
_NUMBER = rf"(?P<num>{_NUM})"
_SCALES = {
    "": 1.0, "k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "million": 1e6,
    "b": 1e9, "bn": 1e9, "billion": 1e9, "t": 1e12, "trillion": 1e12,
}
_COUNT = re.compile(
    _NUMBER + r"\s*(?P<scale>thousand|million|billion|trillion|bn|mn|k|m|b|t)?\s*(?:users?)?", re.IGNORECASE
)
_PERIODS = {
    **dict.fromkeys(("s", "sec", "secs", "second", "seconds"), 1.0),
    **dict.fromkeys(("min", "mins", "minute", "minutes"), 60.0),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), 3600.0),
    **dict.fromkeys(("d", "day", "days"), DAY),
    **dict.fromkeys(("w", "wk", "week", "weeks"), 7 * DAY),
    **dict.fromkeys(("mo", "month", "months"), MONTH),
    **dict.fromkeys(("y", "yr", "yrs", "year", "years"), YEAR),
}
_RATE = re.compile(
    r"(?P<count>.+?)\s*(?:/|\bper\b)\s*(?:(?P<member>[a-z][a-z-]*?)\s*(?:/|\bper\b)\s*)?(?P<period>[a-z]+)",
    re.IGNORECASE,
)
_PER_SECOND_WORDS = re.compile(r"(?P<count>.+?)\s*(?:qps|rps|req/s)", re.IGNORECASE)
_SIZES = {
    "b": 1.0, "byte": 1.0, "bytes": 1.0,
    "kb": 1e3, "mb": 1e6, "gb": 1e9, "tb": 1e12, "pb": 1e15, "eb": 1e18,
    "kib": 2.0**10, "mib": 2.0**20, "gib": 2.0**30, "tib": 2.0**40, "pib": 2.0**50, "eib": 2.0**60,
}
_WITH_UNIT = re.compile(_NUMBER + r"\s*(?P<unit>[a-zµ]*)", re.IGNORECASE)
_LATENCIES = {
    "ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "millisecond": 1e-3, "milliseconds": 1e-3,
    "s": 1.0, "sec": 1.0, "second": 1.0, "seconds": 1.0, "min": 60.0, "minute": 60.0, "minutes": 60.0,
}
_PERCENT = re.compile(_NUMBER + r"\s*(?P<pct>%|percent)?", re.IGNORECASE)
_RATIO = re.compile(_NUMBER + rf"(?:\s*:\s*(?P<den>{_NUM}))?", re.IGNORECASE)
_FACTOR = re.compile(r"(?:[x×]\s*)?" + _NUMBER + r"\s*(?:[x×])?", re.IGNORECASE)
_GROWTH = re.compile(
    r"(?P<amount>.+?)\s*(?:/|\bper\b|\ba\b|\beach\b)\s*(?P<period>[a-z]+)", re.IGNORECASE
)


def problem(key: str, value: object, example: str | None = None) -> Problem:
    """The Problem for a value that cannot be read: key, value found, example."""
    example = example or EXAMPLES.get(key, "…")
    return Problem(f'Could not read `{key}`: found "{shown(value)}"', key=key,
                   hint=f"e.g. {key}: {example}", kind=Kind.PROPERTY)


def shown(value: object) -> str:
    """A value as the person wrote it, short enough for one line."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, list):
        text = "[" + ", ".join(shown(item) for item in value) + "]"
    elif isinstance(value, dict):
        text = "{" + ", ".join(f"{k}: {shown(v)}" for k, v in value.items()) + "}"
    else:
        text = str(value)
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:59] + "…"


def _number(text: str) -> float | None:
    try:
        number = float(text.replace(",", ""))
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _plain(value: object) -> float | str | None:
    """A YAML scalar as a finite float or a stripped string; None if neither."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        try:
            return float(value)
        except OverflowError:
            return None
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, str) and len(value) <= _LONGEST:
        return value.strip()
    return None


def _absent(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _finish(key: str, value: object, number: float | None, unit: str,
            at_least: float = 0.0, at_most: float = _LARGEST, per: float = 1.0) -> Reading:
    if number is None or not math.isfinite(number):
        return problem(key, value)
    if not at_least <= number <= at_most:
        found = problem(key, value)
        if number > at_most:
            why = "is implausibly large"
        else:
            why = f"must be at least {at_least:g}" if at_least >= 1 else "must be more than 0"
        return replace(found, message=f"{found.message} — {why}")
    return Quantity(number, unit, shown(value), per)


def _count_of(text: str) -> float | None:
    match = _COUNT.fullmatch(text.strip())
    number = _number(match["num"]) if match else None
    return None if number is None else number * _SCALES[(match["scale"] or "").lower()]


def read_count(key: str, value: object, at_least: float = 1e-9) -> Reading:
    """A count above zero: `100M`, `1.5B`, `2,000,000`, `10 million`, 2000000."""
    if _absent(value):
        return None
    plain = _plain(value)
    number = _count_of(plain) if isinstance(plain, str) else plain
    return _finish(key, value, number, COUNT, at_least)


def _per_second(text: str) -> tuple[float, bool, float] | None:
    """`100M/day` → (1157.4, "", 86400); `2/user/day` → (2.3e-5, "user", 86400);
    `20/driver/min` → (0.33, "driver", 60): per member of a population."""
    words = _PER_SECOND_WORDS.fullmatch(text)
    if words:
        count = _count_of(words["count"])
        return None if count is None else (count, False, 1.0)
    match = _RATE.fullmatch(text)
    if not match or match["period"].lower() not in _PERIODS:
        return None
    count = _count_of(match["count"])
    if count is None:
        return None
    period = _PERIODS[match["period"].lower()]
    member = (match["member"] or "").lower()
    if member in _PERIODS:
        return None  # `5/day/hour` is no rate
    return count / period, _singular(member), period


def read_rate(key: str, value: object) -> Reading:
    """A rate: `N/s`, `N/min`, `N/hour`, `N/day`, `N/month`, `N/year`, or per
    user (`2/user/day`, unit PER_USER_RATE: multiply by DAU). A bare number
    has no period and is a Problem."""
    if _absent(value):
        return None
    plain = _plain(value)
    parsed = _per_second(plain) if isinstance(plain, str) else None
    if parsed is None:
        return problem(key, value)
    rate, member, period = parsed
    found = _finish(key, value, rate, PER_USER_RATE if member else RATE, per=period)
    return replace(found, member=member) if isinstance(found, Quantity) else found


def _singular(noun: str) -> str:
    return noun[:-1] if noun.endswith("s") and not noun.endswith("ss") else noun


def read_throughput(key: str, value: object) -> Reading:
    """Requests per second one server handles: `1000`, `1K`, `1000/s`, `2K rps`."""
    if _absent(value):
        return None
    plain = _plain(value)
    if isinstance(plain, str) and _count_of(plain) is None:
        parsed = _per_second(plain)
        number = parsed[0] if parsed and not parsed[1] else None
        return _finish(key, value, number, RATE, at_least=1e-9)
    count = read_count(key, value, at_least=1e-9)
    return Quantity(count.value, RATE, count.text) if isinstance(count, Quantity) else count


def read_size(key: str, value: object) -> Reading:
    """A size in bytes: `500 B`, `1MB`, `2 KB` (decimal), `4 KiB` (binary);
    a bare number is bytes."""
    if _absent(value):
        return None
    plain = _plain(value)
    if not isinstance(plain, str):
        return _finish(key, value, plain, BYTES)
    match = _WITH_UNIT.fullmatch(plain)
    unit = match["unit"].lower() if match else None
    if unit is None or unit not in _SIZES and unit != "":
        return problem(key, value)
    number = _number(match["num"])
    return _finish(key, value, None if number is None else number * _SIZES.get(unit, 1.0), BYTES)


def _duration_of(text: str, units: dict[str, float]) -> float | None:
    match = _WITH_UNIT.fullmatch(text.strip())
    if not match or match["unit"].lower() not in units:
        return None
    number = _number(match["num"])
    return None if number is None else number * units[match["unit"].lower()]


def read_duration(key: str, value: object) -> Reading:
    """A duration in seconds: `10 years`, `5y`, `6 months`, `30 days`, `90d`,
    `2 weeks`. `m` alone (minutes or months?) and bare numbers are Problems."""
    if _absent(value):
        return None
    plain = _plain(value)
    seconds = _duration_of(plain, _PERIODS) if isinstance(plain, str) else None
    return _finish(key, value, seconds, SECONDS)


def read_latency(key: str, value: object) -> Reading:
    """A latency in seconds: `200ms`, `1s`, `1.5 s`, `500us`."""
    if _absent(value):
        return None
    plain = _plain(value)
    seconds = _duration_of(plain, _LATENCIES) if isinstance(plain, str) else None
    return _finish(key, value, seconds, SECONDS)


def _fraction_of(plain: float | str | None) -> float | None:
    """`10%` → 0.1; 0.1 → 0.1; a bare 1 < n ≤ 100 is a percentage (a share
    cannot exceed 1, so 10 can only mean 10%)."""
    if isinstance(plain, str):
        match = _PERCENT.fullmatch(plain)
        number = _number(match["num"]) if match else None
        if number is None:
            return None
        if match["pct"]:
            return round(number / 100, 12)  # 99.99 / 100 is 0.99989999…; keep what was written
        plain = number
    if plain is None:
        return None
    return plain if plain <= 1 else round(plain / 100, 12)


def read_fraction(key: str, value: object) -> Reading:
    """A share or availability as a fraction: `99.95%`, `10%`, 0.1."""
    if _absent(value):
        return None
    fraction = _fraction_of(_plain(value))
    if fraction is not None and fraction > 1:
        fraction = None
    return _finish(key, value, fraction, FRACTION)


def read_ratio(key: str, value: object) -> Reading:
    """A ratio a:b as a/b: `"10:1"` → 10; a bare number n means n:1."""
    if _absent(value):
        return None
    plain = _plain(value)
    if not isinstance(plain, str):
        return _finish(key, value, plain, RATIO)
    match = _RATIO.fullmatch(plain)
    if not match:
        return problem(key, value)
    top, bottom = _number(match["num"]), _number(match["den"] or "1")
    ratio = top / bottom if top is not None and bottom else None
    return _finish(key, value, ratio, RATIO, at_least=1e-9)


def read_factor(key: str, value: object, at_least: float = 1.0) -> Reading:
    """A multiplier: `2`, `2x`, `×3`, 1.5 — at least `at_least`."""
    if _absent(value):
        return None
    plain = _plain(value)
    if isinstance(plain, str):
        match = _FACTOR.fullmatch(plain)
        plain = _number(match["num"]) if match else None
    return _finish(key, value, plain, RATIO, at_least)


def read_growth(key: str, value: object) -> Reading:
    """Growth as a yearly fraction, compounding: `40%/year` → 0.4,
    `10%/month` → 1.1^(365/30) − 1, `2x/year` → 1.0. The period is required."""
    if _absent(value):
        return None
    plain = _plain(value)
    match = _GROWTH.fullmatch(plain) if isinstance(plain, str) else None
    if not match or match["period"].lower() not in _PERIODS:
        return problem(key, value)
    rate = _rate_of_growth(match["amount"].strip())
    if rate is None or rate <= -1:
        return problem(key, value)
    periods_per_year = YEAR / _PERIODS[match["period"].lower()]
    try:
        yearly = rate if periods_per_year == 1 else (1 + rate) ** periods_per_year - 1
    except OverflowError:
        return problem(key, value)
    return _finish(key, value, yearly, GROWTH, at_least=-1.0)


def _rate_of_growth(amount: str) -> float | None:
    """Growth over one period: `40%` → 0.4; `2x` → 1.0 (doubling)."""
    if amount.lower().endswith(("x", "×")):
        number = _number(amount[:-1].strip())
        return None if number is None else number - 1
    match = _PERCENT.fullmatch(amount)
    if not match or not match["pct"]:
        return None
    number = _number(match["num"])
    return None if number is None else number / 100
