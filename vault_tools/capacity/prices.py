"""The vault's price table: the note `Capacity/Cloud Prices.md`, a Markdown
table a person edits, read row by row (a malformed row is a Problem naming
its line, and is skipped)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache

from vault_tools.capacity.quantity import read_count, read_size
from vault_tools.problems import Kind, Problem
from vault_tools.template import package_template

PRICE_NOTE = "Capacity/Cloud Prices.md"
ROW_EXAMPLE = "e.g. | azure | blob-hot | GB-month | 0.0208 | where it comes from | 2024-07-01 |"
_COLUMNS = {"cloud": "cloud", "item": "item", "unit": "unit", "price": "price", "source": "source",
            "as of": "as_of", "as-of": "as_of", "date": "as_of"}


@dataclass(frozen=True)
class Price:
    """One row of the price table: `usd` for one `unit` of `item` on `cloud`."""

    cloud: str
    item: str
    unit: str
    usd: float
    source: str
    as_of: str


@dataclass(frozen=True)
class PriceTable:
    """Prices by (cloud, item); a later row for the same item wins."""

    prices: dict[tuple[str, str], Price] = field(default_factory=dict)

    def get(self, cloud: str, item: str) -> Price | None:
        return self.prices.get((cloud, item))

    def starting(self, cloud: str, prefix: str) -> list[Price]:
        """Every price of `cloud` whose item starts with `prefix`, in order."""
        return [p for (c, item), p in self.prices.items() if c == cloud and item.startswith(prefix)]


def parse_prices(text: str) -> tuple[PriceTable, list[Problem]]:
    """Read every Markdown price table in the note (columns cloud, item,
    unit, price USD, source, as of; extra tables and prose are ignored).
    A malformed row is a Problem (kind "prices") and is skipped."""
    prices: dict[tuple[str, str], Price] = {}
    problems: list[Problem] = []
    for header, rows in table_rows(text):
        columns = _header(header)
        for number, cells in rows if columns else ():
            _add_row(cells, columns, number, prices, problems)
    if not prices and not problems:
        problems.append(Problem("no price table found", kind=Kind.PRICES, hint=ROW_EXAMPLE))
    problems += _tier_problems(prices)
    return PriceTable(prices), problems


def tier_start(item: str) -> float | None:
    """`egress@10TB` → 1e13 bytes, `gateway-calls@300M` → 3e8: where that
    volume tier starts (None when it does not read)."""
    text = item.rpartition("@")[2]
    for reader in (read_size, read_count):
        found = reader("tier", text)
        if hasattr(found, "value"):
            return found.value
    return None


def _tier_problems(prices: dict[tuple[str, str], Price]) -> list[Problem]:
    """Volume tiers (`item@START`) whose start does not read, that come before
    a smaller one, or that cost more than the tier below them."""
    problems: list[Problem] = []
    last: dict[tuple[str, str], tuple[float, Price]] = {}
    for (cloud, item), price in prices.items():
        if "@" not in item:
            continue
        base, start = item.partition("@")[0], tier_start(item)
        example = f"e.g. | {cloud} | {base}@10TB | GB | 0.083 | … |"
        if start is None:
            problems.append(Problem(f"`{item}` ({cloud}): the tier start after @ does not read; the row is ignored",
                                    key=item, kind=Kind.PRICES, hint=example))
            continue
        below = last.get((cloud, base))
        if below is not None and start <= below[0]:
            problems.append(Problem(f"`{item}` ({cloud}) comes after `{below[1].item}`: list a price's volume tiers "
                                    "from the smallest start up", key=item, kind=Kind.PRICES, hint=example))
        elif (dearer := below[1] if below else prices.get((cloud, base))) is not None and price.usd > dearer.usd:
            problems.append(Problem(f"`{item}` ({cloud}) costs ${price.usd:g}, more than `{dearer.item}` "
                                    f"(${dearer.usd:g}): a volume tier should not cost more than the one below it",
                                    key=item, kind=Kind.PRICES, hint=example))
        last[(cloud, base)] = (start, price)
    return problems


def table_rows(text: str) -> list[tuple[list[str], list[tuple[int, list[str]]]]]:
    """Every Markdown table outside code fences: its header cells, and its
    rows as (line number, cells)."""
    found: list[tuple[list[str], list[tuple[int, list[str]]]]] = []
    in_table, fenced = False, False
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith(("```", "~~~")):
            fenced = not fenced
        if fenced or not stripped.startswith("|"):
            in_table = False
        elif not in_table:
            in_table = True
            found.append((_cells(stripped), []))
        elif not re.fullmatch(r"[|:\-\s]+", stripped):
            found[-1][1].append((number, _cells(stripped)))
    return found


def _cells(line: str) -> list[str]:
    body = line[1:]
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    return [cell.strip().replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", body)]


def _header(cells: list[str]) -> dict[str, int]:
    """Column positions if this row is a price table header, else {}."""
    columns: dict[str, int] = {}
    for position, cell in enumerate(cells):
        name = cell.lower().replace("*", "").strip()
        for label, column in _COLUMNS.items():
            if name.startswith(label) and column not in columns:
                columns[column] = position
    return columns if {"cloud", "item", "price"} <= columns.keys() else {}


def _add_row(cells: list[str], columns: dict[str, int], number: int,
             prices: dict[tuple[str, str], Price], problems: list[Problem]) -> None:
    if len(cells) <= max(columns.values()):
        problems.append(Problem(f"line {number}: expected {max(columns.values()) + 1} cells, "
                                f"found {len(cells)}", kind=Kind.PRICES, hint=ROW_EXAMPLE))
        return
    def get(column: str) -> str:
        return cells[columns[column]].strip("` ") if column in columns else ""

    cloud, item, raw_price = get("cloud").lower(), get("item").lower(), get("price")
    usd = _usd(raw_price)
    if not cloud or not item or usd is None:
        what = f'price "{raw_price}" is not a number' if cloud and item else "cloud and item are required"
        problems.append(Problem(f"line {number}: {what}", key=item or None, kind=Kind.PRICES, hint=ROW_EXAMPLE))
        return
    if (cloud, item) in prices:
        problems.append(Problem(f"line {number}: `{item}` ({cloud}) appears twice; this later row is used",
                                key=item, kind=Kind.PRICES, hint="keep one row per cloud and item"))
    prices[(cloud, item)] = Price(cloud, item, get("unit"), usd, get("source"), get("as_of"))


def _usd(text: str) -> float | None:
    try:
        usd = float(text.replace("$", "").replace(",", "").strip())
    except ValueError:
        return None
    return usd if math.isfinite(usd) and usd >= 0 else None


def default_prices() -> PriceTable:
    """The price table shipped with the package (empty if it is missing)."""
    return _shipped_prices()


@lru_cache(maxsize=1)
def _shipped_prices() -> PriceTable:
    path = package_template() / PRICE_NOTE
    return parse_prices(path.read_text(encoding="utf-8-sig"))[0] if path.is_file() else PriceTable()
