"""Monthly cost from capacity figures and the vault's price table, pure.

`estimate(inputs, prices)` prices each line from a `PriceTable` (see
`prices`). A line whose price is missing is unknown ("—") with a
Problem; the other lines are still computed.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Callable

from vault_tools.capacity.assumptions import Assumptions, default_assumptions
from vault_tools.capacity.prices import PRICE_NOTE, Price, PriceTable, tier_start
from vault_tools.problems import Kind, Problem
from vault_tools.capacity.quantity import DAY, MONTH, read_size
from vault_tools.capacity.show import human_bytes, human_count, human_rate

GB = 1e9  # clouds bill storage and transfer per decimal GB here
CDN_BILLS = "the CDN bills, hit or miss, every byte it sends: here the"


@dataclass(frozen=True)
class CostInputs:
    """What the cost engine needs from the capacity figures (None: unknown).
    Sizes in bytes, rates per second."""

    cloud: str
    components: tuple[str, ...]
    media_per_day: float | None
    db_bytes: float | None
    retention_days: float
    egress: float | None
    instances: int | None
    cache_bytes: float | None
    peak_reads: float | None
    peak_writes: float | None
    writes: float | None
    read_size: float
    write_size: float
    peak_messages: float | None = None  # messages/s at peak when given apart from writes
    requests: float | None = None  # requests/s on average, reads and writes
    cdn_hit: float | None = None  # share of the CDN's requests its cache answers; None: no CDN
    archive_after_days: float | None = None  # media older than this is never read online
    gateway_calls: float | None = None  # calls/s through the API gateway, when not every request
    item_size: float | None = None  # bytes of one database item, when the topic gives db-row-size
    peak_write_bytes: float | None = None  # bytes/s of every write at peak (peak_writes may be the database's)
    media_egress: float | None = None  # the media part of `egress`, bytes/s
    cdn_serves: str = "all"  # "all" read bytes pass the CDN, or "media" only (the API answers direct)
    rules: Assumptions | None = None  # the engine assumptions; None: the shipped ones
    db_days: float | None = None  # days the database keeps a row (db-retention); None: the retention
    moved_rows: float | None = None  # bytes of rows older than db-retention, kept in object storage
    instances_label: str = "App instances"  # what the instances are (`instances-are`)

    @property
    def rule(self) -> Assumptions:
        return default_assumptions() if self.rules is None else self.rules


@dataclass(frozen=True)
class CostLine:
    """One monthly cost: `usd` None when unknown; `formula` says how."""

    key: str
    label: str
    usd: float | None
    formula: str
    prices: tuple[Price, ...] = ()


@dataclass(frozen=True)
class CostReport:
    """Monthly cost lines for one cloud; `total` sums the known lines."""

    cloud: str
    lines: list[CostLine]
    problems: list[Problem]
    assumptions: list[str]

    @property
    def total(self) -> float | None:
        known = [line.usd for line in self.lines if line.usd is not None]
        return sum(known) if known else None

    @property
    def complete(self) -> bool:
        return all(line.usd is not None for line in self.lines)

    def to_json(self) -> dict:
        return {"total": self.total, **{line.key: line.usd for line in self.lines}}


def estimate(inputs: CostInputs, prices: PriceTable) -> CostReport:
    """Price storage, egress, compute, cache, database and queue per month."""
    pricer = _Pricer(inputs.cloud, prices)
    lines = [*_storage_lines(inputs, pricer), *_egress_lines(inputs, pricer), *_gateway_lines(inputs, pricer),
             _compute_line(inputs, pricer), *_cache_lines(inputs, pricer),
             *_database_lines(inputs, pricer), *_queue_lines(inputs, pricer)]
    return CostReport(inputs.cloud, lines, pricer.problems, _assumptions(inputs))


class _Pricer:
    """Looks prices up, noting a Problem once per missing item."""

    def __init__(self, cloud: str, table: PriceTable) -> None:
        self.cloud, self.table, self.problems = cloud, table, []

    def __call__(self, item: str, unit: str) -> Price | None:
        price = self.table.get(self.cloud, item)
        if price is None and not any(p.key == item for p in self.problems):
            self.problems.append(Problem(
                f"no price for `{item}` ({self.cloud}) in the price table; that cost line is unknown",
                key=item, kind=Kind.PRICES,
                hint=f"add a row to {PRICE_NOTE}: | {self.cloud} | {item} | {unit} | … |"))
        return price


def _line(key: str, label: str, amount: float | None, amount_text: str,
          price: _Pricer, item: str, per: str, why_unknown: str = "") -> CostLine:
    """`amount` units of `item` × its price; unknown when either is (the
    price is only looked up, and missed, when the amount is known)."""
    if amount is None:
        return CostLine(key, label, None, why_unknown or "needs figures that are unknown")
    found = price(item, per)
    if found is None:
        return CostLine(key, label, None, f"{amount_text} × (no price)")
    return CostLine(key, label, amount * found.usd, f"{amount_text} × ${found.usd:g}/{per}", (found,))


def _storage_lines(inputs: CostInputs, price: _Pricer) -> list[CostLine]:
    """Media in object storage by age: hot for the last 30 days, cool after
    (still read online); archive (offline, hours to restore) only after
    `archive-after`, when the topic says old media is never read online."""
    if not inputs.media_per_day:
        return []
    days, archive, hot_days = inputs.retention_days, inputs.archive_after_days, inputs.rule["hot-days"] / DAY
    cool_until = days if archive is None else min(days, max(archive, hot_days))
    tiers = (("hot", min(days, hot_days), f"last {hot_days:g} days"),
             ("cool", max(cool_until - hot_days, 0), "older, still read online"),
             ("archive", 0 if archive is None else max(days - cool_until, 0), "never read online"))
    lines = []
    for tier, tier_days, ages in tiers:
        if tier_days <= 0:
            continue
        stored = inputs.media_per_day * tier_days
        text = f"{human_bytes(inputs.media_per_day)}/day × {tier_days:,g} days = {human_bytes(stored)}"
        lines.append(_line(f"storage_{tier}", f"Object storage, {tier} ({ages})", stored / GB, text,
                           price, f"blob-{tier}", "GB-month"))
    return lines


def _egress_lines(inputs: CostInputs, price: _Pricer) -> list[CostLine]:
    """Bytes to readers, each by volume tier: straight from the origin, or
    with a CDN every byte it sends, hit or miss, at its own rate (refilling
    it from an origin in the same cloud is free); with `cdn-serves: media`
    the API's bytes still leave the origin. With a CDN on AWS its requests too."""
    if inputs.egress is None:
        return [CostLine("egress", "Internet egress", None, "reads unknown")]
    monthly = inputs.egress * MONTH
    if inputs.cdn_hit is None:
        return [_tiered("egress", "Internet egress", monthly,
                        f"{human_bytes(inputs.egress)}/s × 30 days = {human_bytes(monthly)}", price, "egress")]
    media_only = inputs.cdn_serves == "media"
    via_cdn = (inputs.media_egress or 0.0) * MONTH if media_only else monthly
    what = "media " if media_only else ""
    missed = via_cdn * (1 - inputs.cdn_hit)
    lines = [_tiered("cdn_egress", "CDN egress", via_cdn,
                     f"{human_bytes(via_cdn)} of {what}reads a month, hits and misses alike", price, "cdn-egress"),
             CostLine("origin_egress", "Origin egress (CDN refill)", 0.0,
                      f"{human_bytes(via_cdn)} × {1 - inputs.cdn_hit:.0%} missed = {human_bytes(missed)}: "
                      "not billed from an origin in the same cloud")]
    if media_only and monthly - via_cdn > 0:
        lines.append(_tiered("egress", "Internet egress (API, not through the CDN)", monthly - via_cdn,
                             f"{human_bytes(monthly)} − {human_bytes(via_cdn)} of media = "
                             f"{human_bytes(monthly - via_cdn)}", price, "egress"))
    if inputs.cloud == "aws" and inputs.requests is not None and not media_only:
        reads = inputs.requests * MONTH
        lines.append(_line("cdn_requests", "CDN requests", reads / 1e6, f"{human_count(reads)} requests ÷ 1M",
                           price, "cdn-requests", "million requests"))
    return lines


