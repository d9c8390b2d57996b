"""Diagrams drawn from a topic's properties, as Mermaid inside Markdown: the
architecture and its request paths (§6), the service map (§7) and the data
model (§4).

Pure functions of a `Topic`. Text a person wrote only ever reaches Mermaid
through `label` (entity codes for every character that could end a label, a
statement or the live block); node ids are ASCII slugs made here. SQL and
JSON use identifiers made by `ident`, never the person's raw text.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from vault_tools.problems import Problem

if TYPE_CHECKING:
    from vault_tools.library import Component
    from vault_tools.live import Topic

# ---------------------------------------------------------------- escaping

# Mermaid decodes `#NN;` codes in every diagram type before drawing.
_ESCAPES = str.maketrans({c: f"#{ord(c)};" for c in '"#%&;<>\\`|()[]{}'})
_LIST_MARKER = re.compile(r"(\d+[.)]|[-*+])(?=\s|$)")  # would start a Markdown list
_NOT_ID = re.compile(r"[^a-z0-9]+")


def label(text: object, fallback: str = "unnamed") -> str:
    """`text` as one line that is safe inside any Mermaid label or message."""
    line = " ".join(str(text).split()) or fallback
    marker = _LIST_MARKER.match(line)
    if marker:
        end = marker.end() - 1
        return line[:end].translate(_ESCAPES) + f"#{ord(line[end])};" + line[end + 1:].translate(_ESCAPES)
    return line.translate(_ESCAPES)


def slug(text: str, limit: int = 24) -> str:
    """ASCII lower-case words joined by `_` ("" when nothing is left)."""
    return _NOT_ID.sub("_", text.lower()).strip("_")[:limit].strip("_")


def ident(text: str, prefix: str) -> str:
    """A SQL / ER / JSON identifier for `text`: snake_case ASCII, never empty,
    never starting with a digit (`prefix` is put in front then)."""
    snake = slug(re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", text), 40)
    return snake if snake[:1].isalpha() else f"{prefix}_{snake}".rstrip("_")


def er_word(text: str, prefix: str) -> str:
    """An ER attribute type or name: an `ident` that the ER parser cannot
    take for a key marker (PK, FK, UK are matched in any case)."""
    word = ident(text, prefix)
    return f"{prefix}_{word}" if word in ("pk", "fk", "uk") else word


def code(text: object, limit: int = 60) -> str:
    """A person's text inside Markdown backticks (one line, no backticks, no `%%`)."""
    line = " ".join(str(text).split()).replace("`", "'").replace("%%", "% %")
    return f"`{line[:limit] + '…' if len(line) > limit else line}`"


def mermaid(lines: list[str]) -> str:
    return "```mermaid\n" + "\n".join(lines) + "\n```\n"


# ------------------------------------------------------------ architecture

LAYERS = ("client", "edge", "service", "data", "async", "external")
_TITLES = {"client": "Client", "edge": "Edge", "service": "Services", "data": "Data",
           "async": "Async messaging", "external": "External"}
_COLOURS = {"client": "#e8f0fe,stroke:#4a6fa5", "edge": "#fff4e5,stroke:#d48a1a",
            "service": "#e8f5e9,stroke:#3c8c40", "data": "#f3e5f5,stroke:#8e44ad",
            "async": "#fffde7,stroke:#b59f00", "external": "#eceff1,stroke:#607d8b"}

