"""The stamp cache: a sync with nothing to do renders nothing, and a cache
never changes a result — only saves work."""

import json
import os
import time

import pytest
from test_library import LIBRARY

from helpers import stub

from vault_tools import sync as sync_module
from vault_tools.cache import CACHE_FILE
from vault_tools.sync import sync


@pytest.fixture
def rendered(monkeypatch):
    """The paths rendered as topics, in order."""
    seen: list[str] = []
    real = sync_module.render

    def counting(note, context, scaffolds):
        seen.append(note.path)
        return real(note, context, scaffolds)

    monkeypatch.setattr(sync_module, "render", counting)
    return seen


def vault_with_topics(vault, n=4):
    files = {**LIBRARY, **{f"Topics/T{i}.md": stub(dau=f"{i + 1}M", components="[cache, nosql]") for i in range(n)}}
    return vault(files)


def test_nothing_changed_nothing_rendered(vault, rendered):
    root = vault_with_topics(vault)
    sync(root)
    assert len(rendered) == 4 and (root / CACHE_FILE).is_file()
    rendered.clear()
    cache_mtime = (root / CACHE_FILE).stat().st_mtime_ns
    report = sync(root)
    assert rendered == [] and report.changes == [] and report.problems == []
    assert (root / CACHE_FILE).stat().st_mtime_ns == cache_mtime  # not even the cache is rewritten


def test_one_edit_renders_one_topic_and_its_dependents(vault, rendered):
    root = vault_with_topics(vault)
    sync(root)
    rendered.clear()
    path = root / "Topics/T2.md"
    path.write_text(path.read_text().replace("dau: 3M", "dau: 30M"))
    report = sync(root)
    assert rendered == ["Topics/T2.md"]
    assert "Capacity/Capacity across topics.md" in report.written
    assert "| [[T2]] | 30M |" in (root / "Capacity/Capacity across topics.md").read_text()


@pytest.mark.parametrize("change", ["settings", "library", "catalog", "corrupt cache", "drawing deleted"])
def test_what_makes_topics_render_again(vault, rendered, change):
    root = vault_with_topics(vault, n=2)
    sync(root)
    expected = {p: p.read_bytes() for p in root.rglob("*.md")}
    rendered.clear()
    if change == "settings":
        (root / "vault-tools.yaml").write_text("cloud: aws\n")
    elif change == "library":
        lib = root / "Deep Dives/Caching and Invalidation.md"
        lib.write_text(lib.read_text().replace("What is the hit ratio?", "What is the eviction policy?"))
    elif change == "catalog":
        cat = root / "Catalog/Components.md"
        cat.write_text(cat.read_text().replace("Azure Cache for Redis", "Azure Managed Redis"))
    elif change == "corrupt cache":
        (root / CACHE_FILE).write_text("{not json")
    else:
        (root / "Topics/T0.excalidraw.md").unlink()
    sync(root)
    if change == "drawing deleted":
        assert rendered == ["Topics/T0.md"]
        assert (root / "Topics/T0.excalidraw.md").read_bytes() == expected[root / "Topics/T0.excalidraw.md"]
    else:
        assert sorted(rendered) == ["Topics/T0.md", "Topics/T1.md"]
    if change == "corrupt cache":
        assert {p: p.read_bytes() for p in root.rglob("*.md")} == expected


def test_a_change_that_could_not_be_written_is_tried_again(vault, rendered):
    root = vault_with_topics(vault, n=1)
    path = root / "Topics/T0.md"
    os.chmod(path, 0o444)
    sync(root)
    rendered.clear()
    report = sync(root)
    assert rendered == ["Topics/T0.md"] and [p.kind for p in report.problems] == ["read-only"]
    os.chmod(path, 0o644)
    assert "Topics/T0.md" in sync(root).written


def test_check_and_dry_run_agree_with_a_fresh_vault(vault):
    root = vault_with_topics(vault)
    sync(root)
    path = root / "Topics/T1.md"
    path.write_text(path.read_text().replace("dau: 2M", "dau: 9M"))
    cached = sync(root, apply=False)
    (root / CACHE_FILE).unlink()
    fresh = sync(root, apply=False)
    assert sorted(c.path for c in cached.changes) == sorted(c.path for c in fresh.changes)
    assert [c.after for c in sorted(cached.changes, key=lambda c: c.path)] == \
        [c.after for c in sorted(fresh.changes, key=lambda c: c.path)]


def test_a_second_note_with_a_library_notes_name_rewrites_the_links(vault):
    root = vault({**LIBRARY, "Topics/T0.md": stub(**{"deep-dives": "[caching]"})})
    sync(root)
    assert "![[Caching and Invalidation#Summary]]" in (root / "Topics/T0.md").read_text()
    (root / "Archive").mkdir()
    (root / "Archive/Caching and Invalidation.md").write_text("old notes\n")
    sync(root)
    assert "![[Deep Dives/Caching and Invalidation#Summary]]" in (root / "Topics/T0.md").read_text()


def test_a_library_notes_own_problem_survives_a_cached_sync(vault):
    bad = LIBRARY["Trade-offs/SQL vs NoSQL.md"].replace("choose:\n", "choose:\n  - just text\n")
    root = vault({**LIBRARY, "Trade-offs/SQL vs NoSQL.md": bad, "Topics/A.md": stub()})
    first = sync(root)
    assert [(p.path, p.key) for p in first.problems] == [("Trade-offs/SQL vs NoSQL.md", "choose")]
    assert [(p.path, p.key) for p in sync(root).problems] == [("Trade-offs/SQL vs NoSQL.md", "choose")]


