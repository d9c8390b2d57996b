"""Live blocks: generated text between Obsidian comment markers.

    %% vault-tools:begin NAME hash=3f9a1c2e %%
    ...generated...
    %% vault-tools:end NAME %%

`hash` is of the text last written there. A block whose text no longer has
that hash was edited by a person and is never overwritten; an emptied block
is handed back to the tool; text without markers is the person's.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Callable

from vault_tools.problems import Kind, Problem

_MARKER = re.compile(
    r"^%% vault-tools:(?P<side>begin|end) (?P<name>[A-Za-z0-9_.-]+)"
    r"(?: hash=(?P<hash>[0-9a-f]{1,64}))? %%[ \t]*(?=\r?$)",
    re.MULTILINE,
)

EMPTY, OWNED, EDITED = "empty", "owned", "edited"
PROBLEM_KINDS = (Kind.CONFLICT, Kind.LIVE_BLOCK)  # the problems `find` and `refresh` report


def digest(content: str) -> str:
    """Short hash of block content, independent of line endings."""
    return hashlib.sha256(content.replace("\r\n", "\n").encode("utf-8")).hexdigest()[:8]


@dataclass(frozen=True)
class LiveBlock:
    """A block found in a note; offsets index the note's text."""

    name: str
    hash: str | None
    start: int  # the begin marker's first character
    inner_start: int  # just past the begin marker's line ending
    inner_end: int  # the end marker's first character
    end: int  # just past the end marker (its line ending is not part of the block)
    inner: str

    @property
    def state(self) -> str:
        if not self.inner.strip():
            return EMPTY
        return OWNED if self.hash is not None and digest(self.inner) == self.hash else EDITED


def find(text: str) -> tuple[list[LiveBlock], list[Problem]]:
    """All well-formed blocks in order, and a Problem per broken marker."""
    blocks: list[LiveBlock] = []
    problems: list[Problem] = []
    open_marker: re.Match | None = None
    for marker in _MARKER.finditer(text):
        name = marker["name"]
        if marker["side"] == "begin":
            if open_marker is not None:
                problems.append(_unclosed(open_marker["name"]))
            open_marker = marker
            continue
        if open_marker is None or open_marker["name"] != name:
            problems.append(Problem(f"live block end marker `{name}` has no begin marker", key=name,
                                    kind=Kind.LIVE_BLOCK, hint="delete the stray marker line"))
            continue
        inner_start = _line_end(text, open_marker.end())
        blocks.append(LiveBlock(name, open_marker["hash"], open_marker.start(), inner_start,
                                marker.start(), marker.end(), text[inner_start:marker.start()]))
        open_marker = None
    if open_marker is not None:
        problems.append(_unclosed(open_marker["name"]))
    return blocks, problems


def _unclosed(name: str) -> Problem:
    return Problem(f"live block `{name}` has no end marker; left as it is", key=name, kind=Kind.LIVE_BLOCK,
                   hint=f"add a line `%% vault-tools:end {name} %%` or delete the begin marker")


def _line_end(text: str, position: int) -> int:
    newline = text.find("\n", position)
    return len(text) if newline < 0 else newline + 1


def render(name: str, content: str, newline: str = "\n") -> str:
    """A whole block (markers included, no trailing line ending) for content."""
    content = _with_final_newline(content)
    body = content.replace("\r\n", "\n").replace("\n", newline)
    return (f"%% vault-tools:begin {name} hash={digest(content)} %%{newline}"
            f"{body}%% vault-tools:end {name} %%")


def _with_final_newline(content: str) -> str:
    return content if not content or content.endswith("\n") else content + "\n"


def refresh(text: str, generate: Callable[[str], str | None], newline: str) -> tuple[str, list[Problem]]:
    """Re-render every block `generate` knows (it returns None for names it
    does not); edited blocks are left alone and reported as conflicts."""
    blocks, problems = find(text)
    pieces: list[str] = []
    position = 0
    for block in blocks:
        content = generate(block.name)
        if content is None:
            continue
        if block.state == EDITED:
            problems.append(Problem(
                f"live block `{block.name}` was edited by hand, so it is no longer updated",
                key=block.name, kind=Kind.CONFLICT,
                hint="empty the block to hand it back, or delete both markers to keep your text"))
            continue
        pieces += [text[position:block.start], render(block.name, content, newline)]
        position = block.end
    pieces.append(text[position:])
    return "".join(pieces), problems