# What a component does on the request paths, from the words of its name,
# then of its aliases; the first role with a matching word wins.
_ROLES = (
    ("cdn", ("cdn", "front door", "cloudfront", "edge cache")), ("dns", ("dns", "route 53")),
    ("waf", ("waf", "firewall")), ("lb", ("load balancer", "lb", "alb", "nlb", "elb", "reverse proxy")),
    ("gateway", ("gateway", "api management", "apim", "bff")),
    ("auth", ("auth", "identity", "idp", "authentication", "oauth", "oidc", "sso")),
    ("ml", ("ml", "machine learning", "model serving", "inference", "llm")),
    ("worker", ("worker", "workers", "consumer", "processor", "job", "jobs", "scheduler", "cron", "workflow")),
    ("cache", ("cache", "redis", "memcached", "valkey")),
    ("search", ("search", "elasticsearch", "opensearch", "solr")),
    ("analytics", ("analytics", "warehouse", "data warehouse", "olap", "data lake", "lakehouse")),
    ("nosql", ("nosql", "cosmos", "cosmos db", "dynamodb", "cassandra", "mongodb", "document db", "key value")),
    ("sql", ("sql", "rdbms", "relational", "postgres", "postgresql", "mysql", "database")),
    ("blob", ("blob", "object storage", "object store", "s3", "file storage", "files", "media storage")),
    ("stream", ("stream", "streams", "event log", "event stream", "kafka", "event hubs", "kinesis")),
    ("pubsub", ("pubsub", "pub sub", "event bus", "event grid", "sns", "eventbridge")),
    ("queue", ("queue", "queues", "message queue", "service bus", "sqs", "rabbitmq", "mq")),
    ("payment", ("payment", "payments", "psp", "checkout")),
    ("telemetry", ("monitoring", "observability", "metrics", "logging", "tracing", "telemetry", "apm")),
    ("secrets", ("secrets", "secret store", "key vault", "kms", "key management")),
)
MESSAGING = ("queue", "stream", "pubsub")
STORES = ("sql", "nosql")
SIDE_SERVICES = ("auth", "ml")  # called by other services, not the main request handler


@dataclass(frozen=True)
class Node:
    """One box: a listed component, or one the paths need (`implied`)."""

    id: str
    name: str
    layer: str
    role: str = ""
    service: str = ""  # the cloud product that plays it, shortened, e.g. Cosmos DB
    implied: bool = False

    @property
    def messaging(self) -> bool:
        return self.role in MESSAGING or (self.layer == "async" and self.role != "worker")

    @property
    def serves_requests(self) -> bool:
        return self.layer == "service" and self.role != "worker" and not self.messaging


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    asynchronous: bool = False
    label: str = ""


@dataclass(frozen=True)
class Architecture:
    """The topic's components as boxes in layers and the calls between them."""

    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...] = ()

    def layer(self, name: str) -> list[Node]:
        return [n for n in self.nodes if n.layer == name]

    def node(self, node_id: str) -> Node:
        return next(n for n in self.nodes if n.id == node_id)

    def role(self, *roles: str) -> Node | None:
        return next((n for n in self.nodes if n.role in roles), None)

    @property
    def services(self) -> list[Node]:
        """Everything that serves requests; the main handlers first."""
        serving = [n for n in self.nodes if n.serves_requests]
        return sorted(serving, key=lambda n: n.role in SIDE_SERVICES)

    @property
    def handlers(self) -> list[Node]:
        return [n for n in self.services if n.role not in SIDE_SERVICES]

    @property
    def workers(self) -> list[Node]:
        return [n for n in self.nodes if n.role == "worker"]

    @property
    def buses(self) -> list[Node]:
        return [n for n in self.nodes if n.messaging]


def role_of(component: Component) -> str:
    for words in (component.name, " ".join(component.aliases)):
        text = " " + " ".join(re.findall(r"[a-z0-9]+", words.lower())) + " "
        for role, keywords in _ROLES:
            if any(f" {keyword} " in text for keyword in keywords):
                return role
    return ""


def short_service(text: str) -> str:
    """`Blob Storage (hot, cool, cold, archive tiers)` → `Blob Storage`: the
    first product a catalog cell names, short enough for a box."""
    first = re.split(r"\(|,|;", text, maxsplit=1)[0].strip()
    return first if len(first) <= 36 else first[:35].rstrip() + "…"


def architecture(topic: Topic) -> Architecture:
    """Boxes for `components` (unknown names are services), plus the client,
    app service and workers that the paths need when none is listed."""
    nodes: list[Node] = []
    for index, (name, component) in enumerate(topic.components, 1):
        node = _node(index, name, component, topic.cloud)
        if node.name.lower() not in {n.name.lower() for n in nodes}:
            nodes.append(node)
    if not nodes:
        return Architecture(())
    if not any(n.layer == "client" for n in nodes):
        nodes.insert(0, Node("client", "Client", "client", "", "web · mobile", implied=True))
    if not Architecture(tuple(nodes)).handlers and any(n.layer != "client" for n in nodes):
        nodes.append(Node("app", "App service", "service", "", "stateless, autoscaled", implied=True))
    if any(n.messaging for n in nodes) and not any(n.role == "worker" for n in nodes):
        nodes.append(Node("workers", "Workers", "service", "worker", "consumers", implied=True))
    return Architecture(tuple(nodes), tuple(_edges(Architecture(tuple(nodes)))))