def _tiered(key: str, label: str, total_bytes: float, amount_text: str, price: _Pricer, item: str) -> CostLine:
    """`total_bytes` priced by the volume tiers of `item` (`egress`, `egress@10TB`, …)."""
    return _by_tiers(key, label, total_bytes / GB, amount_text, price, item, "GB", GB, human_bytes)


def _gateway_lines(inputs: CostInputs, price: _Pricer) -> list[CostLine]:
    """Calls through the API gateway (`gateway-calls`, else every request the
    CDN does not answer), per million."""
    per_second = _gateway_calls(inputs)
    if per_second is None:
        return []
    calls = per_second * MONTH
    label = "API gateway (API Management, per call)" if price.cloud == "azure" else "API Gateway (HTTP API)"
    return [_by_tiers("gateway", label, calls / 1e6, f"{human_count(calls)} calls", price, "gateway-calls",
                      "million calls", 1e6, human_count)]


def _by_tiers(key: str, label: str, amount: float, amount_text: str, price: _Pricer, item: str, unit: str,
              scale: float, show: Callable[[float], str]) -> CostLine:
    """`amount` (in the price's unit) priced by the tiers of `item`: rows `item`
    and `item@START` (the price from that monthly volume on, e.g. `egress@10TB`,
    `gateway-calls@300M`)."""
    base = price(item, unit)
    if base is None:
        return CostLine(key, label, None, f"{amount_text} × (no price)")
    tiers = sorted([(0.0, base)] + [(start / scale, p) for p in price.table.starting(price.cloud, f"{item}@")
                                    if (start := tier_start(p.item)) is not None])
    usd, used, pieces = 0.0, [], []
    for index, (start, tier) in enumerate(tiers):
        end = tiers[index + 1][0] if index + 1 < len(tiers) else math.inf
        volume = max(0.0, min(amount, end) - start)
        if volume > 0:
            usd += volume * tier.usd
            used.append(tier)
            pieces.append(f"{show(volume * scale)} × ${tier.usd:g}")
    return CostLine(key, label, usd, f"{amount_text}: " + (" + ".join(pieces) or "nothing"), tuple(used) or (base,))


