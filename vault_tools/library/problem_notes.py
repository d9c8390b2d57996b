"""Problem notes (`Problems/`, tagged `system-design/problem`): what a
senior engineer knows about one classic interview problem, read from the
note's headed sections and tables, and the matching of a topic to one.

A problem note is written for people first (see the README's "Problem
notes"); the code reads these parts of it:

- `## Scale`: `| Property | Value | Source |` — stub properties and their source;
- `## Published figures`: `| Figure | Published | Source |` — `capacity --json` keys;
- `## Entities`: `| Entity | Fields | Notes |` — fields as `name type [pk] [uk] [fk Entity]`;
- `## APIs`: `| Method | Path | Request | Response | Codes | Notes |`;
- `## Services`: `| Service | Responsibility | Owns | Calls | Publishes | Consumes |` — a call may say
  why in brackets: `Media store (snapshot load at pod start)`;
- `## Infrastructure`: `| Name | Component | Holds / does |` — components of the catalog;
- `## Flows`: a `###` per flow, numbered steps `A → B: message` (`-->` a reply, `-)` async);
- every other `##` section, as text the topic's scaffold takes in.
"""

from __future__ import annotations

import difflib
import os
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from vault_tools.capacity.assumptions import read_split
from vault_tools import markdown
from vault_tools.library.notes import PROBLEM, LibraryNote
from vault_tools.links import slug


@dataclass(frozen=True)
class ScaleRow:
    key: str
    value: str
    source: str


@dataclass(frozen=True)
class EntityRow:
    """A row of `## Entities`: its fields, and where it is kept and partitioned."""

    name: str
    fields: str
    store: str = ""  # the Name of an `## Infrastructure` row
    partition_key: str = ""


@dataclass(frozen=True)
class ExtraCost:
    """A row of `## Extra costs`: a monthly line the price table cannot price
    (a SKU, a vendor fee), `quantity × unit_usd`; `replaces` names the engine
    line it stands in for (`cache`, `database`, `gateway`, …), if any."""

    line: str
    quantity: float
    unit_usd: float
    source: str
    replaces: str = ""


@dataclass(frozen=True)
class Service:
    name: str
    responsibility: str
    owns: tuple[str, ...]
    calls: tuple[str, ...]
    publishes: tuple[tuple[str, tuple[str, ...]], ...]  # (bus, events)
    consumes: tuple[tuple[str, tuple[str, ...]], ...]
    call_notes: tuple[str, ...] = ()  # why each call is made, "" when the note does not say

    def calls_with_notes(self) -> list[tuple[str, str]]:
        return [(name, self.call_notes[i] if i < len(self.call_notes) else "") for i, name in enumerate(self.calls)]


@dataclass(frozen=True)
class Part:
    """A row of `## Infrastructure`: a named instance of a catalog component."""

    name: str
    component: str
    does: str


@dataclass(frozen=True)
class Step:
    """One step of a flow: `source arrow target: text`, or a note (no arrow)."""

    source: str
    target: str
    arrow: str  # "->>" call, "-->>" reply, "-)" async; "" for a note
    text: str