def _node(index: int, name: str, component: Component | None, cloud: str) -> Node:
    node_id = f"n{index}" + (f"_{slug(name)}" if slug(name) else "")
    if component is None:
        return Node(node_id, name, "service")
    service = short_service(component.aws if cloud == "aws" else component.azure)
    return Node(node_id, component.name, component.layer, role_of(component), service)


def _edges(arch: Architecture) -> list[Edge]:
    """Who calls whom: the edge chain in the order listed, handlers to data
    and buses, buses to workers, workers to data and the outside world."""
    edges: dict[tuple[str, str], Edge] = {}

    def add(source: Node, target: Node, asynchronous: bool = False, text: str = "") -> None:
        if source.id != target.id:
            edges.setdefault((source.id, target.id), Edge(source.id, target.id, asynchronous, text))

    entry = arch.layer("client")
    for hop in arch.layer("edge"):
        for source in entry:
            add(source, hop)
        entry = [hop]
    data = arch.layer("data")
    stores = [n for n in data if n.role != "analytics"]
    analytics = [n for n in data if n.role == "analytics"]
    outside = [n for n in arch.layer("external") if n.role not in ("telemetry", "secrets", "payment")]
    buses, workers = arch.buses, arch.workers
    for service in arch.services:
        for source in entry:
            add(source, service, text="verify token" if service.role == "auth" else "")
    for handler in arch.handlers:
        for target in stores:
            add(handler, target)
        for side in arch.services:
            if side.role == "ml":
                add(handler, side, text="inference")
        for target in buses:
            add(handler, target, True, "publish")
        for target in [] if buses else workers:
            add(handler, target, True, "enqueue job")
        for target in [n for n in arch.layer("external") if n.role in ("payment", "secrets")]:
            add(handler, target)
        for target in [] if workers else outside:
            add(handler, target)
        for target in [] if buses or workers else analytics:
            add(handler, target, True, "export")
    for bus in buses:
        for target in workers:
            add(bus, target, True, "consume")
        for target in analytics:
            add(bus, target, True, "ingest")
    for worker in workers:
        for target in [n for n in stores if n.role != "cache"] + outside + ([] if buses else analytics):
            add(worker, target, True)
    for source in arch.handlers + workers:
        for target in [n for n in arch.layer("external") if n.role == "telemetry"]:
            add(source, target, True, "telemetry")
    cdn, blob = arch.role("cdn"), arch.role("blob")
    if cdn and blob:
        add(cdn, blob, False, "origin")
    return list(edges.values())


def _box(node: Node) -> str:
    text = label(node.name) + (f"<br/>{label(node.service)}" if node.service else "")
    if node.messaging:
        return f'{node.id}{{{{"{text}"}}}}'
    opening, closing = {"client": ('(["', '"])'), "data": ('[("', '")]'), "external": ('[/"', '"/]')}.get(
        node.layer, ('[["', '"]]') if node.role == "worker" else ('["', '"]'))
    return f"{node.id}{opening}{text}{closing}"


def _arrow(edge: Edge) -> str:
    arrow = "-.->" if edge.asynchronous else "-->"
    text = f'|"{label(edge.label)}"|' if edge.label else ""
    return f"    {edge.source} {arrow}{text} {edge.target}"


def _styles(nodes: list[Node]) -> list[str]:
    lines = [f"    classDef lyr_{layer} fill:{_COLOURS[layer]},color:#1a1a1a" for layer in LAYERS
             if any(n.layer == layer for n in nodes)]
    for layer in LAYERS:
        members = [n.id for n in nodes if n.layer == layer]
        if members:
            lines.append(f"    class {','.join(members)} lyr_{layer}")
    lines += [f"    style {n.id} stroke-dasharray:5 5" for n in nodes if n.implied]
    return lines