def _compute_line(inputs: CostInputs, price: _Pricer) -> CostLine:
    count = inputs.instances
    text = "" if count is None else f"{count:,} instances"
    return _line("compute", inputs.instances_label, count, text, price, "vm", "instance-month", "QPS unknown")


def _cache_lines(inputs: CostInputs, price: _Pricer) -> list[CostLine]:
    """The cheapest node size that holds the cache: shards × 2 nodes (primary + replica)."""
    if not inputs.cache_bytes or not _wants(inputs, "cache", default=True):
        return []
    choices = []
    for node in price.table.starting(inputs.cloud, "cache-"):
        size = _node_size(node.unit)
        if size:
            shards = math.ceil(inputs.cache_bytes / size)
            choices.append((2 * shards * node.usd, shards, size, node))
    if not choices:
        price("cache-node", "node-month, 6 GB")
        return [CostLine("cache", "Cache", None, f"{human_bytes(inputs.cache_bytes)} × (no node price)")]
    usd, shards, size, node = min(choices, key=lambda choice: choice[0])
    formula = (f"{human_bytes(inputs.cache_bytes)} ÷ {human_bytes(size)} per node = {shards} shard(s) "
               f"× 2 nodes ({node.item}) × ${node.usd:g}/node-month")
    most = int(inputs.rule["redis-premium-shards"])
    if inputs.cloud == "azure" and shards > most:
        formula += (f"; Premium clusters stop at {most} shards: {math.ceil(shards / most)} "
                    "clusters, or Azure Managed Redis")
    return [CostLine("cache", "Cache", usd, formula, (node,))]


def _node_size(unit: str) -> float | None:
    """`node-month, 6 GB` → 6e9: the node's memory, written in the unit cell."""
    match = re.search(r"(\d[\d.,]*\s*[KMGT]i?B)\b", unit, re.IGNORECASE)
    size = read_size("unit", match[1]) if match else None
    return getattr(size, "value", None) or None


def _wants(inputs: CostInputs, component: str, default: bool) -> bool:
    return component in inputs.components if inputs.components else default


def _database_lines(inputs: CostInputs, price: _Pricer) -> list[CostLine]:
    if _wants(inputs, "nosql", default=False):
        throughput = _cosmos if inputs.cloud == "azure" else _dynamodb
        storage_item, label = "nosql-storage", "NoSQL storage"
    else:
        throughput, storage_item, label = _sql_vcores, "sql-storage", "Database storage"
    stored = None if inputs.db_bytes is None else inputs.db_bytes / GB
    kept = "over the retention" if inputs.db_days is None else f"for {inputs.db_days:,g} days (db-retention)"
    text = "" if inputs.db_bytes is None else f"{human_bytes(inputs.db_bytes)} kept {kept}"
    lines = [throughput(inputs, price),
             _line("database_storage", label, stored, text, price, storage_item, "GB-month", "writes unknown")]
    if inputs.moved_rows:
        lines.append(_line("database_archive", "Object storage, cool (rows older than db-retention)",
                           inputs.moved_rows / GB, f"{human_bytes(inputs.moved_rows)} of older rows",
                           price, "blob-cool", "GB-month"))
    return lines


