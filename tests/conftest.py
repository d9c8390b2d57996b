"""Shared fixtures: real vaults in temp folders, the CLI called in-process."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from vault_tools.cli import main


def make_vault(root: Path, files: dict[str, str | bytes] | None = None, obsidian: bool = True) -> Path:
    """A vault at `root` holding `files` (text is written as-is, bytes raw)."""
    root.mkdir(parents=True, exist_ok=True)
    if obsidian:
        (root / ".obsidian").mkdir(exist_ok=True)
    for rel, content in (files or {}).items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_bytes(content.encode("utf-8"))
    return root


@pytest.fixture
def vault(tmp_path):
    """`vault(files={...})` → the root of a new vault with those files."""
    counter = iter(range(1000))

    def build(files: dict[str, str | bytes] | None = None, obsidian: bool = True) -> Path:
        return make_vault(tmp_path / f"vault{next(counter)}", files, obsidian)

    return build


class Result:
    def __init__(self, code: int, out: str, err: str):
        self.code, self.out, self.err = code, out, err


@pytest.fixture
def cli(capsys):
    """`cli("sync", str(root))` → Result(code, out, err), run in-process."""

    def run(*args: str) -> Result:
        capsys.readouterr()
        try:
            code = main(list(args))
        except SystemExit as exit_:  # argparse's --help / --version / usage errors
            code = exit_.code if isinstance(exit_.code, int) else 0
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


@pytest.fixture(autouse=True)
def no_thread_leaks():
    """Fail any test that leaves a thread running."""
    before = set(threading.enumerate())
    yield
    leaked = [t for t in threading.enumerate() if t not in before and t.is_alive()]
    for thread in leaked:
        thread.join(timeout=2)
    leaked = [t for t in leaked if t.is_alive()]
    assert not leaked, f"threads leaked: {leaked}"


def stub(body: str = "Notes of my own.\n", **props: str) -> str:
    """A stub note's text with the given properties (values as YAML text)."""
    lines = ["---", "tags: [system-design/stub]"] + [f"{k.replace('_', '-')}: {v}" for k, v in props.items()]
    return "\n".join(lines) + "\n---\n" + body