def architecture_flowchart(arch: Architecture) -> str:
    lines = ["flowchart LR"]
    for layer in LAYERS:
        members = arch.layer(layer)
        if members:
            lines.append(f'    subgraph layer_{layer} ["{_TITLES[layer]}"]')
            lines += [f"        {_box(n)}" for n in members]
            lines.append("    end")
    lines += [_arrow(e) for e in arch.edges] + _styles(list(arch.nodes))
    return mermaid(lines)


# ---------------------------------------------------------------- sequences

class Sequence:
    """A sequence diagram built call by call; participants in order of use."""

    def __init__(self, title: str = ""):
        self.title = title
        self.people: dict[str, Node] = {}
        self.steps: list[str] = []

    def call(self, source: Node, target: Node, text: str, arrow: str = "->>") -> None:
        self.people.setdefault(source.id, source)
        self.people.setdefault(target.id, target)
        self.steps.append(f"{source.id}{arrow}{target.id}: {label(text)}")

    def block(self, keyword: str, text: str = "") -> None:
        self.steps.append(f"{keyword} {label(text)}" if text else keyword)

    def text(self) -> str:
        lines = ["sequenceDiagram"] + ([f"    title {label(self.title)}"] if self.title else []) + ["    autonumber"]
        for node in self.people.values():
            kind = "actor" if node.layer == "client" else "participant"
            name = label(node.name) + (f" · {label(node.service)}" if node.service and not node.implied else "")
            lines.append(f"    {kind} {node.id} as {name}")
        depth = 1
        for step in self.steps:
            depth -= step in ("end", "else") or step.startswith("else ")
            lines.append("    " * depth + step)
            depth += step.split(" ")[0] in ("alt", "opt", "else", "loop")
        return mermaid(lines)


def _round_trip(seq: Sequence, hops: list[Node], request: str, reply: str, middle: Callable[[], None]) -> None:
    """Request along `hops`, `middle` at the last hop, reply back the same way."""
    for source, target in zip(hops, hops[1:]):
        seq.call(source, target, request if source is hops[0] else "forward")
    middle()
    for source, target in zip(reversed(hops), list(reversed(hops))[1:]):
        seq.call(source, target, reply, "-->>")


def _paths(arch: Architecture) -> tuple[list[Node], Node, Node | None]:
    """The hops from the client to the first service, that service, and the primary store."""
    store = arch.role(*STORES) or next((n for n in arch.layer("data") if n.role not in ("cache", "blob")), None)
    service = arch.handlers[0]
    return arch.layer("client")[:1] + arch.layer("edge") + [service], service, store


def write_path(arch: Architecture) -> str:
    hops, service, store = _paths(arch)
    cache, bus = arch.role("cache"), (arch.buses or [None])[0]
    seq = Sequence()

    def commit() -> None:
        if store:
            seq.call(service, store, "insert / update")
            seq.call(store, service, "committed (durable)", "-->>")
        if cache:
            seq.call(service, cache, "delete cached key")
        if bus:
            seq.call(service, bus, "publish event (outbox)", "-)")

    _round_trip(seq, hops, "write request", "201 Created", commit)
    worker = (arch.workers or [None])[0]
    if bus and worker:
        seq.call(bus, worker, "deliver event", "-)")
        for target in arch.layer("external")[:1] or [n for n in arch.layer("data") if n.role == "search"][:1]:
            seq.call(worker, target, "side effect (idempotent)")
    return seq.text()


def read_path(arch: Architecture) -> str:
    hops, service, store = _paths(arch)
    cache = arch.role("cache")
    seq = Sequence()

    def read() -> None:
        if cache:
            seq.call(service, cache, "GET key")
            seq.block("alt", "cache hit")
            seq.call(cache, service, "value", "-->>")
            seq.block("else", "cache miss")
            seq.call(cache, service, "miss", "-->>")
        if store:
            seq.call(service, store, "read by key")
            seq.call(store, service, "row", "-->>")
        if cache:
            seq.call(service, cache, "SET key with TTL")
            seq.block("end")

    _round_trip(seq, hops, "read request", "200 OK", read)
    return seq.text()


def journey(arch: Architecture, name: str) -> str:
    hops, service, store = _paths(arch)
    bus = (arch.buses or [None])[0]
    seq = Sequence(name)

    def handle() -> None:
        if store:
            seq.call(service, store, "read / write")
            seq.call(store, service, "result", "-->>")
        if bus:
            seq.call(service, bus, "publish event", "-)")

    _round_trip(seq, hops, name, "response", handle)
    return seq.text()