@dataclass(frozen=True)
class Flow:
    title: str
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class ProblemNote:
    """A problem note as the topics read it."""

    path: str
    title: str
    aliases: tuple[str, ...]
    keywords: tuple[str, ...]
    crux: str
    patterns: tuple[str, ...]
    deep_dives: tuple[str, ...]
    trade_offs: tuple[str, ...]
    body: str
    scale: tuple[ScaleRow, ...] = ()
    published: tuple[ScaleRow, ...] = ()
    entities: tuple[EntityRow, ...] = ()
    apis: tuple[dict[str, str], ...] = ()
    services: tuple[Service, ...] = ()
    parts: tuple[Part, ...] = ()
    flows: tuple[Flow, ...] = ()
    actors: tuple[str, ...] = ()
    latency: tuple[tuple[str, float], ...] = ()  # `## Latency budget`: hop → share of the p99
    extra_costs: tuple[ExtraCost, ...] = ()  # `## Extra costs`: what the price table cannot see
    sections: dict[str, str] = field(default_factory=dict)  # lower-case heading → its text

    def section(self, heading: str) -> str:
        """The text under a heading (any level, any case), "" when absent;
        `Services|prose`: without its tables."""
        key = heading.strip().lower()
        if key not in self.sections:
            name, _, how = key.partition("|")
            text = markdown.section(self.body, name.strip())
            if how.strip() == "prose":
                text = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("|"))
            self.sections[key] = re.sub(r"\n{3,}", "\n\n", text).strip("\n")
        return self.sections[key]

    def defaults(self) -> dict[str, str]:
        """The `## Scale` values by property."""
        return {row.key: row.value for row in self.scale}

    def part(self, name: str) -> Part | None:
        return next((p for p in self.parts if _key(p.name) == _key(name)), None)

    def service(self, name: str) -> Service | None:
        return next((s for s in self.services if _key(s.name) == _key(name)), None)


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def problem_note(note: LibraryNote) -> ProblemNote:
    """The problem note behind a library entry of kind `problem` (parsed once per text)."""
    if note.kind != PROBLEM:
        raise ValueError(f"{note.path} is not a problem note")
    return _parse(note.path, note.title, note.aliases, note.keywords, note.crux, note.patterns,
                  note.deep_dives, note.trade_offs, note.body)


@lru_cache(maxsize=256)
def _parse(path: str, title: str, aliases: tuple[str, ...], keywords: tuple[str, ...], crux: str,
           patterns: tuple[str, ...], deep_dives: tuple[str, ...], trade_offs: tuple[str, ...],
           body: str) -> ProblemNote:
    def rows(heading: str) -> list[dict[str, str]]:
        found = markdown.tables(markdown.section(body, heading))
        return [{k: cell.text for k, cell in row.items()} for row in (found[0] if found else [])]

    scale = tuple(ScaleRow(_property(r.get("property", "")), _unquote(r.get("value", "")), r.get("source", ""))
                  for r in rows("Scale") if r.get("property"))
    published = tuple(ScaleRow(r.get("figure", "").strip("` "), r.get("published", ""), r.get("source", ""))
                      for r in rows("Published figures") if r.get("figure"))
    entities = tuple(EntityRow(r["entity"].strip(), r.get("fields", ""), r.get("store", "").strip(),
                               r.get("partition key", "").strip().strip("`"))
                     for r in rows("Entities") if r.get("entity"))
    apis = tuple(r for r in rows("APIs") if r.get("method") and r.get("path"))
    services = tuple(_service(r) for r in rows("Services") if r.get("service"))
    parts = tuple(Part(r["name"].strip(), r.get("component", "").strip().lower(),
                       r.get("holds / does", r.get("holds", r.get("does", ""))))
                  for r in rows("Infrastructure") if r.get("name"))
    actors = tuple(r["actor"].strip() for r in rows("Actors") if r.get("actor"))
    return ProblemNote(path, title, aliases, keywords, crux, patterns, deep_dives, trade_offs, body, scale,
                       published, entities, apis, services, parts, _flows(markdown.section(body, "Flows")), actors,
                       read_split(rows("Latency budget")), _extra_costs(rows("Extra costs")))


def _extra_costs(rows: list[dict[str, str]]) -> tuple[ExtraCost, ...]:
    """`| Line | Quantity | Unit price (USD) | Source | Replaces |` rows whose numbers read."""
    found = []
    for row in rows:
        quantity = _number(row.get("quantity", ""))
        price = _number(next((v for k, v in row.items() if k.startswith("unit price")), ""))
        if row.get("line") and quantity is not None and price is not None:
            replaces = row.get("replaces", "").strip("` ").lower()
            found.append(ExtraCost(row["line"].strip(), quantity, price, row.get("source", ""),
                                   "" if replaces in ("", "none", "—", "-") else replaces))
    return tuple(found)


