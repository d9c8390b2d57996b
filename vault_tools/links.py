"""Link resolution and link writing, the way Obsidian does them.

Resolution: exact vault path, then the note of that name (same folder as the
linking note first, then the shortest path), then aliases — all without case.
Writing follows `.obsidian/app.json`: wikilinks or Markdown links, and the
shortest / relative / absolute path format.
"""

from __future__ import annotations

import difflib
import posixpath
import re
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import quote


def _stem(path: str) -> str:
    return posixpath.basename(path)[:-3] if path.endswith(".md") else posixpath.basename(path)


def slug(text: str) -> str:
    """`Rate Limiting` / `rate_limiting` / `[[Rate limiting]]` → `rate-limiting`."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


class Resolver:
    """Resolves link text to vault paths over a set of notes and their aliases."""

    def __init__(self, notes: dict[str, tuple[str, ...]] | None = None):
        """`notes`: vault path (with `.md`) → the note's aliases."""
        self.paths: dict[str, tuple[str, ...]] = {}
        self._by_path: dict[str, str] = {}
        self._by_name: dict[str, list[str]] = defaultdict(list)
        self._by_alias: dict[str, list[str]] = defaultdict(list)
        self._by_slug: dict[str, list[str]] = defaultdict(list)
        for path, aliases in sorted((notes or {}).items()):
            self.set(path, aliases)

    def set(self, path: str, aliases: tuple[str, ...] = ()) -> None:
        """Add a note, or update its aliases (the watcher keeps one resolver up to date)."""
        if self.paths.get(path) == aliases:
            return
        self.remove(path)
        self.paths[path] = aliases
        self._by_path[path[:-3].lower()] = path
        self._by_name[_stem(path).lower()].append(path)
        self._by_slug[slug(_stem(path))].append(path)
        for alias in aliases:
            self._by_alias[alias.lower()].append(path)
            self._by_slug[slug(alias)].append(path)

    def remove(self, path: str) -> None:
        aliases = self.paths.pop(path, None)
        if aliases is None:
            return
        self._by_path.pop(path[:-3].lower(), None)
        keys = [(self._by_name, _stem(path).lower()), (self._by_slug, slug(_stem(path)))]
        keys += [(self._by_alias, alias.lower()) for alias in aliases]
        keys += [(self._by_slug, slug(alias)) for alias in aliases]
        for table, key in keys:
            if path in table.get(key, ()):
                table[key].remove(path)
                if not table[key]:
                    del table[key]

    def resolve(self, target: str, source: str = "") -> str | None:
        """The path a link from `source` to `target` opens, or None. A target
        ending in `.md` is first a note of that very name (`0.MD` → `0.MD.md`),
        then the note the extension names."""
        target = target.strip().strip("/")
        if target.lower().endswith(".md"):
            return self._resolve(target, source) or self._resolve(target[:-3], source)
        return self._resolve(target, source)

    def _resolve(self, target: str, source: str) -> str | None:
        if not target:
            return None
        key = target.lower()
        folder = posixpath.dirname(source)
        if folder and f"{folder}/{target}".lower() in self._by_path:
            return self._by_path[f"{folder}/{target}".lower()]
        if key in self._by_path:
            return self._by_path[key]
        if "/" in key:
            suffix = [p for p in self.paths if p[:-3].lower().endswith("/" + key)]
            if suffix:
                return _closest(suffix, source)
        for table, lookup in ((self._by_name, key), (self._by_alias, key), (self._by_slug, slug(target))):
            found = table.get(lookup)
            if found:
                return _closest(found, source)
        return None

    def unique_name(self, path: str) -> bool:
        """Whether the note's name alone identifies it in the vault."""
        return all(other == path for other in self._by_name.get(_stem(path).lower(), []))

    def shared_names(self) -> list[str]:
        """Note names that more than one note has (links to them need a path)."""
        return sorted(name for name, paths in self._by_name.items() if len(paths) > 1)

    def suggestion(self, target: str, within: str = "") -> str | None:
        """The closest existing note name, for a hint."""
        names = {_stem(p): p for p in self.paths if not within or p.startswith(within.rstrip("/") + "/")}
        close = difflib.get_close_matches(target, list(names), n=1, cutoff=0.5)
        return close[0] if close else None


def _closest(candidates: list[str], source: str) -> str:
    folder = posixpath.dirname(source)
    same = [p for p in candidates if posixpath.dirname(p) == folder]
    return min(same or candidates, key=lambda p: (p.count("/"), len(p), p))


@dataclass(frozen=True)
class LinkStyle:
    """How links are written in this vault (`.obsidian/app.json`)."""

    markdown: bool = False  # useMarkdownLinks
    format: str = "shortest"  # newLinkFormat: shortest | relative | absolute

    def link(self, path: str, source: str, resolver: Resolver, text: str = "", anchor: str = "",
             embed: bool = False) -> str:
        """A link from the note at `source` to the note at `path`."""
        target = self._target(path, source, resolver)
        bang = "!" if embed else ""
        if self.markdown:
            url = quote(target + ".md" + (f"#{anchor}" if anchor else ""), safe="/#")
            return f"{bang}[{text or _stem(path)}]({url})"
        anchor_part = f"#{anchor}" if anchor else ""
        alias = f"|{text}" if text and text != _stem(path) and not embed else ""
        return f"{bang}[[{target}{anchor_part}{alias}]]"

    def _target(self, path: str, source: str, resolver: Resolver) -> str:
        bare = path[:-3] if path.endswith(".md") else path
        if self.format == "absolute":
            return bare
        if self.format == "relative":
            return posixpath.relpath(bare, posixpath.dirname(source) or ".")
        return _stem(path) if resolver.unique_name(path) else bare