def architecture_block(topic: Topic) -> str:
    arch = architecture(topic)
    if not arch.nodes:
        return ("> [!note] No components yet\n> List them in `components:` (e.g. `[cdn, gateway, cache, nosql,"
                " queue]`) to draw the architecture and its request paths.\n")
    parts = [architecture_flowchart(arch),
             "Solid: synchronous request path · dotted: asynchronous (queue, stream, pub/sub, workers)"
             + (" · dashed outline: implied, not in `components`" if any(n.implied for n in arch.nodes) else "")
             + "\n"]
    if arch.handlers:
        parts += ["**Write path**\n", write_path(arch), "**Read path**\n", read_path(arch)]
        journeys = topic.prop_list("journeys")
        if journeys:
            parts.append("**Journeys**\n")
            parts += [journey(arch, name) for name in journeys]
    return "\n".join(parts)


# -------------------------------------------------------------- service map

_VERBS = {"cache": "cache-aside", "blob": "media", "search": "queries"}


def services_block(topic: Topic) -> str:
    """Who serves requests, who works in the background, and what each one
    calls, publishes and consumes — without the client and edge detail."""
    arch = architecture(topic)
    if not arch.services and not arch.workers:
        return "> [!note] No services yet\n> List components in `components:` to draw the service map.\n"
    entry = (arch.layer("edge") or arch.layer("client"))[-1:]
    lines = ["flowchart LR"] + [f"    {_box(n)}" for n in entry]
    instances = topic.capacity.instances
    lines.append('    subgraph request_path ["Request path: synchronous"]')
    for node in arch.services:
        alone = arch.handlers == [node]
        extra = f"<br/>{instances} instances at peak" if instances and alone else ""
        lines.append(f'        {node.id}["{label(node.name)}{extra}"]')
    lines.append("    end")
    if arch.workers:
        lines.append('    subgraph background ["Background: asynchronous"]')
        lines += [f"        {_box(n)}" for n in arch.workers]
        lines.append("    end")
    lines += [f"    {_box(n)}" for n in arch.buses + arch.layer("data") + arch.layer("external")]
    shown = {n.id for n in entry + arch.services + arch.workers + arch.buses + arch.layer("data")
             + arch.layer("external")}
    for edge in arch.edges:
        if edge.source in shown and edge.target in shown:
            target = arch.node(edge.target)
            verb = edge.label or _VERBS.get(target.role) or ("reads · writes" if target.layer == "data" else "calls")
            if arch.node(edge.source).role == "worker" and target.role == "search":
                verb = "indexes"
            lines.append(_arrow(Edge(edge.source, edge.target, edge.asynchronous, verb)))
    nodes = [n for n in arch.nodes if n.id in shown]
    return mermaid(lines + _styles(nodes))


# --------------------------------------------------------------- data model

_HINT = "e.g. entities: {User: [id uuid pk, name text]}"
_SQL_TYPES = {
    "uuid": "UUID", "text": "TEXT", "string": "TEXT", "str": "TEXT", "url": "TEXT", "email": "TEXT",
    "enum": "TEXT", "varchar": "VARCHAR(255)", "char": "CHAR(1)", "int": "INTEGER", "integer": "INTEGER",
    "smallint": "SMALLINT", "bigint": "BIGINT", "long": "BIGINT", "int64": "BIGINT", "serial": "BIGSERIAL",
    "float": "DOUBLE PRECISION", "double": "DOUBLE PRECISION", "real": "REAL", "decimal": "NUMERIC(19, 4)",
    "numeric": "NUMERIC(19, 4)", "money": "NUMERIC(19, 4)", "bool": "BOOLEAN", "boolean": "BOOLEAN",
    "date": "DATE", "time": "TIME", "timestamp": "TIMESTAMPTZ", "timestamptz": "TIMESTAMPTZ",
    "datetime": "TIMESTAMPTZ", "json": "JSONB", "jsonb": "JSONB", "object": "JSONB", "map": "JSONB",
    "bytes": "BYTEA", "binary": "BYTEA", "blob": "BYTEA",
}
_SIZED = re.compile(r"(varchar|char|decimal|numeric)\((\d{1,4})(?:,(\d{1,2}))?\)")
_RESERVED = frozenset("all and any array as asc both case cast check column constraint create default desc "
                      "distinct do else end false for foreign from grant group having in into is join key "
                      "limit not null offset on only or order primary references select table then to "
                      "true union unique user using when where window with".split())
