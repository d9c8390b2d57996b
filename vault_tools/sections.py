"""The 13 sections: their headings (the contract) and their scaffold
templates (files in the vault a person can edit)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from vault_tools.problems import Kind, Problem
from vault_tools.template import package_template

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
# A section of the topic's problem note, by heading: `{{problem:Functional requirements}}`.
PROBLEM_LINE = re.compile(r"^\{\{problem:(?P<heading>[^{}\n]+)\}\}[ \t]*(?P<blank>\n[ \t]*\n)?", re.MULTILINE)
# Kept when the topic has a problem (`#`) or has none (`^`): `{{#problem}} … {{/problem}}`.
IF_PROBLEM = re.compile(r"^\{\{(?P<sign>[#^])problem\}\}[ \t]*\n(?P<text>.*?)^\{\{/problem\}\}[ \t]*(?:\n|\Z)",
                        re.MULTILINE | re.DOTALL)
ONCE_LINE = re.compile(r"^\{\{(?P<name>[A-Za-z0-9_.-]+)\}\}[ \t]*$", re.MULTILINE)


def heading_regex(number: int) -> str:
    """A pattern for section `number`'s heading as written (icon or not):
    `## 12. Trade-offs …` — its number and first word."""
    return rf"##[ \t]+(?:\S+[ \t]+)?{number}\.[ \t]+{re.escape(HEADINGS[number - 1].split()[0])}"


def heading(number: int, icons: bool) -> str:
    """`## 3. Capacity Planning ...`, with the section's icon if asked for."""
    icon = f"{ICONS[number - 1]} " if icons else ""
    return f"## {icon}{number}. {HEADINGS[number - 1]}"


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
        return None, Problem(message, f"{label}/{path.name}", kind=Kind.TEMPLATE,
                             hint="the built-in template is used instead")
