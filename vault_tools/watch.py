"""The watcher: feeds changed paths into the same pipeline as `sync`.

Events only mark a path as dirty; a path is processed once it has been quiet
for the debounce period, from its content on disk, never from the event.
A periodic full sync covers what events miss (inotify can overflow).
"""

from __future__ import annotations

import ctypes
import errno
import gc
import hashlib
import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserverVFS

from vault_tools import scan
from vault_tools.lock import VaultLock
from vault_tools.settings import SETTINGS_FILE
from vault_tools.sync import Pipeline, SyncReport

log = logging.getLogger("vault_tools.watch")

FALLBACK_POLL_SECONDS = 2.0
REMEMBERED_WRITES = 20_000
_OBSIDIAN_SETTINGS = (".obsidian/app.json", ".obsidian/templates.json")
_NOISE = ("opened", "closed_no_write")


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


class OwnWrites:
    """The digests of what the tool last wrote to each path: an event whose
    file holds exactly those bytes is the echo of our own write."""

    def __init__(self, root: Path, limit: int = REMEMBERED_WRITES):
        self.root, self.limit = root, limit
        self._written: dict[str, str] = {}

    def remember(self, rel: str, data: bytes) -> None:
        self._written.pop(rel, None)
        self._written[rel] = digest(data)
        while len(self._written) > self.limit:
            del self._written[next(iter(self._written))]

    def is_echo(self, rel: str) -> bool:
        remembered = self._written.get(rel)
        if remembered is None:
            return False
        try:
            return digest(scan.read_regular(self.root / rel)) == remembered
        except OSError:
            return False

    def forget(self, rel: str) -> None:
        """Seen with other bytes, or gone: our bytes coming back (an undo) are news."""
        self._written.pop(rel, None)

    def clear(self) -> None:
        self._written.clear()


class Debouncer:
    """Paths marked dirty, each due once quiet for `quiet` seconds, and a
    full run that is due the same way. Thread-safe: events arrive on
    watchdog's thread, `take_due` runs on the watcher's."""

    def __init__(self, quiet: float):
        self.quiet = quiet
        self._pending: dict[str, float] = {}  # path → time it may be processed
        self._full_at: float | None = None  # a full sync is due at this time
        self._reload = False  # ... and the settings are read again first
        self._wake = threading.Condition()

    def mark(self, rel: str) -> None:
        with self._wake:
            self._pending[rel] = time.monotonic() + self.quiet
            self._wake.notify()

    def mark_full(self, reload: bool = False) -> None:
        with self._wake:
            self._full_at = time.monotonic() + self.quiet
            self._reload = self._reload or reload
            self._wake.notify()

    def wake(self) -> None:
        with self._wake:
            self._wake.notify()

    def take_due(self, until: float, stopped: Callable[[], bool]) -> tuple[list[str], bool, bool]:
        """Wait until paths or a full run are due, or `until` (monotonic)
        passes, or `stopped()`; returns (due paths, full run due, reload)."""
        with self._wake:
            while not stopped():
                now = time.monotonic()
                due = [path for path, at in self._pending.items() if at <= now]
                full = self._full_at is not None and self._full_at <= now
                if due or full or now >= until:
                    break
                deadlines = [*self._pending.values(), until]
                if self._full_at is not None:
                    deadlines.append(self._full_at)
                self._wake.wait(timeout=min(max(min(deadlines) - now, 0.005), 0.5))
            else:
                return [], False, False
            for path in due:
                del self._pending[path]
            reload = full and self._reload
            if full:
                self._full_at, self._reload = None, False
                self._pending.clear()  # the full sync covers them
            return sorted(due), full, reload


