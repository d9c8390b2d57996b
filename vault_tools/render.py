"""Render stage, pure: (note, settings, scaffolds) → the note's new text.

A stub is expanded once into the 13 sections; a topic only has its live
blocks refreshed. Text outside live blocks is never changed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from vault_tools import blocks, frontmatter, live
from vault_tools.note import STUB, TOPIC, Note
from vault_tools.problems import Problem
from vault_tools.sections import LIVE_LINE, ONCE_LINE, Scaffolds, heading
from vault_tools.settings import Settings


@dataclass(frozen=True)
class Rendered:
    """A note's new text (None: nothing to do) and what was found on the way."""

    text: str | None
    problems: list[Problem]
    action: str = ""


def render(note: Note, settings: Settings, scaffolds: Scaffolds) -> Rendered:
    """Expand a stub, refresh a topic; other notes are left as they are."""
    if note.kind == STUB:
        result = expand(note, settings, scaffolds)
    elif note.kind == TOPIC:
        result = refresh(note, settings)
    else:
        return Rendered(None, [])
    problems = [replace(p, path=note.path) if p.path is None else p for p in result.problems]
    return replace(result, problems=problems)


def expand(note: Note, settings: Settings, scaffolds: Scaffolds) -> Rendered:
    """The stub with its tag swapped, its body kept, and the 13 sections after it."""
    try:
        yaml_text = frontmatter.swap_tag(note.yaml_text, settings.trigger_tag, settings.topic_tag,
                                         settings.max_frontmatter_bytes)
    except frontmatter.FrontmatterError as error:
        return Rendered(None, [Problem(str(error), kind="frontmatter", hint=error.hint)])
    span = note.span
    topic = live.Topic(note, settings)
    sections = [_section(number, scaffolds.texts[number - 1], topic, settings) for number in range(1, 14)]
    generated = "\n\n".join(sections) + "\n"
    nl = note.newline
    head = note.text[: span.yaml_start] + yaml_text + note.text[span.yaml_end: span.body_start]
    body = note.body
    if body and not body.endswith("\n"):
        body += nl
    if body.strip():
        body += nl
    return Rendered(head + body + generated.replace("\n", nl), [], "expanded")


def _section(number: int, scaffold: str, topic: live.Topic, settings: Settings) -> str:
    live_text = live.generator_for(topic, live.LIVE)
    once_text = live.generator_for(topic, live.ONCE)
    parts: list[str] = []
    position = 0
    for marker in LIVE_LINE.finditer(scaffold):
        parts.append(_fill_once(scaffold[position:marker.start()], topic, once_text))
        name = marker["name"]
        parts.append(blocks.render(name, live_text(name) or ""))
        position = marker.end()
    parts.append(_fill_once(scaffold[position:], topic, once_text))
    body = "".join(parts).strip("\n")
    return heading(number, settings.heading_icons) + ("\n\n" + body if body else "")


def _fill_once(text: str, topic: live.Topic, once_text) -> str:
    text = text.replace("{{topic}}", topic.name)
    return ONCE_LINE.sub(lambda m: (once_text(m["name"]) or "").rstrip("\n"), text)


def refresh(note: Note, settings: Settings) -> Rendered:
    """Re-render the topic's live blocks that this version knows."""
    generate = live.generator_for(live.Topic(note, settings), live.LIVE)
    text, problems = blocks.refresh(note.text, generate, note.newline)
    return Rendered(text if text != note.text else None, problems, "updated")