_WORDS = ("pk", "fk", "uk", "unique")


@dataclass(frozen=True)
class Field:
    name: str
    type: str = ""  # as written; "" → the referenced key's type, else text
    pk: bool = False
    unique: bool = False
    fk: str = ""  # the referenced entity's name


@dataclass(frozen=True)
class Entity:
    name: str
    fields: tuple[Field, ...]

    @property
    def keys(self) -> list[Field]:
        return [f for f in self.fields if f.pk]


def read_entities(value: object) -> tuple[list[Entity], list[str]]:
    """`entities: {User: [id uuid pk, name text], ...}` → entities, and what
    could not be read (as messages; the rest is still used)."""
    if value in (None, "", [], {}):
        return [], []
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        value = {item: [] for item in value}  # names only, fields to come
    if not isinstance(value, dict):
        return [], [f"`entities` should map each entity to its fields, found {code(value)}"]
    entities, problems = [], []
    for name, specs in value.items():
        specs = [] if specs is None else specs.split(",") if isinstance(specs, str) else specs
        if not isinstance(specs, list):
            problems.append(f"{code(name)}: fields should be a list, found {code(specs)}")
            continue
        fields: dict[str, Field] = {}
        for spec in specs:
            field, problem = _read_field(spec)
            if problem or field.name.lower() in fields:
                problems.append(f"{code(name)}: {problem or 'field listed twice'} in {code(spec)}")
            else:
                fields[field.name.lower()] = field
        entities.append(Entity(" ".join(str(name).split()), tuple(fields.values())))
    return _link(entities, problems)


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _read_field(spec: object) -> tuple[Field, str]:
    words = str(spec).split() if isinstance(spec, (str, int, float)) else []
    if not words:
        return Field(""), "a field needs at least a name"
    name, rest = words[0], words[1:]
    kind = rest.pop(0) if rest and rest[0].lower() not in _WORDS else ""
    pk = unique = False
    fk = ""
    while rest:
        word = rest.pop(0).lower()
        if word == "fk":
            fk, rest = " ".join(rest), []
            if not fk:
                return Field(name), "`fk` needs the entity it refers to"
        elif word in _WORDS:
            pk, unique = pk or word == "pk", unique or word in ("uk", "unique")
        else:
            return Field(name), f"unknown word {code(word)} (expected pk, uk or fk Entity)"
    return Field(name, kind, pk, unique, fk), ""


def _link(entities: list[Entity], problems: list[str]) -> tuple[list[Entity], list[str]]:
    """Resolve each fk to an entity name; a dangling fk is reported and dropped."""
    names = {_key(e.name): e.name for e in entities}
    linked = []
    for entity in entities:
        fields = []
        for field in entity.fields:
            target = names.get(_key(field.fk), "") if field.fk else ""
            if field.fk and not target:
                problems.append(f"{code(entity.name)}.{code(field.name)} refers to {code(field.fk)}, "
                                "which is not in `entities`")
            fields.append(Field(field.name, field.type, field.pk, field.unique, target))
        linked.append(Entity(entity.name, tuple(fields)))
    return linked, problems


def _type_of(field: Field, by_name: dict[str, Entity], depth: int = 0) -> str:
    """The written type; an untyped fk takes its target key's type."""
    if not field.type and field.fk and by_name[field.fk].keys and depth < len(by_name):
        return _type_of(by_name[field.fk].keys[0], by_name, depth + 1)
    return field.type or "text"


def sql_type(kind: str) -> str:
    word = kind.lower()
    array = word.endswith("[]")
    word = word.removesuffix("[]")
    sized = _SIZED.fullmatch(word)
    if sized:
        base = "VARCHAR" if sized[1] == "varchar" else "CHAR" if sized[1] == "char" else "NUMERIC"
        result = f"{base}({sized[2]}" + (f", {sized[3]})" if sized[3] else ")")
    else:
        result = _SQL_TYPES.get(word, "TEXT")
    return result + ("[]" if array else "")