def _kb(size: float, per: float = 1e3) -> int:
    return max(1, math.ceil(size / per))


def loads(inputs: CostInputs, peak_factor: float) -> dict[str, float | None]:
    """What the parts carry at peak, for the limits: RU/s, WCU and RCU, stream
    throughput units and bytes/s, gateway calls/s (average × `peak_factor`)."""
    rus = _cosmos_rus(inputs)
    wcu, rcu = _dynamodb_units(inputs)
    stream_units, _, stream_bytes = _stream_units(inputs)
    calls = _gateway_calls(inputs)
    return {"peak_rus": rus and rus[0], "peak_wcu": wcu, "peak_rcu": rcu, "stream_units": stream_units,
            "peak_stream_bytes": stream_bytes,
            "peak_gateway_calls": None if calls is None else calls * peak_factor}


def _stream_units(inputs: CostInputs) -> tuple[int, float, float]:
    """Throughput units (Event Hubs) or shards (Kinesis) at peak, the events/s
    and the bytes/s they take in: every write's bytes, however batched."""
    peak = inputs.peak_messages if inputs.peak_messages is not None else inputs.peak_writes or 0.0
    peak_bytes = (inputs.peak_write_bytes if inputs.peak_write_bytes is not None
                  else (inputs.peak_writes or 0.0) * inputs.write_size)  # batching packs events, not bytes
    units = max(1, math.ceil(peak / inputs.rule["stream-unit-events"]),
                math.ceil(peak_bytes / inputs.rule["stream-unit-bytes"]))
    return units, peak, peak_bytes


def _gateway_calls(inputs: CostInputs) -> float | None:
    """Calls/s through the API gateway on average (`gateway-calls`, else every
    request the CDN does not answer); None without a priced gateway."""
    if "gateway" not in inputs.components or inputs.requests is None or inputs.gateway_calls == 0:
        return None  # gateway-calls: 0/s — a self-run gateway, whose pods are app instances
    answered = 0.0 if inputs.cdn_serves == "media" else inputs.cdn_hit or 0.0  # API calls the CDN's cache answers
    return inputs.gateway_calls if inputs.gateway_calls is not None else inputs.requests * (1 - answered)


def _cosmos_rus(inputs: CostInputs) -> tuple[int, float, float, int, int] | None:
    """RU/s at peak (at least the minimum), reads, writes, RU per read, RU per write."""
    if inputs.peak_writes is None and inputs.peak_reads is None:
        return None
    rule = inputs.rule
    reads, writes = inputs.peak_reads or 0.0, inputs.peak_writes or 0.0
    read_kb, write_kb = (_kb(inputs.item_size), _kb(inputs.item_size)) if inputs.item_size else \
        (_kb(inputs.read_size), _kb(inputs.write_size))
    per_read = int(read_kb * rule["cosmos-ru-per-kb-read"])
    per_write = int(write_kb * rule["cosmos-ru-per-kb-write"])
    rus = max(int(rule["cosmos-min-ru"]), math.ceil((reads * per_read + writes * per_write) / 100) * 100)
    return rus, reads, writes, per_read, per_write


def _cosmos(inputs: CostInputs, price: _Pricer) -> CostLine:
    """RU per KB of item read and written (engine assumptions), at peak, at
    least the container minimum. The item is db-row-size when the topic gives
    it, else what a write stores and a read returns."""
    found = _cosmos_rus(inputs)
    if found is None:
        return CostLine("database", "Cosmos DB throughput", None, "QPS unknown")
    rus, reads, writes, per_read, per_write = found
    text = (f"({human_rate(reads)} × {per_read} RU + {human_rate(writes)} × {per_write} RU) = "
            f"{human_count(rus)} RU/s = {human_count(rus / 100)} × 100 RU/s")
    return _line("database", "Cosmos DB throughput", rus / 100, text,
                 price, "nosql-ru", "100 RU/s-month")


def _dynamodb_units(inputs: CostInputs) -> tuple[int | None, int | None]:
    """Provisioned WCU and RCU at peak (strong reads)."""
    if inputs.peak_writes is None and inputs.peak_reads is None:
        return None, None
    wcu = math.ceil((inputs.peak_writes or 0.0) * _kb(inputs.write_size, inputs.rule["dynamodb-write-unit"]))
    rcu = math.ceil((inputs.peak_reads or 0.0) * _kb(inputs.read_size, inputs.rule["dynamodb-read-unit"]))
    return wcu, rcu