def _number(text: str) -> float | None:
    match = re.fullmatch(r"\s*\$?\s*([\d,]*\.?\d+)\s*", text)
    return float(match[1].replace(",", "")) if match else None


def _property(text: str) -> str:
    return text.strip("` ").lower().replace("_", "-")


def _unquote(text: str) -> str:
    text = text.strip().strip("`").strip()
    return text[1:-1] if len(text) > 1 and text[0] == text[-1] and text[0] in "\"'" else text


def _service(row: dict[str, str]) -> Service:
    calls = [_EVENTS.match(name) for name in _names(row.get("calls", ""))]  # `Name (why)`, like a bus's events
    return Service(row["service"].strip(), row.get("responsibility", ""), _names(row.get("owns", "")),
                   tuple(m["bus"].strip() for m in calls if m), _events(row.get("publishes", "")),
                   _events(row.get("consumes", "")), tuple((m["events"] or "").strip() for m in calls if m))


def _names(text: str) -> tuple[str, ...]:
    """`Trip DB, Pricing service` → names; `none` / `—` → ()."""
    names = [name.strip() for name in text.split(",")]
    return tuple(name for name in names if name and name.lower() not in ("none", "—", "-", "n/a"))


_EVENTS = re.compile(r"^(?P<bus>[^(]+?)\s*(?:\((?P<events>[^)]*)\))?$")