def _quoted(name: str) -> str:
    return f'"{name}"' if name in _RESERVED else name


class Schema:
    """Entities with the identifiers, types and references every output uses."""

    def __init__(self, entities: list[Entity]):
        self.entities = entities
        self.by_name = {e.name: e for e in entities}
        self.ids, self.tables = {}, {}
        for index, entity in enumerate(entities, 1):
            self.ids[entity.name] = self._unique(f"e_{slug(entity.name)}".rstrip("_"), f"e{index}", self.ids)
            self.tables[entity.name] = self._unique(ident(entity.name, "t"), f"table_{index}", self.tables)

    @staticmethod
    def _unique(wanted: str, fallback: str, taken: dict[str, str]) -> str:
        candidate = wanted if wanted not in ("e", "t", "") and wanted not in taken.values() else fallback
        while candidate in taken.values():
            candidate += "_2"
        return candidate

    def column(self, field: Field) -> str:
        return ident(field.name, "c")

    def type_of(self, field: Field) -> str:
        return _type_of(field, self.by_name)

    def key_of(self, name: str) -> Field | None:
        keys = self.by_name[name].keys
        return keys[0] if len(keys) == 1 else None


def er_diagram(schema: Schema) -> str:
    lines = ["erDiagram"]
    for entity in schema.entities:
        entity_id = schema.ids[entity.name]
        lines.append(f'    {entity_id}["{label(entity.name)}"]' + (" {" if entity.fields else ""))
        for field in entity.fields:
            keys = ", ".join(k for k, on in (("PK", field.pk), ("FK", bool(field.fk)), ("UK", field.unique)) if on)
            name = er_word(field.name, "c")
            note = f' "{label(field.name)}"' if name != field.name else ""
            lines.append(f"        {er_word(schema.type_of(field), 't')} {name}" + (f" {keys}" if keys else "") + note)
        if entity.fields:
            lines.append("    }")
    for entity in schema.entities:
        for field in entity.fields:
            if field.fk:
                lines.append(f'    {schema.ids[field.fk]} ||--o{{ {schema.ids[entity.name]} : "{label(field.name)}"')
    return mermaid(lines)


def ddl(schema: Schema) -> str:
    """PostgreSQL DDL: referenced tables first; references that would point
    forward (cycles) are added afterwards with ALTER TABLE."""
    created: set[str] = set()
    statements, later = [], []
    for entity in _referenced_first(schema.entities):
        table = _quoted(schema.tables[entity.name])
        columns, after = [], []
        keys = entity.keys
        for field in entity.fields:
            column = _quoted(schema.column(field))
            line = f"    {column} {sql_type(schema.type_of(field))}"
            line += " PRIMARY KEY" if field.pk and len(keys) == 1 else " NOT NULL" if field.pk else ""
            line += " UNIQUE" if field.unique and not field.pk else ""
            target = schema.key_of(field.fk) if field.fk else None
            if target is not None:
                reference = f"{_quoted(schema.tables[field.fk])} ({_quoted(schema.column(target))})"
                if field.fk in created or field.fk == entity.name:
                    line += f" REFERENCES {reference}"
                else:
                    later.append(f"ALTER TABLE {table} ADD FOREIGN KEY ({column}) REFERENCES {reference};")
                after.append(f"CREATE INDEX ON {table} ({column});")
            columns.append(line)
        if len(keys) > 1:
            columns.append(f"    PRIMARY KEY ({', '.join(_quoted(schema.column(k)) for k in keys)})")
        statements.append(f"CREATE TABLE {table} (\n" + ",\n".join(columns) + "\n);" +
                          "".join(f"\n{line}" for line in after))
        created.add(entity.name)
    return "```sql\n" + "\n\n".join(statements + later) + "\n```\n"


def _referenced_first(entities: list[Entity]) -> list[Entity]:
    ordered: list[Entity] = []
    by_name = {e.name: e for e in entities}

    def visit(entity: Entity, path: tuple[str, ...]) -> None:
        if entity in ordered or entity.name in path:
            return
        for field in entity.fields:
            if field.fk and field.fk != entity.name:
                visit(by_name[field.fk], path + (entity.name,))
        ordered.append(entity)

    for entity in entities:
        visit(entity, ())
    return ordered


