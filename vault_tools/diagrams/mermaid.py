"""Mermaid text that survives anything a person types: labels as entity
codes, ids as ASCII slugs."""

from __future__ import annotations

import re


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
