"""Frontmatter: find it by offsets, load it safely, swap one tag in place.

The person's bytes are never re-dumped: `split` gives offsets into the text
so that everything outside the YAML stays as it was written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml


_FENCE = re.compile(r"---[ \t]*(\r?\n|$)")
_CLOSING = re.compile(r"^---[ \t]*(?:\r?\n|\Z)", re.MULTILINE)

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class FrontmatterError(ValueError):
    """The frontmatter cannot be used; the message is for the person."""

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.hint = hint


@dataclass(frozen=True)
class Span:
    """Offsets of a note's frontmatter: YAML is text[yaml_start:yaml_end];
    the body starts at body_start (just past the closing fence's newline)."""

    yaml_start: int
    yaml_end: int
    body_start: int


def split(text: str) -> Span | None:
    """Find the frontmatter the way Obsidian does: `---` on the very first
    line, closed by the next line that is exactly `---`.

    Returns None when the note has no frontmatter; raises FrontmatterError
    when the opening fence is never closed.
    """
    opening = _FENCE.match(text)
    if not opening or not opening.group(1):
        return None
    start = opening.end()
    closing = _CLOSING.search(text, start)
    if closing is None:
        raise FrontmatterError(
            "frontmatter opened with `---` on line 1 is never closed",
            hint="add a line `---` after the last property",
        )
    return Span(start, closing.start(), closing.end())


class _StrictLoader(_Base):  # type: ignore[misc, valid-type]
    """Safe loader (libyaml when present) that refuses duplicate keys and
    reads scalars the way Obsidian shows them: `10:1` and `2024-01-01` stay
    text, only true/false are booleans."""

    def construct_mapping(self, node, deep=False):  # noqa: ANN001 - PyYAML's signature
        seen: dict[object, int] = {}
        for key_node, _ in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else id(key_node)
            line = key_node.start_mark.line
            if key in seen:
                raise FrontmatterError(
                    f"duplicate key `{key}` (lines {seen[key] + 2} and {line + 2})",
                    hint="keep one of them",
                )
            seen[key] = line
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_int(self, node):  # noqa: ANN001 - PyYAML's signature
        """`!!int 0xfff…` too long to show is refused (ValueError), as a decimal one is."""
        value = super().construct_yaml_int(node)
        str(value)  # raises past Python's limit on digits
        return value


_StrictLoader.add_constructor("tag:yaml.org,2002:int", _StrictLoader.construct_yaml_int)


def _yaml12_resolvers() -> dict:
    resolvers: dict = {}
    for first, entries in yaml.SafeLoader.yaml_implicit_resolvers.items():
        kept = [(tag, rx) for tag, rx in entries
                if tag not in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
                               "tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")]
        resolvers[first] = kept
    core = [
        ("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), "tTfF"),
        ("tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9_]*)$"), "-+0123456789"),
        ("tag:yaml.org,2002:float",
         re.compile(r"^[-+]?(?:[0-9][0-9_]*)?\.[0-9]+(?:[eE][-+]?[0-9]+)?$|^[-+]?[0-9]+[eE][-+]?[0-9]+$"),
         "-+0123456789."),
    ]
    for tag, rx, firsts in core:
        for char in firsts:
            resolvers.setdefault(char, []).append((tag, rx))
    return resolvers


_StrictLoader.yaml_implicit_resolvers = _yaml12_resolvers()


