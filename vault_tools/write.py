"""The one place that writes to the vault.

Every write is atomic (a temp file in the same folder, fsync, rename, fsync
the folder) and compare-and-swap: if the file is not what we read, nothing is
written. Where the system can (Linux), the new file is swapped in atomically
and the file it replaced is compared once more, so a save that lands between
the comparison and the swap is put back, not lost. Writes never leave the
vault and never go through a symlink.
"""

from __future__ import annotations

import ctypes
import errno
import os
import secrets
import stat
from pathlib import Path, PurePosixPath

from vault_tools.problems import Kind, Problem
from vault_tools.scan import TEMP_FILE, read_regular

CHANGED = "changed meanwhile"

try:  # renameat2(RENAME_EXCHANGE): Linux 3.15+, glibc 2.28+
    _renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    _renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
except (OSError, AttributeError, TypeError):
    _renameat2 = None
_AT_FDCWD, _RENAME_EXCHANGE = -100, 2


def write(root: Path, rel: str, expected: bytes | None, data: bytes) -> Problem | None:
    """Replace the note at `rel` with `data` if it still holds `expected`
    (None: create it, only if it does not exist). Returns None on success,
    else a Problem saying why nothing was written."""
    try:
        target = _target(root, rel)
        if expected is None:
            _create(target, data)
        else:
            _replace(target, expected, data)
    except _Refused as refused:
        return Problem(str(refused), rel, kind=refused.kind, hint=refused.hint)
    except OSError as error:
        return Problem(f"cannot write: {error.strerror or error}", rel, kind=Kind.IO,
                       hint="nothing was changed; it is tried again on the next sync")
    return None


def write_state(root: Path, rel: str, data: bytes) -> Problem | None:
    """Replace a state file of ours (in `.vault-tools/`) atomically; no compare-and-swap."""
    try:
        target = _target(root, rel)
        temp = _write_temp(target, data, 0o644)
        try:
            os.replace(temp, target)
        finally:
            _discard(temp)
    except _Refused as refused:
        return Problem(str(refused), rel, kind=refused.kind)
    except OSError as error:
        return Problem(f"cannot write: {error.strerror or error}", rel, kind=Kind.IO)
    return None


def make_folder(root: Path, rel: str) -> Problem | None:
    """Create a folder (and its parents) inside the vault, never through a link."""
    try:
        _safe_parent(root, rel + "/x")
    except _Refused as refused:
        return Problem(str(refused), rel, kind=refused.kind, hint=refused.hint)
    except OSError as error:
        return Problem(f"cannot create folder: {error.strerror or error}", rel, kind=Kind.IO)
    return None


def remove_stale_temp(root: Path, rel: str) -> bool:
    """Delete a temp file an interrupted write of ours left, if its process is gone."""
    match = TEMP_FILE.match(PurePosixPath(rel).name)
    if not match or _alive(int(match["pid"])):
        return False
    try:
        target = _target(root, rel)
        target.unlink()
    except (OSError, _Refused):
        return False
    return True


class _Refused(Exception):
    def __init__(self, message: str, kind: str = "unsafe", hint: str | None = None):
        super().__init__(message)
        self.kind = kind
        self.hint = hint


def _target(root: Path, rel: str) -> Path:
    parts = PurePosixPath(rel).parts
    if not parts or PurePosixPath(rel).is_absolute() or any(part in ("..", ".", "") for part in parts):
        raise _Refused(f"refused: `{rel}` is not a path inside the vault")
    parent = _safe_parent(root, rel)
    target = parent / parts[-1]
    if target.is_symlink():
        raise _Refused("refused: the note is a symbolic link; vault-tools never writes through links",
                       hint="replace the link with the note itself")
    return target


def _safe_parent(root: Path, rel: str) -> Path:
    """The folder holding `rel`, created if missing, checked component by
    component: no symlinks, nothing outside the vault."""
    root = root.resolve()
    folder = root
    for part in PurePosixPath(rel).parts[:-1]:
        folder = folder / part
        if folder.is_symlink():
            raise _Refused(f"refused: `{part}` is a symbolic link; vault-tools never writes through links")
        if not folder.exists():
            folder.mkdir()
        elif not folder.is_dir():
            raise _Refused(f"refused: `{part}` is not a folder")
    if not folder.resolve().is_relative_to(root):
        raise _Refused("refused: the path leads outside the vault")
    return folder


def _replace(target: Path, expected: bytes, data: bytes) -> None:
    info = _current(target)
    if not stat.S_ISREG(info.st_mode):
        raise _Refused("refused: not a regular file")
    if not info.st_mode & stat.S_IWUSR:
        raise _Refused("read-only note; not changed", kind=Kind.READ_ONLY,
                       hint="make it writable to let vault-tools update it")
    temp = _write_temp(target, data, stat.S_IMODE(info.st_mode))
    try:
        if _read(target) != expected:
            raise _Refused(CHANGED + "; not written, tried again on the next sync", kind=Kind.RETRY)
        if not _exchange(temp, target):
            os.replace(temp, target)
        elif _read(temp) != expected:  # saved after the comparison: that save is under the temp name now
            os.replace(temp, target)  # put it back
            raise _Refused(CHANGED + "; not written, tried again on the next sync", kind=Kind.RETRY)
    finally:
        _discard(temp)
    _sync_folder(target.parent)


def _exchange(temp: Path, target: Path) -> bool:
    """Swap two names atomically; False where the system or file system cannot."""
    if _renameat2 is None:
        return False
    if _renameat2(_AT_FDCWD, os.fsencode(temp), _AT_FDCWD, os.fsencode(target), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(target))


def _create(target: Path, data: bytes) -> None:
    if target.exists() or target.is_symlink():
        raise _Refused("already exists; not overwritten", kind=Kind.EXISTS)
    temp = _write_temp(target, data, 0o644)
    try:
        try:
            os.link(temp, target)  # fails if the name was taken meanwhile: never overwrites
        except FileExistsError:
            raise _Refused("already exists; not overwritten", kind=Kind.EXISTS) from None
        except OSError as error:
            if error.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
                raise
            if target.exists():
                raise _Refused("already exists; not overwritten", kind=Kind.EXISTS) from None
            os.replace(temp, target)  # a file system without hard links
    finally:
        _discard(temp)
    _sync_folder(target.parent)


def _current(target: Path) -> os.stat_result:
    try:
        return target.lstat()
    except FileNotFoundError:
        raise _Refused("deleted meanwhile; not written", kind=Kind.RETRY) from None


def _read(target: Path) -> bytes | None:
    try:
        return read_regular(target)
    except FileNotFoundError:
        return None


def _write_temp(target: Path, data: bytes, mode: int) -> Path:
    temp = target.with_name(f".{target.name}.vault-tools-{os.getpid()}-{secrets.token_hex(4)}.tmp")
    descriptor = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fchmod(handle.fileno(), mode)
            os.fsync(handle.fileno())
    except BaseException:
        _discard(temp)
        raise
    return temp


def _discard(temp: Path) -> None:
    try:
        temp.unlink()
    except FileNotFoundError:
        pass


def _sync_folder(folder: Path) -> None:
    try:
        descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return  # some platforms cannot open folders; the rename is still atomic
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
