"""One daemon per vault: an advisory lock in `.vault-tools/`.

The lock is an flock on `.vault-tools/watch.lock`, so the kernel releases it
when its process dies (a stale lock is simply taken over); the file says who
holds it, for the message the second daemon prints.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
from pathlib import Path

from vault_tools.settings import STATE_DIR, VaultError

LOCK_FILE = "watch.lock"


class VaultLock:
    def __init__(self, root: Path):
        self.path = root / STATE_DIR / LOCK_FILE
        self._descriptor: int | None = None

    def acquire(self) -> None:
        """Take the lock or raise VaultError naming its holder."""
        state = self.path.parent
        if state.is_symlink():
            raise VaultError(f"{STATE_DIR} is a symbolic link; refusing to keep state through it")
        state.mkdir(exist_ok=True)
        descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o644)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(descriptor)
            os.close(descriptor)
            raise VaultError(f"this vault is already watched by {holder}; stop that daemon first") from None
        os.ftruncate(descriptor, 0)
        since = dt.datetime.now().astimezone().isoformat(timespec="seconds")
        os.write(descriptor, json.dumps({"pid": os.getpid(), "since": since}).encode())
        os.fsync(descriptor)
        self._descriptor = descriptor

    def release(self) -> None:
        if self._descriptor is None:
            return
        os.ftruncate(self._descriptor, 0)
        fcntl.flock(self._descriptor, fcntl.LOCK_UN)
        os.close(self._descriptor)
        self._descriptor = None

    def __enter__(self) -> VaultLock:
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def _holder(descriptor: int) -> str:
    try:
        data = json.loads(os.pread(descriptor, 4096, 0) or b"{}")
        return f"pid {data['pid']} (since {data['since']})"
    except (ValueError, KeyError, OSError, TypeError):
        return "another process"
