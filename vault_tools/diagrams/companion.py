"""Companion notes the tool owns beside a topic (its Excalidraw drawing).

The same hash rule as live blocks, for a whole file: the frontmatter records
the hash of what the tool wrote; once the file no longer matches it (a person
drew on it), the tool never writes it again.
"""

from __future__ import annotations

import re

from vault_tools.blocks import digest

HASH_KEY = "vault-tools-hash"
_HASH_LINE = re.compile(rf"^{HASH_KEY}: (?P<hash>[0-9a-f]+)\r?\n", re.MULTILINE)


def drawing_path(topic_path: str) -> str:
    """`Topics/Chat.md` → `Topics/Chat.excalidraw.md`."""
    return topic_path.removesuffix(".md") + ".excalidraw.md"


def stamped(text: str) -> str:
    """The generated note with its hash recorded in the frontmatter."""
    if not text.startswith("---\n"):
        raise ValueError("a companion note starts with frontmatter")
    return f"---\n{HASH_KEY}: {digest(text)}\n{text[4:]}"


def owned(existing: str) -> bool:
    """Whether the file is still exactly what the tool wrote."""
    match = _HASH_LINE.search(existing)
    if match is None:
        return False
    return digest(existing[: match.start()] + existing[match.end():]) == match["hash"]