def _sample(schema: Schema, entity: Entity, field: Field) -> object:
    kind = sql_type(schema.type_of(field))
    owner = f"{field.fk}.pk" if field.fk else f"{entity.name}.pk" if field.pk else f"{entity.name}.{field.name}"
    seed = hashlib.sha256(owner.encode()).hexdigest()  # a key and its references share one value
    base = kind.removesuffix("[]")
    value: object = (str(uuid.UUID(seed[:32])) if base == "UUID" else 42 if "INT" in base or "SERIAL" in base
                     else 19.99 if base.startswith("NUMERIC") else 4.2 if base in ("DOUBLE PRECISION", "REAL")
                     else True if base == "BOOLEAN" else "2025-01-01" if base == "DATE"
                     else "2025-01-01T12:00:00Z" if base == "TIMESTAMPTZ" else {} if base == "JSONB"
                     else f"{schema.column(field)}-1")
    return [value] if kind.endswith("[]") else value


def document_item(schema: Schema, entity: Entity) -> str:
    item: dict[str, object] = {}
    key = schema.key_of(entity.name)
    if key is None or schema.column(key) != "id":
        item["id"] = str(_sample(schema, entity, key)) if key else "item-1"
    item["type"] = schema.tables[entity.name]
    for field in entity.fields:
        item[schema.column(field)] = _sample(schema, entity, field)
    return "```json\n" + json.dumps(item, indent=2).replace("`", "\\u0060") + "\n```\n"


def _shard_key(topic: Topic, schema: Schema) -> tuple[Entity, str, str]:
    """The entity holding the shard key, its column, and the key as shown."""
    wanted = str(topic.props.get("shard-key") or "").strip()
    entity_part, _, field_part = wanted.rpartition(".")
    for entity in schema.entities:
        if entity_part and _key(entity_part) != _key(entity.name):
            continue
        for field in entity.fields:
            if wanted and _key(field.name) == _key(field_part):
                return entity, schema.column(field), wanted
    first = schema.entities[0]
    key = schema.key_of(first.name) or (first.fields[0] if first.fields else None)
    column = schema.column(key) if key else "id"
    return first, column, wanted or f"{first.name}.{key.name if key else 'id'}"


def partitioning(entity_name: str, shown: str) -> str:
    return mermaid([
        "flowchart LR",
        f'    request["{label(entity_name)} request<br/>carries {label(shown)}"] --> router{{"hash #40;key#41; mod N"}}',
        *[f'    router --> part{i}[("Partition {name}")]' for i, name in ((1, "1"), (2, "2"), (3, "… N"))],
    ])


def data_model_block(topic: Topic) -> str:
    entities, problems = read_entities(topic.props.get("entities"))
    for message in problems:
        topic.problems.append(Problem(message, key="entities", kind="property", hint=_HINT))
    warning = ""
    if problems:
        warning = ("> [!warning] `entities` could not be read completely\n"
                   + "".join(f"> - {message}\n" for message in problems)
                   + f"> Example: `{_HINT.removeprefix('e.g. ')}`\n")
    if not entities:
        note = ("> [!note] No entities yet\n> Declare them in `entities:`, a field as `name type [pk] [uk] "
                "[fk Entity]`:\n> `entities: {User: [id uuid pk, name text], Url: [code text pk, long_url text,"
                " user_id uuid fk User]}`\n")
        return warning + ("\n" if warning else "") + note
    schema = Schema(entities)
    parts = ([warning] if warning else []) + [er_diagram(schema), "**PostgreSQL**\n", ddl(schema)]
    holder, column, shown = _shard_key(topic, schema)
    nosql = next((n for n in architecture(topic).nodes if n.role == "nosql"), None)
    if nosql:
        product = "DynamoDB" if topic.cloud == "aws" else "Cosmos DB"
        parts += [f"**{product} item**: container `{schema.tables[holder.name]}`, partition key `/{column}`\n",
                  document_item(schema, holder)]
    parts += [f"**Partitioning** by `{schema.tables[holder.name]}.{column}`\n", partitioning(holder.name, shown)]
    return "\n".join(parts)


GENERATORS: dict[str, Callable[[Topic], str]] = {
    "architecture": architecture_block,
    "services": services_block,
    "data-model": data_model_block,
}