def _dynamodb(inputs: CostInputs, price: _Pricer) -> CostLine:
    """Provisioned: a WCU per write unit written/s, an RCU per read unit read/s (strong), at peak."""
    wcu, rcu = _dynamodb_units(inputs)
    if wcu is None or rcu is None:
        return CostLine("database", "DynamoDB throughput", None, "QPS unknown")
    wcu_price, rcu_price = price("nosql-wcu", "WCU-month"), price("nosql-rcu", "RCU-month")
    text = f"{human_count(wcu)} WCU + {human_count(rcu)} RCU"
    if wcu_price is None or rcu_price is None:
        return CostLine("database", "DynamoDB throughput", None, text + " × (no price)")
    formula = f"{human_count(wcu)} WCU × ${wcu_price.usd:g} + {human_count(rcu)} RCU × ${rcu_price.usd:g}"
    return CostLine("database", "DynamoDB throughput", wcu * wcu_price.usd + rcu * rcu_price.usd,
                    formula, (wcu_price, rcu_price))


def _sql_vcores(inputs: CostInputs, price: _Pricer) -> CostLine:
    """One vCore per `queries-per-vcore` at peak, at least 2 (primary sizing only)."""
    if inputs.peak_writes is None and inputs.peak_reads is None:
        return CostLine("database", "SQL database compute", None, "QPS unknown")
    peak = (inputs.peak_writes or 0.0) + (inputs.peak_reads or 0.0)
    per_vcore = inputs.rule["queries-per-vcore"]
    vcores = max(2, math.ceil(peak / per_vcore))
    text = f"{human_rate(peak)} ÷ {human_count(per_vcore)} queries/s per vCore = {vcores} vCores"
    return _line("database", "SQL database compute", vcores, text, price, "sql-vcore", "vCore-month")


MESSAGING = ("stream", "queue", "pubsub")  # roles that carry one message per write


def _queue_lines(inputs: CostInputs, price: _Pricer) -> list[CostLine]:
    """One message per write through the topic's stream (Event Hubs / Kinesis)
    or, without one, its queue or pub/sub (Service Bus / SQS)."""
    role = next((r for r in MESSAGING if r in inputs.components), None)
    if role is None:
        return []
    key = "stream" if role == "stream" else "queue"
    if inputs.writes is None:
        return [CostLine(key, "Event stream" if key == "stream" else "Message queue", None, "writes unknown")]
    messages = inputs.writes * MONTH
    if key == "stream":
        return [_stream_line(inputs, price, messages)]
    if inputs.cloud == "aws":
        text = f"{human_count(messages)} messages × 3 requests (send, receive, delete) ÷ 1M"
        return [_line(key, "SQS requests", messages * 3 / 1e6, text, price, "queue-requests", "million requests")]
    base, ops = price("queue-base", "namespace-month"), price("queue-ops", "million operations")
    operations = messages * 3  # send, receive, complete
    text = f"1 namespace + {human_count(operations)} operations (send, receive, complete)"
    if base is None or ops is None:
        return [CostLine(key, "Service Bus", None, text + " × (no price)")]
    formula = f"${base.usd:g} base + {human_count(operations)} operations × ${ops.usd:g}/million"
    return [CostLine(key, "Service Bus", base.usd + operations / 1e6 * ops.usd, formula, (base, ops))]


def _stream_line(inputs: CostInputs, price: _Pricer, messages: float) -> CostLine:
    """Event Hubs: a throughput unit per `stream-unit-events` or `stream-unit-bytes`
    (of every write's bytes, however batched) at peak;
    Kinesis: a shard per the same, and 25 KB PUT units."""
    units, peak, peak_bytes = _stream_units(inputs)
    events_per_unit, bytes_per_unit = inputs.rule["stream-unit-events"], inputs.rule["stream-unit-bytes"]
    if inputs.cloud == "aws":
        unit_price, event_price = price("stream-shard", "shard-month"), price("stream-put", "million PUT units")
        label, unit, events = "Kinesis Data Streams", "shards", messages * math.ceil(inputs.write_size / 25e3)
    else:
        unit_price, event_price = price("stream-unit", "throughput unit-month"), price("stream-events",
                                                                                       "million events")
        label, unit, events = "Event Hubs", "TU", messages
    text = f"{units} {unit} + {human_count(events)} events"
    if unit_price is None or event_price is None:
        return CostLine("stream", label, None, text + " × (no price)")
    usd = units * unit_price.usd + events / 1e6 * event_price.usd
    formula = (f"max({human_rate(peak)} ÷ {human_count(events_per_unit)} events/s, {human_bytes(peak_bytes)}/s ÷ "
               f"{human_bytes(bytes_per_unit)}/s) at peak = {units} {unit} "
               f"× ${unit_price.usd:g} + {human_count(events)} events × ${event_price.usd:g}/million")
    most = int(inputs.rule["event-hubs-standard-units"])
    if inputs.cloud != "aws" and units > most:
        formula += f"; over Standard's {most} TU per namespace: Premium or Dedicated, or batch events"
    return CostLine("stream", label, usd, formula, (unit_price, event_price))


