"""Showing numbers: three significant digits, decimal units, "—" for unknown."""

from __future__ import annotations

import math

from vault_tools.capacity.quantity import (
    COUNT, RATE, BYTES, SECONDS, FRACTION, BYTES_PER_SECOND, INSTANCES, DAY, YEAR,
)

NONE = "—"
_COUNT_SUFFIXES = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K"), (1.0, ""))
_BYTE_UNITS = ((1e18, "EB"), (1e15, "PB"), (1e12, "TB"), (1e9, "GB"), (1e6, "MB"), (1e3, "KB"), (1.0, "B"))


def significant(number: float, digits: int = 3) -> str:
    """`3472.2` → "3,470", `0.03861` → "0.0386", `12.70` → "12.7" (no exponent)."""
    if number == 0 or not math.isfinite(number):
        return "0" if number == 0 else NONE
    places = digits - 1 - math.floor(math.log10(abs(number)))
    text = f"{round(number, places):,.{max(places, 0)}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _rounded(number: float, digits: int = 3) -> float:
    """The number `significant` shows, as a number."""
    return round(number, digits - 1 - math.floor(math.log10(abs(number)))) if number else 0.0


def _scaled(number: float | None, units: tuple[tuple[float, str], ...], space: str) -> str:
    if number is None or not math.isfinite(number):
        return NONE
    # Choose the unit after rounding, so 999.6K shows as 1M, not 1,000K.
    rounded = abs(_rounded(number))
    scale, unit = next(((s, u) for s, u in units if rounded >= s), units[-1])
    return f"{significant(number / scale)}{space if unit else ''}{unit}"


def human_count(number: float | None) -> str:
    """`3472.2` → "3.47K", `150e6` → "150M", `54.75e15` → "54,800T"."""
    return _scaled(number, _COUNT_SUFFIXES, "")


def human_rate(per_second: float | None) -> str:
    """Per second: `3472.2` → "3.47K/s"."""
    return NONE if per_second is None else human_count(per_second) + "/s"


def human_bytes(size: float | None) -> str:
    """Decimal units: `54.75e15` → "54.8 PB", `1270` → "1.27 KB"."""
    return _scaled(size, _BYTE_UNITS, " ")


def human_duration(seconds: float | None) -> str:
    """`2592` → "43.2 min", `31536` → "8.76 h", `0.2` → "200 ms"."""
    if seconds is None or not math.isfinite(seconds):
        return NONE
    for limit, scale, unit in ((1.0, 1e-3, "ms"), (60.0, 1.0, "s"), (3600.0, 60.0, "min"),
                               (DAY, 3600.0, "h"), (YEAR, DAY, "days")):
        if seconds < limit:
            shown = significant(seconds / scale)
            return f"{shown} {unit[:-1] if unit == 'days' and shown == '1' else unit}"
    shown = significant(seconds / YEAR)
    return f"{shown} year" if shown == "1" else f"{shown} years"


def human_percent(fraction: float | None) -> str:
    """`0.9995` → "99.95%", `0.1` → "10%" (up to four decimals)."""
    if fraction is None or not math.isfinite(fraction):
        return NONE
    text = f"{fraction * 100:,.4f}".rstrip("0").rstrip(".")
    return text + "%"


def human_money(usd: float | None) -> str:
    """Three significant digits, no precision theatre: `432996159` → "$433M",
    `12345.6` → "$12.3K", `809.57` → "$810", `9.81` → "$9.81"."""
    if usd is None or not math.isfinite(usd):
        return NONE
    return "$" + (human_count(usd) if abs(usd) >= 1000 else significant(usd))


def human_instances(count: float) -> str:
    """`153` → "153", `333995` → "~334K": a count of machines past a thousand is an estimate."""
    return f"{count:,.0f}" if count < 1000 else "~" + human_count(count)


def commas(number: float) -> str:
    """`86400` → "86,400"; a whole number without decimals."""
    return f"{number:,.0f}" if float(number).is_integer() else f"{number:,}"


def human(value: float | None, unit: str) -> str:
    """A value in base units shown with its unit's helper (`RATE` → "3.47K/s")."""
    if value is None:
        return NONE
    return _SHOW.get(unit, significant)(value)


_SHOW = {COUNT: human_count, RATE: human_rate, BYTES: human_bytes, SECONDS: human_duration,
         FRACTION: human_percent, BYTES_PER_SECOND: lambda v: human_bytes(v) + "/s",
         INSTANCES: human_instances}
