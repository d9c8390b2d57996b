"""The §4 data model from `entities:`: ER diagram, PostgreSQL DDL, a
document item and the partitioning picture."""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from vault_tools.problems import Kind, Problem
from vault_tools.diagrams.architecture import architecture
from vault_tools.diagrams.mermaid import code, er_word, ident, label, mermaid, slug

if TYPE_CHECKING:
    from vault_tools.topic import Topic

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
            while rest and rest[-1].lower() in ("pk", "uk", "unique"):  # `fk Trip uk`: flags after the name
                flag = rest.pop().lower()
                pk, unique = pk or flag == "pk", unique or flag != "pk"
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
                one = field.unique or (field.pk and len(entity.keys) == 1)  # at most one row per referenced row
                link = "||--o|" if one else "||--o{"
                lines.append(f'    {schema.ids[field.fk]} {link} {schema.ids[entity.name]} : "{label(field.name)}"')
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
                if not (field.unique or (field.pk and keys[0] is field)):  # the key's own index covers it
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
    entities, problems = read_entities(topic.entities)
    for message in problems:
        topic.problems.append(Problem(message, key="entities", kind=Kind.PROPERTY, hint=_HINT))
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
    placed = _placed(topic, schema)
    if placed:
        return "\n".join(([warning] if warning else []) + [er_diagram(schema)] + _by_store(topic, schema, placed))
    parts = ([warning] if warning else []) + [er_diagram(schema), "**PostgreSQL**\n", ddl(schema)]
    holder, column, shown = _shard_key(topic, schema)
    nosql = next((n for n in architecture(topic).nodes if n.role == "nosql"), None)
    if nosql:
        product = "DynamoDB" if topic.cloud == "aws" else "Cosmos DB"
        parts += [f"**{product} item**: container `{schema.tables[holder.name]}`, partition key `/{column}`\n",
                  document_item(schema, holder)]
    parts += [f"**Partitioning** by `{schema.tables[holder.name]}.{column}`\n", partitioning(holder.name, shown)]
    return "\n".join(parts)


def _placed(topic: Topic, schema: Schema) -> dict[str, tuple[str, str, str]]:
    """Entity → (store, its role, partition key), from the problem's `## Entities`
    when the topic's entities are the problem's and each row names its store."""
    problem = topic.problem
    if problem is None or topic.props.get("entities") not in (None, "", [], {}):
        return {}
    rows = {_key(row.name): row for row in problem.entities}
    placed = {}
    for entity in schema.entities:
        row = rows.get(_key(entity.name))
        part = problem.part(row.store) if row and row.store else None
        if part is None:
            return {}
        component = topic.context.catalog.find(part.component)
        placed[entity.name] = (part.name, component.role if component else part.component, row.partition_key)
    return placed


def _by_store(topic: Topic, schema: Schema, placed: dict[str, tuple[str, str, str]]) -> list[str]:
    """The DDL of the entities kept in SQL, a document of the first kept in
    NoSQL, and which store holds each entity, partitioned by what."""
    parts = []
    for store in dict.fromkeys(placed[e.name][0] for e in schema.entities if placed[e.name][1] == "sql"):
        inside = {e.name for e in schema.entities if placed[e.name][0] == store}
        tables = [Entity(e.name, tuple(f if not f.fk or f.fk in inside else
                                       Field(f.name, schema.type_of(f), f.pk, f.unique, "") for f in e.fields))
                  for e in schema.entities if e.name in inside]  # a reference to another database is a plain column
        parts += [f"**PostgreSQL** ({store})\n", ddl(Schema(tables))]
    document = next((e for e in schema.entities if placed[e.name][1] == "nosql"
                     and _document_store(topic, placed[e.name][0])), None)
    if document is not None and "```json" not in topic.problem.section("Storage"):  # else the note's real item
        product = "DynamoDB" if topic.cloud == "aws" else "Cosmos DB"
        key = placed[document.name][2]
        container = f"container `{schema.tables[document.name]}`" + (f", partition key `/{ident(key, 'k')}`"
                                                                      if key and key.lower() != "none" else "")
        parts += [f"**{product} item** ({placed[document.name][0]}): {container}\n", document_item(schema, document)]
    parts += ["**Where each entity lives, partitioned by what**\n", placement(schema, placed)]
    return parts


def _document_store(topic: Topic, store: str) -> bool:
    """Whether the part is Cosmos DB / DynamoDB (a document sample fits), not
    say Cassandra, which its description names instead."""
    part = topic.problem.part(store)
    named = part.does.lower() if part else ""
    return not any(word in named for word in ("cassandra", "scylla", "mongodb", "hbase", "bigtable")) or \
        any(word in named for word in ("cosmos", "dynamodb"))


def placement(schema: Schema, placed: dict[str, tuple[str, str, str]]) -> str:
    """A box per store holding its entities, each with its partition key."""
    lines = ["flowchart LR"]
    stores = list(dict.fromkeys(store for store, _, _ in placed.values()))
    for index, store in enumerate(stores, 1):
        lines.append(f'    subgraph store_{index} ["{label(store)}"]')
        for entity in schema.entities:
            name, _, key = placed[entity.name]
            if name == store:
                by = "single partition" if not key or key.lower() == "none" else f"partition key: {key}"
                lines.append(f'        {schema.ids[entity.name]}["{label(entity.name)}<br/>{label(by)}"]')
        lines.append("    end")
    for entity in schema.entities:
        for field in entity.fields:
            if field.fk and placed[field.fk][0] != placed[entity.name][0]:
                lines.append(f"    {schema.ids[entity.name]} -.->|\"{label(field.name)}\"| {schema.ids[field.fk]}")
    return mermaid(lines)