def _assumptions(inputs: CostInputs) -> list[str]:
    notes = [f"{inputs.cloud} list prices from the vault's Cloud Prices note, 30-day month; "
             "free allowances and volume tiers below the first are ignored (an upper bound)"]
    if inputs.media_per_day:
        notes.append(f"media in object storage by age — hot = last {inputs.rule['hot-days'] / DAY:g} days, "
                     "cool = older and still read online"
                     + ("" if inputs.archive_after_days is None else
                        f", archive = older than {inputs.archive_after_days:,g} days (archive-after: never read online)")
                     + "; the storage price includes the cloud's own redundancy")
    notes.append("text (write-size) lives in the database" + ("; media in object storage" if inputs.media_per_day else "")
                 + ("" if inputs.db_days is None else
                    f"; the database keeps {inputs.db_days:,g} days of rows (db-retention), older rows move to "
                    "object storage (cool tier); the bill is the steady state, once both are full"))
    if inputs.cdn_hit is not None:
        notes.append(CDN_BILLS + (" media bytes; the API's leave the origin as internet egress"
                                  if inputs.cdn_serves == "media" else " read bytes")
                     + f"; its cache answers {inputs.cdn_hit:.0%} of its requests (cdn-hit), which sizes the origin's "
                     "load, not the bill: refilling the edge from an origin in the same cloud is free"
                     + ("; Azure Front Door's per-request fee is not in the price table, so not included"
                        if inputs.cloud == "azure" else ""))
    if "gateway" in inputs.components and inputs.gateway_calls != 0:
        notes.append("every request the CDN does not answer passes the API gateway, priced per call "
                     "(API Management consumption tier / API Gateway HTTP API); a dedicated tier is per unit")
    if _wants(inputs, "nosql", default=False):
        rule = inputs.rule
        notes.append(f"Cosmos DB {rule['cosmos-ru-per-kb-read']:g} RU per KB read and {rule['cosmos-ru-per-kb-write']:g} RU "
                     f"per KB written at peak, at least {rule['cosmos-min-ru']:g} RU/s" if inputs.cloud == "azure" else
                     f"DynamoDB provisioned, 1 WCU per {human_bytes(rule['dynamodb-write-unit'])} written/s, "
                     f"1 RCU per {human_bytes(rule['dynamodb-read-unit'])} read/s at peak")
    else:
        notes.append(f"SQL primary sized at {human_count(inputs.rule['queries-per-vcore'])} queries/s per vCore at peak, "
                     "at least 2 vCores; read replicas and HA standby not included")
    if inputs.cache_bytes and _wants(inputs, "cache", default=True):
        notes.append("cache = cheapest node size that holds the cache bytes, each shard a primary + replica"
                     + ("; priced at Azure Cache for Redis Premium, the sourced price in the table, for the "
                        "Azure Managed Redis the diagrams name" if inputs.cloud == "azure" else ""))
    if "stream" in inputs.components:
        notes.append(("one event per message (`messages`); " if inputs.peak_messages is not None and
                      inputs.peak_messages != inputs.peak_writes else "one event per write; ") + (
            f"Kinesis provisioned, 1 shard per {human_count(inputs.rule['stream-unit-events'])} records/s or "
            f"{human_bytes(inputs.rule['stream-unit-bytes'])}/s at peak" if inputs.cloud == "aws" else
            f"Event Hubs Standard, 1 throughput unit per {human_count(inputs.rule['stream-unit-events'])} events/s or "
            f"{human_bytes(inputs.rule['stream-unit-bytes'])}/s of write-size at peak")
            + "; media does not pass through the stream")
    elif any(role in inputs.components for role in MESSAGING):
        notes.append("one queue message per write; " + (
            "SQS 3 requests per message" if inputs.cloud == "aws" else
            "Service Bus Standard, 3 operations per message (send, receive, complete)"))
    return notes

