"""Index stage: what each topic contributes to the cross-topic notes.

Facts are taken from a topic's text as it will be on disk (so a row a person
edited by hand flows across), and from its capacity figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from vault_tools import markdown
from vault_tools.library.notes import LibraryNote
from vault_tools.links import Resolver
from vault_tools.sections import heading_regex

# Each pattern starts with a literal, which `re` scans for quickly; they run
# on "\n" + body, so "\n" stands for the start of a line.
_FENCE = re.compile(r"\n(```|~~~).*?\n\1[ \t]*(?=\n|\Z)", re.DOTALL)
_INLINE_CODE = re.compile(r"`[^`\n]*`")
_LINK_TARGET = re.compile(markdown.WIKILINK.removeprefix("(?P<wl_embed>!?)"))
_TRADE_OFF_SECTION = re.compile("\n" + heading_regex(12))


@dataclass(frozen=True)
class Row:
    """One row of a topic's trade-off table, as the person left it."""

    path: str  # the trade-off note it links
    choice: str
    why: str


@dataclass(frozen=True)
class TopicFacts:
    path: str
    name: str
    links: frozenset[str]  # library notes the topic links anywhere in its body
    rows: tuple[Row, ...]
    figures: tuple[tuple[str, object], ...]  # capacity --json, as sorted items

    @property
    def figure(self) -> dict:
        return dict(self.figures)


def topic_facts(path: str, name: str, body: str, resolver: Resolver, library: dict[str, LibraryNote],
                figures: dict) -> TopicFacts:
    """The facts of one topic from its body text (frontmatter cut off)."""
    linked = set()
    prose = _INLINE_CODE.sub("", _FENCE.sub("\n", "\n" + body))
    targets = {match["wl_target"] for match in _LINK_TARGET.finditer(prose)}
    for written in targets:  # the same few notes are linked many times over
        target = resolver.resolve(written, path)
        if target in library:
            linked.add(target)
    rows = []
    for table in markdown.tables(_trade_off_section(body)):
        for row in table:
            decision, choice, why = row.get("decision"), row.get("choice"), row.get("why")
            if decision is None:
                continue
            for link in decision.links:
                target = resolver.resolve(link.target, path)
                if target in library:
                    rows.append(Row(target, choice.text if choice else "", why.text if why else ""))
                    linked.add(target)
    kept = tuple(sorted((k, v) for k, v in figures.items() if isinstance(v, (int, float, str, type(None)))))
    return TopicFacts(path, name, frozenset(linked), tuple(rows), kept)


def _trade_off_section(body: str) -> str:
    """The tables of section 12 that have a Choice column (parsing only
    those keeps indexing cheap: mistune is the slow part)."""
    body = "\n" + body
    match = _TRADE_OFF_SECTION.search(body)
    if not match:
        return ""
    end = re.search(r"^##[ \t]", body[match.end():], re.MULTILINE)
    section = body[match.end(): match.end() + end.start()] if end else body[match.end():]
    candidates = re.findall(r"(?:^[ \t]*\|.*(?:\r?\n|$))+", section, re.MULTILINE)
    return "\n".join(table for table in candidates if "choice" in table.split("\n", 1)[0].lower())
