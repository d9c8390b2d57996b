"""The watcher on a real file system, with real watchdog events."""

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from helpers import DEBOUNCE, expanded, make_vault, running, stub, wait_until

from vault_tools.watch import Watcher



def test_created_stub_is_expanded_after_the_quiet_period(vault):
    root = vault()
    with running(root) as written:
        started = time.monotonic()
        (root / "Topics").mkdir()
        (root / "Topics/Chat.md").write_text(stub(dau="10M"))
        assert wait_until(lambda: expanded(root / "Topics/Chat.md"), timeout=DEBOUNCE + 5)
        assert time.monotonic() - started >= DEBOUNCE
    assert written.count("Topics/Chat.md") == 1


def test_saves_in_place_in_pieces_and_by_temp_file_and_rename(vault):
    root = vault({"Topics/keep.md": "# mine\n"})
    with running(root) as written:
        with open(root / "Topics/typed.md", "w") as handle:  # an editor typing and saving often
            for piece in stub("typing...\n").splitlines(keepends=True):
                handle.write(piece)
                handle.flush()
                time.sleep(DEBOUNCE / 10)
        temp = root / "Topics/.renamed.md.swp"
        temp.write_text(stub())
        os.replace(temp, root / "Topics/renamed.md")
        assert wait_until(lambda: expanded(root / "Topics/typed.md") and expanded(root / "Topics/renamed.md"))
        assert (root / "Topics/typed.md").read_text().startswith(stub("typing...\n").replace("stub", "topic"))
    assert sorted(written) == ["Topics/renamed.md", "Topics/typed.md"]
    assert (root / "Topics/keep.md").read_text() == "# mine\n"


def test_a_thousand_stubs_at_once_are_each_expanded_once(vault):
    root = vault()
    with running(root) as written:
        (root / "Topics").mkdir()
        for i in range(1000):
            (root / f"Topics/t{i:04d}.md").write_text(stub(dau=f"{i + 1}K"))
        assert wait_until(lambda: len(set(written)) >= 1000, timeout=60)
        time.sleep(DEBOUNCE * 3)
    assert len(written) == 1000 and len(set(written)) == 1000
    assert all(expanded(root / f"Topics/t{i:04d}.md") for i in range(1000))


def test_a_burst_of_renames_updates_each_renamed_topic(vault):
    root = vault({f"Topics/n{i}.md": stub() for i in range(40)})
    with running(root) as written:
        assert wait_until(lambda: len(written) >= 40)
        for i in range(40):
            os.rename(root / f"Topics/n{i}.md", root / f"Topics/renamed {i}.md")
        assert wait_until(lambda: all(f"| Topic | renamed {i} |" in (root / f"Topics/renamed {i}.md").read_text()
                                      for i in range(40)))
    assert sorted(p.name for p in (root / "Topics").iterdir()) == sorted(f"renamed {i}.md" for i in range(40))


def test_a_note_edited_while_the_daemon_runs_is_never_overwritten(vault):
    root = vault({"Topics/a.md": stub(dau="1M")})
    path = root / "Topics/a.md"
    with running(root) as written:
        assert wait_until(lambda: expanded(path))
        for i in range(5):
            path.write_text(path.read_text() + f"\nmy thought {i}\n")
            time.sleep(DEBOUNCE / 3)
        mine = path.read_text().replace("| Daily active users | 1M |", "| Daily active users | about a million |")
        path.write_text(mine)
        time.sleep(DEBOUNCE * 4)
        assert path.read_text() == mine
    assert written == ["Topics/a.md", "vault-tools Problems.md"]  # the conflict is listed


def test_a_stub_deleted_before_its_quiet_period_ends(vault):
    root = vault({"Topics/keep.md": "x\n"})
    with running(root, debounce=1.0) as written:
        (root / "Topics/gone.md").write_text(stub())
        time.sleep(0.1)
        (root / "Topics/gone.md").unlink()
        time.sleep(1.5)
    assert written == [] and not (root / "Topics/gone.md").exists()
    assert not (root / "vault-tools Problems.md").exists()


def test_settings_change_is_picked_up(vault):
    root = vault({"Designs/a.md": stub()})
    with running(root):
        assert wait_until(lambda: expanded(root / "Designs/a.md"))
        (root / ".obsidian/app.json").write_text('{"userIgnoreFilters": ["Drafts/"]}')
        time.sleep(DEBOUNCE * 3)
        (root / "Drafts").mkdir()
        (root / "Drafts/d.md").write_text(stub())
        (root / "Designs/b.md").write_text(stub())
        assert wait_until(lambda: expanded(root / "Designs/b.md"))
        time.sleep(DEBOUNCE * 2)
    assert (root / "Drafts/d.md").read_text() == stub()


def test_no_loop_across_a_dozen_reconciliations_after_an_expansion(vault):
    """As many reconciliations as a minute at a 5 s interval, at a short interval."""
    root = vault({"Topics/a.md": stub(dau="1M"), "Topics/bad.md": "---\ntags: [system-design/stub]\nx: [\n---\n"})
    with running(root, reconcile_seconds=0.25) as written:
        assert wait_until(lambda: expanded(root / "Topics/a.md"))
        time.sleep(DEBOUNCE * 3)
        settled, runs = list(written), written.runs
        mtimes = {p: p.stat().st_mtime_ns for p in root.rglob("*.md")}
        assert wait_until(lambda: written.runs >= runs + 12, timeout=30)
        assert written == settled
        assert {p: p.stat().st_mtime_ns for p in root.rglob("*.md")} == mtimes
    assert sorted(settled) == ["Topics/a.md", "vault-tools Problems.md"]


