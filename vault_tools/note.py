"""Parse stage: a note's bytes → `Note`, pure. Bad input becomes a Problem."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from vault_tools import frontmatter
from vault_tools.problems import Kind, Problem
from vault_tools.settings import Settings

BOM = "\ufeff"

STUB, TOPIC, OTHER = "stub", "topic", "other"


@dataclass(frozen=True)
class Note:
    """One Markdown note as read. `text` excludes the BOM; `newline` is the
    note's own line ending, used for everything written into it."""

    path: str
    raw: bytes
    text: str
    bom: bool
    newline: str
    span: frontmatter.Span | None
    props: dict = field(default_factory=dict)
    kind: str = OTHER

    @property
    def name(self) -> str:
        return PurePosixPath(self.path).stem

    @property
    def topic_name(self) -> str:
        """The `topic` property, else the file name."""
        value = self.props.get("topic")
        text = " ".join(str(value).split()) if isinstance(value, (str, int, float)) else ""
        return text or self.name

    @property
    def yaml_text(self) -> str:
        return self.text[self.span.yaml_start:self.span.yaml_end] if self.span else ""

    @property
    def body(self) -> str:
        return self.text[self.span.body_start:] if self.span else self.text

    def encode(self, text: str) -> bytes:
        """Bytes to write for `text`, keeping this note's BOM."""
        return ((BOM if self.bom else "") + text).encode("utf-8")


def normalise_key(key: object) -> str:
    """Property keys are kebab-case; snake_case (and any case) is accepted."""
    return str(key).strip().lower().replace("_", "-")


def parse(path: str, raw: bytes, settings: Settings, *, skim: bool = False) -> tuple[Note | None, list[Problem]]:
    """Read one note. Returns (None, problems) when it cannot be used.
    `skim`: leave the properties unloaded when they cannot matter to a sync
    (see `_may_matter`)."""
    if b"\x00" in raw:
        return None, [Problem("binary file, not a Markdown note (it contains NUL bytes)", path,
                              kind=Kind.ENCODING, hint="rename it so it does not end in .md")]
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        return None, [Problem(f"not UTF-8: byte 0x{raw[error.start]:02x} at offset {error.start}", path,
                              kind=Kind.ENCODING, hint="re-save the note as UTF-8")]
    bom = decoded.startswith(BOM)
    text = decoded[1:] if bom else decoded
    newline = _newline(text)
    try:
        span = frontmatter.split(text)
    except frontmatter.FrontmatterError as error:
        return None, _ours_only(text, settings, Problem(str(error), path, kind=Kind.FRONTMATTER, hint=error.hint))
    note = Note(path, raw, text, bom, newline, span)
    if span is None or (skim and not _may_matter(note.yaml_text, settings)):
        return note, []
    try:
        data = frontmatter.load(note.yaml_text, settings.max_frontmatter_bytes)
    except frontmatter.FrontmatterError as error:
        problem = Problem(str(error), path, kind=Kind.FRONTMATTER, hint=error.hint)
        return None, _ours_only(note.yaml_text, settings, problem)
    props = {normalise_key(key): value for key, value in data.items()}
    return Note(path, raw, text, bom, newline, span, props, _kind(path, data, settings)), []


def _newline(text: str) -> str:
    first = text.find("\n")
    return "\r\n" if first > 0 and text[first - 1] == "\r" else "\n"


def _may_matter(yaml_text: str, settings: Settings) -> bool:
    """Whether a note's properties can matter to a sync: only when it is
    tagged `system-design/...` (or with the vault's own stub and topic
    tags) or has aliases. Most notes of a vault are neither, and loading
    their YAML was the dearest part of reading them."""
    lowered = yaml_text.lower()
    return any(word in lowered for word in ("system-design", "alias", settings.trigger_tag.lower().lstrip("#"),
                                            settings.topic_tag.lower().lstrip("#")))


def _ours_only(text: str, settings: Settings, problem: Problem) -> list[Problem]:
    """Broken frontmatter is reported for notes that carry our tags; other
    notes belong to the person and other plugins, and are left alone quietly."""
    lowered = text.lower()
    ours = settings.trigger_tag.lower() in lowered or settings.topic_tag.lower() in lowered
    return [problem] if ours else []


def _kind(path: str, data: dict, settings: Settings) -> str:
    if frontmatter.has_tag(data, settings.trigger_tag) and not in_folder(path, settings.templates_folder):
        return STUB
    if frontmatter.has_tag(data, settings.topic_tag):
        return TOPIC
    return OTHER


def in_folder(path: str, folder: str) -> bool:
    folder = folder.strip("/")
    return bool(folder) and (path == folder or path.startswith(folder + "/"))


_LINK_CHARS = re.compile(r'[\\/:*?"<>|#^\[\]\x00-\x1f\x7f]')
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}


def safe_file_name(title: str, max_bytes: int = 200) -> str:
    """A file name (without `.md`) made from a title: valid on every OS and
    free of Obsidian's link characters; never empty, never a path."""
    name = _LINK_CHARS.sub(" ", title)
    name = re.sub(r"\s+", " ", name).strip(" .")
    while len(name.encode("utf-8")) > max_bytes:
        name = name[:-1].rstrip(" .")
    if not name:
        return "Untitled"
    if name.split(".")[0].lower() in _RESERVED:
        name = f"{name} note"
    return name
