"""Markdown structure with mistune 3: tables, links and wikilinks, the way
Obsidian reads them (a link inside code is not a link)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote

import mistune

WIKILINK = (r"(?P<wl_embed>!?)\[\[(?P<wl_target>[^\[\]|\\\n#^]*)(?P<wl_anchor>[#^][^\[\]|\\\n]*)?"
             r"(?:\\?\|(?P<wl_alias>[^\[\]\n]*?))?\]\]")


@dataclass(frozen=True)
class Link:
    """A link as written: its target (no `.md`, no anchor), anchor, whether it embeds."""

    target: str
    anchor: str = ""
    embed: bool = False


def _parse_wikilink(inline, match: re.Match, state) -> int:
    state.append_token({
        "type": "wikilink",
        "raw": match.group(0),
        "attrs": {"link": Link(match["wl_target"].strip(), (match["wl_anchor"] or "")[1:], bool(match["wl_embed"]))},
    })
    return match.end()


def _wikilinks(md: mistune.Markdown) -> None:
    md.inline.register("wikilink", WIKILINK, _parse_wikilink, before="link")


@lru_cache(maxsize=1)
def _parser() -> mistune.Markdown:
    return mistune.create_markdown(renderer=None, plugins=["table", _wikilinks])


def tokens(text: str) -> list[dict]:
    """The block tokens of Markdown text (frontmatter must be cut off first)."""
    return _parser()(text)


def _walk(items: list[dict]):
    for token in items:
        yield token
        yield from _walk(token.get("children") or [])


def markdown_link(url: str, embed: bool = False) -> Link | None:
    """`Deep%20Dives/Rate%20Limiting.md#Summary` → Link; external URLs → None."""
    if not url or re.match(r"^[a-z][a-z0-9+.-]*:", url, re.IGNORECASE):
        return None
    path, _, anchor = unquote(url).partition("#")
    path = path[:-3] if path.lower().endswith(".md") else path
    return Link(path.strip(), anchor, embed) if path.strip() else None


def plain(items: list[dict]) -> str:
    """Inline tokens back to Markdown text as written (near enough for a cell)."""
    out: list[str] = []
    for token in items:
        kind = token["type"]
        if kind in ("text", "wikilink"):
            out.append(token["raw"])
        elif kind == "codespan":
            out.append(f"`{token['raw']}`")
        elif kind in ("strong", "emphasis", "strikethrough"):
            mark = {"strong": "**", "emphasis": "*", "strikethrough": "~~"}[kind]
            out.append(mark + plain(token["children"]) + mark)
        elif kind in ("link", "image"):
            out.append(("!" if kind == "image" else "") + f"[{plain(token['children'])}]({token['attrs']['url']})")
        elif kind in ("linebreak", "softbreak"):
            out.append(" ")
        else:
            out.append(token.get("raw", "") or plain(token.get("children") or []))
    return "".join(out).strip()


@dataclass(frozen=True)
class Cell:
    text: str
    links: tuple[Link, ...]


def tables(text: str) -> list[list[dict[str, Cell]]]:
    """Every table: a list of rows, each a dict header (lower-case) → Cell."""
    found = []
    for token in _walk(tokens(text)):
        if token["type"] != "table":
            continue
        head = next(c for c in token["children"] if c["type"] == "table_head")
        body = next((c for c in token["children"] if c["type"] == "table_body"), {"children": []})
        names = [plain(cell["children"]).strip("*_ ").lower() for cell in head["children"]]
        rows = []
        for row in body["children"]:
            cells = [_cell(cell["children"]) for cell in row["children"]]
            rows.append(dict(zip(names, cells)))
        found.append(rows)
    return found


def _cell(items: list[dict]) -> Cell:
    found = []
    for token in _walk(items):
        if token["type"] == "wikilink":
            found.append(token["attrs"]["link"])
        elif token["type"] == "link":
            link = markdown_link(token["attrs"].get("url", ""))
            if link:
                found.append(link)
    return Cell(plain(items), tuple(found))


def section(text: str, heading: str) -> str:
    """The text under a `##`/`###` heading (matched without case), up to the
    next heading of the same or a higher level; "" when absent. A `#` line
    inside a fenced code block is code, not a heading."""
    wanted = heading.strip().lower()
    lines = text.splitlines(keepends=True)
    start = level = None
    fence = ""
    for index, line in enumerate(lines):
        stripped = line.strip()
        if fence:
            fence = "" if stripped.startswith(fence) and not stripped.strip(fence[0]) else fence
            continue
        if stripped.startswith(("```", "~~~")):
            fence = stripped[:3]
            continue
        match = re.match(r"^(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$", line.rstrip("\r\n"))
        if not match:
            continue
        if start is None:
            if len(match[1]) >= 2 and match[2].strip().lower() == wanted:
                start, level = index + 1, len(match[1])
        elif len(match[1]) <= level:
            return "".join(lines[start:index])
    return "" if start is None else "".join(lines[start:])


def bullets(text: str) -> list[str]:
    """Top-level bullet items of a piece of Markdown, as written."""
    items = []
    for token in tokens(text):
        if token["type"] != "list":
            continue
        for item in token["children"]:
            parts = [plain(child.get("children") or []) for child in item["children"]
                     if child["type"] in ("block_text", "paragraph")]
            text_ = " ".join(p for p in parts if p)
            if text_:
                items.append(text_)
    return items


def cell(value: object) -> str:
    """A value as one Markdown table cell (pipes and newlines escaped)."""
    if isinstance(value, list):
        value = ", ".join(str(item) for item in value)
    return str(value).replace("|", "\\|").replace("\n", " ").strip()


def table(header: list[str], rows: list[list[str]]) -> str:
    """A Markdown table (cells already escaped with `cell`)."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"
