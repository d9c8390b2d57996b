"""The 13 sections: their headings (the contract) and their scaffold
templates (files in the vault a person can edit)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from vault_tools.problems import Problem

HEADINGS = (
    "System Overview",
    "Requirements Analysis",
    "Capacity Planning & Back-of-Envelope Calculations",
    "Data Model",
    "API Design",
    "High-Level Architecture (HLD)",
    "Microservices Decomposition",
    "Deep Dives",
    "Infrastructure & DevOps",
    "Cross-Cutting Concerns",
    "Scalability & Reliability",
    "Trade-offs & Alternatives",
    "Interview Discussion Points",
)

ICONS = ("🎯", "📋", "🧮", "🗄️", "🔌", "🏗️", "🧩", "🔬", "☁️", "🛡️", "📈", "⚖️", "🎤")

LIVE_LINE = re.compile(r"^\{\{live:(?P<name>[A-Za-z0-9_.-]+)\}\}[ \t]*$", re.MULTILINE)
ONCE_LINE = re.compile(r"^\{\{(?P<name>[A-Za-z0-9_.-]+)\}\}[ \t]*$", re.MULTILINE)


def heading(number: int, icons: bool) -> str:
    """`## 3. Capacity Planning ...`, with the section's icon if asked for."""
    icon = f"{ICONS[number - 1]} " if icons else ""
    return f"## {icon}{number}. {HEADINGS[number - 1]}"


def package_template() -> Path:
    """The starter vault shipped with the package (installed or in a checkout)."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "vault-template", here.parent / "vault-template"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("the vault template is missing from this installation")


@dataclass(frozen=True)
class Scaffolds:
    """The 13 section templates, in order, as text with `\\n` line endings."""

    texts: tuple[str, ...]


def load_scaffolds(vault_root: Path, sections_folder: str) -> tuple[Scaffolds, list[Problem]]:
    """Each section's template from the vault's sections folder, else the
    one shipped with the package (so a vault may override any of them)."""
    own = vault_root / sections_folder
    shipped = package_template() / "Templates" / "Sections"
    texts: list[str] = []
    problems: list[Problem] = []
    for number in range(1, 14):
        text, problem = _read_section(number, own, sections_folder)
        if text is None:
            text, _ = _read_section(number, shipped, "")
        if problem:
            problems.append(problem)
        texts.append((text or "").replace("\r\n", "\n"))
    return Scaffolds(tuple(texts)), problems


def _read_section(number: int, folder: Path, label: str) -> tuple[str | None, Problem | None]:
    path = folder / f"{number:02d} {HEADINGS[number - 1]}.md"
    try:
        if path.is_symlink() or not path.is_file():
            return None, None
        return path.read_text(encoding="utf-8-sig"), None
    except (OSError, UnicodeDecodeError) as error:
        message = f"cannot read section template: {error.__class__.__name__}"
        return None, Problem(message, f"{label}/{path.name}", kind="template",
                             hint="the built-in template is used instead")
