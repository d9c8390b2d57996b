"""Render stage, pure: (note, context) → the note's new text.

A stub is expanded once into the 13 sections; a topic only has its live
blocks refreshed. Text outside live blocks is never changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from vault_tools import blocks, frontmatter, generators
from vault_tools.diagrams import companion, excalidraw
from vault_tools.note import STUB, TOPIC, Note
from vault_tools.problems import Kind, Problem
from vault_tools.sections import IF_PROBLEM, LIVE_LINE, ONCE_LINE, PROBLEM_LINE, Scaffolds, heading
from vault_tools.topic import Context, Topic


@dataclass(frozen=True)
class Rendered:
    """A note's new text (None: nothing to do), what was found on the way,
    the topic it was rendered as (None for notes that are not topics), and
    the companion files it comes with (path → text: its drawing)."""

    text: str | None
    problems: list[Problem] = field(default_factory=list)
    action: str = ""
    topic: Topic | None = None
    companions: dict[str, str] = field(default_factory=dict)


def render(note: Note, context: Context, scaffolds: Scaffolds) -> Rendered:
    """Expand a stub, refresh a topic; other notes are left as they are."""
    if note.kind not in (STUB, TOPIC):
        return Rendered(None)
    topic = Topic(note, context)
    result = expand(topic, scaffolds) if note.kind == STUB else refresh(topic)
    found = result.problems + topic.problems + topic.capacity.problems
    problems = [replace(p, path=note.path) if p.path is None else p for p in found]
    return replace(result, problems=problems, topic=topic, companions=companions(topic))


def companions(topic: Topic) -> dict[str, str]:
    """The topic's drawing, stamped as the tool's, when it has components."""
    if not topic.components:
        return {}
    return {companion.drawing_path(topic.note.path): companion.stamped(excalidraw.drawing_note(topic))}


def expand(topic: Topic, scaffolds: Scaffolds) -> Rendered:
    """The stub with its tag swapped, its body kept, and the 13 sections after it."""
    note, settings = topic.note, topic.context.settings
    try:
        yaml_text = frontmatter.swap_tag(note.yaml_text, settings.trigger_tag, settings.topic_tag,
                                         settings.max_frontmatter_bytes)
    except frontmatter.FrontmatterError as error:
        return Rendered(None, [Problem(str(error), kind=Kind.FRONTMATTER, hint=error.hint)])
    span = note.span
    sections = [_section(number, scaffolds.texts[number - 1], topic) for number in range(1, 14)]
    generated = "\n\n".join(sections) + "\n"
    nl = note.newline
    head = note.text[: span.yaml_start] + yaml_text + note.text[span.yaml_end: span.body_start]
    if not head.endswith("\n"):
        head += nl  # a closing fence that ends the note needs a line ending before the sections
    body = note.body
    if body and not body.endswith("\n"):
        body += nl
    if body.strip():
        body += nl
    return Rendered(head + body + generated.replace("\n", nl), [], "expanded")


def _section(number: int, scaffold: str, topic: Topic) -> str:
    live_text = generators.generator_for(topic, generators.LIVE)
    once_text = generators.generator_for(topic, generators.ONCE)
    has_problem = topic.problem is not None
    scaffold = IF_PROBLEM.sub(lambda m: m["text"] if (m["sign"] == "#") == has_problem else "", scaffold)
    parts: list[str] = []
    position = 0
    for marker in LIVE_LINE.finditer(scaffold):
        parts.append(_fill_once(scaffold[position:marker.start()], topic, once_text))
        name = marker["name"]
        parts.append(blocks.render(name, live_text(name) or ""))
        position = marker.end()
    parts.append(_fill_once(scaffold[position:], topic, once_text))
    body = "".join(parts).strip("\n")
    return heading(number, topic.context.settings.heading_icons) + ("\n\n" + body if body else "")


def _problem_text(topic: Topic, match: re.Match) -> str:
    """A section of the topic's problem note; a section it lacks takes its blank line with it."""
    text = topic.problem.section(match["heading"]) if topic.problem else ""
    return text + (match["blank"] or "") if text else ""


def _fill_once(text: str, topic: Topic, once_text) -> str:
    text = text.replace("{{topic}}", topic.name)
    text = PROBLEM_LINE.sub(lambda m: _problem_text(topic, m), text)
    return ONCE_LINE.sub(lambda m: (once_text(m["name"]) or "").rstrip("\n"), text)


def refresh(topic: Topic) -> Rendered:
    """Re-render the topic's live blocks that this version knows."""
    note = topic.note
    text, problems = blocks.refresh(note.text, generators.generator_for(topic, generators.LIVE), note.newline)
    return Rendered(text if text != note.text else None, problems, "updated")
