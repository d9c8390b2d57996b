"""Shared fixtures: real vaults in temp folders, the CLI called in-process."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from helpers import make_vault

from vault_tools.cli import main


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
