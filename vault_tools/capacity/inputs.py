"""A stub's numbers for the capacity engine: properties → `Inputs`, with
defaults applied and every default, step and problem recorded."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Mapping

from vault_tools.problems import Kind, Problem
from vault_tools.capacity.quantity import (
    EXAMPLES, PER_USER_RATE, Quantity, Reading, read_count, read_duration, read_factor, read_fraction, read_growth, read_latency, read_rate, read_ratio, read_size, read_throughput, shown, YEAR,
)
from vault_tools.capacity.show import commas, human_bytes, human_count, human_percent, human_rate, significant

CLOUDS = ("azure", "aws")
# Properties that say the same thing another way: one given, the others are not used.
RIVALS = {
    "dau": ("mau", "daily-active"), "mau": ("dau",), "daily-active": ("dau",),
    "reads": ("read-write-ratio",), "read-write-ratio": ("reads",),
}
HOT_DAYS = 30  # data younger than this is hot: in the database, and in the hot storage tier


@dataclass(frozen=True)
class Step:
    """One line of the whiteboard working, e.g. `Writes: 150M DAU × 2 ÷ 86,400 s ≈ 3.47K/s`."""

    label: str
    working: str


@dataclass(frozen=True)
class Insight:
    """A callout for the note: `kind` is the Obsidian callout type."""

    kind: str
    text: str
    about: str = ""  # "ratio", "media", "limit": generic advice that a problem's own estimates replace


@dataclass
class Working:
    """What reading the numbers found on the way."""

    steps: list[Step] = field(default_factory=list)
    assumptions: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class Inputs:
    """The stub's numbers in base units (per second, bytes, seconds,
    fractions), defaults applied; None where a figure is unknown."""

    dau: float | None
    writes: float | None
    reads: float | None
    write_size: float
    read_size: float
    media_share: float
    media_size: float
    retention: float
    peak_factor: float
    replication: float
    cache_hot: float
    server_rps: float
    availability: float | None
    latency_p99: float | None
    growth: float | None
    components: tuple[str, ...]
    cloud: str
    # What reaches the primary database, the messaging component and the
    # cache, when the topic says (a problem whose hot path bypasses the
    # database); None → every write and read, one message per write, and
    # cache-hot × a day's reads.
    db_writes: float | None = None
    db_reads: float | None = None
    messages: float | None = None
    cache_size: float | None = None
    db_row_size: float = 1e3
    cdn_hit: float | None = None  # share of read bytes the CDN serves; None without a CDN
    archive_after: float | None = None  # seconds: media older than this is never read online
    media_read_size: float = 0.0  # bytes a media read fetches (a rendition); = media-size unless given
    gateway_calls: float | None = None  # calls/s through the API gateway when not every request
    cdn_serves: str = "all"  # what passes the CDN: "all" read bytes, or "media" only (the API goes direct)
    db_retention: float | None = None  # seconds the database keeps a row; older rows live in object storage
    slo_requests: float | None = None  # requests/s the availability target counts; None → writes + reads
    # What `dau`, `writes` and `reads` count in this topic's words (`users-are:
    # merchants`, `writes-are: location pings`), for the headline labels.
    users_are: str = "users"
    writes_are: str = "writes"
    reads_are: str = "reads"
    instances_are: str = "app instances"

    @property
    def labels(self) -> dict[str, str]:
        """The headline figures' labels in the topic's words."""
        return {"dau": f"Daily active {self.users_are}", "peak_writes": f"Peak {self.writes_are}",
                "peak_reads": f"Peak {self.reads_are}",
                "writes": self.writes_are[:1].upper() + self.writes_are[1:],
                "reads": self.reads_are[:1].upper() + self.reads_are[1:],
                "instances": self.instances_are[:1].upper() + self.instances_are[1:],
                "peak_pair": ("Peak QPS (writes / reads)" if (self.writes_are, self.reads_are) == ("writes", "reads")
                              else f"Peak {self.writes_are} / {self.reads_are}")}


class _Reader:
    def __init__(self, props: Mapping[str, object], working: Working) -> None:
        self.props, self.working = props, working

    def read(self, key: str, reader: Callable[..., Reading], **options) -> Quantity | None:
        result = reader(key, self.props.get(key), **options)
        if isinstance(result, Problem):
            self.working.problems.append(result)
            return None
        return result

    def value(self, key: str, reader: Callable[..., Reading], default: float, default_text: str) -> float:
        """The property's value, else the default, stated as an assumption."""
        quantity = self.read(key, reader)
        if quantity is not None:
            return quantity.value
        self.assume(key, default_text)
        return default

    def assume(self, key: str, default_text: str, why: str = "default") -> None:
        if any(problem.key == key for problem in self.working.problems):
            why = "default; the value given could not be read"
        self.working.assumptions.append(f"{key} {default_text} ({why})")

    def name(self, key: str, default: str) -> str:
        """A short noun phrase naming what a figure counts; the default when
        absent, or not one line of text of at most 40 characters (a Problem)."""
        value = self.props.get(key)
        if value in (None, ""):
            return default
        if isinstance(value, str) and 0 < len(value.strip()) <= 40 and "\n" not in value and "|" not in value:
            return value.strip()
        self.working.problems.append(Problem(
            f'Could not read `{key}`: found "{shown(value)}"', key=key,
            hint=f"a few words, e.g. {key}: {EXAMPLES.get(key, default)}", kind=Kind.PROPERTY))
        return default

    def choice(self, key: str, choices: tuple[str, ...], example: str) -> str | None:
        """The property when it is one of `choices` (any case); None when it is
        absent, or unreadable (then a Problem with `example` as the hint)."""
        value = self.props.get(key)
        if value in (None, ""):
            return None
        text = value.strip().lower() if isinstance(value, str) else ""
        if text in choices:
            return text
        self.working.problems.append(Problem(f'Could not read `{key}`: found "{shown(value)}"', key=key,
                                             hint=f"e.g. {key}: {example}", kind=Kind.PROPERTY))
        return None

    def step(self, label: str, working: str) -> None:
        self.working.steps.append(Step(label, working))


