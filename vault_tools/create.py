"""New things in a vault: a whole vault from the template, a stub from the
stub template. Writes go through `write`; nothing is ever overwritten."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from vault_tools import frontmatter, write
from vault_tools.capacity.inputs import RIVALS
from vault_tools.note import normalise_key, safe_file_name
from vault_tools.problems import Kind, Problem
from vault_tools.template import package_template
from vault_tools.topic import Topic
from vault_tools.settings import Settings, VaultError


@dataclass
class InitReport:
    created: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def init_vault(directory: Path) -> InitReport:
    """Copy the starter vault into `directory`, keeping every file that exists."""
    report = InitReport()
    directory.mkdir(parents=True, exist_ok=True)
    template = package_template()
    for source in sorted(template.rglob("*")):
        rel = source.relative_to(template).as_posix()
        if source.is_dir():
            problem = write.make_folder(directory, rel)
        elif source.is_file():
            problem = write.write(directory, rel, None, source.read_bytes())
            if problem is None:
                report.created.append(rel)
        else:
            continue
        if problem is not None and problem.kind == Kind.EXISTS:
            report.kept.append(rel)
        elif problem is not None:
            report.problems.append(problem)
    return report


def new_stub(root: Path, settings: Settings, title: str, props: dict[str, str],
             now: dt.datetime | None = None) -> str:
    """Write a stub for `title` from the vault's stub template; returns its
    vault-relative path. Raises VaultError (nothing written) when it cannot."""
    if not title.strip():
        raise VaultError("the title is empty")
    template = _stub_template(root, settings)
    text = fill_template(template, title, props, now or dt.datetime.now(), settings)
    rel = f"{settings.topics_folder}/{safe_file_name(title)}.md".lstrip("/")
    problem = write.write(root, rel, None, text.encode("utf-8"))
    if problem is not None:
        raise VaultError(f"{rel}: {problem.message}" + ("; choose another title" if problem.kind == Kind.EXISTS else ""))
    return rel


def _stub_template(root: Path, settings: Settings) -> str:
    for path in (root / settings.stub_template, package_template() / "Templates" / "System Design Stub.md"):
        if path.is_file() and not path.is_symlink():
            return path.read_text(encoding="utf-8-sig")
    raise VaultError(f"no stub template at {settings.stub_template}")


def fill_template(template: str, title: str, props: dict[str, str], now: dt.datetime,
                  settings: Settings) -> str:
    """The stub template with Obsidian's `{{title}}`, `{{date}}`, `{{time}}`
    filled in and `props` set in its frontmatter."""
    span = frontmatter.split(template)
    if span is None:
        raise VaultError(f"{settings.stub_template}: the stub template has no frontmatter")
    values = {"title": title, "date": now.strftime("%Y-%m-%d"), "time": now.strftime("%H:%M")}
    yaml_text = _fill(template[span.yaml_start:span.yaml_end], values, escape=True)
    for key, value in props.items():
        key = normalise_key(key)
        for rival in RIVALS.get(key, ()):
            if normalise_key(rival) not in map(normalise_key, props):
                yaml_text = comment_out(yaml_text, rival)
        yaml_text = set_property(yaml_text, key, value)
    try:
        frontmatter.load(yaml_text, settings.max_frontmatter_bytes)
    except frontmatter.FrontmatterError as error:
        raise VaultError(f"the stub would not be valid YAML: {error}") from None
    body = _fill(template[span.body_start:], values, escape=False)
    return template[:span.yaml_start] + yaml_text + template[span.yaml_end:span.body_start] + body


def _fill(text: str, values: dict[str, str], escape: bool) -> str:
    def value(match: re.Match) -> str:
        found = values.get(match[1].strip().lower())
        if found is None:
            return match[0]
        # Inside YAML the title may sit in double quotes: JSON escapes are YAML escapes.
        return json.dumps(found)[1:-1] if escape else found

    return re.sub(r"\{\{\s*(title|date|time)\s*\}\}", value, text, flags=re.IGNORECASE)


def set_property(yaml_text: str, key: str, value: str) -> str:
    """Set `key: value` in frontmatter text: replace the key's value (or
    uncomment its commented-out line), else add a line at the end. Other
    lines, and a trailing `# comment`, stay."""
    scalar = _yaml_scalar(value)
    for pattern in (rf"^{re.escape(key)}[ \t]*:(?P<value>.*?)(?P<comment>[ \t]+#.*)?$",
                    rf"^#[ \t]*{re.escape(key)}[ \t]*:(?P<value>.*?)(?P<comment>[ \t]+#.*)?$"):
        match = re.search(pattern, yaml_text, re.MULTILINE)
        if match:
            end = match.end()
            if not pattern.startswith("^#"):
                # A key's value may continue on indented or `- ` lines below it.
                end += re.match(r"(?:\r?\n(?:[ \t]+\S.*|- .*))*", yaml_text[end:]).end()
            line = f"{key}: {scalar}{match['comment'] or ''}"
            return yaml_text[: match.start()] + line + yaml_text[end:]
    newline = "" if not yaml_text or yaml_text.endswith("\n") else "\n"
    return f"{yaml_text}{newline}{key}: {scalar}\n"




def comment_out(yaml_text: str, key: str) -> str:
    """Turn an active `key: ...` line into `# key: ...` (a one-line value)."""
    return re.sub(rf"^(?={re.escape(key)}[ \t]*:)", "# ", yaml_text, count=1, flags=re.MULTILINE)


def _yaml_scalar(value: str) -> str:
    """The value as written if YAML reads it back as written, else quoted."""
    value = value.strip()
    try:
        data = frontmatter.load(f"k: {value}\n", 1 << 16)
    except frontmatter.FrontmatterError:
        data = {}
    read = data.get("k")
    plain = "\n" not in value and read is not None and (str(read) == value or isinstance(read, list))
    return value if plain else json.dumps(value, ensure_ascii=False)


def planned(topic: Topic) -> list[str]:
    """What a new stub will be expanded from: its problem and why, and the
    numbers the problem gives (each can be set with --KEY VALUE)."""
    match, problem = topic.match, topic.problem
    if problem is None:
        close = ", ".join(note.title for note in match.closest)
        return [f"problem: none ({match.reason})" + (f"; closest: {close}" if close else ""),
                "  the generic scaffold is used; choose one with --problem NAME"]
    lines = [f"problem: {problem.title} ({match.reason}); another: --problem NAME, none: --problem none"]
    given = [f"{row.key} {row.value}" for row in problem.scale if row.key not in topic.props]
    if given:
        lines.append(f"numbers from {problem.path}: {', '.join(given)}")
        lines.append("  override any with --KEY VALUE, e.g. --dau 50M")
    return lines