def daemon(root: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "vault_tools", "watch", str(root)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_two_daemons_on_one_vault(vault):
    root = vault()
    first = daemon(root)
    try:
        assert wait_until(lambda: (root / ".vault-tools/watch.lock").exists() and
                          b"pid" in (root / ".vault-tools/watch.lock").read_bytes())
        second = subprocess.run([sys.executable, "-m", "vault_tools", "watch", str(root)],
                                capture_output=True, text=True, timeout=30)
        assert second.returncode == 2
        assert f"already watched by pid {first.pid}" in second.stderr
    finally:
        first.send_signal(signal.SIGTERM)
        first.wait(timeout=10)
    assert first.returncode == 0


def test_a_stale_lock_of_a_killed_daemon_is_taken_over(vault):
    root = vault({"Topics/a.md": stub()})
    first = daemon(root)
    assert wait_until(lambda: expanded(root / "Topics/a.md"))
    first.kill()
    first.wait()
    second = daemon(root)
    try:
        (root / "Topics/b.md").write_text(stub())
        assert wait_until(lambda: expanded(root / "Topics/b.md"))
    finally:
        second.send_signal(signal.SIGTERM)
        assert second.wait(timeout=10) == 0


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_stop_signal_during_a_burst_leaves_every_file_whole(vault, tmp_path, sig):
    root = vault({"Topics/seed.md": stub()})
    process = daemon(root)
    try:
        assert wait_until(lambda: expanded(root / "Topics/seed.md"))
        stubs = {f"Topics/b{i:04d}.md": stub(f"note {i}\n") for i in range(1000)}  # seconds of work
        for rel, text in stubs.items():
            (root / rel).write_text(text)
        time.sleep(1.2)  # the default quiet period passes: the burst is being processed
        stopped_at = time.monotonic()
        process.send_signal(sig)
        assert process.wait(timeout=10) == 0
        assert time.monotonic() - stopped_at < 4  # it stops after the note in hand, not the burst
    finally:
        process.kill()
    reference = make_vault(tmp_path / "reference", stubs)
    from vault_tools.sync import sync
    sync(reference)
    for rel, text in stubs.items():
        now = (root / rel).read_text()
        assert now in (text, (reference / rel).read_text()), f"{rel} is torn"
    assert not list(root.rglob("*.tmp"))
    assert not (root / ".vault-tools/watch.lock").read_bytes()  # released


def test_dependents_follow_an_edit_a_rename_and_a_deletion(vault):
    from test_library import LIBRARY, block

    root = vault({**LIBRARY, "Topics/A.md": stub(dau="10M"), "Topics/B.md": stub(dau="20M")})
    table = root / "Capacity/Capacity across topics.md"

    def rows():
        return block(table.read_text(), "capacity-table")

    with running(root) as written:
        assert wait_until(lambda: "[[A]] | 10M" in rows() and "[[B]] | 20M" in rows())
        time.sleep(DEBOUNCE * 2)
        caught_up = len(written)
        (root / "Topics/A.md").write_text((root / "Topics/A.md").read_text().replace("dau: 10M", "dau: 30M"))
        assert wait_until(lambda: "[[A]] | 30M" in rows())
        os.rename(root / "Topics/A.md", root / "Topics/Renamed.md")
        assert wait_until(lambda: "[[Renamed]] | 30M" in rows() and "[[A]]" not in rows())
        (root / "Topics/B.md").unlink()
        assert wait_until(lambda: "[[B]]" not in rows())
        time.sleep(DEBOUNCE * 3)
    # Only the topics and the notes that show their figures were written; the
    # trade-off note and the deep dives depend on none of these changes.
    assert set(written[caught_up:]) == {"Topics/A.md", "Topics/Renamed.md", "Capacity/Capacity across topics.md",
                                        "Capacity/QPS.md"}


def test_polling_mode(vault):
    root = vault()
    with running(root, poll=0.2) as written:
        (root / "a.md").write_text(stub())
        assert wait_until(lambda: expanded(root / "a.md"))
    assert written == ["a.md"]


def test_inotify_watch_limit_falls_back_to_polling(vault, monkeypatch, caplog):
    import errno

    from vault_tools import watch

    class Exhausted(watch.Observer):
        def schedule(self, *args, **kwargs):
            raise OSError(errno.ENOSPC, "inotify watch limit reached")

    monkeypatch.setattr(watch, "Observer", Exhausted)
    root = vault()
    with running(root) as written:
        (root / "a.md").write_text(stub())
        assert wait_until(lambda: expanded(root / "a.md"), timeout=watch.FALLBACK_POLL_SECONDS * 3 + 5)
    assert written == ["a.md"]
    assert "fs.inotify.max_user_watches" in caplog.text


def test_no_file_handle_leak(vault):
    root = vault()
    before = len(os.listdir("/proc/self/fd"))
    for round_ in range(3):
        with running(root) as written:
            for i in range(20):
                (root / f"r{round_}n{i}.md").write_text(stub())
            assert wait_until(lambda: len(written) >= 20)
    assert len(os.listdir("/proc/self/fd")) <= before + 1


def test_a_stub_saved_during_the_catch_up_sync_is_not_missed(vault):
    root = vault({f"Topics/old{i}.md": stub() for i in range(300)})
    written: list[str] = []
    watcher = Watcher(root, debounce=DEBOUNCE, on_report=lambda report: written.extend(report.written))
    thread = threading.Thread(target=watcher.run, name="watcher")
    thread.start()
    try:
        assert wait_until(lambda: (root / ".vault-tools/watch.lock").exists(), timeout=10, step=0.001)
        (root / "Topics/new.md").write_text(stub())  # while the catch-up sync runs
        assert wait_until(lambda: expanded(root / "Topics/new.md"), timeout=20)
    finally:
        watcher.stop()
        thread.join(timeout=10)