def read_inputs(props: Mapping[str, object], roles: tuple[str, ...] | None = None) -> tuple[Inputs, Working]:
    """Read every number the engine uses; never raises on a value. `roles`:
    what the topic's components do (the catalog's roles); None → the names
    in `components` as written."""
    working = Working()
    r = _Reader(props, working)
    dau = _dau(r)
    writes = _rate(r, "writes", dau)
    reads = _reads(r, dau, writes)
    write_size = r.value("write-size", read_size, 1e3, "1 KB")
    read_bytes = r.read("read-size", read_size)
    if read_bytes is None:
        r.assume("read-size", f"= write-size {human_bytes(write_size)}")
    media_share, media_size = _media(r)
    return Inputs(
        dau=dau, writes=writes, reads=reads, write_size=write_size,
        read_size=write_size if read_bytes is None else read_bytes.value,
        media_share=media_share, media_size=media_size,
        retention=r.value("retention", read_duration, 5 * YEAR, "5 years"),
        peak_factor=r.value("peak-factor", read_factor, 2.0, "2"),
        replication=r.value("replication", read_factor, 3.0, "3"),
        cache_hot=(r.value("cache-hot", read_fraction, 0.2, "20%") if "cache-size" not in props
                   else _value(r.read("cache-hot", read_fraction)) or 0.2),
        server_rps=r.value("server-rps", read_throughput, 1000.0, "1,000 requests/s per instance"),
        availability=_value(r.read("availability", read_fraction)),
        latency_p99=_value(r.read("latency-p99", read_latency)),
        growth=_value(r.read("growth", read_growth)),
        components=_components(props.get("components")) if roles is None else roles,
        cloud=_cloud(r),
        db_writes=_rate(r, "db-writes", dau), db_reads=_rate(r, "db-reads", dau),
        messages=_rate(r, "messages", dau), cache_size=_value(r.read("cache-size", read_size)),
        db_row_size=(r.value("db-row-size", read_size, 1e3, "1 KB") if "db-writes" in props
                     else _value(r.read("db-row-size", read_size)) or 1e3),
        cdn_hit=_cdn_hit(r, roles), archive_after=_value(r.read("archive-after", read_duration)),
        media_read_size=_value(r.read("media-read-size", read_size)) or media_size,
        gateway_calls=_rate(r, "gateway-calls", dau), cdn_serves=_cdn_serves(r, roles),
        db_retention=_value(r.read("db-retention", read_duration)),
        slo_requests=_rate(r, "slo-requests", dau),
        users_are=r.name("users-are", "users"), writes_are=r.name("writes-are", "writes"),
        reads_are=r.name("reads-are", "reads"), instances_are=r.name("instances-are", "app instances"),
    ), working


def _value(quantity: Quantity | None) -> float | None:
    return None if quantity is None else quantity.value


def _dau(r: _Reader) -> float | None:
    dau = r.read("dau", read_count)
    if dau is not None:
        return dau.value
    mau = r.read("mau", read_count)
    if mau is None:
        return None
    share = r.value("daily-active", read_fraction, 0.5, "50%")
    dau = mau.value * share
    r.step("DAU", f"{human_count(mau.value)} MAU × {human_percent(share)} daily-active ≈ {human_count(dau)}")
    return dau


