"""Problems are data for the person: collected, shown, never raised."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    """What sort of problem it is (the `kind` of `--json`)."""

    NOTE = "note"  # anything else about one note
    PROPERTY = "property"  # a stub property that cannot be read
    PRICES = "prices"  # the price note
    LIBRARY = "library"  # a library or catalog note
    LINK = "link"  # a name that resolves to nothing
    CONFLICT = "conflict"  # a live block edited by hand
    LIVE_BLOCK = "live-block"  # a broken live-block marker
    FRONTMATTER = "frontmatter"
    ENCODING = "encoding"
    SETTINGS = "settings"
    TEMPLATE = "template"  # a section template
    SIZE = "size"  # a note over the size limit
    UNSAFE = "unsafe"  # a symbolic link where a note should be
    EXISTS = "exists"  # a file that is not overwritten
    IO = "io"  # a read or write that failed
    READ_ONLY = "read-only"
    RETRY = "retry"  # transient: tried again next time


@dataclass(frozen=True)
class Problem:
    """Something a person should fix, found in one note (or the vault).

    `path` is vault-relative with forward slashes; `None` while a pure stage
    has not been told which note it is reading (the caller fills it in with
    `dataclasses.replace`). `key` names the property or live block at fault.
    `hint` says how to fix it, e.g. an example of a valid value.
    """

    message: str
    path: str | None = None
    key: str | None = None
    hint: str | None = None
    kind: Kind = Kind.NOTE

    def line(self) -> str:
        """One line for a terminal."""
        where = self.path or "(vault)"
        key = f" [{self.key}]" if self.key else ""
        hint = f" — {self.hint}" if self.hint else ""
        return f"{where}{key}: {self.message}{hint}"

    def to_json(self) -> dict:
        return {
            "path": self.path,
            "key": self.key,
            "kind": str(self.kind),
            "message": self.message,
            "hint": self.hint,
        }
