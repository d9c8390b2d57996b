"""Vault detection and settings (`vault-tools.yaml`), each with a default."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

import yaml

from vault_tools.problems import Kind, Problem

SETTINGS_FILE = "vault-tools.yaml"
STATE_DIR = ".vault-tools"


class VaultError(Exception):
    """The folder is not a vault, or its settings cannot be used (exit 2)."""


@dataclass(frozen=True)
class Settings:
    """Every setting of `vault-tools.yaml`, with its default.

    Folder settings are vault-relative with forward slashes.
    """

    topics_folder: str = "Topics"
    templates_folder: str = ""  # "" → `.obsidian/templates.json`, else "Templates"
    sections_folder: str = ""  # "" → "<templates folder>/Sections"
    stub_template: str = ""  # "" → "<templates folder>/System Design Stub.md"
    trigger_tag: str = "system-design/stub"
    topic_tag: str = "system-design/topic"
    problems_note: str = "vault-tools Problems.md"
    heading_icons: bool = False
    cloud: str = "azure"
    max_note_bytes: int = 2 * 1024 * 1024
    max_frontmatter_bytes: int = 64 * 1024
    debounce_seconds: float = 1.0
    reconcile_minutes: float = 10.0
    # From .obsidian/app.json:
    ignore: tuple[str, ...] = field(default_factory=tuple)  # userIgnoreFilters
    markdown_links: bool = False  # useMarkdownLinks
    new_link_format: str = "shortest"  # newLinkFormat: shortest | relative | absolute


_FROM_OBSIDIAN = ("ignore", "markdown_links", "new_link_format")


def is_vault(root: Path) -> bool:
    """A folder is a vault if it has `.obsidian/` or `vault-tools.yaml`."""
    return (root / ".obsidian").is_dir() or (root / SETTINGS_FILE).is_file()


def find_vault(directory: str | Path) -> Path:
    """Return the vault root for DIR, or raise VaultError with a clear message."""
    root = Path(directory).expanduser()
    if not root.exists():
        raise VaultError(f"{directory}: no such folder")
    if not root.is_dir():
        raise VaultError(f"{directory}: not a folder")
    if not is_vault(root):
        raise VaultError(
            f"{directory}: not an Obsidian vault (no .obsidian/ folder and no {SETTINGS_FILE}); "
            f"run 'vault-tools init {directory}' to make one, or create an empty {SETTINGS_FILE} there"
        )
    return root.resolve()


def vault_of(note: Path) -> Path:
    """The vault a note lives in: the nearest folder above it that is a vault."""
    for folder in note.resolve().parents:
        if is_vault(folder):
            return folder
    raise VaultError(f"{note}: not inside an Obsidian vault (no folder above it has .obsidian/ or {SETTINGS_FILE})")


def load_settings(root: Path) -> tuple[Settings, list[Problem]]:
    """Read `vault-tools.yaml` and the Obsidian settings we honour.

    A bad setting is a Problem and keeps its default; it never stops a sync.
    """
    problems: list[Problem] = []
    values: dict[str, object] = {}
    path = root / SETTINGS_FILE
    if path.is_file():
        values, problems = _read_settings_file(path)
    settings = _apply(values, problems)
    settings = _with_obsidian_settings(root, settings, problems)
    return settings, problems


def _read_settings_file(path: Path) -> tuple[dict[str, object], list[Problem]]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError, ValueError, TypeError, KeyError, AttributeError,
            RecursionError) as error:  # PyYAML trips on `!!bool maybe`, `!!timestamp x`, deep nesting
        first = str(error).splitlines()[0] if str(error) else type(error).__name__
        return {}, [Problem(f"cannot read settings: {first}", SETTINGS_FILE, kind=Kind.SETTINGS,
                            hint="defaults are used until it is fixed")]
    if data is None:
        return {}, []
    if not isinstance(data, dict):
        return {}, [Problem("settings must be a mapping of `key: value`", SETTINGS_FILE,
                            kind=Kind.SETTINGS, hint="e.g. topics-folder: Topics")]
    return data, []


def _apply(values: dict[str, object], problems: list[Problem]) -> Settings:
    defaults = Settings()
    known = {f.name: f for f in fields(Settings) if f.name not in _FROM_OBSIDIAN}
    changes: dict[str, object] = {}
    for raw_key, value in values.items():
        name = str(raw_key).replace("-", "_")
        if name not in known:
            problems.append(Problem(f"unknown setting `{raw_key}`", SETTINGS_FILE, str(raw_key),
                                    kind=Kind.SETTINGS, hint="see the settings list in the README"))
            continue
        expected = type(getattr(defaults, name))
        converted = _convert(value, expected)
        if converted is None:
            problems.append(Problem(
                f"setting `{raw_key}` should be {expected.__name__}, found {value!r}",
                SETTINGS_FILE, str(raw_key), kind=Kind.SETTINGS,
                hint=f"default {getattr(defaults, name)!r} is used"))
            continue
        changes[name] = converted
    return replace(defaults, **changes)


def _convert(value: object, expected: type) -> object | None:
    if expected is bool:
        return value if isinstance(value, bool) else None
    if expected in (int, float):
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0
        return expected(value) if ok else None
    if expected is str:
        return value.strip().strip("/") if isinstance(value, str) else None
    return None


def _with_obsidian_settings(root: Path, settings: Settings, problems: list[Problem]) -> Settings:
    templates = settings.templates_folder or _obsidian_json(root, "templates.json", problems).get(
        "folder") or "Templates"
    templates = str(templates).strip().strip("/") or "Templates"
    app = _obsidian_json(root, "app.json", problems)
    ignore = app.get("userIgnoreFilters") or []
    return replace(
        settings,
        templates_folder=templates,
        sections_folder=settings.sections_folder or f"{templates}/Sections",
        stub_template=settings.stub_template or f"{templates}/System Design Stub.md",
        ignore=tuple(item for item in ignore if isinstance(item, str) and item.strip()),
        markdown_links=app.get("useMarkdownLinks") is True,
        new_link_format=app.get("newLinkFormat") if app.get("newLinkFormat") in ("relative", "absolute") else "shortest",
    )


def _obsidian_json(root: Path, name: str, problems: list[Problem]) -> dict:
    path = root / ".obsidian" / name
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        problems.append(Problem(f"cannot read .obsidian/{name}: {error}", f".obsidian/{name}",
                                kind=Kind.SETTINGS, hint="Obsidian rewrites it when you change that setting"))
        return {}
    return data if isinstance(data, dict) else {}