def _rate(r: _Reader, key: str, dau: float | None) -> float | None:
    """A rate per second; a rate per member times the population: per user ×
    DAU, per driver × `drivers` (a Problem when the population is missing)."""
    rate = r.read(key, read_rate)
    if rate is None:
        return None
    amount = rate.value * rate.per
    label = _LABELS.get(key, key.capitalize())
    if rate.unit != PER_USER_RATE:
        if rate.per != 1:  # a rate given per second needs no working
            r.step(label, f"{human_count(amount)} {key} ÷ {commas(rate.per)} s ≈ {human_rate(rate.value)}")
        return rate.value
    population, name = _population(r, rate.member, dau)
    if population is None:
        example = "dau: 100M" if rate.member == "user" else f"{rate.member}s: 1M"
        r.working.problems.append(Problem(
            f"`{key}` is per {rate.member}, but there is no `{example.split(':')[0]}`"
            + (" (or `mau`)" if rate.member == "user" else ""), key=key, hint=f"e.g. {example}",
            kind=Kind.PROPERTY))
        return None
    per_second = rate.value * population
    r.step(label, f"{human_count(population)} {name} × {significant(amount)} {key} ÷ {commas(rate.per)} s "
                  f"≈ {human_rate(per_second)}")
    return per_second


_LABELS = {"db-writes": "Database writes", "db-reads": "Database reads", "gateway-calls": "Gateway calls",
           "slo-requests": "SLO requests"}


def _cdn_hit(r: _Reader, roles: tuple[str, ...] | None) -> float | None:
    """With a CDN, the share of its requests its edge answers from cache (default 90%)."""
    if roles is None or "cdn" not in roles:
        return None
    return r.value("cdn-hit", read_fraction, 0.9, "90% of the CDN's requests answered from its cache")


CDN_SERVES = ("all", "media")


def _cdn_serves(r: _Reader, roles: tuple[str, ...] | None) -> str:
    """What the CDN carries: every read byte (default), or the media alone
    while the API answers readers straight from the origin."""
    if roles is None or "cdn" not in roles:
        return "all"
    serves = r.choice("cdn-serves", CDN_SERVES, "media (or all)")
    if serves is None and r.props.get("cdn-serves") not in (None, ""):
        r.assume("cdn-serves", "all")  # given but unreadable
    return serves or "all"


def _population(r: _Reader, member: str, dau: float | None) -> tuple[float | None, str]:
    """How many members a per-member rate multiplies: DAU for users, else the
    property named for them (`drivers`, or `driver`)."""
    if member == "user":
        return dau, "DAU"
    for key in (f"{member}s", member):
        if key in r.props:
            found = r.read(key, read_count)
            return (found.value if found else None), key
    return None, f"{member}s"


def _reads(r: _Reader, dau: float | None, writes: float | None) -> float | None:
    """Explicit reads win; else writes × read-write-ratio."""
    if "reads" in r.props and r.props["reads"] not in (None, ""):
        return _rate(r, "reads", dau)
    ratio = r.read("read-write-ratio", read_ratio)
    if ratio is None or writes is None:
        return None
    reads = writes * ratio.value
    r.step("Reads", f"{human_rate(writes)} × {significant(ratio.value)} (read-write-ratio {ratio.text}) "
                    f"≈ {human_rate(reads)}")
    return reads


def _media(r: _Reader) -> tuple[float, float]:
    """(share, size): none unless one of them is given; the other defaults."""
    share, size = r.read("media-share", read_fraction), r.read("media-size", read_size)
    if share is None and size is None:
        return 0.0, 0.0
    if size is None:
        r.assume("media-size", "1 MB")
        return share.value, 1e6
    if share is None:
        r.assume("media-share", "100%", "default: media-size is given")
        return 1.0, size.value
    return share.value, size.value


def _components(value: object) -> tuple[str, ...]:
    """`[cdn, "[[NoSQL]]", Cache]` or `cdn, nosql` → ('cdn', 'nosql', 'cache')."""
    items = value if isinstance(value, list) else str(value).split(",") if isinstance(value, str) else []
    names = []
    for item in items:
        name = str(item).strip().strip("[]").split("|")[0].strip().lower().replace(" ", "-")
        if name:
            names.append(name)
    return tuple(dict.fromkeys(names))


def _cloud(r: _Reader) -> str:
    cloud = r.choice("cloud", CLOUDS, "azure (or aws)")
    if cloud is None:
        r.assume("cloud", "azure")
    return cloud or "azure"