def load(yaml_text: str, max_bytes: int) -> dict:
    """Load frontmatter YAML safely into a dict.

    Refuses (FrontmatterError) YAML over `max_bytes`, anchors and aliases,
    duplicate keys, malformed YAML, anything but a mapping, and nesting
    over _DEEPEST levels.
    """
    size = len(yaml_text.encode("utf-8"))
    if size > max_bytes:
        raise FrontmatterError(
            f"frontmatter is {size:,} bytes, over the {max_bytes:,}-byte limit",
            hint="move long text from the properties into the note body",
        )
    if ("&" in yaml_text or "*" in yaml_text) and _uses_anchors(yaml_text):
        raise FrontmatterError(
            "frontmatter uses YAML anchors or aliases (`&name` / `*name`), which are refused",
            hint="write the values out in full",
        )
    try:
        data = yaml.load(yaml_text, Loader=_StrictLoader)  # noqa: S506 - a safe loader
    except FrontmatterError:
        raise
    except yaml.YAMLError as error:
        raise FrontmatterError(f"malformed YAML {_where(error)}".rstrip(),
                               hint="fix the property on that line; nothing was changed") from None
    except (ValueError, TypeError, RecursionError) as error:
        raise FrontmatterError(f"unreadable YAML: {error}") from None
    except (KeyError, AttributeError):  # PyYAML trips on `!!bool maybe`, `!!timestamp x`
        raise FrontmatterError("unreadable YAML: a value does not fit its `!!` tag",
                               hint="remove the `!!` tag or fix the value") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise FrontmatterError(
            f"frontmatter is a {_kind(data)}, not a set of `key: value` properties",
            hint="write properties as `key: value` lines",
        )
    if _too_deep(data):
        raise FrontmatterError(f"frontmatter nests lists or mappings over {_DEEPEST} levels deep",
                               hint="write the properties out flat")
    return data


_DEEPEST = 50  # properties nest a level or three; far deeper would overflow the stack of whoever reads them


def _too_deep(data: dict) -> bool:
    """Whether lists and mappings nest over _DEEPEST levels (found level by level, not by recursion)."""
    level: list = [data]
    for _ in range(_DEEPEST):
        level = [child for item in level if isinstance(item, (list, dict))
                 for child in (item.values() if isinstance(item, dict) else item)]
    return any(isinstance(item, (list, dict)) for item in level)


def _uses_anchors(yaml_text: str) -> bool:
    try:
        for event in yaml.parse(yaml_text, Loader=_Base):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                return True
    except yaml.YAMLError:
        return False  # the load reports it as malformed
    return False


def _where(error: yaml.YAMLError) -> str:
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or ""
    if mark is None:
        return f": {problem or error}"
    # +2: the YAML starts on the note's line 2, and marks count from 0.
    return f"at line {mark.line + 2}, column {mark.column + 1}: {problem}"


def _kind(data: object) -> str:
    return "list" if isinstance(data, list) else f"single value ({type(data).__name__})"


def tag_values(data: dict) -> list[str]:
    """The note's tags as written in `tags` / `tag` (list or string form)."""
    values: list[str] = []
    for key in ("tags", "tag"):
        raw = data.get(key)
        items = raw if isinstance(raw, list) else [raw]
        for item in items:
            if isinstance(item, str):
                values.extend(part for part in re.split(r"[,\s]+", item) if part)
    return values


def tag_set(data: dict) -> set[str]:
    """The note's tags as compared: lower case, without `#`."""
    return {value.lstrip("#").lower() for value in tag_values(data)}


def has_tag(data: dict, tag: str) -> bool:
    """True if the tag is present: any case, with or without `#`."""
    return tag.lstrip("#").lower() in tag_set(data)


def swap_tag(yaml_text: str, old: str, new: str, max_bytes: int) -> str:
    """Return the YAML text with tag `old` replaced by `new` inside the
    `tags` property and nowhere else; every other byte stays.

    Raises FrontmatterError if the result would mean anything else.
    """
    region = re.search(r"^tags?[ \t]*:(?:.*)(?:\r?\n(?:[ \t-].*|[ \t]*))*", yaml_text, re.MULTILINE)
    token = re.compile(r"(?<![\w/-])(#?)" + re.escape(old.lstrip("#")) + r"(?![\w/-])", re.IGNORECASE)
    found = list(token.finditer(yaml_text, region.start(), region.end())) if region else []
    if not found:
        raise FrontmatterError(f"could not find the tag `{old}` in `tags` to replace it")
    swapped = yaml_text
    for match in reversed(found):  # every copy: one left behind would expand the note again
        swapped = swapped[: match.start()] + match.group(1) + new + swapped[match.end():]
    before, after = load(yaml_text, max_bytes), load(swapped, max_bytes)
    if not has_tag(after, new) or has_tag(after, old) or _without_tags(before) != _without_tags(after):
        raise FrontmatterError(f"could not replace the tag `{old}` without changing other properties",
                               hint=f"change the tag to `{new}` by hand")
    return swapped


def _without_tags(data: dict) -> dict:
    return {key: value for key, value in data.items() if key not in ("tags", "tag")}