class Watcher:
    """Watch one vault until `stop()`; `run()` blocks.

    `on_report` is called after each pipeline run (tests and logging).
    """

    def __init__(self, root: Path, *, poll: float | None = None, debounce: float | None = None,
                 reconcile_seconds: float | None = None,
                 on_report: Callable[[SyncReport], None] | None = None):
        self.root = root
        self.pipeline = Pipeline(root)
        self._stopped = threading.Event()
        self.pipeline.should_stop = self._stopped.is_set
        self.own_writes = OwnWrites(root)
        self.pipeline.on_written = self.own_writes.remember
        settings = self.pipeline.settings
        self.poll = poll
        self.debounce = settings.debounce_seconds if debounce is None else debounce
        self.reconcile_seconds = reconcile_seconds or settings.reconcile_minutes * 60
        self.on_report = on_report
        self.dirty = Debouncer(self.debounce)
        self._logged: set[str] = set()

    # -- events (called on watchdog's thread) --------------------------------

    def notice(self, event: FileSystemEvent) -> None:
        """Mark the paths an event touches as dirty; decide nothing else here."""
        if event.event_type in _NOISE:
            return
        paths = [event.src_path, getattr(event, "dest_path", "") or ""]
        for path in filter(None, (os.fsdecode(p) for p in paths)):
            rel = self._relative(path)
            if rel is None:
                continue
            if rel == SETTINGS_FILE or rel in _OBSIDIAN_SETTINGS:
                self.dirty.mark_full(reload=True)
            elif event.is_directory and event.event_type in ("created", "moved", "deleted"):
                if scan.included(rel, self.pipeline.settings):
                    self.dirty.mark_full()
            elif scan.is_note_path(rel, self.pipeline.settings):
                self.dirty.mark(rel)

    def _relative(self, path: str) -> str | None:
        try:
            rel = Path(path).relative_to(self.root)
        except ValueError:
            return None
        return rel.as_posix() if rel.parts else None

    # -- the loop (the thread that called run) ---------------------------------

    def run(self) -> None:
        """Take the vault lock, catch up with a full sync, then watch until stopped."""
        with VaultLock(self.root):
            # Watch first, so that what changes during the catch-up sync is seen too.
            observer = self._start_observer()
            log.info("watching %s (Ctrl-C to stop)", self.root)
            try:
                self._catch_up()
                self._loop()
            finally:
                observer.stop()
                observer.join(timeout=5)

    def _catch_up(self) -> None:
        try:
            self._report(self.pipeline.run(), "catch-up sync")
        except Exception:  # noqa: BLE001 - the daemon carries on; reconciliation retries
            log.exception("error during the catch-up sync; carrying on")
        _release_memory()

    def stop(self) -> None:
        """Ask the loop to finish the work in hand and return (thread- and signal-safe)."""
        self._stopped.set()
        self.dirty.wake()

    def _start_observer(self):
        handler = _Handler(self.notice)
        if self.poll:
            return _started(_polling(self.poll), handler, self.root)
        try:
            return _started(Observer(), handler, self.root)
        except OSError as error:
            if error.errno not in (errno.ENOSPC, errno.EMFILE):
                raise
            log.warning("the inotify watch limit is reached (%s); raise it with "
                        "`sudo sysctl fs.inotify.max_user_watches=524288` (and in /etc/sysctl.d/ to keep it); "
                        "polling every %.0f s meanwhile", os.strerror(error.errno), FALLBACK_POLL_SECONDS)
            return _started(_polling(FALLBACK_POLL_SECONDS), handler, self.root)

    def _loop(self) -> None:
        next_reconcile = time.monotonic() + self.reconcile_seconds
        while not self._stopped.is_set():
            due, full, reload = self.dirty.take_due(next_reconcile, self._stopped.is_set)
            if time.monotonic() >= next_reconcile:
                full, next_reconcile = True, time.monotonic() + self.reconcile_seconds
            try:
                if full:
                    if reload:
                        self.pipeline.reload()
                    self.own_writes.clear()  # the run reads every note afresh: no event is an echo before it
                    self._report(self.pipeline.run(), "reconciliation sync")
                    _release_memory()
                elif due:
                    self._process(due)
            except Exception:  # noqa: BLE001 - one bad run must not stop the daemon
                log.exception("error while processing %s; carrying on", ", ".join(due) or "the vault")

    def _process(self, paths: list[str]) -> None:
        changed = [path for path in paths if not self.own_writes.is_echo(path)]
        for path in changed:
            self.own_writes.forget(path)
        if changed:
            started = time.perf_counter()
            report = self.pipeline.run(changed)
            self._report(report, None, time.perf_counter() - started)

    def _report(self, report: SyncReport, label: str | None, elapsed: float | None = None) -> None:
        for change in report.changes:
            if change.path in report.written:
                sections = " — 13 sections" if change.action == "expanded" else ""
                timing = f", {elapsed * 1000:.0f} ms" if elapsed is not None else ""
                log.info("%s %s%s%s", change.action, change.path, sections, timing)
        for problem in report.retry:
            log.info("retry later: %s", problem.line())
        current = {problem.line() for problem in report.problems}
        for line in sorted(current - self._logged):
            log.warning("problem: %s", line)
        self._logged = current
        if label:
            log.info("%s: %d notes, %d written, %d problems", label, report.notes, len(report.written),
                     len(report.problems))
        if self.on_report:
            self.on_report(report)


class _Handler(FileSystemEventHandler):
    def __init__(self, notice: Callable[[FileSystemEvent], None]):
        self._notice = notice

    def dispatch(self, event: FileSystemEvent) -> None:
        self._notice(event)


def _started(observer, handler: FileSystemEventHandler, root: Path):
    try:
        observer.schedule(handler, str(root), recursive=True)
        observer.start()
    except BaseException:
        observer.stop()
        if observer.is_alive():
            observer.join(timeout=5)
        raise
    return observer


def _polling(seconds: float) -> PollingObserverVFS:
    """A polling observer that does not follow symlinks: a link to a parent
    folder would otherwise make every poll walk the vault without end."""
    return PollingObserverVFS(os.lstat, os.scandir, polling_interval=seconds)


def _release_memory() -> None:
    """After a full run, hand the memory it needed back to the system: the
    daemon then idles at the size of its index, not of its busiest moment."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)  # glibc keeps freed arenas otherwise
    except (OSError, AttributeError):
        pass  # not glibc: nothing to do