@pytest.fixture
def full_loads(monkeypatch):
    """How many times a sync read the whole cache (the fast path reads only its first line)."""
    calls = []
    real = sync_module.cache.load

    def counting(*args):
        calls.append(args)
        return real(*args)

    monkeypatch.setattr(sync_module.cache, "load", counting)
    return calls


def test_unchanged_vault_takes_the_fast_path_with_its_problems(vault, full_loads, rendered):
    root = vault_with_topics(vault, n=2)
    (root / "Topics/bad.md").write_text(stub(dau="lots"))
    (root / "Topics/broken.md").write_text("---\ntags: [system-design/stub]\ndau: [1,\n---\n")
    first = sync(root)
    assert {p.path for p in first.problems} == {"Topics/bad.md", "Topics/broken.md"}
    full_loads.clear()
    rendered.clear()
    again = sync(root)
    assert full_loads == [] and rendered == []  # the first line of the cache was enough
    assert again.problems == first.problems and again.changes == []
    (root / "vault-tools Problems.md").unlink()  # the problems note is not part of the listing
    third = sync(root)
    assert third.written == ["vault-tools Problems.md"] and full_loads == []
    assert "dau" in (root / "vault-tools Problems.md").read_text()


@pytest.mark.parametrize("change", ["edit", "new note", "deleted note", "touched", "renamed"])
def test_any_change_to_the_listing_leaves_the_fast_path(vault, full_loads, change):
    root = vault_with_topics(vault, n=2)
    (root / "Notes").mkdir()
    (root / "Notes/plain.md").write_text("# plain\n")
    sync(root)
    full_loads.clear()
    plain = root / "Notes/plain.md"
    if change == "edit":
        plain.write_text("# plain, edited\n")
    elif change == "new note":
        (root / "Notes/other.md").write_text("other\n")
    elif change == "deleted note":
        plain.unlink()
    elif change == "touched":
        os.utime(plain, ns=(plain.stat().st_atime_ns, plain.stat().st_mtime_ns + 1_000_000))
    else:
        plain.rename(root / "Notes/moved.md")
    sync(root)
    assert len(full_loads) == 1
    full_loads.clear()
    sync(root)
    assert full_loads == []  # and the next one is fast again


def test_file_names_that_are_not_utf8_are_cached(vault):
    root = vault_with_topics(vault, n=1)
    os.mkdir(os.path.join(os.fsencode(root), b"caf\xe9"))
    (root / os.fsdecode(b"caf\xe9") / "note.md").write_text("# not UTF-8 in its folder name\n")
    sync(root)
    assert sync(root).changes == []
    assert (root / CACHE_FILE).read_bytes().isascii()


def test_a_same_size_edit_in_the_same_whole_second_is_not_missed(vault, rendered):
    """On file systems that keep whole-second mtimes (FAT, HFS+), an edit of
    the same size in the same second as the sync leaves the stamp as it was."""
    root = vault_with_topics(vault, n=2)
    sync(root)
    path = root / "Topics/T0.md"
    second = int(time.time()) * 1_000_000_000
    os.utime(path, ns=(second, second))  # as a coarse file system would stamp it
    sync(root)
    path.write_text(path.read_text().replace("dau: 1M", "dau: 7M"))  # same size, in place
    os.utime(path, ns=(second, second))  # ... and in the same tick
    rendered.clear()
    sync(root)
    assert rendered == ["Topics/T0.md"]
    assert "| [[T0]] | 7M |" in (root / "Capacity/Capacity across topics.md").read_text()


def test_fine_grained_stamps_are_trusted_at_once(vault, rendered):
    root = vault_with_topics(vault, n=2)
    sync(root)
    rendered.clear()
    sync(root)
    assert rendered == []


def test_an_edit_that_puts_size_and_mtime_back_is_seen(vault, rendered):
    """An in-place edit followed by `touch -r` (or `rsync -t --inplace`)
    keeps size and mtime: the ctime, which no tool can set, still moves."""
    root = vault_with_topics(vault, n=2)
    sync(root)
    path = root / "Topics/T0.md"
    before = os.stat(path)
    time.sleep(0.01)
    with open(path, "r+b") as handle:  # in place: same inode, same size
        text = handle.read()
        handle.seek(0)
        handle.write(text.replace(b"dau: 1M", b"dau: 7M"))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # touch -r the old copy
    after = os.stat(path)
    assert (after.st_mtime_ns, after.st_size, after.st_ino) == (before.st_mtime_ns, before.st_size, before.st_ino)
    rendered.clear()
    sync(root)
    assert rendered == ["Topics/T0.md"]
    assert "| [[T0]] | 7M |" in (root / "Capacity/Capacity across topics.md").read_text()


def test_a_note_stamped_in_the_future_keeps_the_fast_path(vault, rendered):
    """A note touched to 2031 is read once, then trusted like any other."""
    root = vault_with_topics(vault, n=2)
    sync(root)
    future = 1_924_992_000 * 1_000_000_000  # 2031-01-01, in whole seconds
    os.utime(root / "Topics/T1.md", ns=(future, future))
    sync(root)  # reads it once: nothing to write
    rendered.clear()
    report = sync(root)
    assert rendered == [] and report.changes == []
    notes = json.loads((root / CACHE_FILE).read_bytes().split(b"\n", 1)[1])
    assert "Topics/T1.md" in notes  # settled, so the listing digest matches and a sync is a walk and one read