def _events(text: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """`Ride events (ride.requested, ride.completed); Location stream` → ((bus, events), ...)."""
    found = []
    for item in text.split(";"):
        match = _EVENTS.match(item.strip())
        if match and match["bus"].strip().lower() not in ("none", "—", "-", "n/a", ""):
            events = tuple(e.strip() for e in (match["events"] or "").split(",") if e.strip())
            found.append((match["bus"].strip(), events))
    return tuple(found)


_STEP = re.compile(r"^(?P<source>[^→:]+?)\s*(?P<arrow>-->|--&gt;|-\)|→|->)\s*(?P<target>[^:]+?)\s*:\s*(?P<text>.*)$")
_ARROWS = {"→": "->>", "->": "->>", "-->": "-->>", "--&gt;": "-->>", "-)": "-)"}


def _flows(text: str) -> tuple[Flow, ...]:
    flows, title, steps = [], "", []
    for line in text.splitlines():
        heading = re.match(r"^###\s+(.+?)\s*#*\s*$", line)
        item = re.match(r"^\s*\d+[.)]\s+(.*\S)\s*$", line)
        if heading:
            if title and steps:
                flows.append(Flow(title, tuple(steps)))
            title, steps = heading[1], []
        elif item and title:
            match = _STEP.match(item[1])
            if match:
                steps.append(Step(match["source"].strip(), match["target"].strip(), _ARROWS[match["arrow"]],
                                  match["text"].strip()))
            else:
                steps.append(Step("", "", "", item[1]))
    if title and steps:
        flows.append(Flow(title, tuple(steps)))
    return tuple(flows)


# -- matching a topic's title ---------------------------------------------------------

# Words that say nothing about which system is meant (PRODUCT: "ignoring
# design, articles, like, system, service, app").
_FILLER = frozenset(
    "a an the design designing build building create how would you we i to of for our my your in on with and "
    "or like similar clone system systems service services app apps application applications platform "
    "scalable simple basic".split())


@lru_cache(maxsize=4096)
def words(text: str) -> tuple[str, ...]:
    """A title as the words that matter: accents, case, punctuation and filler gone, plurals singular."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    found = re.findall(r"[a-z0-9]+", plain.replace("'", ""))
    return tuple(_singular(word) for word in found if word not in _FILLER)


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


@dataclass(frozen=True)
class Match:
    """Which problem a topic is, and why (`problem` None: no match; `closest` then)."""

    problem: LibraryNote | None
    reason: str
    closest: tuple[LibraryNote, ...] = ()


def _contains(haystack: tuple[str, ...], needle: tuple[str, ...]) -> bool:
    size = len(needle)
    return bool(size) and any(all(_same(a, b) for a, b in zip(haystack[i:i + size], needle))
                              for i in range(len(haystack) - size + 1))


def _same(a: str, b: str) -> bool:
    """One word in two forms: equal, or sharing a stem of at least 5 letters
    that is most of the shorter (shortener ~ shortening, autocomplete ~ autocompletion)."""
    if a == b:
        return True
    if a[:5] != b[:5] or len(a) < 5 or len(b) < 5:
        return False
    stem = len(os.path.commonprefix((a, b)))
    return stem >= 5 and stem >= 0.75 * min(len(a), len(b))


@lru_cache(maxsize=8)
def _library_words(problems: tuple[LibraryNote, ...]) -> tuple[tuple[LibraryNote, tuple[tuple[tuple[str, ...], str], ...],
                                                          tuple[tuple[str, ...], ...], frozenset[str]], ...]:
    """Each problem's names and aliases, and its keywords, as words (once per library)."""
    index = []
    for note in problems:
        names = tuple((words(name), name) for name in (note.title, *note.aliases))
        keywords = tuple(words(k) for k in note.keywords)
        vocabulary = frozenset(w for tokens, _ in names for w in tokens) | {w for k in keywords for w in k}
        index.append((note, names, keywords, vocabulary))
    return tuple(index)


def match_title(title: str, problems: list[LibraryNote]) -> Match:
    """The problem a title names: the longest alias (or name) found in it,
    else the most keywords; with no match, the closest problems."""
    wanted = words(title)
    stems = {word[:5] for word in wanted}  # a word matches only words that start the same
    index = _library_words(tuple(problems))
    best: tuple[int, int, str, LibraryNote] | None = None
    for note, names, _, _ in index:
        for tokens, name in names:
            if all(token[:5] in stems for token in tokens) and _contains(wanted, tokens):
                score = (len(tokens), len(" ".join(tokens)))
                if best is None or score > best[:2]:
                    best = (*score, name, note)
    if best is not None:
        return Match(best[3], f"the title names `{best[2]}`")
    counted = []
    for note, _, keywords, _ in index:
        hits = [k for k, tokens in zip(note.keywords, keywords)
                if all(token[:5] in stems for token in tokens) and _contains(wanted, tokens)]
        if hits:
            counted.append((len(hits), hits, note))
    counted.sort(key=lambda item: -item[0])
    if counted and (len(counted) == 1 or counted[0][0] > counted[1][0]):
        count, hits, note = counted[0]
        return Match(note, "the title mentions " + ", ".join(f"`{hit}`" for hit in hits))
    return Match(None, "no problem's name, alias or keywords are in the title", closest(title, problems))


@lru_cache(maxsize=64)
def _stems(vocabulary: frozenset[str]) -> frozenset[str]:
    return frozenset(word[:5] for word in vocabulary)


def closest(title: str, problems: list[LibraryNote], count: int = 3) -> tuple[LibraryNote, ...]:
    """The problems sharing the most words with a title, then the nearest by
    spelling of their title, for a hint."""
    wanted = words(title)
    ranked = []
    for note, _, _, vocabulary in _library_words(tuple(problems)):
        stems = _stems(vocabulary)
        shared = sum(word[:5] in stems and any(_same(word, other) for other in vocabulary) for word in wanted)
        spelling = difflib.SequenceMatcher(None, " ".join(wanted), " ".join(words(note.title))).ratio()
        ranked.append((-shared, -spelling, note.title, note))
    return tuple(item[3] for item in sorted(ranked)[:count])


def find_named(name: str, problems: list[LibraryNote]) -> LibraryNote | None:
    """The problem a `problem:` property names: its title, an alias or a slug, any case."""
    wanted = slug(name)
    for note in problems:
        if wanted in {slug(n) for n in (note.title, *note.aliases)} or wanted == slug(note.path[:-3]):
            return note
    return None
