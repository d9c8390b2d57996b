"""The problems note: one live note in the vault listing every problem."""

from __future__ import annotations

from vault_tools import blocks
from vault_tools.links import LinkStyle, Resolver
from vault_tools.generators import cell
from vault_tools.problems import Problem
from vault_tools.settings import Settings

BLOCK = "problems"


def link(path: str, settings: Settings) -> str:
    """A link to a note, by its full path, in the style the vault asks for."""
    style = LinkStyle(settings.markdown_links, "absolute")
    return cell(style.link(path, settings.problems_note, Resolver({}), path.rsplit("/", 1)[-1].removesuffix(".md")))


def content(problems: list[Problem], settings: Settings) -> str:
    """The live block's text: a table of problems, or an all-clear callout."""
    if not problems:
        return "> [!success] No problems\n> Every note was read and rendered.\n"
    lines = [
        f"> [!warning] {len(problems)} problem{'s' if len(problems) != 1 else ''} — each row clears when it is fixed",
        "",
        "| Note | Property / block | Problem | How to fix |",
        "|---|---|---|---|",
    ]
    for problem in problems:
        where = link(problem.path, settings) if problem.path else "(vault)"
        lines.append(f"| {where} | {cell(problem.key or '')} | {cell(problem.message)} | {cell(problem.hint or '')} |")
    return "\n".join(lines) + "\n"


def new_note(problems: list[Problem], settings: Settings) -> str:
    """The whole note, for a vault that does not have it yet."""
    return (
        "---\ntags: [vault-tools/problems]\n---\n"
        "# vault-tools problems\n\n"
        "Kept up to date by `vault-tools sync` and `vault-tools watch`. Fix a note and its row goes away.\n\n"
        f"{blocks.render(BLOCK, content(problems, settings))}\n"
    )
