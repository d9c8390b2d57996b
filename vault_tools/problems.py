"""Problems are data for the person: collected, shown, never raised."""

from __future__ import annotations

from dataclasses import dataclass


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
    kind: str = "note"

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
            "kind": self.kind,
            "message": self.message,
            "hint": self.hint,
        }
